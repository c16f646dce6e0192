/**
 * What `install`, `uninstall` and `status` share: where the login item lives,
 * which service manager runs it, and the one `RunCommand` seam every call to
 * `launchctl` or `systemctl` goes through (tests put fakes first on PATH).
 */
import { fileURLToPath } from "node:url";
import { parseLaunchctlPrint } from "../scheduler/parse/launchctl.ts";
import { parseSystemctlShow, property } from "../scheduler/parse/systemd.ts";
import { type CommandResult, findOnPath, type RunCommand } from "../scheduler/run_command.ts";
import { LABEL, UNIT_NAME } from "./launch_agent.ts";

/** Everything the service commands touch outside themselves. */
export interface ServiceContext {
  home: string;
  uid: number;
  /** The caller's environment: PATH picks the service manager; TAILBOARD_* settings are kept. */
  env: Record<string, string>;
  run: RunCommand;
  print(line: string): void;
  /** How to start this tailboard: the compiled binary, or deno with `run` … main.ts. */
  program: string[];
  /** How long `install` waits for the URL to answer. @default 5000 */
  waitMs?: number;
  /** The clock the launchd waits are measured on. @default Date.now */
  now?: () => number;
  /** Waits between launchctl polls; tests pass one that advances `now`. @default setTimeout */
  sleep?: (ms: number) => Promise<void>;
}

/** A service command that cannot do what was asked; main prints it as `error: …`. */
export class ServiceError extends Error {}

export type Manager = "launchd" | "systemd";

/** launchd where `launchctl` is on PATH (macOS), else systemd where `systemctl` is. */
export function detectManager(env: Record<string, string | undefined>): Manager {
  if (findOnPath("launchctl", env.PATH)) return "launchd";
  if (findOnPath("systemctl", env.PATH)) return "systemd";
  throw new ServiceError(
    "neither launchctl (macOS) nor systemctl (Linux) is on PATH: cannot manage a login item here",
  );
}

/** Where the login item's definition lives. */
export function definitionPath(
  manager: Manager,
  ctx: Pick<ServiceContext, "home" | "env">,
): string {
  if (manager === "launchd") return `${ctx.home}/Library/LaunchAgents/${LABEL}.plist`;
  const config = ctx.env.XDG_CONFIG_HOME || `${ctx.home}/.config`;
  return `${config}/systemd/user/${UNIT_NAME}`;
}

/** The launchd log folder. */
export function logDir(home: string): string {
  return `${home}/Library/Logs/tailboard`;
}

/** The permissions `deno run` grants tailboard: the same as `deno task start`. */
export const DENO_RUN_PERMISSIONS = [
  "--allow-read",
  "--allow-write",
  "--allow-env",
  "--allow-net=127.0.0.1,localhost,[::1]",
  "--allow-run",
  "--allow-sys",
];

/** How this very tailboard was started, as an absolute command line. */
export function currentProgram(): string[] {
  if (Deno.build.standalone) return [Deno.execPath()];
  const main = fileURLToPath(new URL("../main.ts", import.meta.url));
  return [Deno.execPath(), "run", ...DENO_RUN_PERMISSIONS, main];
}

/** What the service manager says about the login item. */
export interface ServiceState {
  /** Known to the service manager (launchd: bootstrapped; systemd: unit loaded and enabled). */
  loaded: boolean;
  running: boolean;
  pid: number | null;
  /** The manager's own words, for status. */
  detail: string;
}

/** `launchctl print gui/<uid>/<label>` or `systemctl --user show tailboard.service`. */
export async function serviceState(manager: Manager, ctx: ServiceContext): Promise<ServiceState> {
  if (manager === "launchd") {
    const res = await call(ctx, "launchctl", ["print", `gui/${ctx.uid}/${LABEL}`]);
    if (res.code !== 0) {
      return { loaded: false, running: false, pid: null, detail: firstLine(res) || "not loaded" };
    }
    const print = parseLaunchctlPrint(res.stdout);
    const running = print.state === "running" || (print.pid ?? 0) > 0;
    return {
      loaded: true,
      running,
      pid: print.pid,
      detail: `launchd state: ${print.state ?? "unknown"}`,
    };
  }
  const res = await call(ctx, "systemctl", [
    "--user",
    "show",
    UNIT_NAME,
    "-p",
    "LoadState",
    "-p",
    "ActiveState",
    "-p",
    "SubState",
    "-p",
    "MainPID",
    "-p",
    "UnitFileState",
  ]);
  if (res.code !== 0) {
    throw new ServiceError(`systemctl --user show ${UNIT_NAME} failed: ${firstLine(res)}`);
  }
  const props = parseSystemctlShow(res.stdout)[0];
  const load = property(props, "LoadState");
  const active = property(props, "ActiveState") ?? "unknown";
  const sub = property(props, "SubState") ?? "unknown";
  const pid = Number(property(props, "MainPID") ?? 0);
  return {
    loaded: load === "loaded",
    running: active === "active" || active === "activating",
    pid: pid > 0 ? pid : null,
    detail: `systemd: ${active} (${sub}), ${property(props, "UnitFileState") ?? "unknown"}`,
  };
}

/** Runs a service-manager command; a missing or hanging one is a ServiceError. */
export async function call(
  ctx: ServiceContext,
  cmd: string,
  args: string[],
): Promise<CommandResult> {
  try {
    // bootstrap and enable --now can take seconds on a busy login session.
    return await ctx.run(cmd, args, { timeoutMs: 20_000 });
  } catch (error) {
    throw new ServiceError(error instanceof Error ? error.message : String(error));
  }
}

/** The first line a command printed, stderr first: what to quote in an error. */
export function firstLine(res: CommandResult): string {
  return (res.stderr.trim() || res.stdout.trim()).split("\n")[0] ?? "";
}

/** `~/x` for paths under home: shorter to read in messages. */
export function tilde(path: string, home: string): string {
  return path.startsWith(`${home}/`) ? `~${path.slice(home.length)}` : path;
}

export async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}
