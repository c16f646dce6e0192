import assert from "node:assert/strict";
import { errorLineOf } from "../../scheduler/error_line.ts";
import { JobBoard } from "../../scheduler/board.ts";
import type { ObservedJob } from "../../core/job.ts";

Deno.test("errorLineOf() finds the line that says why, without colours", () => {
  assert.equal(
    errorLineOf(
      "Checking…\n\x1b[31merror\x1b[0m: API Error: 529 overloaded\nretrying later\n\n",
    ),
    "error: API Error: 529 overloaded",
  );
  assert.equal(errorLineOf("one\ntwo\n"), "two", "no error word: the last line");
  assert.equal(errorLineOf("\n \n"), null);
  assert.equal(errorLineOf(`error: ${"x".repeat(400)}`)!.length, 300);
});

function observed(label: string, code: number, stderrPath: string | null): ObservedJob {
  return {
    label,
    program: "/usr/local/bin/claude",
    args: ["/usr/local/bin/claude", "-p", "review"],
    workingDirectory: null,
    schedule: { intervalSeconds: 60 },
    stdoutPath: null,
    stderrPath,
    disabled: false,
    definitionPath: null,
    scheduler: "launchd",
    state: "idle",
    pid: null,
    lastExit: { code, signal: null, text: `exit ${code}` },
    runs: 1,
    nextFire: null,
    lastRun: null,
    unit: null,
  };
}

Deno.test("a job board fed by its own source flags failed jobs with their error line", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tailboard-jobs-" });
  try {
    await Deno.writeTextFile(
      `${dir}/bad.err.log`,
      "starting\nError: Not logged in. Run claude /login\n",
    );
    await Deno.writeTextFile(`${dir}/good.err.log`, "warning: slow\n");
    await using board = new JobBoard({
      scheduler: "none",
      source: {
        name: "demo",
        poll: () =>
          Promise.resolve({
            jobs: [
              observed("dev.bad", 1, `${dir}/bad.err.log`),
              observed("dev.good", 0, `${dir}/good.err.log`),
              observed("dev.gone", 2, `${dir}/missing.log`),
            ],
            warnings: [],
          }),
      },
      logger: () => {},
    });
    await board.start();
    const snapshot = board.snapshot();
    assert.equal(snapshot.scheduler, "demo");
    assert.equal(snapshot.error, undefined, "no 'no scheduler found'");
    const by = new Map(snapshot.jobs.map((j) => [j.label, j]));
    assert.equal(by.get("dev.bad")?.errorLine, "Error: Not logged in. Run claude /login");
    assert.equal(by.get("dev.good")?.errorLine, undefined, "a job that succeeded has none");
    assert.equal(by.get("dev.gone")?.errorLine, undefined, "a missing log costs only the line");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
