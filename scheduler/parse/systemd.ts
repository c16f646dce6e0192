/**
 * systemd user timers and their services as tailboard jobs. Pure: the output
 * of `systemctl --user list-timers --all --output=json`, `systemctl --user
 * show …` and `systemctl --user cat UNIT` in, `ObservedJob`s out.
 *
 * Fire times come from systemd itself (`next`/`last` in the timer list):
 * OnCalendar is never re-implemented here.
 */

import type { JobState, LastExit, ObservedJob, Schedule } from "../../core/job.ts";

/** One entry of `list-timers --output=json`. */
export interface SystemdTimerRow {
  /** The timer unit, e.g. `claude-review.timer`. */
  unit: string;
  /** The unit it starts, e.g. `claude-review.service`. */
  activates: string;
  next: Date | null;
  last: Date | null;
}

/** One unit's block of `systemctl show`: property → values (a few properties repeat). */
export type UnitProperties = Record<string, string[]>;

/**
 * `list-timers --output=json`: times are µs since the epoch; `null` or `0`
 * mean none (a timer that never ran, or one with no next elapse).
 */
export function parseListTimersJson(text: string): SystemdTimerRow[] {
  const rows: unknown = JSON.parse(text);
  if (!Array.isArray(rows)) throw new Error("list-timers output is not a JSON array");
  const timers: SystemdTimerRow[] = [];
  for (const row of rows) {
    if (typeof row !== "object" || row === null) continue;
    const { unit, activates, next, last } = row as Record<string, unknown>;
    if (typeof unit !== "string") continue;
    timers.push({
      unit,
      activates: typeof activates === "string" ? activates : unit.replace(/\.timer$/, ".service"),
      next: microsToDate(next),
      last: microsToDate(last),
    });
  }
  return timers;
}

function microsToDate(value: unknown): Date | null {
  return typeof value === "number" && value > 0 ? new Date(Math.floor(value / 1000)) : null;
}

/**
 * `systemctl show A B … -p …`: one block per unit, separated by blank lines.
 * systemd prints properties in its own order (not the order asked), so the
 * caller finds each block by its `Id`. Repeated keys (`TimersCalendar`) collect.
 */
export function parseSystemctlShow(text: string): UnitProperties[] {
  const blocks: UnitProperties[] = [];
  let block: UnitProperties | null = null;
  for (const line of text.split(/\r?\n/)) {
    if (line === "") {
      block = null;
      continue;
    }
    const at = line.indexOf("=");
    if (at <= 0) continue;
    if (!block) blocks.push(block = {});
    (block[line.slice(0, at)] ??= []).push(line.slice(at + 1));
  }
  return blocks;
}

/** The first value of a property, or null when absent or empty. */
export function property(props: UnitProperties | undefined, key: string): string | null {
  const value = props?.[key]?.[0];
  return value ? value : null;
}

/**
 * `StandardOutput=`/`StandardError=` as the unit files set them, from
 * `systemctl cat UNIT` (the unit plus drop-ins, later lines win). `systemctl
 * show` reports only the kind (`append`), not the path, because the D-Bus
 * property is just the enum; the path lives in the unit file. `%h` is the
 * user's home, `%%` a percent sign.
 */
export function parseUnitFileOutputs(
  catText: string,
  home = "",
): { stdout: string | null; stderr: string | null } {
  let section = "";
  let stdout: string | null = null;
  let stderr: string | null = null;
  for (const raw of catText.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#") || line.startsWith(";")) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = header[1]!;
      continue;
    }
    if (section !== "Service") continue;
    const match = /^(StandardOutput|StandardError)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    const path = outputPath(match[2]!, home);
    if (match[1] === "StandardOutput") stdout = path;
    else stderr = path;
  }
  return { stdout, stderr };
}

/** `file:/p`, `append:/p`, `truncate:/p` → `/p`; anything else (journal, inherit…) → null. */
function outputPath(value: string, home = ""): string | null {
  const match = /^(?:file|append|truncate):(.+)$/.exec(value.trim());
  if (!match) return null;
  return match[1]!.replace(
    /%(.)/g,
    (_, ch: string) => ch === "h" ? home : ch === "%" ? "%" : `%${ch}`,
  );
}

/** What `jobFromSystemd` needs to know about one timer and its service. */
export interface SystemdJobInput {
  timer: SystemdTimerRow;
  timerProps?: UnitProperties;
  serviceProps?: UnitProperties;
  /** Paths from `systemctl cat` when `show` gave only the output kind. */
  unitFileOutputs?: { stdout: string | null; stderr: string | null };
  /** For `%h` in output paths. */
  home?: string;
}

/** Whether `show`'s `StandardOutput` names a file without saying which: ask `systemctl cat`. */
export function needsUnitFileOutputs(serviceProps: UnitProperties | undefined): boolean {
  const kinds = ["file", "append", "truncate"];
  return kinds.includes(property(serviceProps, "StandardOutput") ?? "") ||
    kinds.includes(property(serviceProps, "StandardError") ?? "");
}

