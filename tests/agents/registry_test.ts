import assert from "node:assert/strict";
import { type Agent, agentIdOf } from "../../agents/agent.ts";
import { foldFacts } from "../../agents/facts.ts";
import { readFacts, readMeta } from "../../agents/read_facts.ts";
import { type AgentChange, AgentRegistry } from "../../agents/registry.ts";
import type { Root } from "../../files/roots.ts";
import { type FileEntry, scanRoots } from "../../files/scan.ts";
import { TRANSCRIPTS_DIR } from "../_harness/corpus.ts";
import { aiTitle, assistant, customTitle, summary, text, user } from "./_lines.ts";

const CORPUS = TRANSCRIPTS_DIR;
const AGTRACE_SESSION = "7f2abd2d-7cfc-4447-9ddd-3ca8d14e02e9";
const NEW_SESSION = "0a1b2c3d-4e5f-4061-8071-2a3b4c5d6e7f";

// ---- registry ----------------------------------------------------------------------

function entry(path: string, overrides: Partial<FileEntry> = {}): FileEntry {
  return {
    path,
    realPath: path,
    source: "claude-session",
    parentPath: null,
    projectHint: "hint",
    metaPath: null,
    size: 100,
    mtime: 1_000,
    ino: 1,
    ...overrides,
  };
}

/** A registry on a hand-set clock that records every change it emits. */
function registryAt(start: number, windowMs = 90_000) {
  const clock = { now: start };
  const registry = new AgentRegistry({ runningWindowMs: windowMs, now: () => clock.now });
  const changes: AgentChange[] = [];
  registry.subscribe((c) => changes.push(c));
  return { registry, clock, changes };
}

const P = "/home/ada/.claude/projects/-home-ada-tailboard";

Deno.test("AgentRegistry titles an agent: line title, meta description, prompt, type, file name", async (t) => {
  const path = `${P}/${NEW_SESSION}/subagents/agent-a1.jsonl`;
  const setup = () => {
    const { registry } = registryAt(0);
    registry.upsert(entry(path, { source: "claude-subagent" }));
    return registry;
  };
  await t.step("the file name when nothing else is known", () => {
    assert.equal(setup().byPath(path)?.title, "agent-a1.jsonl");
  });
  await t.step("the meta agentType over the file name", () => {
    const registry = setup();
    registry.setMeta(path, { agentType: "Explore" });
    assert.equal(registry.byPath(path)?.title, "Explore agent");
  });
  await t.step("the first real prompt over the meta agentType", () => {
    const registry = setup();
    registry.setMeta(path, { agentType: "Explore" });
    registry.setFacts(
      path,
      foldFacts([user("<command-name>/x</command-name>"), user("Find TODOs")]),
    );
    assert.equal(registry.byPath(path)?.title, "Find TODOs");
  });
  await t.step("the meta description over the file name", () => {
    const registry = setup();
    registry.setMeta(path, { description: "Search the repo", agentType: "Explore" });
    assert.equal(registry.byPath(path)?.title, "Search the repo");
  });
  await t.step("a summary, ai-title or custom-title over everything", () => {
    const registry = setup();
    registry.setMeta(path, { description: "Search the repo" });
    registry.setFacts(path, foldFacts([user("Find TODOs"), summary("Summed up")]));
    assert.equal(registry.byPath(path)?.title, "Summed up");
    registry.setFacts(path, foldFacts([user("Find TODOs"), summary("S"), aiTitle("AI named")]));
    assert.equal(registry.byPath(path)?.title, "AI named");
    registry.setFacts(path, foldFacts([customTitle("Mine"), aiTitle("AI named")]));
    assert.equal(registry.byPath(path)?.title, "Mine");
  });
});

