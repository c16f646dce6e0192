import assert from "node:assert/strict";
import { foldFacts } from "../../agents/facts.ts";
import { deriveStatus, type LiveState, type StatusInput } from "../../agents/status.ts";
import type { AgentStatus } from "../../agents/agent.ts";
import { type AgentChange, AgentRegistry } from "../../agents/registry.ts";
import type { FileEntry } from "../../files/scan.ts";

// ---- lines in Claude Code's and Codex's own shapes --------------------------------

const T0 = Date.parse("2026-12-06T07:00:00.000Z");
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
const line = (value: Record<string, unknown>) => JSON.stringify(value);
const prompt = (s: number, text: string) =>
  line({
    type: "user",
    timestamp: at(s),
    sessionId: "s1",
    message: { role: "user", content: text },
  });
const toolCall = (s: number, id: string, name: string, input: unknown = {}) =>
  line({
    type: "assistant",
    timestamp: at(s),
    message: {
      role: "assistant",
      model: "claude-opus-4-5",
      content: [{ type: "tool_use", id, name, input }],
      stop_reason: "tool_use",
    },
  });
const toolResult = (s: number, id: string, content = "ok", isError = false) =>
  line({
    type: "user",
    timestamp: at(s),
    message: {
      role: "user",
      content: [{ type: "tool_result", tool_use_id: id, content, is_error: isError }],
    },
  });
const answer = (s: number, text: string) =>
  line({
    type: "assistant",
    timestamp: at(s),
    message: {
      role: "assistant",
      model: "claude-opus-4-5",
      content: [{ type: "text", text }],
      stop_reason: "end_turn",
    },
  });
const apiError = (s: number) =>
  line({
    type: "assistant",
    timestamp: at(s),
    isApiErrorMessage: true,
    message: {
      role: "assistant",
      model: "<synthetic>",
      content: [{
        type: "text",
        text: 'API Error: 529 {"type":"error","error":{"type":"overloaded_error"}}',
      }],
      stop_reason: "stop_sequence",
    },
  });
const turnDuration = (s: number) =>
  line({ type: "system", subtype: "turn_duration", durationMs: 5000, timestamp: at(s) });
const notification = (s: number, taskId: string, status: string) =>
  line({
    type: "user",
    timestamp: at(s),
    message: {
      role: "user",
      content: `<task-notification>\n<task-id>${taskId}</task-id>\n<status>${status}</status>\n` +
        `<summary>Background command "npm test" ${status}</summary>\n</task-notification>`,
    },
  });
const codex = (s: number, type: string, extra: Record<string, unknown> = {}) =>
  line({ timestamp: at(s), type: "event_msg", payload: { type, ...extra } });

const QUESTION = {
  questions: [{
    question: "Which database should I use?",
    header: "Database",
    options: [{ label: "Postgres" }, { label: "SQLite" }],
    multiSelect: false,
  }],
};

function statusOf(lines: string[], more: Partial<StatusInput> = {}): AgentStatus {
  const facts = foldFacts(lines);
  return deriveStatus({
    source: "claude-session",
    turn: facts.turn,
    mtime: T0 + 60_000,
    now: T0 + 70_000,
    runningWindowMs: 90_000,
    quietMs: 3_600_000,
    ...more,
  });
}

const live = (status: LiveState["status"], extra: Partial<LiveState> = {}): LiveState => ({
  alive: true,
  status,
  source: "claude-sessions",
  since: T0 + 65_000,
  ...extra,
});

// ---- the transcript alone ---------------------------------------------------------

