/**
 * The one way tests start tailboard: on a free port, waiting until it
 * answers, stopped and cleaned up on dispose.
 *
 * - `spawnTailboard()` runs `main.ts` as its own process, as a user or
 *   launchd would (browser tests, shutdown, the CLI), and keeps what it prints;
 * - `startHarness()` runs the same daemon in-process (`startDaemon`), for
 *   stream tests that need many quick starts;
 * - `runTailboard()` runs a subcommand to completion.
 */
import { fileURLToPath } from "node:url";
import { type Config, parseFlags } from "../../cli/config.ts";
import { type Daemon, startDaemon } from "../../server/daemon.ts";
import { silentLogger } from "../../core/log.ts";

/** The absolute path of the entry point. */
export const MAIN = fileURLToPath(new URL("../../main.ts", import.meta.url));

/** Options for `spawnTailboard`. */
export interface SpawnOptions {
  /** @default a fresh temp folder, removed afterwards */
  cwd?: string;
  /** Added to this process's environment. */
  env?: Record<string, string>;
  /** How long to wait for the URL line. @default 20000 */
  timeoutMs?: number;
  /** The executable and its leading arguments. @default deno run <permissions> main.ts */
  program?: string[];
  /** Permissions for `deno run`. @default ["-A"] */
  permissions?: string[];
}

/** The permissions `deno task start` grants, for tests that run the daemon as users do. */
export const START_PERMISSIONS: readonly string[] = [
  "--allow-read",
  "--allow-write",
  "--allow-env",
  "--allow-net=127.0.0.1,localhost,[::1]",
  "--allow-run",
  "--allow-sys",
];

export interface TailboardProcess extends AsyncDisposable {
  child: Deno.ChildProcess;
  /** The URL it printed on stdout. */
  url: string;
  /** The port it listens on. */
  port: number;
  /** Stops it (SIGTERM, then SIGKILL after 5 s) and waits until it exited; dispose does the same. */
  stop(): Promise<void>;
  /** What it printed so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves once it exited. */
  exited: Promise<Deno.CommandStatus>;
}

/**
 * `deno run -A main.ts ARGS` (or `program` ARGS); resolves once it printed
 * its URL and that URL answers HTTP.
 */
export async function spawnTailboard(
  args: string[],
  opts: SpawnOptions = {},
): Promise<TailboardProcess> {
  const ownCwd = opts.cwd === undefined;
  const cwd = opts.cwd ?? await Deno.makeTempDir({ prefix: "tailboard-cwd-" });
  const [cmd, ...lead] = opts.program ??
    [Deno.execPath(), "run", ...(opts.permissions ?? ["-A"]), MAIN];
  const child = new Deno.Command(cmd!, {
    args: [...lead, ...args],
    cwd,
    env: { NO_COLOR: "1", ...opts.env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let out = "";
  let err = "";
  const urlSeen = Promise.withResolvers<string>();
  const pump = async (stream: ReadableStream<Uint8Array>, add: (text: string) => void) => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) add(decoder.decode(chunk, { stream: true }));
  };
  const reading = Promise.all([
    pump(child.stdout, (t) => {
      out += t;
      const url = /http:\/\/\S+?\/(?=\s|$|\?)/.exec(out)?.[0];
      if (url) urlSeen.resolve(url);
    }),
    pump(child.stderr, (t) => err += t),
  ]);
  const exited = (async () => {
    const status = await child.status;
    await reading;
    if (ownCwd) await Deno.remove(cwd, { recursive: true }).catch(() => {});
    return status;
  })();
  exited.then((s) =>
    urlSeen.reject(new Error(`tailboard exited (${s.code}) before printing a URL:\n${out}${err}`))
  );
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no URL within ${opts.timeoutMs ?? 20_000} ms:\n${out}${err}`)),
      opts.timeoutMs ?? 20_000,
    );
  });
  let url: string;
  try {
    url = await Promise.race([urlSeen.promise, timeout]);
    await answers(url, opts.timeoutMs ?? 20_000);
  } catch (error) {
    try {
      child.kill("SIGKILL");
    } catch {
      // Already gone.
    }
    await exited;
    throw error;
  } finally {
    clearTimeout(timer);
  }
  let stopping: Promise<void> | undefined;
  const stop = () =>
    stopping ??= (async () => {
      // SIGTERM first, so a demo still removes its temp folder; SIGKILL if it hangs.
      const kill = (signal: Deno.Signal) => {
        try {
          child.kill(signal);
        } catch {
          // It exited already: the test's own doing.
        }
      };
      kill("SIGTERM");
      const timer = setTimeout(() => kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    })();
  return {
    child,
    url,
    port: Number(new URL(url).port),
    stdout: () => out,
    stderr: () => err,
    exited,
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

/** Resolves once `url` answers HTTP at all (a 401 or 404 is an answer); rejects after `ms`. */
async function answers(url: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      await (await fetch(`${url}api/health`)).body?.cancel();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${url} printed but never answered: ${error}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** Runs `deno run -A main.ts ARGS` to completion. */
export async function runTailboard(
  args: string[],
  opts: { cwd?: string; env?: Record<string, string> } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, ...args],
    cwd: opts.cwd,
    env: { NO_COLOR: "1", ...opts.env },
    stdin: "null",
  }).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}

/** A port nothing listens on right now. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/** Where deno keeps its npm cache: a child with another HOME must still find it offline. */
export async function denoDir(): Promise<string> {
  const out = await new Deno.Command(Deno.execPath(), { args: ["info", "--json"] }).output();
  return JSON.parse(new TextDecoder().decode(out.stdout)).denoDir;
}

/** Settles as `promise` does, or fails once `ms` have passed (a bound on a wait, not a speed). */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `check` until it returns a value, or fails after `ms`. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined | null | false>,
  ms = 10_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not happen within ${ms} ms${last ? `: ${last}` : ""}`);
}

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