// The order for subagents: "their meta.json description or first prompt".
Deno.test({
  name: "AgentRegistry prefers the subagent meta description to its first prompt",
  fn() {
    const path = `${P}/${NEW_SESSION}/subagents/agent-a1.jsonl`;
    const { registry } = registryAt(0);
    registry.upsert(entry(path, { source: "claude-subagent" }));
    registry.setMeta(path, { description: "Search the repo", agentType: "Explore" });
    registry.setFacts(path, foldFacts([user("Find TODOs")]));
    assert.equal(registry.byPath(path)?.title, "Search the repo");
  },
});

Deno.test("AgentRegistry names the project after the cwd's last folder, else the path's hint", () => {
  const { registry } = registryAt(0);
  const path = `${P}/${NEW_SESSION}.jsonl`;
  registry.upsert(entry(path, { projectHint: "tailboard" }));
  assert.equal(registry.byPath(path)?.project, "tailboard");
  registry.setFacts(path, { cwd: "/Users/ada/code/my-app/" });
  assert.equal(registry.byPath(path)?.project, "my-app");
  registry.setFacts(path, { cwd: "C:\\Users\\ada\\site.example.com" });
  assert.equal(registry.byPath(path)?.project, "site.example.com");
});

Deno.test("AgentRegistry links subagents to their parent session", async (t) => {
  await t.step("2.1.x: from the folder layout", () => {
    const { registry } = registryAt(0);
    const path = `${P}/${NEW_SESSION}/subagents/agent-a1.jsonl`;
    registry.upsert(
      entry(path, { source: "claude-subagent", parentPath: `${P}/${NEW_SESSION}.jsonl` }),
    );
    // The 2.1.x file's own sessionId names the agent, not the parent: ignored.
    registry.setFacts(path, { sessionId: "agent-a1" });
    assert.equal(registry.byPath(path)?.parentId, agentIdOf(`${P}/${NEW_SESSION}.jsonl`));
  });
  await t.step("2.0.x flat: from the file's sessionId, once read", () => {
    const { registry } = registryAt(0);
    const path = `${P}/agent-0c4c3cf8.jsonl`;
    registry.upsert(entry(path, { source: "claude-subagent" }));
    assert.equal(registry.byPath(path)?.parentId, null);
    registry.setFacts(path, { sessionId: AGTRACE_SESSION });
    assert.equal(registry.byPath(path)?.parentId, agentIdOf(`${P}/${AGTRACE_SESSION}.jsonl`));
  });
  await t.step("a flat file whose sessionId is an agent id has no parent", () => {
    // A 2.1.x subagent file seen outside its subagents/ folder names itself, or another agent.
    const { registry } = registryAt(0);
    const path = `${P}/agent-x.jsonl`;
    registry.upsert(entry(path, { source: "claude-subagent" }));
    registry.setFacts(path, { sessionId: "agent-a0ad4f44468bdf20d" });
    assert.equal(registry.byPath(path)?.parentId, null);
  });
  await t.step("a session's own sessionId does not make it a child", () => {
    const { registry } = registryAt(0);
    const path = `${P}/${AGTRACE_SESSION}.jsonl`;
    registry.upsert(entry(path));
    registry.setFacts(path, { sessionId: AGTRACE_SESSION });
    assert.equal(registry.byPath(path)?.parentId, null);
  });
});

Deno.test("AgentRegistry.tick() turns running into idle with exactly one change", () => {
  const { registry, clock, changes } = registryAt(10_000);
  const path = `${P}/s.jsonl`;
  assert.equal(registry.upsert(entry(path, { mtime: 5_000 })), true);
  assert.equal(changes.length, 1);
  assert.equal(registry.byPath(path)?.state, "running");

  clock.now = 5_000 + 89_999;
  registry.tick();
  assert.equal(changes.length, 1, "still inside the window");

  clock.now = 5_000 + 90_000;
  registry.tick();
  assert.equal(changes.length, 2);
  const change = changes[1]!;
  assert.equal(change.type, "upsert");
  assert.equal(change.type === "upsert" && change.agent.state, "idle");
  assert.equal(registry.byPath(path)?.state, "idle");

  registry.tick();
  registry.tick();
  assert.equal(changes.length, 2, "no change, no event");
});

