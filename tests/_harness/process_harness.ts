/** Runs main.ts as its own process, as a user or launchd would, and watches what it prints. */
import { fileURLToPath } from "node:url";

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
  /** The executable and its leading arguments. @default deno run -A main.ts */
  program?: string[];
}

export interface TailboardProcess extends AsyncDisposable {
  child: Deno.ChildProcess;
  /** The URL it printed on stdout. */
  url: string;
  /** What it printed so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves once it exited. */
  exited: Promise<Deno.CommandStatus>;
}

/** `deno run -A main.ts ARGS` (or `program` ARGS); resolves once it printed its URL. */
export async function spawnTailboard(
  args: string[],
  opts: SpawnOptions = {},
): Promise<TailboardProcess> {
  const ownCwd = opts.cwd === undefined;
  const cwd = opts.cwd ?? await Deno.makeTempDir({ prefix: "tailboard-cwd-" });
  const [cmd, ...lead] = opts.program ?? [Deno.execPath(), "run", "-A", MAIN];
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
  return {
    child,
    url,
    stdout: () => out,
    stderr: () => err,
    exited,
    async [Symbol.asyncDispose]() {
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
    },
  };
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
