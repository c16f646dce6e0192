/** The scheduler views' pure parts: words, sorting, filtering, the log buffer, the rail summary. */
import assert from "node:assert/strict";
import type { Job } from "../../core/job.ts";
import {
  commandLine,
  countdown,
  exitFailed,
  filterJobs,
  fireTime,
  labelParts,
  shortPath,
  sortJobs,
  stateWords,
} from "../../ui/views/job_table.js";
import { LogBuffer } from "../../ui/data/log_buffer.js";
import { applySnapshot, jobs, jobsError, sessionJobs } from "../../ui/data/jobs.js";
import { scheduler } from "../../ui/data/state.js";

function job(label: string, over: Partial<Job> = {}): Job {
  return {
    id: `j-${label}`,
    label,
    scheduler: "launchd",
    program: "/usr/local/bin/claude",
    args: ["/usr/local/bin/claude", "-p", "review"],
    workingDirectory: null,
    state: "idle",
    pid: null,
    lastExit: { code: 0, signal: null, text: "exit 0" },
    schedule: {},
    scheduleText: "daily at 09:00",
    nextFire: null,
    lastRun: null,
    runs: null,
    stdoutPath: `/logs/${label}.log`,
    stderrPath: null,
    unit: null,
    definitionPath: null,
    selected: false,
    ...over,
  };
}

Deno.test("countdown() ticks in seconds under an hour and in minutes above", () => {
  const s = 1000, m = 60 * s, h = 60 * m, d = 24 * h;
  assert.deepEqual(
    [-5 * s, 400, 42 * s, 4 * m + 5 * s, 3 * h + 12 * m + 59 * s, 2 * d + 4 * h + 30 * m].map(
      countdown,
    ),
    ["now", "now", "42s", "4m 05s", "3h 12m", "2d 4h"],
  );
});

Deno.test("fireTime() says today, tomorrow, a weekday, then a date", () => {
  const now = new Date(2025, 0, 15, 10, 0).getTime(); // a Wednesday
  const at = (day: number, h: number, min: number, year = 2025, month = 0) =>
    new Date(year, month, day, h, min).getTime();
  assert.equal(fireTime(at(15, 23, 5), now), "today 23:05");
  assert.equal(fireTime(at(16, 9, 30), now), "tomorrow 09:30");
  assert.equal(fireTime(at(17, 3, 0), now), "Fri 03:00");
  assert.equal(fireTime(at(21, 3, 0), now), "Tue 03:00");
  assert.equal(fireTime(at(22, 3, 0), now), "22 Jan 03:00");
  assert.equal(fireTime(at(1, 2, 15, 2026, 1), now), "1 Feb 2026 02:15");
});

Deno.test("labelParts() dims a reverse-DNS owner and leaves other labels whole", () => {
  assert.deepEqual(labelParts("com.example.claude-review"), {
    owner: "com.example.",
    name: "claude-review",
  });
  assert.deepEqual(labelParts("dev.me.nightly.codex"), { owner: "dev.me.", name: "nightly.codex" });
  assert.deepEqual(labelParts("local.claude.nightly"), { owner: "", name: "local.claude.nightly" });
  assert.deepEqual(labelParts("claude-digest"), { owner: "", name: "claude-digest" });
});

Deno.test("shortPath() cuts long paths from the left at folder boundaries", () => {
  assert.equal(shortPath("/tmp/a.log"), "/tmp/a.log");
  assert.equal(
    shortPath("/Users/dev/Library/Logs/claude-review.jsonl", 30),
    "…/Logs/claude-review.jsonl",
  );
  assert.equal(
    shortPath("/x/a-very-long-file-name-indeed.log", 10),
    "…/a-very-long-file-name-indeed.log",
  );
});

Deno.test("commandLine() quotes only what needs quoting, readably", () => {
  assert.equal(
    commandLine(["/bin/zsh", "-lc", `claude -p "review the PRs" --verbose`]),
    `/bin/zsh -lc 'claude -p "review the PRs" --verbose'`,
  );
  assert.equal(commandLine(["sh", "-c", "claude -p 'digest'"]), `sh -c "claude -p 'digest'"`);
  assert.equal(commandLine(["sh", "-c", `echo "$HOME" 'x'`]), `sh -c 'echo "$HOME" '\\''x'\\'''`);
  assert.equal(commandLine(["a=b", "x@y:1,2"]), "a=b x@y:1,2");
});

