/**
 * Is a pid still the process that wrote a session file? Pids are reused, so
 * a live pid is only "the same process" when its start time matches the
 * `procStart` Claude Code recorded: on Linux the start time in clock ticks
 * since boot (`/proc/<pid>/stat` field 22), elsewhere a date string like
 * `ps -o lstart=` prints.
 */
import type { RunCommand } from "../scheduler/run_command.ts";

/** When a process started, as far as this platform can say. */
export interface ProcessStart {
  /** Linux: field 22 of `/proc/<pid>/stat`, clock ticks since boot. */
  ticks?: string;
  /** Epoch ms, when it could be worked out. */
  ms?: number;
}

/** Linux's USER_HZ, fixed at 100 on every architecture tailboard runs on. */
const TICKS_PER_SECOND = 100;

/** The start of `pid`, or null when no such process runs. */
export async function processStart(
  pid: number,
  run: RunCommand,
  os: string = Deno.build.os,
): Promise<ProcessStart | null> {
  if (!Number.isInteger(pid) || pid <= 0) return null;
  if (os === "linux") {
    let stat: string;
    try {
      stat = await Deno.readTextFile(`/proc/${pid}/stat`);
    } catch {
      return null; // No such process (or not ours to see): not the session's.
    }
    const ticks = parseStatStart(stat);
    if (ticks === undefined) return null;
    const boot = await _bootTime();
    return {
      ticks,
      ms: boot === undefined ? undefined : boot + Number(ticks) * 1000 / TICKS_PER_SECOND,
    };
  }
  try {
    const result = await run("ps", ["-o", "lstart=", "-p", String(pid)], { timeoutMs: 2000 });
    const text = result.stdout.trim();
    if (result.code !== 0 || !text) return null;
    const ms = Date.parse(text);
    return Number.isFinite(ms) ? { ms } : {};
  } catch {
    // No `ps` to ask: the pid's fate is unknown, so do not call it dead.
    return {};
  }
}

/** Field 22 of a `/proc/<pid>/stat` line; the name (field 2) may hold spaces and parens. */
export function parseStatStart(stat: string): string | undefined {
  const close = stat.lastIndexOf(")");
  if (close === -1) return undefined;
  const fields = stat.slice(close + 2).split(" ");
  // fields[0] is field 3 (state), so field 22 is fields[19].
  const ticks = fields[19];
  return ticks && /^\d+$/.test(ticks) ? ticks : undefined;
}

/**
 * Whether a process with this start is the one whose `procStart` was
 * recorded. An unreadable `procStart` cannot prove a reuse, so the live pid
 * counts as the session's.
 */
export function sameProcess(procStart: unknown, start: ProcessStart): boolean {
  if (typeof procStart === "number") procStart = String(procStart);
  if (typeof procStart !== "string" || !procStart.trim()) return true;
  const recorded = procStart.trim();
  if (/^\d+$/.test(recorded)) {
    if (start.ticks !== undefined) return start.ticks === recorded;
    return true;
  }
  const ms = Date.parse(recorded);
  if (!Number.isFinite(ms) || start.ms === undefined) return true;
  // `lstart` has whole seconds; allow for rounding and clock steps.
  return Math.abs(ms - start.ms) <= 2000;
}

let _boot: number | undefined;

async function _bootTime(): Promise<number | undefined> {
  if (_boot !== undefined) return _boot;
  try {
    const match = /^btime (\d+)$/m.exec(await Deno.readTextFile("/proc/stat"));
    if (match) _boot = Number(match[1]) * 1000;
  } catch {
    // No /proc/stat: start times stay in ticks, which is all a comparison needs.
  }
  return _boot;
}
