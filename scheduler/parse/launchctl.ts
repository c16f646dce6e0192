/**
 * `launchctl list`, `launchctl print gui/<uid>/<label>` and
 * `launchctl print-disabled gui/<uid>` output as data. Pure: strings in.
 *
 * The formats are macOS's, as captured from real machines (see
 * tests/fixtures/launchd/): `list` is a tab-separated table; `print` is a
 * tab-indented `key = value` tree whose nested blocks open with `{` or `[`.
 */

import type { LastExit } from "../../core/job.ts";

/** One row of `launchctl list`. */
export interface LaunchctlListEntry {
  label: string;
  /** The running process, or null for `-`. */
  pid: number | null;
  /** Last exit status (negative: the signal that killed it), or null for `-` (never exited). */
  status: number | null;
}

/** The parts of `launchctl print gui/<uid>/<label>` tailboard uses. */
export interface LaunchctlPrint {
  /** The service target on the first line, e.g. `gui/501/com.example.agent`. */
  target: string | null;
  /** launchd's own word: "running", "not running", "spawn scheduled", "waiting", … */
  state: string | null;
  pid: number | null;
  /** The plist launchd loaded the job from. */
  path: string | null;
  program: string | null;
  arguments: string[];
  workingDirectory: string | null;
  stdoutPath: string | null;
  stderrPath: string | null;
  runs: number | null;
  lastExit: LastExit | null;
  /** `run interval = N seconds`: the loaded `StartInterval`. */
  runIntervalSeconds: number | null;
  /** `properties = runatload | inferred program | …`. */
  properties: string[];
  /** Every top-level `key = value` line, for anything not lifted above. */
  fields: Record<string, string>;
}

/** Darwin signal names, for "killed by SIGTERM (15)". */
const SIGNALS: Record<number, string> = {
  1: "SIGHUP",
  2: "SIGINT",
  3: "SIGQUIT",
  4: "SIGILL",
  5: "SIGTRAP",
  6: "SIGABRT",
  7: "SIGEMT",
  8: "SIGFPE",
  9: "SIGKILL",
  10: "SIGBUS",
  11: "SIGSEGV",
  12: "SIGSYS",
  13: "SIGPIPE",
  14: "SIGALRM",
  15: "SIGTERM",
  24: "SIGXCPU",
  25: "SIGXFSZ",
  30: "SIGUSR1",
  31: "SIGUSR2",
};

/** Rows of `launchctl list`; the header and malformed lines are skipped. */
export function parseLaunchctlList(text: string): LaunchctlListEntry[] {
  const entries: LaunchctlListEntry[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) continue;
    // Tab-separated; a label may hold spaces, so only the first two tabs split.
    const match = /^(\S+)\t(\S+)\t(.+)$/.exec(line) ?? /^(\S+)\s+(\S+)\s+(.+)$/.exec(line);
    if (!match) continue;
    const [, pidText = "", statusText = "", label = ""] = match;
    if (pidText === "PID" && label === "Label") continue;
    const pid = pidText === "-" ? null : Number(pidText);
    const status = statusText === "-" ? null : Number(statusText);
    if (!Number.isInteger(pid ?? 0) || !Number.isInteger(status ?? 0)) continue;
    entries.push({ label: label.trim(), pid, status });
  }
  return entries;
}

/** A `launchctl list` status as a `LastExit`: negative is the signal that killed the job. */
export function lastExitFromStatus(status: number | null): LastExit | null {
  if (status === null) return null;
  if (status < 0) return signalExit(-status);
  return { code: status, signal: null, text: `exit ${status}` };
}

function signalExit(signal: number, name?: string): LastExit {
  const sig = SIGNALS[signal] ?? `signal ${signal}`;
  return {
    code: null,
    signal,
    text: `killed by ${sig} (${signal})${name ? `: ${name}` : ""}`,
  };
}

/** `launchctl print gui/<uid>/<label>` output: top-level fields plus the argument block. */
export function parseLaunchctlPrint(text: string): LaunchctlPrint {
  const fields: Record<string, string> = {};
  const args: string[] = [];
  let target: string | null = null;
  let depth = 0;
  let block: string | null = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    if (depth === 0) {
      const open = /^(.*\S) = \{$/.exec(line);
      if (open) {
        target = open[1]!;
        depth = 1;
      } else {
        // Some callers hand over bare `key = value` lines without the frame.
        addField(fields, line);
      }
      continue;
    }
    if (line === "}" || line === "]") {
      depth--;
      if (depth <= 1) block = null;
      continue;
    }
    if (line.endsWith("{") || line.endsWith("[")) {
      if (depth === 1) block = line.replace(/\s*(=|=>)\s*[{[]$/, "");
      depth++;
      continue;
    }
    if (depth === 1) addField(fields, line);
    else if (depth === 2 && block === "arguments") args.push(line);
  }
  return {
    target,
    state: fields["state"] ?? null,
    pid: intOrNull(fields["pid"]),
    path: fields["path"] ?? null,
    program: fields["program"] ?? null,
    arguments: args,
    workingDirectory: fields["working directory"] ?? null,
    stdoutPath: fields["stdout path"] ?? null,
    stderrPath: fields["stderr path"] ?? null,
    runs: intOrNull(fields["runs"]),
    lastExit: printLastExit(fields),
    runIntervalSeconds: intOrNull(fields["run interval"]?.replace(/ seconds?$/, "")),
    properties: fields["properties"]?.split(" | ").map((p) => p.trim()).filter(Boolean) ?? [],
    fields,
  };
}

function addField(fields: Record<string, string>, line: string): void {
  const at = line.indexOf(" = ");
  if (at > 0) fields[line.slice(0, at)] = line.slice(at + 3);
}

/**
 * launchd prints either `last exit code = 0` / `78: EX_CONFIG` / `(never
 * exited)`, or, when a signal ended the job, `last terminating signal =
 * Terminated: 15` in its place. `last exit reason`, when present, is appended.
 */
function printLastExit(fields: Record<string, string>): LastExit | null {
  let exit: LastExit | null = null;
  const signal = /^(.*): (\d+)$/.exec(fields["last terminating signal"] ?? "");
  const code = /^(-?\d+)(?:: (.*))?$/.exec(fields["last exit code"] ?? "");
  if (signal) exit = signalExit(Number(signal[2]), signal[1]);
  else if (code) {
    exit = {
      code: Number(code[1]),
      signal: null,
      text: `exit ${code[1]}${code[2] ? `: ${code[2]}` : ""}`,
    };
  }
  const reason = fields["last exit reason"];
  if (exit && reason) exit.text += ` (${reason})`;
  return exit;
}

function intOrNull(text: string | undefined): number | null {
  if (text === undefined || !/^-?\d+$/.test(text.trim())) return null;
  return Number(text);
}

/**
 * `launchctl print-disabled gui/<uid>`: label → disabled. Recent macOS prints
 * `"label" => disabled|enabled`, older releases `=> true|false`.
 */
export function parseLaunchctlDisabled(text: string): Map<string, boolean> {
  const disabled = new Map<string, boolean>();
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*"(.+)" => (disabled|enabled|true|false)\s*$/.exec(line);
    if (match) disabled.set(match[1]!, match[2] === "disabled" || match[2] === "true");
  }
  return disabled;
}