/** One timer and the service it starts, as a tailboard job. */
export function jobFromSystemd(input: SystemdJobInput): ObservedJob {
  const { timer, timerProps, serviceProps } = input;
  const exec = parseExecStart(property(serviceProps, "ExecStart"));
  const stdoutPath = resolveOutput(
    property(serviceProps, "StandardOutput"),
    input.unitFileOutputs?.stdout,
    input.home,
  );
  const stderrKind = property(serviceProps, "StandardError");
  const stderrPath = stderrKind === "inherit"
    ? stdoutPath
    : resolveOutput(stderrKind, input.unitFileOutputs?.stderr, input.home);
  const state = timerJobState(timerProps, serviceProps);
  const mainPid = Number(property(serviceProps, "MainPID") ?? 0);
  const unitFileState = property(timerProps, "UnitFileState");
  return {
    label: timer.unit.replace(/\.timer$/, ""),
    scheduler: "systemd",
    program: exec.program,
    args: exec.args,
    workingDirectory: property(serviceProps, "WorkingDirectory")?.replace(/^!/, "") ?? null,
    schedule: timerSchedule(timerProps),
    stdoutPath,
    stderrPath,
    disabled: unitFileState === "disabled" || unitFileState === "masked",
    definitionPath: property(serviceProps, "FragmentPath"),
    state,
    pid: state === "running" && mainPid > 0 ? mainPid : null,
    lastExit: state === "running" ? null : serviceLastExit(serviceProps),
    runs: null,
    nextFire: timer.next?.toISOString() ?? null,
    lastRun: timer.last?.toISOString() ?? null,
    unit: timer.activates,
  };
}

function resolveOutput(
  kind: string | null,
  fromUnitFile: string | null | undefined,
  home?: string,
): string | null {
  if (!kind) return null;
  return outputPath(kind, home) ??
    (["file", "append", "truncate"].includes(kind) ? fromUnitFile ?? null : null);
}

/** `ExecStart={ path=/usr/bin/x ; argv[]=/usr/bin/x --flag ; ignore_errors=no ; … }`. */
export function parseExecStart(value: string | null): { program: string | null; args: string[] } {
  if (!value) return { program: null, args: [] };
  const path = /(?:^|[{;])\s*path=([^;]*?)\s*(?:;|}|$)/.exec(value)?.[1] ?? null;
  const argv = /(?:^|[{;])\s*argv\[\]=([^;]*?)\s*(?:;|}|$)/.exec(value)?.[1];
  // systemd joins argv with spaces, unquoted: splitting on them is the best read there is.
  const args = argv ? argv.split(" ").filter(Boolean) : path ? [path] : [];
  return { program: path ?? args[0] ?? null, args };
}

/**
 * `TimersCalendar={ OnCalendar=*-*-* 03:00:00 ; next_elapse=… }` and
 * `TimersMonotonic={ OnUnitActiveUSec=15min ; next_elapse=… }`, one line each.
 */
function timerSchedule(timerProps: UnitProperties | undefined): Schedule {
  const calendar: string[] = [];
  const monotonic: string[] = [];
  for (const entry of timerProps?.["TimersCalendar"] ?? []) {
    const expr = /OnCalendar=(.*?)\s*;/.exec(entry)?.[1] ?? /OnCalendar=(.*?)\s*}/.exec(entry)?.[1];
    if (expr) calendar.push(expr);
  }
  for (const entry of timerProps?.["TimersMonotonic"] ?? []) {
    const setting = /\{\s*(On\w+=[^;}]*?)\s*[;}]/.exec(entry)?.[1];
    if (setting) monotonic.push(setting);
  }
  return { systemd: { calendar, monotonic } };
}

const BUSY = new Set(["activating", "deactivating", "reloading"]);

function timerJobState(
  timerProps: UnitProperties | undefined,
  serviceProps: UnitProperties | undefined,
): JobState {
  const active = property(serviceProps, "ActiveState");
  const sub = property(serviceProps, "SubState");
  const running = BUSY.has(active ?? "") || Number(property(serviceProps, "MainPID") ?? 0) > 0 ||
    (active === "active" && sub !== "exited");
  if (running) return "running";
  const timerActive = property(timerProps, "ActiveState");
  if (timerProps && timerActive !== "active") {
    const fileState = property(timerProps, "UnitFileState");
    return fileState === "disabled" || fileState === "masked" ? "disabled" : "not-loaded";
  }
  return "idle";
}

/**
 * `ExecMainCode` is the waitid() code: 1 exited (status is the exit code),
 * 2 killed, 3 dumped core (status is the signal); 0 means it never exited.
 */
function serviceLastExit(serviceProps: UnitProperties | undefined): LastExit | null {
  const code = Number(property(serviceProps, "ExecMainCode") ?? 0);
  const status = Number(property(serviceProps, "ExecMainStatus") ?? 0);
  const result = property(serviceProps, "Result");
  const why = result && result !== "success" ? ` (${result})` : "";
  if (code === 1) return { code: status, signal: null, text: `exit ${status}${why}` };
  if (code === 2 || code === 3) {
    const dumped = code === 3 ? ", core dumped" : "";
    return { code: null, signal: status, text: `killed by signal ${status}${dumped}${why}` };
  }
  return null;
}