Deno.test("AgentRegistry.upsert() emits only when something a user sees changed", async (t) => {
  const { registry, clock, changes } = registryAt(1_000);
  const path = `${P}/s.jsonl`;
  await t.step("a new file: true and one upsert", () => {
    assert.equal(registry.upsert(entry(path)), true);
    assert.deepEqual(changes.map((c) => c.type), ["upsert"]);
  });
  await t.step("the same entry again: false and nothing", () => {
    assert.equal(registry.upsert(entry(path)), false);
    assert.equal(registry.upsert(entry(path, { ino: 1 })), false);
    assert.equal(changes.length, 1);
  });
  await t.step("the file grew: one upsert with the new size and mtime", () => {
    clock.now = 500_000;
    assert.equal(registry.upsert(entry(path, { size: 250, mtime: 499_000 })), false);
    assert.equal(changes.length, 2);
    const agent = (changes[1] as { agent: Agent }).agent;
    assert.equal(agent.size, 250);
    assert.equal(agent.mtime, 499_000);
    assert.equal(agent.state, "running");
  });
  await t.step("facts that change nothing shown emit nothing", () => {
    registry.setFacts(path, { agentId: "whatever" });
    assert.equal(changes.length, 2);
    registry.setFacts(path, { activity: "waiting" });
    assert.equal(changes.length, 3);
    assert.equal(registry.byPath(path)?.activity, "waiting");
  });
  await t.step("facts for an unknown path are dropped", () => {
    registry.setFacts("/elsewhere.jsonl", { title: "x" });
    registry.setMeta("/elsewhere.jsonl", { description: "x" });
    assert.equal(changes.length, 3);
    assert.equal(registry.size, 1);
  });
});

Deno.test("AgentRegistry.remove() emits the id once", () => {
  const { registry, changes } = registryAt(0);
  const path = `${P}/s.jsonl`;
  registry.upsert(entry(path));
  assert.equal(registry.remove(path), true);
  assert.equal(registry.remove(path), false);
  assert.deepEqual(changes.slice(1), [{ type: "remove", id: agentIdOf(path) }]);
  assert.equal(registry.get(agentIdOf(path)), undefined);
  assert.equal(registry.size, 0);
});

Deno.test("AgentRegistry.listJson() is rebuilt after every change and sorted newest first", () => {
  const { registry, clock } = registryAt(0);
  const a = `${P}/a.jsonl`;
  const b = `${P}/b.jsonl`;
  assert.equal(registry.listJson(), '{"agents":[]}');
  registry.upsert(entry(a, { mtime: 10 }));
  registry.upsert(entry(b, { mtime: 20 }));
  const ids = () => JSON.parse(registry.listJson()).agents.map((x: Agent) => x.path);
  assert.deepEqual(ids(), [b, a]);

  registry.setFacts(a, { title: "Titled", titleRank: 3 });
  assert.equal(JSON.parse(registry.listJson()).agents[1].title, "Titled");

  registry.upsert(entry(a, { mtime: 30 }));
  assert.deepEqual(ids(), [a, b]);

  clock.now = 1_000_000;
  registry.tick();
  assert.deepEqual(
    JSON.parse(registry.listJson()).agents.map((x: Agent) => x.state),
    ["idle", "idle"],
  );

  registry.remove(b);
  assert.deepEqual(ids(), [a]);
  assert.deepEqual(JSON.parse(registry.listJson()), { agents: registry.list() });
});

