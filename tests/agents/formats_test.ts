/**
 * Codex, Gemini and Copilot sessions as agents: their own source, a title
 * from the first real prompt, the project from their cwd, their status, and
 * a Codex child thread nested under the thread that spawned it.
 */
import assert from "node:assert/strict";
import { AgentRegistry } from "../../agents/registry.ts";
import { readFacts, readMeta } from "../../agents/read_facts.ts";
import { scanRoots } from "../../files/scan.ts";
import type { Root } from "../../files/roots.ts";

const SHAPES = new URL("../fixtures/shapes/", import.meta.url).pathname.replace(/\/$/, "");

async function agentsUnder(root: Root, order: (paths: string[]) => string[] = (p) => p) {
  const { files } = await scanRoots([root]);
  const registry = new AgentRegistry();
  for (const file of files) registry.upsert(file);
  for (const path of order(files.map((f) => f.realPath))) {
    const entry = files.find((f) => f.realPath === path)!;
    registry.setFacts(path, await readFacts(path, entry.size));
  }
  return registry;
}

const byName = (registry: AgentRegistry, name: string) =>
  registry.list().find((a) => a.path.endsWith(name))!;

Deno.test("a watched folder's Codex, Gemini and Copilot files are each their own kind of agent", async () => {
  const registry = await agentsUnder({ path: SHAPES, kind: "watch" });
  const codex = byName(registry, "019d2a10-7c3e-7a01-9b55-3f0e1d2c4b6a.jsonl");
  assert.equal(codex.source, "codex");
  assert.equal(codex.title, "The cart total ignores discounts; fix it and run the tests");
  assert.equal(codex.project, "shop");
  assert.equal(codex.activity, "waiting", "task_complete ends the turn");

  const legacy = byName(registry, "5973b6c0-94b8-487b-a530-2aeb6098ae0e.jsonl");
  assert.equal(legacy.source, "codex");
  assert.equal(
    legacy.title,
    "List the markdown files and count their lines",
    "not the environment context",
  );

  const gemini = byName(registry, "session-2026-05-02T08-00-7d3f0c1e.jsonl");
  assert.equal(gemini.source, "gemini");
  assert.equal(gemini.title, "Rename the config loader to loadSettings");

  const copilot = byName(registry, "copilot/events.jsonl");
  assert.equal(copilot.source, "copilot");
  assert.equal(copilot.project, "api");
  assert.equal(copilot.title, "Make the health endpoint return the version");
  assert.equal(copilot.activity, "waiting");

  const claude = byName(registry, "4b9d2e71-6c0a-4f3b-8e15-2d7a9c3f1b60.jsonl");
  assert.equal(
    claude.source,
    "claude-session",
    "a Claude file in a watched folder says so by its lines",
  );
});

Deno.test("a Codex child thread nests under its parent, whichever is read first", async (t) => {
  for (const order of ["parent first", "child first"]) {
    await t.step(order, async () => {
      const registry = await agentsUnder(
        { path: `${SHAPES}/codex`, kind: "codex-sessions" },
        // Rollout names sort by start time: the parent started first.
        (paths) => order === "parent first" ? paths.sort() : paths.sort().reverse(),
      );
      const parent = byName(registry, "019d2a10-7c3e-7a01-9b55-3f0e1d2c4b6a.jsonl");
      const child = byName(registry, "019d2a11-0000-7b00-8c00-aa00bb00cc01.jsonl");
      assert.equal(child.parentId, parent.id);
      assert.equal(child.title, "Find why the rounding test fails in src/cart.ts");
      assert.equal(parent.parentId, null);
    });
  }
});

const LAYOUT = `${SHAPES}/claude/layout`;
const SESSION = "c5a1e2f3-4b5c-4d6e-8f70-8192a3b4c5d6";

Deno.test("Claude Code 2.1.x layout: subagents nest by meta, workflow agents and background tasks under their session", async () => {
  const { files } = await scanRoots([
    { path: `${LAYOUT}/projects`, kind: "claude-projects" },
    { path: `${LAYOUT}/tmp/claude-501`, kind: "claude-tasks" },
  ]);
  const journals = files.filter((f) => f.path.endsWith("journal.jsonl"));
  assert.deepEqual(
    journals.map((f) => f.source),
    ["claude-workflow", "claude-workflow"],
    "a run's journal is the run, never a transcript agent",
  );
  const registry = new AgentRegistry();
  for (const file of files) registry.upsert(file);
  // Children first: nesting must not depend on the order facts arrive in.
  for (const file of [...files].reverse()) {
    registry.setFacts(file.realPath, await readFacts(file.realPath, file.size));
    if (file.metaPath) registry.setMeta(file.realPath, await readMeta(file.metaPath));
  }
  const session = byName(registry, `${SESSION}.jsonl`);
  assert.equal(session.parentId, null);
  const task = byName(registry, "agent-a1b2c3d4e5f60718.jsonl");
  assert.equal(task.parentId, session.id);
  assert.equal(task.toolUseId, "toolu_task1", "the Task call that started it, for its card's link");
  assert.equal(task.title, "Audit cart rounding");
  const inner = byName(registry, "agent-a9f8e7d6c5b4a392.jsonl");
  assert.equal(
    inner.parentId,
    task.id,
    "parentAgentId nests it under the subagent that started it",
  );
  const teammate = byName(registry, "agent-reviewer.jsonl");
  assert.equal(teammate.parentId, session.id);
  assert.equal(teammate.toolUseId, undefined);
  assert.equal(teammate.title, "reviewer");
  // The run that ended: titled by its record, done, its agents under it, titled by their labels.
  const runs = registry.list().filter((a) => a.source === "claude-workflow");
  const ended = runs.find((a) => a.path.includes("wf_3f9a1c2e-7d1"))!;
  assert.equal(ended.title, "review-panel");
  assert.equal(ended.toolUseId, "toolu_wf1", "the Workflow call whose result named the run's task");
  assert.equal(ended.parentId, session.id);
  const seats: [string, string][] = [
    ["agent-aw1.jsonl", "seat:a"],
    ["agent-aw2.jsonl", "seat:b"],
  ];
  for (const [name, title] of seats) {
    const seat = byName(registry, name);
    assert.equal(seat.parentId, ended.id, name);
    assert.equal(seat.title, title);
  }
  // The run still going has no record yet: titled by its id, its agent under it by its prompt.
  const going = runs.find((a) => a.path.includes("wf_8c2d4e6f-a10"))!;
  assert.equal(going.title, "wf_8c2d4e6f-a10");
  assert.equal(going.parentId, session.id);
  const finder = byName(registry, "agent-aw3.jsonl");
  assert.equal(finder.parentId, going.id);
  assert.equal(finder.title, "You are the first finder of the triage run.");
  const background = byName(registry, "b7k2m9q1.output");
  assert.equal(background.source, "claude-task");
  assert.equal(background.parentId, session.id, "the session whose Bash call started it");
  assert.equal(background.title, "npm run test:slow");
});