Deno.test("deriveStatus() reads a turn from the transcript alone", async (t) => {
  await t.step("a running tool is working, since the call", () => {
    const s = statusOf([prompt(0, "run the tests"), toolCall(5, "t1", "Bash")]);
    assert.deepEqual([s.kind, s.reason, s.since, s.source], [
      "working",
      "tool",
      T0 + 5000,
      "transcript",
    ]);
  });
  await t.step("a pending AskUserQuestion needs you, with the question as reason", () => {
    const s = statusOf([prompt(0, "set up a db"), toolCall(5, "q1", "AskUserQuestion", QUESTION)]);
    assert.deepEqual([s.kind, s.reason, s.since], ["needs-you", "question", T0 + 5000]);
  });
  await t.step("a pending ExitPlanMode needs your approval of the plan", () => {
    const s = statusOf([prompt(0, "plan it"), toolCall(5, "p1", "ExitPlanMode", { plan: "1." })]);
    assert.deepEqual([s.kind, s.reason], ["needs-you", "plan"]);
  });
  await t.step("an answered question is work again", () => {
    const s = statusOf([
      toolCall(5, "q1", "AskUserQuestion", QUESTION),
      toolResult(9, "q1", "Postgres"),
    ]);
    assert.deepEqual([s.kind, s.reason], ["working", "turn"]);
  });
  await t.step("an ended turn in a session waits for the next prompt", () => {
    const s = statusOf([prompt(0, "hi"), answer(3, "Hello!"), turnDuration(3)]);
    assert.deepEqual([s.kind, s.reason, s.since], ["needs-you", "prompt", T0 + 3000]);
  });
  await t.step("an ended turn in a subagent is the subagent done", () => {
    const s = statusOf([prompt(0, "look"), answer(3, "Found it.")], { source: "claude-subagent" });
    assert.deepEqual([s.kind, s.reason], ["done", "finished"]);
  });
  await t.step("an API error that ended the turn fails it, with the error line", () => {
    const s = statusOf([
      prompt(0, "go"),
      toolCall(2, "t1", "Read"),
      toolResult(3, "t1"),
      apiError(4),
    ]);
    assert.deepEqual([s.kind, s.reason, s.since], ["failed", "api-error", T0 + 4000]);
    assert.match(s.error ?? "", /529/);
  });
  await t.step("a new prompt after the API error is work again", () => {
    const s = statusOf([apiError(4), prompt(30, "try again")]);
    assert.deepEqual([s.kind, s.reason], ["working", "turn"]);
  });
  await t.step("a stream-json result line: success is done, is_error failed", () => {
    const result = (isError: boolean) =>
      line({ type: "result", subtype: "success", is_error: isError, result: "All done." });
    assert.equal(statusOf([prompt(0, "go"), result(false)]).kind, "done");
    assert.equal(statusOf([prompt(0, "go"), result(true)]).kind, "failed");
  });
});

Deno.test("deriveStatus() holds needs-you and failed past the running window", async (t) => {
  const question = [toolCall(5, "q1", "AskUserQuestion", QUESTION)];
  await t.step("a question ten minutes old still needs you", () => {
    const s = statusOf(question, { now: T0 + 600_000, runningWindowMs: 5000 });
    assert.equal(s.kind, "needs-you");
  });
  await t.step("a failure ten minutes old is still failed", () => {
    const s = statusOf([apiError(4)], { now: T0 + 600_000, runningWindowMs: 5000 });
    assert.equal(s.kind, "failed");
  });
  await t.step("a silent mid-turn file with no process to ask goes idle after the window", () => {
    const s = statusOf([toolCall(5, "t1", "Bash")], { now: T0 + 600_000, runningWindowMs: 5000 });
    assert.deepEqual([s.kind, s.reason], ["idle", "quiet"]);
  });
  await t.step("after the quiet period, with no process to ask, everything is idle", () => {
    const s = statusOf(question, { now: T0 + 2 * 3_600_000 });
    assert.deepEqual([s.kind, s.reason], ["idle", "quiet"]);
  });
  await t.step("`since` stays put while the status does not change", () => {
    const first = statusOf(question);
    const later = statusOf(question, { now: T0 + 300_000, previous: first });
    assert.equal(later, first);
  });
});

// ---- fused with the process's own state -------------------------------------------

