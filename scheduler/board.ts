/**
 * The scheduler board: picks launchd or systemd, polls it, keeps the current
 * job list, and tells subscribers only when something changed. A missing,
 * failing or hanging scheduler becomes an `error` on the snapshot (logged once,
 * not every poll) while the rest of the daemon keeps serving.
 */

import { jobId, matchesJobFilter } from "../core/job.ts";
import type { Job, JobsSnapshot, JobsSummary, ObservedJob, SchedulerName } from "../core/job.ts";
import { describeSchedule, localTimeZone, nextFire } from "./parse/schedule.ts";
import { createLaunchdPoll, type PollResult } from "./launchd.ts";
import { createRunCommand, findOnPath, type RunCommand } from "./run_command.ts";
import { createSystemdPoll } from "./systemd.ts";
import { readErrorLine } from "./error_line.ts";

export type { JobsSnapshot, JobsSummary };

/** A scheduler of its own instead of launchd or systemd: `tailboard demo`'s simulated jobs. */
export interface JobSource {
  name: "demo";
  poll: () => Promise<PollResult>;
}

/** `--scheduler`: `auto` is launchd where `launchctl` is on PATH, else systemd if it answers. */
export type SchedulerChoice = "auto" | "launchd" | "systemd" | "none";

/** Options for `new JobBoard()`. */
export interface JobBoardOptions {
  /** Which scheduler to read. @default "auto" */
  scheduler?: SchedulerChoice;
  /** Time between the end of one poll and the start of the next. @default 5000 */
  intervalMs?: number;
  /** `--job-filter` values: label prefixes or glob patterns. @default [] (jobs mentioning claude, codex or agent) */
  jobFilters?: string[];
  /**
   * Extra environment for scheduler commands; its `PATH` also decides which
   * tools exist (with no `PATH`, `auto` looks for none and asks systemd). @default {}
   */
  env?: Record<string, string>;
  /** How long one scheduler command may take before it is killed. @default 3000 */
  commandTimeoutMs?: number;
  /** The command seam. @default the real `Deno.Command` runner with `env` and `commandTimeoutMs` */
  runCommand?: RunCommand;
  /** Where problems are reported, each once. @default console.error */
  logger?: (message: string) => void;
  /** @default $HOME/Library/LaunchAgents */
  launchAgentsDir?: string;
  /** The user's home folder (the daemon passes `$HOME`). @default "" */
  home?: string;
  /** The GUI domain for `launchctl print`. @default Deno.uid() */
  uid?: number;
  /** The zone calendar intervals follow. @default the process's local zone */
  timeZone?: string;
  /** @default () => new Date() */
  now?: () => Date;
  /** Polled instead of launchd or systemd; overrides `scheduler`. */
  source?: JobSource;
}

const EMPTY_SUMMARY: JobsSummary = { running: 0, total: 0, next: null };

/** Polls the chosen scheduler and keeps the current `Job[]`. */
export class JobBoard {
  readonly #options: JobBoardOptions;
  readonly #run: RunCommand;
  readonly #log: (message: string) => void;
  readonly #now: () => Date;
  readonly #subscribers = new Set<(snapshot: JobsSnapshot) => void>();
  /** launchd reports no start times: what each job looked like at the last poll. */
  readonly #observed = new Map<string, Observed>();
  readonly #warned = new Set<string>();
  #snapshot: JobsSnapshot = { scheduler: "none", jobs: [], summary: EMPTY_SUMMARY };
  #json = JSON.stringify(this.#snapshot);
  #poll: (() => Promise<PollResult>) | null = null;
  #loggedError: string | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Polls run one after another; `close()` waits for the last. */
  #chain: Promise<void> = Promise.resolve();
  #started: Promise<void> | null = null;
  #closed = false;
  #polls = 0;

  constructor(options: JobBoardOptions = {}) {
    this.#options = options;
    this.#run = options.runCommand ??
      createRunCommand({ env: options.env, timeoutMs: options.commandTimeoutMs });
    this.#log = options.logger ?? ((message) => console.error(`tailboard: ${message}`));
    this.#now = options.now ?? (() => new Date());
  }