Deno.test("AgentRegistry ids are opaque, stable and 16 hex digits", () => {
  const id = agentIdOf("/home/ada/.claude/projects/p/s.jsonl");
  assert.match(id, /^[0-9a-f]{16}$/);
  assert.equal(agentIdOf("/home/ada/.claude/projects/p/s.jsonl"), id);
  assert.notEqual(agentIdOf("/home/ada/.claude/projects/p/t.jsonl"), id);
  const { registry } = registryAt(0);
  registry.upsert(entry("/x/s.jsonl"));
  assert.equal(registry.get(agentIdOf("/x/s.jsonl"))?.id, agentIdOf("/x/s.jsonl"));
});

// ---- real files --------------------------------------------------------------------

async function tempDir(): Promise<AsyncDisposable & { path: string }> {
  const path = await Deno.realPath(await Deno.makeTempDir({ prefix: "tailboard_agents_" }));
  return { path, [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }) };
}

async function write(path: string, content: string): Promise<void> {
  await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  await Deno.writeTextFile(path, content);
}

Deno.test("a task .output symlink and the transcript it points at are one agent", async (t) => {
  await using dir = await tempDir();
  const projects: Root = { path: `${dir.path}/claude/projects`, kind: "claude-projects" };
  const tasks: Root = { path: `${dir.path}/tmp/claude-0`, kind: "claude-tasks" };
  const project = `${projects.path}/-home-ada-tailboard`;

  await t.step("2.1.x subagent transcript", async () => {
    const transcript = `${project}/${NEW_SESSION}/subagents/agent-a0ad.jsonl`;
    await write(transcript, user("Search", { cwd: "/home/ada/tailboard" }) + "\n");
    await write(`${project}/${NEW_SESSION}.jsonl`, user("Parent") + "\n");
    await Deno.mkdir(`${tasks.path}/-home-ada-tailboard/tasks`, { recursive: true });
    await Deno.symlink(transcript, `${tasks.path}/-home-ada-tailboard/tasks/a0ad.output`);

    const { files } = await scanRoots([projects, tasks]);
    assert.equal(files.length, 3);
    const { registry, changes } = registryAt(Date.now());
    for (const file of files) registry.upsert(file);
    assert.equal(registry.size, 2);
    const agent = registry.byPath(transcript)!;
    assert.equal(agent.source, "claude-subagent");
    assert.equal(agent.path, transcript);
    assert.equal(agent.parentId, agentIdOf(`${project}/${NEW_SESSION}.jsonl`));
    assert.equal(changes.length, 2);
    await Deno.remove(`${project}/${NEW_SESSION}`, { recursive: true });
    await Deno.remove(`${project}/${NEW_SESSION}.jsonl`);
    await Deno.remove(`${tasks.path}/-home-ada-tailboard/tasks/a0ad.output`);
  });

  await t.step("a link found first or last keeps the transcript's own class", async () => {
    const session = `${project}/${AGTRACE_SESSION}.jsonl`;
    await write(session, user("Go") + "\n");
    await Deno.symlink(session, `${tasks.path}/-home-ada-tailboard/tasks/bash1.output`);
    const [linkEntry] = (await scanRoots([tasks])).files;
    const [sessionEntry] = (await scanRoots([projects])).files;
    assert.equal(linkEntry?.source, "claude-task");
    assert.equal(sessionEntry?.source, "claude-session");

    for (const order of [[linkEntry!, sessionEntry!], [sessionEntry!, linkEntry!]]) {
      const { registry, changes } = registryAt(Date.now());
      for (const e of order) registry.upsert(e);
      const before = changes.length;
      registry.upsert(linkEntry!); // the next re-list finds the link again
      assert.equal(registry.size, 1);
      assert.equal(registry.byPath(session)?.source, "claude-session");
      assert.equal(changes.length, before, "re-finding the link changes nothing");
    }
  });
});

