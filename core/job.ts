/**
 * The job model shared by the launchd and systemd parsers and the scheduler
 * board. Plain data only: every `Job` is JSON-serialised onto `/api/jobs` and
 * its SSE stream as is.
 */

/** One `StartCalendarInterval` dict. A missing key is a wildcard, as in launchd. */
export interface CalendarInterval {
  Minute?: number;
  Hour?: number;
  /** Day of the month, 1–31. */
  Day?: number;
  /** 0 and 7 are both Sunday. */
  Weekday?: number;
  /** 1–12. */
  Month?: number;
}

/**
 * When a job runs. launchd jobs may combine several triggers (a calendar and
 * `RunAtLoad`, say), so this is a record of optional parts, not a union.
 */
export interface Schedule {
  /** `StartCalendarInterval`: the job fires when any one interval matches. */
  calendar?: CalendarInterval[];
  /** `StartInterval`, in seconds. */
  intervalSeconds?: number;
  /** `RunAtLoad`. */
  runAtLoad?: boolean;
  /** `KeepAlive`: `true`, or `"conditional"` when it is a dict of conditions. */
  keepAlive?: true | "conditional";
  /** systemd timer expressions, for words only: systemd computes their fire times itself. */
  systemd?: { calendar: string[]; monotonic: string[] };
}

/** A job as its definition (plist or unit files) describes it. */
export interface JobDefinition {
  label: string;
  /** The executable: `Program`, else `ProgramArguments[0]`. */
  program: string | null;
  /** The full argv (`ProgramArguments`), or `[program]` when only `Program` is set. */
  args: string[];
  workingDirectory: string | null;
  schedule: Schedule;
  stdoutPath: string | null;
  stderrPath: string | null;
  /** `Disabled` in the plist (launchd), or a disabled timer unit (systemd). */
  disabled: boolean;
  /** Where the definition was read from (plist path or unit fragment path). */
  definitionPath: string | null;
}

/** How the last run ended. `code` and `signal` are exclusive; both null means unknown. */
export interface LastExit {
  code: number | null;
  signal: number | null;
  /** Human words: "exit 0", "exit 78: EX_CONFIG", "killed by signal 15 (Terminated)". */
  text: string;
}

/** running (with a PID) / loaded and idle / not loaded / disabled. */
export type JobState = "running" | "idle" | "not-loaded" | "disabled";

/** Which scheduler a job (or the board) belongs to. */
/** `demo`: `tailboard demo`'s simulated jobs. */
export type SchedulerName = "launchd" | "systemd" | "demo" | "none";

/**
 * A job as one poll of its scheduler saw it: the definition plus live state.
 * The board adds the id, the schedule in words, the filter match and, for
 * launchd, the next fire.
 */
export interface ObservedJob extends JobDefinition {
  scheduler: "launchd" | "systemd";
  state: JobState;
  pid: number | null;
  lastExit: LastExit | null;
  runs: number | null;
  /** systemd's own next elapse (ISO); launchd jobs leave it null for the board to compute. */
  nextFire: string | null;
  lastRun: string | null;
  unit: string | null;
}

/** One row of the scheduler table, as the server sends it. */
export interface Job {
  /** Opaque and stable across polls and restarts: derived from scheduler and label. */
  id: string;
  label: string;
  scheduler: "launchd" | "systemd";
  program: string | null;
  args: string[];
  workingDirectory: string | null;
  state: JobState;
  /** Set while running, when the scheduler reports it. */
  pid: number | null;
  lastExit: LastExit | null;
  schedule: Schedule;
  /** The schedule in words: "every weekday at 09:30". */
  scheduleText: string;
  /** ISO time of the next fire, or null when none is known. */
  nextFire: string | null;
  /** ISO time the last run started, when known (systemd reports it; launchd runs are observed). */
  lastRun: string | null;
  /** How many times launchd started it, when `launchctl print` said. */
  runs: number | null;
  stdoutPath: string | null;
  stderrPath: string | null;
  /** The systemd service unit (for `journalctl --user -u`); null for launchd jobs. */
  unit: string | null;
  definitionPath: string | null;
  /** Matches `--job-filter` (or the default agent filter): shown on /sessions. */
  selected: boolean;
  /** For a job whose last run failed: the error line at the end of its log, when there is one. */
  errorLine?: string;
}

/** For the status rail: how many jobs run, and which fires next. */
export interface JobsSummary {
  running: number;
  total: number;
  next: { id: string; label: string; at: string } | null;
}

/** Everything `/api/jobs` serves and every SSE `jobs` message carries. */
export interface JobsSnapshot {
  scheduler: SchedulerName;
  /** Set while the scheduler is missing, failing or hanging; jobs are then the last known. */
  error?: string;
  jobs: Job[];
  summary: JobsSummary;
}

/**
 * A job's id: a hash of scheduler and label, so URLs never carry paths and the
 * id survives restarts. cyrb53 (53-bit) keeps collisions out of reach for the
 * few hundred jobs a user has.
 */
export function jobId(scheduler: "launchd" | "systemd", label: string): string {
  const text = `${scheduler}\0${label}`;
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  const n = 4294967296 * (2097151 & h2) + (h1 >>> 0);
  return "j" + n.toString(36);
}

/** What the default `--job-filter` looks for in a label, program or argument. */
const AGENT_WORDS = /claude|codex|agent/i;

/**
 * Whether a job belongs on /sessions. With no filters, jobs whose label,
 * program or arguments mention claude, codex or agent. Otherwise a filter with
 * glob characters (`*`, `?`, `[`) must match the whole label; any other filter
 * is a label prefix.
 */
export function matchesJobFilter(
  job: Pick<JobDefinition, "label" | "program" | "args">,
  filters: readonly string[],
): boolean {
  if (filters.length === 0) {
    return AGENT_WORDS.test(job.label) || AGENT_WORDS.test(job.program ?? "") ||
      job.args.some((arg) => AGENT_WORDS.test(arg));
  }
  return filters.some((filter) =>
    /[*?[]/.test(filter) ? globToRegExp(filter).test(job.label) : job.label.startsWith(filter)
  );
}

/** `*` any run, `?` one character, `[...]` a class (`[!...]` negated); the rest literal. */
function globToRegExp(glob: string): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === "*") source += ".*";
    else if (ch === "?") source += ".";
    else if (ch === "[") {
      const end = glob.indexOf("]", i + 2);
      if (end === -1) {
        source += "\\[";
        continue;
      }
      let body = glob.slice(i + 1, end);
      if (body.startsWith("!")) body = "^" + body.slice(1);
      source += "[" + body.replace(/\\/g, "\\\\") + "]";
      i = end;
    } else source += ch.replace(/[.+^${}()|\\\]]/g, "\\$&");
  }
  return new RegExp("^" + source + "$");
}