Deno.test("deriveStatus() fuses the transcript with what the process reports", async (t) => {
  await t.step("Claude Code says idle while asking a question: the transcript wins", () => {
    const s = statusOf([toolCall(5, "q1", "AskUserQuestion", QUESTION)], { live: live("idle") });
    assert.deepEqual([s.kind, s.reason, s.source], ["needs-you", "question", "transcript"]);
  });
  await t.step("a live process running a long silent tool stays working", () => {
    const s = statusOf([toolCall(5, "t1", "Bash")], {
      live: live("busy"),
      now: T0 + 900_000,
      runningWindowMs: 5000,
    });
    assert.deepEqual([s.kind, s.reason, s.source], ["working", "tool", "claude-sessions"]);
  });
  await t.step("idle with a tool call open is a permission prompt", () => {
    const s = statusOf([toolCall(5, "t1", "Bash")], { live: live("idle") });
    assert.deepEqual([s.kind, s.reason], ["needs-you", "permission"]);
  });
  await t.step("waiting, with waitingFor naming a permission", () => {
    const s = statusOf([toolCall(5, "t1", "Bash")], {
      live: live("waiting", { waitingFor: "permission prompt", source: "claude-agents" }),
    });
    assert.deepEqual([s.kind, s.reason, s.source], ["needs-you", "permission", "claude-agents"]);
  });
  await t.step("idle after a clean turn waits for a prompt, even hours later", () => {
    const s = statusOf([answer(3, "Done.")], { live: live("idle"), now: T0 + 5 * 3_600_000 });
    assert.deepEqual([s.kind, s.reason], ["needs-you", "prompt"]);
  });
  await t.step("the process gone mid-turn: it died", () => {
    const s = statusOf([toolCall(5, "t1", "Bash")], { live: live("busy", { alive: false }) });
    assert.deepEqual([s.kind, s.reason], ["failed", "died"]);
  });
  await t.step("the process gone after a clean finish: idle", () => {
    const s = statusOf([answer(3, "Done.")], { live: live("idle", { alive: false }) });
    assert.deepEqual([s.kind, s.reason], ["idle", "ended"]);
  });
  await t.step("a pending question in a dead session is not asking anyone", () => {
    const s = statusOf([toolCall(5, "q1", "AskUserQuestion", QUESTION)], {
      live: live("idle", { alive: false }),
    });
    assert.deepEqual([s.kind, s.reason], ["idle", "ended"]);
  });
  await t.step("claude agents: done is done, stopped is idle", () => {
    assert.equal(statusOf([], { live: live("done", { source: "claude-agents" }) }).kind, "done");
    assert.equal(statusOf([], { live: live("stopped", { source: "claude-agents" }) }).kind, "idle");
  });
});

Deno.test("deriveStatus() takes a task-notification as a background task's last word", async (t) => {
  const parent = foldFacts([
    prompt(0, "run the tests in the background"),
    notification(40, "b7x2k9", "completed"),
    notification(41, "b8y3m1", "failed"),
    notification(42, "a0ad4f44", "killed"),
  ]);
  const tasks = parent.turn?.tasks ?? {};
  await t.step("the notification is read from the parent's transcript", () => {
    assert.deepEqual(Object.keys(tasks).sort(), ["a0ad4f44", "b7x2k9", "b8y3m1"]);
    assert.equal(tasks.b7x2k9?.since, T0 + 40_000);
  });
  await t.step("completed is done, failed and killed are failed", () => {
    const of = (id: string) =>
      statusOf([], { source: "claude-task", task: tasks[id] ?? undefined });
    assert.deepEqual([of("b7x2k9").kind, of("b7x2k9").since], ["done", T0 + 40_000]);
    assert.deepEqual([of("b8y3m1").kind, of("b8y3m1").reason], ["failed", "task-failed"]);
    assert.deepEqual([of("a0ad4f44").kind, of("a0ad4f44").reason], ["failed", "killed"]);
  });
  await t.step("the notification itself is not a new prompt for the parent", () => {
    const s = statusOf([
      prompt(0, "go"),
      answer(3, "Started."),
      notification(40, "b1", "completed"),
    ]);
    assert.deepEqual([s.kind, s.reason], ["needs-you", "prompt"]);
  });
});

