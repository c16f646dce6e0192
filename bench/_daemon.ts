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