Deno.test("exitFailed() and stateWords() say how a job is", () => {
  assert.equal(exitFailed({ code: 0, signal: null, text: "exit 0" }), false);
  assert.equal(exitFailed({ code: 78, signal: null, text: "exit 78" }), true);
  assert.equal(exitFailed({ code: null, signal: 15, text: "killed" }), true);
  assert.equal(exitFailed({ code: null, signal: null, text: "?" }), null);
  assert.equal(exitFailed(null), null);
  assert.deepEqual(
    (["running", "idle", "not-loaded", "disabled"] as const).map(stateWords),
    ["running", "loaded · idle", "not loaded", "disabled"],
  );
});

Deno.test("filterJobs() matches every word against label, command, schedule, state and logs", () => {
  const all = [
    job("com.example.claude-review", { scheduleText: "every weekday at 09:30" }),
    job("com.example.backup", { args: ["restic", "backup"], program: "restic" }),
    job("com.example.codex", { state: "running", stderrPath: "/var/err/codex.err" }),
  ];
  const labels = (q: string) => filterJobs(all, q).map((j) => j.label);
  assert.deepEqual(labels(""), all.map((j) => j.label));
  assert.deepEqual(labels("CLAUDE weekday"), ["com.example.claude-review"]);
  assert.deepEqual(labels("restic"), ["com.example.backup"]);
  assert.deepEqual(labels("running"), ["com.example.codex"]);
  assert.deepEqual(labels("codex.err"), ["com.example.codex"]);
  assert.deepEqual(labels("claude backup"), []);
});

Deno.test("sortJobs() sorts every column, unknowns last either way, ties by label", async (t) => {
  const all = [
    job("d", { state: "disabled", lastExit: null, nextFire: null, scheduleText: "" }),
    job("b", { state: "running", nextFire: "2025-01-16T09:30:00Z" }),
    job("a", {
      lastExit: { code: null, signal: 15, text: "killed" },
      nextFire: "2025-01-15T11:00:00Z",
    }),
    job("c", {
      state: "not-loaded",
      lastExit: { code: 1, signal: null, text: "exit 1" },
      stdoutPath: null,
    }),
    job("e", { lastExit: { code: 78, signal: null, text: "exit 78" } }),
  ];
  const order = (key: Parameters<typeof sortJobs>[1], dir: "asc" | "desc") =>
    sortJobs(all, key, dir).map((j) => j.label).join("");
  await t.step("label", () => {
    assert.equal(order("label", "asc"), "abcde");
    assert.equal(order("label", "desc"), "edcba");
  });
  await t.step("state: running, idle, not loaded, disabled", () => {
    assert.equal(order("state", "asc"), "baecd");
    assert.equal(order("state", "desc"), "dcaeb", "ties stay in label order");
  });
  await t.step("last exit: failures first, the unknown last", () => {
    assert.equal(order("exit", "asc"), "aecbd");
    assert.equal(order("exit", "desc"), "bcead");
  });
  await t.step("next fire: soonest first, none last in both directions", () => {
    assert.equal(order("next", "asc"), "abcde");
    assert.equal(order("next", "desc"), "bacde");
  });
  await t.step("schedule and log: missing ones last", () => {
    assert.equal(order("schedule", "asc").at(-1), "d");
    assert.equal(order("schedule", "desc").at(-1), "d");
    assert.equal(order("log", "desc").at(-1), "c");
  });
  assert.deepEqual(all.map((j) => j.label), ["d", "b", "a", "c", "e"], "the input is not sorted");
});

/* ---------- LogBuffer ---------- */

let cursor = 0;
const text = (t: string) => ({ kind: "text", text: t, bytes: t.length, cursor: cursor += 100 });
const said = (t: string) => ({
  kind: "assistant",
  bytes: 10,
  cursor: cursor += 100,
  blocks: [{ type: "text", text: t }],
});
const marker = (change: string) => ({ kind: "file", change, text: "", bytes: 0, cursor: 0 });
const shown = (b: LogBuffer) =>
  b.entries().map((e) => e.spans ? e.spans.map((s) => s.text).join("") : e.item.kind);

