/** The UI's small pure modules: time, sizes, routes, keys, tools, the sidebar's tree. */
import assert from "node:assert/strict";
import { clock, duration, parseTs, relativeTime, shortAge, stamp } from "../../ui/lib/time.js";
import { formatBytes } from "../../ui/lib/size.js";
import { agentPath, parseRoute } from "../../ui/lib/route.js";
import { keyAction } from "../../ui/lib/keys.js";
import { editsOf, findSubagent, keyInput } from "../../ui/cards/tools.js";
import { type Agent, agentOrder, groupAgents, projectLabel } from "../../ui/lib/agent_tree.js";
import type { AgentStatus } from "../../core/api.ts";

Deno.test("shortAge() and relativeTime() read like a person would say them", () => {
  const now = Date.UTC(2025, 11, 16, 12, 0, 0);
  assert.deepEqual(
    [0, 4_000, 12_000, 5 * 60_000, 3 * 3_600_000, 2 * 86_400_000].map((d) =>
      shortAge(now - d, now)
    ),
    ["now", "now", "12s", "5m", "3h", "2d"],
  );
  assert.equal(shortAge(now + 5000, now), "now", "clock skew never shows a negative age");
  assert.equal(relativeTime(now - 5 * 60_000, now), "5m ago");
  assert.equal(relativeTime(now, now), "just now");
});

Deno.test("stamp() switches from ages to day and time after a day", () => {
  const now = new Date(2025, 11, 16, 12, 0, 0).getTime();
  assert.equal(stamp(now - 90_000, now), "1m");
  assert.equal(stamp(new Date(2025, 11, 9, 14, 3).getTime(), now), "9 Dec 14:03");
  assert.equal(stamp(new Date(2024, 0, 2, 8, 5).getTime(), now), "2 Jan 2024 08:05");
});

Deno.test("clock(), duration() and parseTs()", () => {
  assert.equal(clock(new Date(2025, 0, 1, 9, 5, 7).getTime()), "09:05:07");
  assert.deepEqual([850, 4200, 42_000, 185_000, 3_720_000].map(duration), [
    "850ms",
    "4.2s",
    "42s",
    "3m 05s",
    "1h 02m",
  ]);
  assert.equal(parseTs("2025-12-16T00:00:01.000Z"), Date.UTC(2025, 11, 16, 0, 0, 1));
  assert.equal(parseTs("[trimmed for fixture]"), null);
  assert.equal(parseTs(undefined), null);
});

Deno.test("formatBytes() uses powers of 1024", () => {
  assert.deepEqual([0, 812, 4300, 13 * 1024 * 1024, 1.1 * 1024 ** 3, -1].map(formatBytes), [
    "0 B",
    "812 B",
    "4.2 KB",
    "13 MB",
    "1.1 GB",
    "–",
  ]);
});

Deno.test("parseRoute() and agentPath() round-trip opaque ids and card cursors", () => {
  assert.deepEqual(parseRoute("/"), { view: "home" });
  const id = "a/b c?#";
  const path = agentPath(id, 1234);
  const [pathname, hash] = path.split("#");
  assert.deepEqual(parseRoute(pathname!, `#${hash}`), { view: "agent", agentId: id, cursor: 1234 });
  assert.deepEqual(parseRoute("/agents/x", "#main"), { view: "agent", agentId: "x", cursor: null });
  assert.deepEqual(parseRoute("/agents/%E0%A4%A"), { view: "unknown", path: "/agents/%E0%A4%A" });
  assert.deepEqual(parseRoute("/nope"), { view: "unknown", path: "/nope" });
});

Deno.test("keyAction() maps the documented keys and leaves typing alone", () => {
  const free = { typing: false, onControl: false };
  const cases: [string, string | null][] = [
    ["j", "nextCard"],
    ["k", "prevCard"],
    ["J", "nextAgent"],
    ["]", "nextAgent"],
    ["K", "prevAgent"],
    ["[", "prevAgent"],
    ["o", "toggleCard"],
    ["Enter", "toggleCard"],
    ["g", "top"],
    ["G", "bottom"],
    ["f", "toggleFollow"],
    ["/", "filter"],
    ["?", "help"],
    ["Escape", "escape"],
    ["x", null],
  ];
  for (const [key, action] of cases) assert.equal(keyAction({ key }, free), action, key);
  assert.equal(keyAction({ key: "j" }, { typing: true, onControl: false }), null);
  assert.equal(keyAction({ key: "Escape" }, { typing: true, onControl: false }), "escape");
  assert.equal(
    keyAction({ key: "Enter" }, { typing: false, onControl: true }),
    null,
    "Enter on a link follows it",
  );
  assert.equal(keyAction({ key: "j", ctrlKey: true }, free), null);
});

Deno.test("keyInput() picks what a tool call is about", () => {
  assert.deepEqual(keyInput("Bash", { command: "npm test", description: "run" }), {
    detail: "npm test",
    mono: true,
  });
  assert.deepEqual(keyInput("Edit", { file_path: "/a/b.ts", old_string: "", new_string: "" }), {
    detail: "/a/b.ts",
    mono: true,
  });
  assert.deepEqual(keyInput("Grep", { pattern: "TODO", path: "src" }), {
    detail: "TODO  in src",
    mono: true,
  });
  assert.deepEqual(
    keyInput("Task", { description: "search files", subagent_type: "general-purpose" }),
    {
      detail: "general-purpose: search files",
      mono: false,
    },
  );
  assert.deepEqual(
    keyInput("TodoWrite", { todos: [{ status: "completed" }, { status: "pending" }] }),
    {
      detail: "1/2 done",
      mono: false,
    },
  );
  assert.deepEqual(keyInput("mcp__x__y", { query: "cats\nand dogs" }), {
    detail: "cats …",
    mono: true,
  });
  assert.deepEqual(keyInput("Weird", null), { detail: "", mono: false });
});

