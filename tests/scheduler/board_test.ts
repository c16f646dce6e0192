/**
 * The real JobBoard, the real Deno.Command runner and the real parsers,
 * driven by fake `launchctl`, `plutil` and `systemctl` executables (in
 * tests/fixtures/bin) that replay recorded output from first on PATH.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { JobBoard, type JobBoardOptions, type JobsSnapshot } from "../../scheduler/board.ts";
import { createRunCommand, type RunCommand } from "../../scheduler/run_command.ts";
import { within } from "../_harness/daemon.ts";
import {
  AGENTS,
  FakeTools,
  fakeTools,
  FIXTURES,
  job,
  waitFor,
} from "../_harness/fake_scheduler.ts";

/** Wednesday 2025-01-15, 10:00 UTC. */
const NOW = new Date("2025-01-15T10:00:00Z");

/**
 * The real runner on the fakes, whose timeout a test shortens once it makes
 * them hang: a healthy fake must answer even on a loaded machine (where
 * starting bash alone can take longer than the short timeout), and the hung
 * one should not hold the test for long.
 */
function shortenedRunner(tools: FakeTools): { run: RunCommand; hangNow(timeoutMs: number): void } {
  const real = createRunCommand({ env: tools.env });
  let timeoutMs = 30_000;
  return {
    run: (cmd, args, opts) => real(cmd, args, { ...opts, timeoutMs }),
    hangNow(ms) {
      timeoutMs = ms;
      Deno.writeTextFileSync(join(tools.state, "mode"), "hang");
    },
  };
}

/** A board on the fakes, logging into `logs`, polling only when asked unless `intervalMs` says so. */
function boardOn(tools: FakeTools, options: JobBoardOptions = {}) {
  const logs: string[] = [];
  const board = new JobBoard({
    env: tools.env,
    launchAgentsDir: AGENTS,
    home: "/Users/dev",
    uid: 501,
    timeZone: "UTC",
    now: () => NOW,
    intervalMs: 60_000,
    logger: (message) => logs.push(message),
    ...options,
  });
  return { board, logs };
}

Deno.test("JobBoard reads launchd jobs end to end from a fake launchctl", async () => {
  await using tools = await fakeTools(["launchctl"]);
  const { board, logs } = boardOn(tools);
  await using _ = board;
  await board.start();
  const snapshot = board.snapshot();

  assert.equal(snapshot.scheduler, "launchd");
  assert.equal(snapshot.error, undefined);
  assert.deepEqual(snapshot.jobs.map((j) => [j.label, j.state]), [
    ["com.example.agent-watch", "running"],
    ["com.example.backup", "idle"],
    ["com.example.claude-review", "idle"],
    ["com.example.codex-nightly", "idle"],
    ["com.example.disabled-agent", "disabled"],
    ["com.example.old-claude", "not-loaded"],
  ]);

  const review = job(snapshot, "com.example.claude-review");
  assert.match(review.id, /^j[0-9a-z]+$/);
  assert.ok(!review.id.includes("/"));
  assert.equal(review.scheduleText, "every weekday at 09:30");
  assert.equal(review.nextFire, "2025-01-16T09:30:00.000Z");
  assert.equal(review.runs, 12);
  assert.deepEqual(review.lastExit, { code: 0, signal: null, text: "exit 0" });
  assert.equal(review.stdoutPath, "/Users/dev/Library/Logs/claude-review.jsonl");
  assert.equal(review.stderrPath, "/Users/dev/Library/Logs/claude-review.err.log");
  assert.equal(review.selected, true);

  const watch = job(snapshot, "com.example.agent-watch");
  assert.equal(watch.pid, 80211);
  assert.equal(watch.scheduleText, "every 15 minutes and at load");
  // Running before the board started: its start time, hence its next tick, is unknown.
  assert.equal(watch.lastRun, null);
  assert.equal(watch.nextFire, null);

  const backup = job(snapshot, "com.example.backup");
  assert.equal(backup.lastExit?.signal, 15);
  assert.equal(backup.nextFire, "2025-02-01T02:15:00.000Z");
  assert.equal(backup.selected, false);

  const codex = job(snapshot, "com.example.codex-nightly");
  assert.equal(codex.lastExit?.code, 1);
  assert.equal(codex.scheduleText, "daily at 03:00 and kept alive on conditions");

  assert.equal(job(snapshot, "com.example.disabled-agent").nextFire, null);
  assert.equal(job(snapshot, "com.example.old-claude").lastExit, null);

  assert.deepEqual(snapshot.summary, {
    running: 1,
    total: 6,
    next: { id: codex.id, label: "com.example.codex-nightly", at: "2025-01-16T03:00:00.000Z" },
  });
  assert.deepEqual(board.summary(), snapshot.summary);

  // The broken plist is reported once, not on every poll.
  await board.refresh();
  await board.refresh();
  assert.deepEqual(logs.filter((l) => l.includes("broken.plist")).length, 1);
  assert.match(logs.join("\n"), /broken\.plist: truncated XML plist/);
});

