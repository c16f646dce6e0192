/** Starts the real daemon in-process on a free port, watching a temp folder. */
import { type Config, parseFlags } from "../../cli/config.ts";
import { type Daemon, startDaemon } from "../../server/daemon.ts";
import { silentLogger } from "../../core/log.ts";

export interface Harness extends AsyncDisposable {
  daemon: Daemon;
  dir: string;
  url: string;
  /** The id of the agent for `name` inside `dir`, waiting until it is listed. */
  agentId(name: string): Promise<string>;
  agents(): Promise<{ id: string; path: string; [k: string]: unknown }[]>;
}

export async function startHarness(extraFlags: string[] = [], dir?: string): Promise<Harness> {
  const folder = dir ?? await Deno.makeTempDir({ prefix: "tailboard-test-" });
  const config: Config = parseFlags([
    "--port",
    "0",
    "--no-default-sources",
    // History is off unless a test gives it a folder of its own.
    ...(extraFlags.includes("--data-dir") ? [] : ["--no-history"]),
    "--watch",
    folder,
    ...extraFlags,
  ]);
  const daemon = await startDaemon(config, {
    ui: { indexHtml: "<!doctype html><title>tailboard</title>", assets: new Map() },
    version: "test",
    log: silentLogger,
    env: Deno.env.toObject(),
  });
  const agents = async () => (await (await fetch(`${daemon.url}api/agents`)).json()).agents;
  return {
    daemon,
    dir: folder,
    url: daemon.url,
    agents,
    async agentId(name: string) {
      const path = `${folder}/${name}`;
      const deadline = Date.now() + 8000;
      while (Date.now() < deadline) {
        const hit = (await agents()).find((a: { path: string }) => a.path === path);
        if (hit) return hit.id;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error(`agent for ${name} never listed`);
    },
    async [Symbol.asyncDispose]() {
      await daemon.close();
      if (!dir) await Deno.remove(folder, { recursive: true }).catch(() => {});
    },
  };
}

/** A Claude-Code-shaped assistant line carrying `text`. */
export function assistantLine(text: string): string {
  return JSON.stringify({
    type: "assistant",
    uuid: crypto.randomUUID(),
    timestamp: new Date().toISOString(),
    message: { role: "assistant", content: [{ type: "text", text }] },
  }) + "\n";
}

export async function append(path: string, text: string | Uint8Array): Promise<void> {
  if (typeof text === "string") await Deno.writeTextFile(path, text, { append: true });
  else await Deno.writeFile(path, text, { append: true });
}

/** The `text` of an event's first text block, whatever its kind. */
export function textOf(event: Record<string, unknown>): string {
  const blocks = event.blocks as { type: string; text?: string }[] | undefined;
  return blocks?.find((b) => b.type === "text")?.text ?? (event.text as string) ?? "";
}