Deno.test("editsOf() reads Edit, MultiEdit and Write inputs", () => {
  assert.deepEqual(editsOf("Edit", { old_string: "a", new_string: "b" }), [{
    oldText: "a",
    newText: "b",
  }]);
  assert.deepEqual(
    editsOf("MultiEdit", { edits: [{ old_string: "a", new_string: "b" }, { bad: 1 }] }),
    [
      { oldText: "a", newText: "b" },
    ],
  );
  assert.deepEqual(editsOf("Write", { content: "x" }), [{ oldText: "", newText: "x" }]);
  assert.equal(editsOf("Bash", { command: "ls" }), null);
});

const agent = (id: string, extra: Partial<Agent> = {}): Agent => ({
  id,
  path: `/p/${id}.jsonl`,
  source: "claude-session",
  project: "/home/me/code/app",
  title: id,
  state: "idle",
  activity: null,
  mtime: 0,
  startedAt: 0,
  size: 1,
  parentId: null,
  usage: null,
  status: { kind: "idle", reason: "quiet", since: 0, source: "transcript" },
  ...extra,
});

Deno.test("findSubagent() matches by agentId, then prompt, then the only child", () => {
  const kids = [
    agent("k1", {
      parentId: "p",
      title: "Search the repo for TODO comments",
      path: "/x/agent-abc.jsonl",
    }),
    agent("k2", { parentId: "p", title: "Write the docs" }),
  ];
  assert.equal(
    findSubagent({ input: {}, resultAgentId: "abc", callCount: 2 }, "p", kids)?.id,
    "k1",
  );
  assert.equal(
    findSubagent({ input: { prompt: "Write the docs\nin detail" }, callCount: 2 }, "p", kids)?.id,
    "k2",
  );
  assert.equal(findSubagent({ input: { description: "x" }, callCount: 2 }, "p", kids), null);
  assert.equal(
    findSubagent({ input: { description: "x" }, callCount: 1 }, "p", kids.slice(0, 1))?.id,
    "k1",
  );
});

const is = (kind: AgentStatus["kind"], reason: AgentStatus["reason"] = "quiet"): AgentStatus => ({
  kind,
  reason,
  since: 0,
  source: "transcript",
});

Deno.test("groupAgents() groups by status, then project and start; children under parents", () => {
  const list = [
    agent("old", { startedAt: 1, status: is("working", "tool") }),
    agent("new", { startedAt: 5, status: is("working", "turn") }),
    agent("asks", { startedAt: 2, status: is("needs-you", "question") }),
    agent("kid", { startedAt: 9, parentId: "old", source: "claude-subagent", status: is("done") }),
    agent("api", { startedAt: 3, project: "/srv/api", status: is("working", "tool") }),
    agent("orphan", { startedAt: 4, parentId: "missing", status: is("failed", "api-error") }),
    agent("quiet", { startedAt: 8 }),
  ];
  const groups = groupAgents(list);
  assert.deepEqual(groups.map((g) => g.label), ["Needs you", "Working", "Failed", "Idle"]);
  assert.deepEqual(groups[1]!.rows.map((r) => [r.agent.id, r.depth]), [
    ["api", 0],
    ["new", 0],
    ["old", 0],
    ["kid", 1],
  ]);
  assert.deepEqual(agentOrder(groups), ["asks", "api", "new", "old", "kid", "orphan", "quiet"]);
});

Deno.test("groupAgents() keeps rows put while agents append, and moves them on a status change", () => {
  const list = [
    agent("a", { startedAt: 1, mtime: 100, status: is("working", "tool") }),
    agent("b", { startedAt: 2, mtime: 50, status: is("working", "tool") }),
  ];
  const before = agentOrder(groupAgents(list));
  list[0] = { ...list[0]!, mtime: 10, size: 99 };
  list[1] = { ...list[1]!, mtime: 900, size: 999 };
  assert.deepEqual(agentOrder(groupAgents(list)), before, "appends do not reorder");
  list[0] = { ...list[0]!, status: is("needs-you", "permission") };
  const groups = groupAgents(list);
  assert.deepEqual(groups.map((g) => [g.label, g.rows.length]), [["Needs you", 1], ["Working", 1]]);
});

Deno.test("groupAgents() filters by every word and keeps a matching child's parent", () => {
  const list = [
    agent("parent", { title: "Refactor" }),
    agent("kid", { title: "search todo", parentId: "parent" }),
  ];
  const rows = groupAgents(list, "TODO search")[0]!.rows;
  assert.deepEqual(rows.map((r) => [r.agent.id, r.match]), [["parent", false], ["kid", true]]);
  assert.deepEqual(groupAgents(list, "app refactor")[0]!.rows.map((r) => r.agent.id), [
    "parent",
    "kid",
  ]);
  assert.deepEqual(groupAgents(list, "zzz"), []);
});

Deno.test("groupAgents() still lists agents whose parents form a cycle", () => {
  const list = [agent("a", { parentId: "b", mtime: 2 }), agent("b", { parentId: "a", mtime: 1 })];
  assert.deepEqual(groupAgents(list)[0]!.rows.map((r) => [r.agent.id, r.depth]), [["a", 0], [
    "b",
    1,
  ]]);
});

Deno.test("projectLabel() shows the last folder", () => {
  assert.equal(projectLabel("/Users/me/code/tailboard"), "tailboard");
  assert.equal(projectLabel("C:\\work\\app\\"), "app");
  assert.equal(projectLabel(""), "(no project)");
});
