/**
 * A simulated scheduler for the demo, so the Job runs and Scheduler pages
 * show jobs instead of "no scheduler found": launchd-shaped agent jobs that
 * fire on their intervals, write their logs into the demo folder, and end
 * with an exit code (one of them always fails, with an error on stderr).
 */
import type { ObservedJob } from "../core/job.ts";
import type { PollResult } from "../scheduler/launchd.ts";
import { append, GREEN, GREY, HOME, type Pause, RED, RESET } from "./shared.ts";

interface SimJob {
  job: ObservedJob;
  /** Seconds between runs, and how long a run takes. */
  every: number;
  lasts: number;
  /** Lines a run prints; `fails` runs end with exit 1 and an error on stderr. */
  lines: string[];
  fails: boolean;
}

/** The demo's jobs and the loop that runs them; `poll` is what the scheduler board asks. */
export class DemoScheduler {
  #jobs: SimJob[];
  #running = new Set<Promise<void>>();

  constructor(dir: string) {
    const logs = `${dir}/logs`;
    const job = (
      label: string,
      args: string[],
      schedule: ObservedJob["schedule"],
      extra: Partial<ObservedJob> = {},
    ): ObservedJob => ({
      label,
      program: args[0] ?? null,
      args,
      workingDirectory: `${HOME}/gateway`,
      schedule,
      stdoutPath: `${logs}/${label}.out.log`,
      stderrPath: `${logs}/${label}.err.log`,
      disabled: false,
      definitionPath: `${HOME}/Library/LaunchAgents/${label}.plist`,
      scheduler: "launchd",
      state: "idle",
      pid: null,
      lastExit: { code: 0, signal: null, text: "exit 0" },
      runs: 3,
      nextFire: null,
      // As if it last ran a minute ago: launchd's next fire counts from there.
      lastRun: new Date(Date.now() - 60_000).toISOString(),
      unit: null,
      ...extra,
    });
    this.#jobs = [
      {
        job: job("dev.demo.claude-review", [
          "/usr/local/bin/claude",
          "-p",
          "Review yesterday's merged PRs and file follow-ups",
        ], { intervalSeconds: 120 }),
        every: 120,
        lasts: 25,
        lines: [
          "Reading 4 merged pull requests…",
          "#812 Rate limit public API: ok",
          "#815 Prorate plan changes: follow-up filed (rounding)",
          "#816 Resize staging DB: ok",
          `${GREEN}Done${RESET}: 1 follow-up issue filed.`,
        ],
        fails: false,
      },
      {
        job: job(
          "dev.demo.codex-deps",
          [
            "/usr/local/bin/codex",
            "exec",
            "Bump minor dependency versions and run the tests",
          ],
          { intervalSeconds: 90 },
          {
            lastExit: { code: 1, signal: null, text: "exit 1" },
          },
        ),
        every: 90,
        lasts: 15,
        lines: [
          "Checking 38 dependencies…",
          "hono 4.6.3 → 4.6.9",
          `${GREY}running tests…${RESET}`,
          `${RED}1 test failed${RESET}`,
        ],
        fails: true,
      },
      {
        job: job("dev.demo.agent-standup", [
          "/usr/local/bin/claude",
          "-p",
          "Summarise the team's open PRs for standup",
        ], { calendar: [{ Hour: 9, Minute: 15 }] }),
        every: 0,
        lasts: 0,
        lines: [],
        fails: false,
      },
    ];
  }

  /** What launchd would report now. */
  poll(): Promise<PollResult> {
    return Promise.resolve({ jobs: this.#jobs.map((j) => ({ ...j.job })), warnings: [] });
  }

  /** Runs the jobs on their intervals until the demo stops. */
  async run(pause: Pause): Promise<void> {
    await Deno.mkdir(this.#logsDir(), { recursive: true });
    for (const j of this.#jobs) {
      await append(j.job.stdoutPath!, `${GREY}[earlier runs]${RESET} done\n`);
      await append(j.job.stderrPath!, "");
    }
    const started = Date.now();
    const next = new Map(this.#jobs.map((j, i) => [j, started + (10 + i * 20) * 1000]));
    try {
      for (;;) {
        await pause(1000);
        const now = Date.now();
        for (const j of this.#jobs) {
          if (j.every === 0 || j.job.state === "running" || now < next.get(j)!) continue;
          next.set(j, now + j.every * 1000);
          const run = this.#runOnce(j, pause).catch(() => {
            // The demo stopped mid-run: the run ends there.
          });
          this.#running.add(run);
          run.finally(() => this.#running.delete(run));
        }
      }
    } finally {
      // Stopping waits for runs in flight, so no log write outlives the demo.
      await Promise.all(this.#running);
    }
  }

  async #runOnce(j: SimJob, pause: Pause): Promise<void> {
    j.job.state = "running";
    j.job.pid = 40_000 + Math.floor(Math.random() * 20_000);
    j.job.lastRun = new Date().toISOString();
    j.job.runs = (j.job.runs ?? 0) + 1;
    const stamp = () => `${GREY}${new Date().toISOString().slice(11, 19)}${RESET} `;
    for (const line of j.lines) {
      await pause((j.lasts * 1000) / (j.lines.length + 1));
      await append(j.job.stdoutPath!, stamp() + line + "\n");
    }
    await pause(1000);
    if (j.fails) {
      await append(
        j.job.stderrPath!,
        `${stamp()}error: test "search ranks exact matches first" failed: expected 1, got 3\n`,
      );
    }
    j.job.state = "idle";
    j.job.pid = null;
    j.job.lastExit = j.fails
      ? { code: 1, signal: null, text: "exit 1" }
      : { code: 0, signal: null, text: "exit 0" };
  }

  #logsDir(): string {
    const path = this.#jobs[0]!.job.stdoutPath!;
    return path.slice(0, path.lastIndexOf("/"));
  }
}
