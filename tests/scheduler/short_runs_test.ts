/**
 * Runs shorter than the poll interval: launchd never shows them running, so
 * the board must tell them from the run count, the last exit and the PID
 * moving between two polls. The real JobBoard and launchd poll on the fake
 * launchctl (tests/fixtures/bin), on a clock the test moves.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { JobBoard } from "../../scheduler/board.ts";
import { AGENTS, type FakeTools, fakeTools, FIXTURES, job } from "../_harness/fake_scheduler.ts";

const REVIEW = "com.example.claude-review"; // every weekday at 09:30; runs = 12, last exit 0
const NIGHTLY = "com.example.codex-nightly"; // daily at 03:00; runs = 3, last exit 1

interface Clocked {
  board: JobBoard;
  /** Moves the board's clock to an ISO time. */
  at(iso: string): void;
}

function boardAt(tools: FakeTools, iso: string): Clocked {
  let now = new Date(iso);
  const board = new JobBoard({
    env: tools.env,
    launchAgentsDir: AGENTS,
    home: "/Users/dev",
    uid: 501,
    timeZone: "UTC",
    now: () => now,
    intervalMs: 3_600_000, // polls only when the test asks
    logger: () => {},
  });
  return { board, at: (next) => now = new Date(next) };
}

/** Writes a `launchctl print` for `label` into the fakes' state: the fixture with edits. */
async function printWith(
  tools: FakeTools,
  label: string,
  edit: (text: string) => string,
): Promise<void> {
  const text = await Deno.readTextFile(join(FIXTURES, `launchd/print/${label}.txt`));
  await Deno.writeTextFile(join(tools.state, `print/${label}.txt`), edit(text));
}

/** Writes `launchctl list` with `label`'s status changed. */
async function listWith(tools: FakeTools, label: string, status: string): Promise<void> {
  const text = await Deno.readTextFile(join(FIXTURES, "launchd/list.txt"));
  const row = new RegExp(`^-\\t\\S+\\t${label.replaceAll(".", "\\.")}$`, "m");
  assert.match(text, row);
  await Deno.writeTextFile(
    join(tools.state, "list.txt"),
    text.replace(row, `-\t${status}\t${label}`),
  );
}

const prints = (tools: FakeTools, label: string) =>
  tools.calls().filter((c) => c === `print gui/501/${label}`).length;

Deno.test("a run shorter than a poll that exits as the last one did counts as a run", async () => {
  await using tools = await fakeTools(["launchctl"]);
  const { board, at } = boardAt(tools, "2025-01-15T09:29:58Z");
  await using _ = board;
  await board.start();
  const before = job(board.snapshot(), REVIEW);
  assert.equal(before.runs, 12);
  assert.equal(before.lastRun, null, "runs before tailboard started are not its to date");
  assert.equal(before.nextFire, "2025-01-15T09:30:00.000Z");

  // 09:30 fires; the run is over by the next poll, exit 0 again: `launchctl list` is unchanged.
  await printWith(tools, REVIEW, (t) => t.replace("runs = 12", "runs = 13"));
  at("2025-01-15T09:30:04Z");
  await board.refresh();

  const after = job(board.snapshot(), REVIEW);
  assert.equal(after.state, "idle", "never seen running");
  assert.equal(after.runs, 13);
  assert.equal(after.lastRun, "2025-01-15T09:30:04.000Z");
  assert.deepEqual(after.lastExit, { code: 0, signal: null, text: "exit 0" });
  assert.equal(after.nextFire, "2025-01-16T09:30:00.000Z");
  assert.equal(prints(tools, REVIEW), 2, "asked again because it was due");
  assert.equal(prints(tools, NIGHTLY), 1, "not due: not asked again");

  // Nothing more happens: the next poll is no new run.
  at("2025-01-15T09:30:09Z");
  await board.refresh();
  assert.equal(job(board.snapshot(), REVIEW).lastRun, "2025-01-15T09:30:04.000Z");
});

