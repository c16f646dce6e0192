/** Workflow runs: the run from its journal's path, its title and how it ended from its record. */
import assert from "node:assert/strict";
import { runOfJournal, runResult, runTitle } from "../../agents/workflow.ts";
import { AgentRegistry } from "../../agents/registry.ts";
import { classify } from "../../files/classify.ts";
import type { FileEntry } from "../../files/scan.ts";
import { foldFacts } from "../../agents/facts.ts";

const SESSION = "/h/.claude/projects/-p/0a1b2c3d-4e5f-4061-8071-2a3b4c5d6e7f";
const JOURNAL = `${SESSION}/subagents/workflows/wf_1a2b3c4d-5e6/journal.jsonl`;
const ROOT = { path: "/h/.claude/projects", kind: "claude-projects" as const };

function entry(path: string, mtime: number): FileEntry {
  return { path, realPath: path, size: 10, mtime, ino: 1, ...classify(path, ROOT) };
}

Deno.test("runOfJournal() names the run and its session; other paths are no run", () => {
  assert.deepEqual(runOfJournal(JOURNAL), {
    sessionPath: `${SESSION}.jsonl`,
    runId: "wf_1a2b3c4d-5e6",
  });
  assert.equal(runOfJournal(`${SESSION}/subagents/agent-a1.jsonl`), null);
});

Deno.test("classify() makes a run's journal the run, with its record as its sidecar, and its agents its children", () => {
  assert.deepEqual(classify(JOURNAL, ROOT), {
    source: "claude-workflow",
    parentPath: `${SESSION}.jsonl`,
    projectHint: "p",
    metaPath: `${SESSION}/workflows/wf_1a2b3c4d-5e6.json`,
  });
  const agent = classify(`${SESSION}/subagents/workflows/wf_1a2b3c4d-5e6/agent-a9.jsonl`, ROOT);
  assert.equal(agent.source, "claude-subagent");
  assert.equal(agent.parentPath, JOURNAL);
});

Deno.test("runTitle() and runResult() read the run's record, written when it ends", () => {
  assert.equal(runTitle(null, JOURNAL), "wf_1a2b3c4d-5e6");
  assert.equal(runTitle({ name: "review" }, JOURNAL), "review");
  assert.equal(runResult(null), undefined);
  assert.equal(runResult({ status: "running" }), undefined);
  assert.deepEqual(runResult({ status: "completed" }), { status: "completed" });
  assert.deepEqual(runResult({ status: "killed" }), { status: "killed" });
  assert.deepEqual(runResult({ status: "failed" }), { status: "failed" });
});

Deno.test("a run's status follows its record; its agents wait under the session until the run is listed", () => {
  const now = 1_000_000_000;
  const registry = new AgentRegistry({ now: () => now });
  registry.upsert(entry(`${SESSION}.jsonl`, now));
  const agentPath = `${SESSION}/subagents/workflows/wf_1a2b3c4d-5e6/agent-a9.jsonl`;
  registry.upsert(entry(agentPath, now));
  const sessionId = registry.byPath(`${SESSION}.jsonl`)!.id;
  assert.equal(registry.byPath(agentPath)!.parentId, sessionId);
  registry.upsert(entry(JOURNAL, now - 1000));
  const run = registry.byPath(JOURNAL)!;
  assert.equal(run.parentId, sessionId);
  assert.equal(
    registry.byPath(agentPath)!.parentId,
    run.id,
    "moved under the run once it is listed",
  );
  assert.equal(run.status.kind, "working");
  registry.setMeta(JOURNAL, { name: "review", status: "completed", labels: { a9: "seat:a" } });
  assert.equal(registry.byPath(JOURNAL)!.title, "review");
  assert.equal(registry.byPath(JOURNAL)!.status.kind, "done");
  assert.equal(registry.byPath(agentPath)!.title, "seat:a");
  registry.setMeta(JOURNAL, { name: "review", status: "killed" });
  assert.deepEqual(
    [registry.byPath(JOURNAL)!.status.kind, registry.byPath(JOURNAL)!.status.reason],
    ["failed", "killed"],
  );
});

Deno.test("foldFacts() pairs a Workflow call with the task its result names, and nothing else", () => {
  const call = (id: string, name: string, input: Record<string, unknown> = {}) =>
    JSON.stringify({
      type: "assistant",
      message: { role: "assistant", content: [{ type: "tool_use", id, name, input }] },
    });
  const result = (id: string, text: string) =>
    JSON.stringify({
      type: "user",
      message: { role: "user", content: [{ type: "tool_result", tool_use_id: id, content: text }] },
    });
  const facts = foldFacts([
    call("w1", "Workflow", { script: "export const meta = {}" }),
    result("w1", "Workflow launched in background. Task ID: wkq7rp2zd"),
    // Another tool's text that happens to say the same names no run.
    call("g1", "Grep"),
    result("g1", "Task ID: nope"),
    call("b1", "Bash", { command: "npm test", run_in_background: true }),
    result("b1", "Command running in background with ID: b77"),
  ]);
  assert.deepEqual(facts.workflowCalls, { wkq7rp2zd: "w1" });
  assert.deepEqual(facts.backgroundTasks, { b77: "npm test" });
});

Deno.test("a run's record names its task, so the Workflow call that launched it links to the run", () => {
  const now = 1_000_000_000;
  const registry = new AgentRegistry({ now: () => now });
  registry.upsert(entry(`${SESSION}.jsonl`, now));
  registry.upsert(entry(JOURNAL, now));
  registry.setMeta(JOURNAL, { name: "review", taskId: "wkq7rp2zd" });
  assert.equal(registry.byPath(JOURNAL)!.toolUseId, undefined, "not before the session says");
  registry.setFacts(`${SESSION}.jsonl`, { workflowCalls: { wkq7rp2zd: "w1" } });
  assert.equal(registry.byPath(JOURNAL)!.toolUseId, "w1");
});