Deno.test({
  name: "a task .output symlink is one agent with its transcript under a symlinked ~/.claude",
  async fn() {
    await using dir = await tempDir();
    await Deno.mkdir(`${dir.path}/dotfiles/claude/projects/-p`, { recursive: true });
    await Deno.symlink(`${dir.path}/dotfiles/claude`, `${dir.path}/.claude`);
    const transcript = `${dir.path}/.claude/projects/-p/${NEW_SESSION}/subagents/agent-a1.jsonl`;
    await write(transcript, user("Search") + "\n");
    await Deno.mkdir(`${dir.path}/tmp/claude-0/-p/tasks`, { recursive: true });
    await Deno.symlink(transcript, `${dir.path}/tmp/claude-0/-p/tasks/a1.output`);
    const { files } = await scanRoots([
      { path: `${dir.path}/.claude/projects`, kind: "claude-projects" },
      { path: `${dir.path}/tmp/claude-0`, kind: "claude-tasks" },
    ]);
    const { registry } = registryAt(Date.now());
    for (const file of files) registry.upsert(file);
    assert.equal(registry.size, 1);
  },
});

Deno.test("readFacts() reads the agtrace 2.0.x session and its two flat agents", async () => {
  const root: Root = { path: `${CORPUS}/agtrace`, kind: "claude-projects" };
  const { files } = await scanRoots([root]);
  const { registry } = registryAt(Date.now());
  for (const file of files) {
    registry.upsert(file);
    registry.setFacts(file.realPath, await readFacts(file.realPath, file.size));
  }
  const session = registry.byPath(`${root.path}/${AGTRACE_SESSION}.jsonl`)!;
  assert.equal(session.source, "claude-session");
  assert.equal(session.project, "agent-sample");
  assert.equal(
    session.title,
    "add myapp directory and create myapp/hoge.py which shows result of print(1+1).",
  );
  assert.equal(session.parentId, null);
  for (const id of ["0c4c3cf8", "90fa40b6"]) {
    const path = `${root.path}/agent-${id}.jsonl`;
    const agent = registry.byPath(path)!;
    assert.equal(agent.source, "claude-subagent");
    assert.equal(agent.title, "Warmup");
    assert.equal(agent.project, "agent-sample");
    assert.equal(agent.parentId, session.id);
    assert.equal(registry.factsOf(path)?.agentId, id);
    assert.equal(registry.factsOf(path)?.sessionId, AGTRACE_SESSION);
  }
});

Deno.test("readFacts() and readMeta() read the 2.1.x subagent layout", async () => {
  const root: Root = { path: `${CORPUS}/agent-sessions/claude/subagent`, kind: "claude-projects" };
  const { files } = await scanRoots([root]);
  assert.equal(files.length, 2);
  const { registry } = registryAt(Date.now());
  for (const file of files) {
    registry.upsert(file);
    registry.setFacts(file.realPath, await readFacts(file.realPath, file.size));
    if (file.metaPath) registry.setMeta(file.realPath, await readMeta(file.metaPath));
  }
  const parent = registry.byPath(`${root.path}/${NEW_SESSION}.jsonl`)!;
  assert.equal(parent.title, "Delegate a repo search to a subagent");
  assert.equal(parent.project, "tmp");
  const childPath = `${root.path}/${NEW_SESSION}/subagents/agent-a0ad4f44468bdf20d.jsonl`;
  const child = registry.byPath(childPath)!;
  assert.equal(child.source, "claude-subagent");
  assert.equal(child.parentId, parent.id);
  assert.equal(child.title, "Search the repo for TODO comments");
  assert.equal(registry.factsOf(childPath)?.agentId, "a0ad4f44468bdf20d");
  assert.deepEqual(
    await readMeta(`${root.path}/${NEW_SESSION}/subagents/agent-a0ad4f44468bdf20d.meta.json`),
    { agentType: "general-purpose" },
  );
});