Deno.test("JobBoard reads plists through plutil where it exists, falling back for <date>", async () => {
  await using withPlutil = await fakeTools(["launchctl", "plutil"]);
  await using without = await fakeTools(["launchctl"]);
  const a = boardOn(withPlutil).board;
  const b = boardOn(without).board;
  await using _a = a;
  await using _b = b;
  await Promise.all([a.start(), b.start()]);
  assert.deepEqual(a.snapshot(), b.snapshot());
  const asked = Deno.readTextFileSync(join(withPlutil.state, "plutil.log"));
  assert.match(asked, /com\.example\.codex-nightly\.plist/);
  assert.match(asked, /com\.example\.backup\.plist/);
  // A quiet second poll re-reads no plist.
  const before = asked.split("\n").length;
  await a.refresh();
  assert.equal(
    Deno.readTextFileSync(join(withPlutil.state, "plutil.log")).split("\n").length,
    before,
  );
});

Deno.test("JobBoard notifies once when a job starts running, and not when nothing changed", async () => {
  await using tools = await fakeTools(["launchctl"]);
  const { board } = boardOn(tools, { intervalMs: 30 });
  await using _ = board;
  await board.start();
  const seen: JobsSnapshot[] = [];
  board.subscribe((snapshot) => seen.push(snapshot));

  // Several real polls with nothing new: no notification.
  const polled = () => tools.calls().filter((c) => c === "list").length;
  const before = polled();
  await waitFor(() => polled() >= before + 3, "three more polls");
  assert.equal(seen.length, 0);

  // Flip claude-review to running between polls.
  Deno.copyFileSync(
    join(FIXTURES, "launchd/list-claude-running.txt"),
    join(tools.state, "list.txt"),
  );
  Deno.copyFileSync(
    join(FIXTURES, "launchd/print/com.example.claude-review.running.txt"),
    join(tools.state, "print/com.example.claude-review.txt"),
  );
  await waitFor(() => seen.length > 0, "a notification");
  const flipped = polled();
  await waitFor(() => polled() >= flipped + 3, "three more polls");
  assert.equal(seen.length, 1);

  const review = job(seen[0]!, "com.example.claude-review");
  assert.equal(review.state, "running");
  assert.equal(review.pid, 91234);
  assert.equal(review.runs, 13);
  assert.equal(review.lastRun, NOW.toISOString());
  assert.equal(seen[0]!.summary.running, 2);
  assert.deepEqual(board.snapshot(), seen[0]);

  // `launchctl print` re-ran only for the job whose row changed.
  const prints = (label: string) =>
    tools.calls().filter((c) => c === `print gui/501/${label}`).length;
  assert.equal(prints("com.example.codex-nightly"), 1);
  assert.equal(prints("com.example.claude-review"), 2);
});

Deno.test("JobBoard reports a failing launchctl once and recovers", async () => {
  await using tools = await fakeTools(["launchctl"], { FAKE_LAUNCHCTL_MODE: "fail" });
  const { board, logs } = boardOn(tools);
  await using _ = board;
  await board.start();
  await board.refresh();
  await board.refresh();
  const snapshot = board.snapshot();
  assert.equal(snapshot.scheduler, "launchd");
  assert.equal(
    snapshot.error,
    "launchctl list failed (exit 5): Could not enumerate services: 5: Input/output error",
  );
  assert.deepEqual(snapshot.jobs, []);
  assert.equal(logs.filter((l) => l.includes("launchctl list failed")).length, 1);

  Deno.writeTextFileSync(join(tools.state, "mode"), "ok");
  await board.refresh();
  assert.equal(board.snapshot().error, undefined);
  assert.equal(board.snapshot().jobs.length, 6);
  assert.ok(logs.includes("launchd: answering again"));
});

Deno.test("JobBoard times out a hanging launchctl, reports it once and keeps the last jobs", async () => {
  await using tools = await fakeTools(["launchctl"]);
  const runner = shortenedRunner(tools);
  const { board, logs } = boardOn(tools, { runCommand: runner.run });
  await using _ = board;
  await board.start();
  const seen: JobsSnapshot[] = [];
  board.subscribe((snapshot) => seen.push(snapshot));

  runner.hangNow(200);
  // The fake sleeps 60 s: a refresh back well before that means the hung call was killed.
  await within(board.refresh(), 30_000, "the first refresh of a hung launchctl");
  await within(board.refresh(), 30_000, "the second refresh of a hung launchctl");

  const snapshot = board.snapshot();
  assert.equal(snapshot.error, "launchctl list did not answer within 0.2 s");
  assert.equal(snapshot.jobs.length, 6, "the last known jobs stay, marked stale by the error");
  assert.equal(seen.length, 1, "the error is one change");
  assert.equal(logs.filter((l) => l.includes("did not answer")).length, 1);
});

Deno.test("JobBoard says plainly when launchctl is missing", async () => {
  await using tools = await fakeTools([]);
  const { board, logs } = boardOn(tools, { scheduler: "launchd" });
  await using _ = board;
  await board.start();
  await board.refresh();
  assert.equal(board.snapshot().error, "launchctl: not found on PATH");
  assert.deepEqual(logs, ["launchd: launchctl: not found on PATH"]);
});