Deno.test("LogBuffer styles plain lines, carrying colours from line to line", () => {
  const b = new LogBuffer();
  assert.equal(b.append([text("\x1b[31merror: one"), text("still red\x1b[0m plain")]), true);
  const [first, second] = b.entries();
  assert.deepEqual(first?.spans, [{ text: "error: one", class: "ansi-fg-1" }]);
  assert.deepEqual(second?.spans, [{ text: "still red", class: "ansi-fg-1" }, { text: " plain" }]);
  b.append([text("after")]);
  assert.deepEqual(b.entries()[2]?.spans, [{ text: "after" }], "the reset carried over");
});

Deno.test("LogBuffer drops repeats and keeps only the newest lines", () => {
  const b = new LogBuffer(3);
  const lines = Array.from({ length: 5 }, (_, i) => text(`line ${i}`));
  b.append(lines.slice(0, 4));
  assert.equal(b.append(lines.slice(0, 2)), false, "already seen");
  assert.deepEqual(shown(b), ["line 1", "line 2", "line 3"]);
  b.append(lines.slice(4));
  assert.deepEqual(shown(b), ["line 2", "line 3", "line 4"]);
  assert.equal(b.size, 3);
  // Far past twice the limit, it still shows the newest three (and holds no more than six).
  for (let i = 5; i < 40; i++) b.append([text(`line ${i}`)]);
  assert.deepEqual(shown(b), ["line 37", "line 38", "line 39"]);
});

Deno.test("LogBuffer starts over on a truncated or replaced file, and marks a deleted one", () => {
  const b = new LogBuffer();
  b.append([text("old 1"), text("old 2")]);
  const rev = b.rev;
  cursor = 0; // the new file's cursors start again
  b.append([marker("truncated"), text("new 1")]);
  assert.deepEqual(shown(b), ["marker", "new 1"]);
  assert.ok(b.rev > rev);
  b.append([marker("deleted")]);
  assert.deepEqual(shown(b), ["marker", "new 1", "marker"]);
  b.reset();
  assert.deepEqual(shown(b), []);
});

Deno.test("LogBuffer renders Claude Code lines as typed items, mixed with plain ones", () => {
  const b = new LogBuffer();
  b.append([
    text("starting claude"),
    said("Looking at the issues."),
    {
      kind: "assistant",
      bytes: 10,
      cursor: cursor += 100,
      blocks: [{ type: "tool_use", id: "t1", name: "Bash", input: { command: "gh issue list" } }],
    },
    {
      kind: "tool_result",
      bytes: 10,
      cursor: cursor += 100,
      blocks: [{ type: "tool_result", toolUseId: "t1", isError: false, text: "#1", images: 0 }],
    },
  ]);
  assert.deepEqual(shown(b), ["starting claude", "text", "tool"]);
  const tool = b.entries()[2]!.item;
  assert.equal(tool.result?.block.text, "#1", "the result folds into its call");
});

/* ---------- the jobs stream into signals ---------- */

Deno.test("applySnapshot() fills the job signals and the rail's summary", () => {
  const review = job("com.example.claude-review", { selected: true });
  applySnapshot({
    scheduler: "launchd",
    jobs: [review, job("com.example.backup")],
    summary: {
      running: 0,
      total: 2,
      next: { id: review.id, label: review.label, at: "2025-01-16T09:30:00.000Z" },
    },
  });
  assert.equal(jobs.value.length, 2);
  assert.deepEqual(sessionJobs.value.map((j) => j.label), ["com.example.claude-review"]);
  assert.deepEqual(scheduler.value, {
    nextFire: { label: "com.example.claude-review", at: Date.parse("2025-01-16T09:30:00.000Z") },
    running: 0,
    total: 2,
  });

  applySnapshot({
    scheduler: "launchd",
    error: "launchctl list failed (exit 5)",
    jobs: [review],
    summary: { running: 0, total: 1, next: null },
  });
  assert.equal(jobsError.value, "launchctl list failed (exit 5)");
  assert.equal((scheduler.value as { error?: string } | null)?.error, jobsError.value);

  applySnapshot({
    scheduler: "none",
    error: "no scheduler found: …",
    jobs: [],
    summary: { running: 0, total: 0, next: null },
  });
  assert.equal((scheduler.value as { none?: boolean } | null)?.none, true);

  applySnapshot({ scheduler: "none", jobs: [], summary: { running: 0, total: 0, next: null } });
  assert.equal(scheduler.value, null, "--scheduler none: the rail says nothing about jobs");
  assert.equal(jobsError.value, null);
});