Deno.test("a short run that failed shows as a run with its exit status", async () => {
  await using tools = await fakeTools(["launchctl"]);
  const { board, at } = boardAt(tools, "2025-01-15T09:29:58Z");
  await using _ = board;
  await board.start();

  await listWith(tools, REVIEW, "1");
  await printWith(
    tools,
    REVIEW,
    (t) => t.replace("runs = 12", "runs = 13").replace("last exit code = 0", "last exit code = 1"),
  );
  at("2025-01-15T09:30:03Z");
  await board.refresh();
  const review = job(board.snapshot(), REVIEW);
  assert.equal(review.runs, 13);
  assert.equal(review.lastRun, "2025-01-15T09:30:03.000Z");
  assert.equal(review.lastExit?.code, 1);
});

Deno.test("without a run count, a new last exit while nothing ran in sight is a run", async () => {
  await using tools = await fakeTools(["launchctl"]);
  // An older launchd, say, whose print has no `runs =` line.
  const noCount = (t: string) => t.replace(/^\s*runs = \d+\n/m, "");
  await printWith(tools, NIGHTLY, noCount);
  const { board, at } = boardAt(tools, "2025-01-15T02:59:58Z");
  await using _ = board;
  await board.start();
  const before = job(board.snapshot(), NIGHTLY);
  assert.equal(before.runs, null);
  assert.equal(before.lastExit?.code, 1);

  await listWith(tools, NIGHTLY, "0");
  await printWith(
    tools,
    NIGHTLY,
    (t) => noCount(t).replace("last exit code = 1", "last exit code = 0"),
  );
  at("2025-01-15T03:00:06Z");
  await board.refresh();
  const nightly = job(board.snapshot(), NIGHTLY);
  assert.equal(nightly.lastRun, "2025-01-15T03:00:06.000Z");
  assert.deepEqual(nightly.lastExit, { code: 0, signal: null, text: "exit 0" });
});

Deno.test("the end of a run seen running is not another run", async () => {
  await using tools = await fakeTools(["launchctl"]);
  const { board, at } = boardAt(tools, "2025-01-15T09:29:58Z");
  await using _ = board;
  await board.start();

  // Seen running at 09:30:02 (pid 91234, runs 13)…
  await Deno.copyFile(
    join(FIXTURES, "launchd/list-claude-running.txt"),
    join(tools.state, "list.txt"),
  );
  await Deno.copyFile(
    join(FIXTURES, "launchd/print/com.example.claude-review.running.txt"),
    join(tools.state, `print/${REVIEW}.txt`),
  );
  at("2025-01-15T09:30:02Z");
  await board.refresh();
  assert.equal(job(board.snapshot(), REVIEW).lastRun, "2025-01-15T09:30:02.000Z");

  // …and done by 09:30:07, exit 0, still 13 runs: the same run, which started at 09:30:02.
  await Deno.remove(join(tools.state, "list.txt"));
  await printWith(tools, REVIEW, (t) => t.replace("runs = 12", "runs = 13"));
  at("2025-01-15T09:30:07Z");
  await board.refresh();
  const review = job(board.snapshot(), REVIEW);
  assert.equal(review.state, "idle");
  assert.equal(review.runs, 13);
  assert.equal(review.lastRun, "2025-01-15T09:30:02.000Z");
});

Deno.test("a job that runs on no timetable is asked again once its details are a minute old", async () => {
  await using tools = await fakeTools(["launchctl"]);
  const { board, at } = boardAt(tools, "2025-01-15T10:00:00Z");
  await using _ = board;
  await board.start();

  // Started by hand (launchctl kickstart), say: not due, and its row did not change.
  await printWith(tools, REVIEW, (t) => t.replace("runs = 12", "runs = 13"));
  at("2025-01-15T10:00:30Z");
  await board.refresh();
  assert.equal(job(board.snapshot(), REVIEW).runs, 12, "not asked again yet");
  at("2025-01-15T10:01:01Z");
  await board.refresh();
  const review = job(board.snapshot(), REVIEW);
  assert.equal(review.runs, 13);
  assert.equal(review.lastRun, "2025-01-15T10:01:01.000Z");
});