  /** Pick the scheduler, poll once, then keep polling. Resolves after the first poll. */
  start(): Promise<void> {
    this.#started ??= (async () => {
      await this.#choose();
      await this.refresh();
    })();
    return this.#started;
  }

  /** Poll now (after any poll in flight). Used by `start()`, the timer and tests. */
  refresh(): Promise<void> {
    const run = this.#chain.then(() => this.#pollOnce());
    this.#chain = run.catch(() => {});
    return run;
  }

  /** The current jobs, scheduler, error and summary. */
  snapshot(): JobsSnapshot {
    return this.#snapshot;
  }

  /** Running and total counts and the next fire, for the status rail. */
  summary(): JobsSummary {
    return this.#snapshot.summary;
  }

  /** Call `fn` with each changed snapshot; returns the unsubscribe function. */
  subscribe(fn: (snapshot: JobsSnapshot) => void): () => void {
    this.#subscribers.add(fn);
    return () => this.#subscribers.delete(fn);
  }

  /** How many subscribers are listening (an SSE client that left must not stay counted). */
  get subscriberCount(): number {
    return this.#subscribers.size;
  }

  /** Stop polling; resolves once no scheduler command is running. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#subscribers.clear();
    await this.#started?.catch(() => {});
    await this.#chain;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #choose(): Promise<void> {
    const source = this.#options.source;
    if (source) {
      this.#poll = source.poll;
      this.#publish({ scheduler: source.name, jobs: [] });
      return;
    }
    const choice = this.#options.scheduler ?? "auto";
    const path = this.#options.env?.PATH;
    const home = this.#options.home ?? "";
    let scheduler: SchedulerName = "none";
    let error: string | undefined;
    if (choice === "launchd" || (choice === "auto" && findOnPath("launchctl", path))) {
      scheduler = "launchd";
    } else if (choice === "systemd") scheduler = "systemd";
    else if (choice === "auto") {
      const why = await this.#systemdAnswers();
      if (why === null) scheduler = "systemd";
      else error = `no scheduler found: launchctl is not on PATH and systemctl --user ${why}`;
    }
    if (scheduler === "launchd") {
      this.#poll = createLaunchdPoll({
        run: this.#run,
        agentsDir: this.#options.launchAgentsDir ?? `${home}/Library/LaunchAgents`,
        uid: this.#options.uid ?? currentUid(),
        usePlutil: findOnPath("plutil", path) !== null,
        timeZone: this.#options.timeZone,
        now: this.#now,
      });
    } else if (scheduler === "systemd") {
      this.#poll = createSystemdPoll({ run: this.#run, home });
    }
    this.#publish({ scheduler, error, jobs: [] });
  }

  /** null when `systemctl --user` answers, else why not (in words). */
  async #systemdAnswers(): Promise<string | null> {
    try {
      const result = await this.#run("systemctl", ["--user", "show-environment"]);
      if (result.code === 0) return null;
      const line = result.stderr.trim().split("\n")[0];
      return `did not answer (exit ${result.code}${line ? `: ${line}` : ""})`;
    } catch (error) {
      return `did not answer (${error instanceof Error ? error.message : String(error)})`;
    }
  }

  async #pollOnce(): Promise<void> {
    if (this.#closed) return;
    const poll = this.#poll;
    if (poll) {
      const { scheduler } = this.#snapshot;
      let jobs = this.#snapshot.jobs;
      let error: string | undefined;
      try {
        const result = await poll();
        for (const warning of result.warnings) {
          if (!this.#warned.has(warning)) this.#log(warning);
          this.#warned.add(warning);
        }
        const now = this.#now();
        jobs = await Promise.all(
          result.jobs.map((job) => this.#withErrorLine(this.#toJob(job, now))),
        );
        this.#polls++;
      } catch (e) {
        // Keep the last known jobs: the error on the snapshot says they may be stale.
        error = e instanceof Error ? e.message : String(e);
      }
      this.#publish({ scheduler, error, jobs });
    } else {
      this.#publish(this.#snapshot);
    }
    this.#schedule();
  }

  /** A failed job carries the line of its log that says why. */
  async #withErrorLine(job: Job): Promise<Job> {
    const exit = job.lastExit;
    if (!exit || (exit.code === null && exit.signal === null)) return job;
    if (exit.code === 0 && exit.signal === null) return job;
    const line = await readErrorLine(job.stderrPath) ?? await readErrorLine(job.stdoutPath);
    return line ? { ...job, errorLine: line } : job;
  }

  #schedule(): void {
    if (this.#closed || !this.#poll) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.refresh().catch((e) => this.#log(`scheduler poll crashed: ${e}`));
    }, this.#options.intervalMs ?? 5000);
  }

  #toJob(job: ObservedJob, now: Date): Job {
    const id = jobId(job.scheduler, job.label);
    let lastRun = job.lastRun;
    let next = job.nextFire;
    if (job.scheduler === "launchd") {
      const seen = this.#observed.get(id);
      lastRun = seen?.lastRun ?? null;
      // Not on the first poll: what ran before tailboard started is not a run it saw.
      if (this.#polls > 0 && ranSince(seen, job)) lastRun = now.toISOString();
      this.#observed.set(id, { pid: job.pid, runs: job.runs, exit: exitKey(job), lastRun });
      const fires = job.state === "idle" || job.state === "running";
      next = fires
        ? nextFire(job.schedule, now, {
          timeZone: this.#options.timeZone ?? localTimeZone(),
          lastRun: lastRun ? new Date(lastRun) : null,
        })?.toISOString() ?? null
        : null;
    }
    return {
      id,
      label: job.label,
      scheduler: job.scheduler,
      program: job.program,
      args: job.args,
      workingDirectory: job.workingDirectory,
      state: job.state,
      pid: job.pid,
      lastExit: job.lastExit,
      schedule: job.schedule,
      scheduleText: describeSchedule(job.schedule),
      nextFire: next,
      lastRun,
      runs: job.runs,
      stdoutPath: job.stdoutPath,
      stderrPath: job.stderrPath,
      unit: job.unit,
      definitionPath: job.definitionPath,
      selected: matchesJobFilter(job, this.#options.jobFilters ?? []),
    };
  }

  /** Replace the snapshot; notify subscribers only if it differs (deep, via its JSON). */
  #publish(next: Omit<JobsSnapshot, "summary">): void {
    if (next.error !== this.#loggedError) {
      if (next.error) {
        this.#log(`${next.scheduler === "none" ? "" : next.scheduler + ": "}${next.error}`);
      } else if (this.#loggedError) this.#log(`${next.scheduler}: answering again`);
      this.#loggedError = next.error;
    }
    const snapshot: JobsSnapshot = {
      scheduler: next.scheduler,
      ...(next.error ? { error: next.error } : {}),
      jobs: next.jobs,
      summary: summarize(next.jobs),
    };
    const json = JSON.stringify(snapshot);
    if (json === this.#json) return;
    this.#snapshot = snapshot;
    this.#json = json;
    for (const fn of [...this.#subscribers]) {
      try {
        fn(snapshot);
      } catch (error) {
        // One broken subscriber must not starve the others or stop polling.
        this.#log(`job subscriber failed: ${error}`);
      }
    }
  }
}

/** A launchd job at the last poll. */
interface Observed {
  pid: number | null;
  runs: number | null;
  exit: string;
  lastRun: string | null;
}

function exitKey(job: ObservedJob): string {
  return job.lastExit ? `${job.lastExit.code}:${job.lastExit.signal}` : "";
}

/**
 * Whether a job started a run since the last poll, seen running or not: a
 * new PID; a run count that moved; or, where launchd gave no count, a new
 * last exit while no run was in sight (a run shorter than the poll interval).
 * The end of a run that was seen running (PID gone, new exit) is not another.
 */
function ranSince(seen: Observed | undefined, job: ObservedJob): boolean {
  if (job.pid !== null && job.pid !== (seen?.pid ?? null)) return true;
  if (!seen) return false;
  if (job.runs !== null && seen.runs !== null) return job.runs !== seen.runs && job.runs > 0;
  return seen.pid === null && job.lastExit !== null && exitKey(job) !== seen.exit;
}

function summarize(jobs: Job[]): JobsSummary {
  let next: JobsSummary["next"] = null;
  for (const job of jobs) {
    if (job.nextFire && (!next || job.nextFire < next.at)) {
      next = { id: job.id, label: job.label, at: job.nextFire };
    }
  }
  return {
    running: jobs.filter((job) => job.state === "running").length,
    total: jobs.length,
    next,
  };
}

function currentUid(): number {
  try {
    return Deno.uid() ?? 501;
  } catch {
    // No --allow-sys=uid: 501 is the first user on every Mac.
    return 501;
  }
}
