/**
 * The one seam through which the scheduler runs `launchctl`, `plutil` and
 * `systemctl`. Tests drive it with fake executables first on `PATH`, so the
 * real implementation below is what they exercise.
 */

/** What a finished command printed and how it exited. */
export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Per-call options. */
export interface RunCommandOptions {
  /** Kill the command (and its children) after this long. @default the runner's default (3000) */
  timeoutMs?: number;
}

/** Run `cmd` with `args`; rejects with `CommandError` when it is missing, hangs or cannot start. */
export type RunCommand = (
  cmd: string,
  args: string[],
  opts?: RunCommandOptions,
) => Promise<CommandResult>;

/** Why a command produced no result. A non-zero exit is a result, not an error. */
export class CommandError extends Error {
  constructor(
    readonly kind: "missing" | "timeout" | "failed-to-start",
    readonly command: string,
    message: string,
  ) {
    super(message);
    this.name = "CommandError";
  }
}

/** Options for the real runner. */
export interface CreateRunCommandOptions {
  /** Extra environment for every command; its `PATH` also decides which binary runs. */
  env?: Record<string, string>;
  /** @default 3000 */
  timeoutMs?: number;
}

/**
 * The real `RunCommand` on `Deno.Command`. Each child starts in its own
 * process group (`detached`) so a timeout can kill the whole group: killing
 * only a hung shell script would leave its `sleep` holding the stdout pipe
 * open, and the read would never end.
 */
export function createRunCommand(options: CreateRunCommandOptions = {}): RunCommand {
  const defaultTimeout = options.timeoutMs ?? 3000;
  return async (cmd, args, opts = {}) => {
    const timeoutMs = opts.timeoutMs ?? defaultTimeout;
    let child: Deno.ChildProcess;
    try {
      child = new Deno.Command(cmd, {
        args,
        env: options.env,
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
        detached: Deno.build.os !== "windows",
      }).spawn();
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) {
        throw new CommandError("missing", cmd, `${cmd}: not found on PATH`);
      }
      const why = error instanceof Error ? error.message : String(error);
      throw new CommandError("failed-to-start", cmd, `${cmd}: could not start: ${why}`);
    }
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child);
    }, timeoutMs);
    try {
      const output = await child.output();
      if (timedOut) {
        const seconds = +(timeoutMs / 1000).toFixed(1);
        throw new CommandError(
          "timeout",
          cmd,
          `${[cmd, ...args].join(" ")} did not answer within ${seconds} s`,
        );
      }
      const decoder = new TextDecoder();
      return {
        code: output.code,
        stdout: decoder.decode(output.stdout),
        stderr: decoder.decode(output.stderr),
      };
    } finally {
      clearTimeout(timer);
    }
  };
}

/** SIGKILL the child's process group; fall back to the child alone. */
function killGroup(child: Deno.ChildProcess): void {
  try {
    Deno.kill(-child.pid, "SIGKILL");
  } catch {
    try {
      child.kill("SIGKILL");
    } catch {
      // Already gone: the exit is on its way through output().
    }
  }
}

/** The first executable file named `name` in a `PATH`-style list, or null. */
export function findOnPath(name: string, path: string | undefined): string | null {
  for (const dir of (path ?? "").split(Deno.build.os === "windows" ? ";" : ":")) {
    if (!dir) continue;
    const candidate = `${dir.replace(/\/+$/, "")}/${name}`;
    try {
      const info = Deno.statSync(candidate);
      if (info.isFile && (info.mode === null || (info.mode & 0o111) !== 0)) return candidate;
    } catch {
      // Not in this directory (or unreadable): keep looking.
    }
  }
  return null;
}