Deno.test("JobBoard auto picks systemd when only systemctl --user answers", async () => {
  await using tools = await fakeTools(["systemctl"]);
  const { board } = boardOn(tools);
  await using _ = board;
  await board.start();
  const snapshot = board.snapshot();
  assert.equal(snapshot.scheduler, "systemd");
  assert.equal(snapshot.error, undefined);
  assert.deepEqual(snapshot.jobs.map((j) => [j.label, j.state, j.selected]), [
    ["backup-photos", "disabled", false],
    ["claude-digest", "idle", true],
    ["codex-triage", "running", true],
  ]);
  const digest = job(snapshot, "claude-digest");
  assert.equal(digest.stdoutPath, "/Users/dev/.local/state/claude-digest/out.jsonl");
  assert.equal(digest.scheduleText, "every weekday at 08:45");
  assert.equal(digest.nextFire, "2026-11-26T08:45:00.081Z");
  assert.equal(digest.unit, "claude-digest.service");
  assert.deepEqual(snapshot.summary.next, {
    id: job(snapshot, "codex-triage").id,
    label: "codex-triage",
    at: "2026-11-25T13:15:41.902Z",
  });

  // `systemctl cat` is asked once per unit, not every poll.
  await board.refresh();
  assert.equal(tools.calls().filter((c) => c.startsWith("--user cat")).length, 1);
});

Deno.test("JobBoard auto finds no scheduler when systemctl --user cannot reach a bus", async () => {
  await using tools = await fakeTools(["systemctl"], { FAKE_SYSTEMCTL_MODE: "fail" });
  const { board, logs } = boardOn(tools);
  await using _ = board;
  await board.start();
  await board.refresh();
  const snapshot = board.snapshot();
  assert.equal(snapshot.scheduler, "none");
  assert.equal(
    snapshot.error,
    "no scheduler found: launchctl is not on PATH and systemctl --user did not answer " +
      "(exit 1: Failed to connect to bus: No medium found)",
  );
  assert.deepEqual(snapshot.jobs, []);
  assert.equal(logs.length, 1);
});

Deno.test("JobBoard times out a hanging systemctl", async () => {
  await using tools = await fakeTools(["systemctl"]);
  const runner = shortenedRunner(tools);
  const { board, logs } = boardOn(tools, { scheduler: "systemd", runCommand: runner.run });
  await using _ = board;
  await board.start();
  assert.deepEqual(logs, [], "the healthy start logs nothing");
  runner.hangNow(200);
  await within(board.refresh(), 30_000, "the first refresh of a hung systemctl");
  await within(board.refresh(), 30_000, "the second refresh of a hung systemctl");
  assert.equal(
    board.snapshot().error,
    "systemctl --user list-timers --all --output=json did not answer within 0.2 s",
  );
  assert.equal(logs.length, 1);
});

Deno.test("JobBoard with --scheduler none polls nothing and reports no error", async () => {
  await using tools = await fakeTools(["launchctl"]);
  const { board, logs } = boardOn(tools, { scheduler: "none" });
  await using _ = board;
  await board.start();
  assert.deepEqual(board.snapshot(), {
    scheduler: "none",
    jobs: [],
    summary: { running: 0, total: 0, next: null },
  });
  assert.deepEqual(tools.calls(), []);
  assert.deepEqual(logs, []);
});

Deno.test("JobBoard selects jobs by --job-filter prefixes and globs", async () => {
  await using tools = await fakeTools(["launchctl"]);
  const { board } = boardOn(tools, { jobFilters: ["com.example.b", "*.old-?laude"] });
  await using _ = board;
  await board.start();
  assert.deepEqual(
    board.snapshot().jobs.filter((j) => j.selected).map((j) => j.label),
    ["com.example.backup", "com.example.old-claude"],
  );
});

Deno.test("JobBoard ids are stable across boards and never paths", async () => {
  await using tools = await fakeTools(["launchctl"]);
  const a = boardOn(tools).board;
  const b = boardOn(tools).board;
  await using _a = a;
  await using _b = b;
  await a.start();
  await b.start();
  const ids = a.snapshot().jobs.map((j) => j.id);
  assert.deepEqual(ids, b.snapshot().jobs.map((j) => j.id));
  assert.equal(new Set(ids).size, ids.length);
});

Deno.test("JobBoard close() stops polling and waits for the command in flight", async () => {
  await using tools = await fakeTools(["launchctl"]);
  const { board } = boardOn(tools, { intervalMs: 10, commandTimeoutMs: 300 });
  await board.start();
  const polled = () => tools.calls().filter((c) => c === "list").length;
  await waitFor(() => polled() >= 3, "a few polls");
  Deno.writeTextFileSync(join(tools.state, "mode"), "hang");
  await new Promise((resolve) => setTimeout(resolve, 30)); // let a poll hang
  await board.close();
  const after = tools.calls().length;
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(tools.calls().length, after);
  assert.equal(board.subscriberCount, 0);
});