Deno.test("readMeta() returns null for a missing or half-written sidecar", async () => {
  await using dir = await tempDir();
  assert.equal(await readMeta(`${dir.path}/absent.meta.json`), null);
  await write(`${dir.path}/half.meta.json`, '{"agentType":"Expl');
  assert.equal(await readMeta(`${dir.path}/half.meta.json`), null);
  await write(`${dir.path}/null.meta.json`, "null");
  assert.equal(await readMeta(`${dir.path}/null.meta.json`), null);
  await write(`${dir.path}/odd.meta.json`, '{"description":7,"agentType":"Plan"}');
  assert.deepEqual(await readMeta(`${dir.path}/odd.meta.json`), { agentType: "Plan" });
});

/** About 1 KiB of a finished assistant turn. */
const FILLER = assistant([text("f".repeat(1000))], "end_turn") + "\n";

async function bigFile(path: string, middle: string, nearEnd: string): Promise<number> {
  const head = user("Build the thing", { cwd: "/work/big-project", sessionId: "s-big" }) + "\n";
  const half = FILLER.repeat(Math.ceil(2_500_000 / FILLER.length));
  const body = head + half + middle + "\n" + half + nearEnd + "\n" + FILLER.repeat(20);
  await write(path, body);
  const size = (await Deno.stat(path)).size;
  assert.ok(size > 5_000_000, `size ${size}`);
  return size;
}

Deno.test("readFacts() reads only the head and tail windows of a big file", async (t) => {
  await using dir = await tempDir();
  await t.step("a custom-title near the end of a 5 MB file is found", async () => {
    const path = `${dir.path}/end-title.jsonl`;
    const size = await bigFile(path, summary("middle summary"), customTitle("Renamed late"));
    const facts = await readFacts(path, size);
    assert.equal(facts.title, "Renamed late");
    assert.equal(facts.titleRank, 3);
    assert.equal(facts.cwd, "/work/big-project");
    assert.equal(facts.sessionId, "s-big");
    assert.equal(facts.firstPrompt, "Build the thing");
    assert.equal(facts.activity, "waiting");
  });
  await t.step("a title in the middle, outside both windows, is never read", async () => {
    const path = `${dir.path}/mid-title.jsonl`;
    const size = await bigFile(path, customTitle("Hidden in the middle"), aiTitle("Tail title"));
    assert.equal((await readFacts(path, size)).title, "Tail title");
  });
  await t.step("bytes past the given size are not read", async () => {
    const path = `${dir.path}/grown.jsonl`;
    const size = await bigFile(path, "", aiTitle("Seen"));
    await Deno.writeTextFile(path, customTitle("Written after the stat") + "\n", { append: true });
    assert.equal((await readFacts(path, size)).title, "Seen");
  });
});

Deno.test("readFacts() ignores a half-written last line", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/s.jsonl`;
  const content = user("First", { cwd: "/x/y" }) + "\n" + customTitle("Not yet");
  await write(path, content.slice(0, -2));
  const facts = await readFacts(path, (await Deno.stat(path)).size);
  assert.equal(facts.firstPrompt, "First");
  assert.equal(facts.title, undefined);
});

Deno.test({
  name: "readFacts() keeps a tail-window line that starts exactly at the window's edge",
  async fn() {
    await using dir = await tempDir();
    const path = `${dir.path}/edge.jsonl`;
    const title = customTitle("At the edge") + "\n";
    const filler = "x".repeat(99) + "\n";
    const rest = 64 * 1024 - title.length;
    const tail = title + filler.repeat(Math.floor(rest / 100)) + "y".repeat(rest % 100 - 1) + "\n";
    assert.equal(tail.length, 64 * 1024);
    await write(path, user("Head") + "\n" + filler.repeat(1000) + tail);
    const facts = await readFacts(path, (await Deno.stat(path)).size);
    assert.equal(facts.title, "At the edge");
  },
});

Deno.test({
  name: "foldFacts() does not call a session working after a local /exit command",
  async fn() {
    const text = await Deno.readTextFile(`${CORPUS}/agtrace/${AGTRACE_SESSION}.jsonl`);
    assert.equal(foldFacts(text.split("\n").filter(Boolean)).activity, "waiting");
  },
});
