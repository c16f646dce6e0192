/** Reads the daemon's stdout until it prints its URL. */
export async function daemonUrl(stdout: ReadableStream<Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  const reader = stdout.getReader();
  while (true) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the daemon exited before it served: ${text}`);
    text += decoder.decode(value, { stream: true });
    const m = /watching at (http\S+)/.exec(text);
    if (m) {
      // Keep draining so the daemon never blocks on a full pipe.
      (async () => {
        while (!(await reader.read()).done) { /* discard */ }
      })().catch(() => {});
      return m[1]!.endsWith("/") ? m[1]! : `${m[1]}/`;
    }
  }
}

/**
 * Starts `bench/serve.ts` (the daemon with a stand-in UI) on a free loopback
 * port over `dir` alone: no default sources, and no history unless `history`
 * names its data folder. Read its URL with `daemonUrl(child.stdout)`.
 */
export function spawnServe(
  dir: string,
  { history, stderr = "null" }: { history?: string; stderr?: "null" | "inherit" } = {},
): Deno.ChildProcess {
  const serve = new URL("./serve.ts", import.meta.url).pathname;
  const data = history ? ["--data-dir", history] : ["--no-history"];
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", serve, "--port", "0", "--no-default-sources", ...data, "--watch", dir],
    stdout: "piped",
    stderr,
  }).spawn();
}