Deno.test("deriveStatus() reads Codex turns", async (t) => {
  await t.step("task_started is working, task_complete waits for a prompt", () => {
    assert.equal(statusOf([codex(0, "task_started")]).kind, "working");
    const s = statusOf([codex(0, "task_started"), codex(9, "task_complete")]);
    assert.deepEqual([s.kind, s.reason, s.since], ["needs-you", "prompt", T0 + 9000]);
  });
  await t.step("turn_aborted hands the word back to the user", () => {
    const s = statusOf([
      codex(0, "task_started"),
      codex(3, "turn_aborted", { reason: "interrupted" }),
    ]);
    assert.deepEqual([s.kind, s.reason], ["needs-you", "prompt"]);
  });
  await t.step("an approval request is a permission prompt", () => {
    const s = statusOf([
      codex(0, "task_started"),
      codex(2, "exec_approval_request", { command: ["rm", "-rf", "build"] }),
    ]);
    assert.deepEqual([s.kind, s.reason], ["needs-you", "permission"]);
  });
  await t.step("an error event fails the turn", () => {
    const s = statusOf([codex(0, "task_started"), codex(2, "error", { message: "stream error" })]);
    assert.equal(s.kind, "failed");
  });
});

// ---- in the registry --------------------------------------------------------------

function fileEntry(path: string, source: FileEntry["source"], mtime: number): FileEntry {
  return {
    path,
    realPath: path,
    source,
    parentPath: null,
    projectHint: "demo",
    metaPath: null,
    size: 100,
    mtime,
    ino: null,
  };
}

Deno.test("AgentRegistry carries each agent's status and pushes its changes", async (t) => {
  let now = T0 + 10_000;
  const registry = new AgentRegistry({ runningWindowMs: 5000, now: () => now });
  const changes: AgentChange[] = [];
  registry.subscribe((c) => changes.push(c));
  const session = "/h/.claude/projects/-p/11111111-2222-4333-8444-555555555555.jsonl";
  const task = "/tmp/claude-1000/-p/tasks/b7x2k9.output";
  registry.upsert(fileEntry(session, "claude-session", T0 + 5000));
  registry.upsert(fileEntry(task, "claude-task", T0 + 5000));

  await t.step("a question in the transcript shows as needs-you in the list", () => {
    registry.setFacts(session, foldFacts([toolCall(5, "q1", "AskUserQuestion", QUESTION)]));
    const agent = registry.byPath(session)!;
    assert.deepEqual([agent.status.kind, agent.status.reason], ["needs-you", "question"]);
    assert.match(registry.listJson(), /"status":\{"kind":"needs-you","reason":"question"/);
  });
  await t.step("it still does once the running window has passed", () => {
    now = T0 + 60_000;
    registry.tick();
    assert.equal(registry.byPath(session)!.state, "idle");
    assert.equal(registry.byPath(session)!.status.kind, "needs-you");
  });
  await t.step("a notification in the session's transcript finishes the task", () => {
    changes.length = 0;
    registry.setFacts(
      session,
      foldFacts([
        toolCall(5, "q1", "AskUserQuestion", QUESTION),
        notification(50, "b7x2k9", "completed"),
      ]),
    );
    const upserted = changes.flatMap((c) => c.type === "upsert" ? [c.agent] : []);
    const done = upserted.find((a) => a.path === task);
    assert.equal(done?.status.kind, "done");
  });
  await t.step("a background Bash call names its task", () => {
    const bash = line({
      type: "assistant",
      timestamp: at(60),
      message: {
        role: "assistant",
        content: [{
          type: "tool_use",
          id: "bg1",
          name: "Bash",
          input: {
            command: "npm test",
            description: "Run the test suite",
            run_in_background: true,
          },
        }],
        stop_reason: "tool_use",
      },
    });
    registry.setFacts(
      session,
      foldFacts([bash, toolResult(61, "bg1", "Command running in background with ID: b7x2k9")]),
    );
    assert.equal(registry.byPath(task)!.title, "npm test");
  });
  await t.step("the live state of its process joins by session id", () => {
    registry.setFacts(session, foldFacts([prompt(0, "go"), toolCall(5, "t1", "Bash")]));
    registry.setLive(
      new Map([["11111111-2222-4333-8444-555555555555", live("busy")]]),
    );
    now = T0 + 900_000;
    registry.tick();
    assert.deepEqual(
      [registry.byPath(session)!.status.kind, registry.byPath(session)!.status.source],
      ["working", "claude-sessions"],
    );
  });
});
