import assert from "node:assert/strict";
import type { Agent, AgentStatus, StatusKind } from "../../core/api.ts";
import {
  faviconHref,
  forHowLong,
  groupByStatus,
  needsYouCount,
  statusLine,
  statusOf,
  titleWithCount,
} from "../../ui/lib/status.js";
import { alertsFor, FRESH_MS } from "../../ui/lib/notify_rules.js";

const NOW = Date.parse("2026-12-06T08:00:00Z");
const status = (kind: StatusKind, reason: AgentStatus["reason"], since = NOW): AgentStatus => ({
  kind,
  reason,
  since,
  source: "transcript",
});
const agent = (id: string, s: AgentStatus, extra: Partial<Agent> = {}): Agent => ({
  id,
  path: `/p/${id}.jsonl`,
  source: "claude-session",
  project: "/home/me/code/shop",
  title: `Agent ${id}`,
  state: "idle",
  activity: null,
  mtime: 0,
  startedAt: 0,
  size: 1,
  parentId: null,
  usage: null,
  status: s,
  ...extra,
});

Deno.test("statusLine() says why and for how long", () => {
  assert.equal(
    statusLine(status("needs-you", "question", NOW - 4 * 60_000), NOW),
    "asking you a question · 4 min",
  );
  assert.equal(statusLine(status("failed", "api-error", NOW - 5000), NOW), "API error · 5 s");
  assert.equal(forHowLong(NOW - 3 * 3_600_000 - 60_000, NOW), "3 h 1 min");
  assert.equal(forHowLong(NOW - 5 * 86_400_000, NOW), "5 days");
  assert.equal(forHowLong(NOW + 5000, NOW), "0 s", "a clock a little ahead is not negative");
});

Deno.test("statusOf() reads an agent from a daemon without statuses by its old fields", () => {
  const old = agent("x", status("idle", "quiet"));
  delete (old as Partial<Agent>).status;
  assert.equal(statusOf({ ...old, state: "running", activity: "waiting" }).kind, "needs-you");
  assert.equal(statusOf({ ...old, state: "running", activity: "working" }).kind, "working");
  assert.equal(statusOf(old).kind, "idle");
});

Deno.test("groupByStatus() puts who needs you first, longest waiting first", () => {
  const groups = groupByStatus([
    agent("w", status("working", "tool", NOW - 10)),
    agent("q2", status("needs-you", "prompt", NOW - 10)),
    agent("q1", status("needs-you", "question", NOW - 1000)),
    agent("f", status("failed", "died")),
  ]);
  assert.deepEqual(
    groups.map((g) => [g.kind, g.agents.map((a) => a.id)]),
    [["needs-you", ["q1", "q2"]], ["working", ["w"]], ["failed", ["f"]], ["done", []], [
      "idle",
      [],
    ]],
  );
});

Deno.test("the tab title and favicon count who needs you", () => {
  const list = [agent("a", status("needs-you", "plan")), agent("b", status("working", "turn"))];
  assert.equal(needsYouCount(list), 1);
  assert.equal(titleWithCount(2), "(2) tailboard");
  assert.equal(titleWithCount(0, "Scheduler · tailboard"), "Scheduler · tailboard");
  assert.match(faviconHref(3), />3<\/text>/);
  assert.match(faviconHref(12), />9\+<\/text>/);
  assert.doesNotMatch(faviconHref(0), /circle/);
});

Deno.test("alertsFor() notifies live moves to needs-you, failed and done only", async (t) => {
  const seen = new Map<string, StatusKind>();
  const mutes = { muteAll: false, mutedProjects: [] as string[] };
  await t.step("the first sight of every agent raises nothing (no start-up burst)", () => {
    const first = [agent("a", status("working", "tool")), agent("b", status("needs-you", "plan"))];
    assert.deepEqual(alertsFor(seen, first, mutes, NOW), []);
  });
  await t.step("a move to needs-you notifies, with the reason", () => {
    const alerts = alertsFor(seen, [agent("a", status("needs-you", "permission"))], mutes, NOW);
    assert.deepEqual(alerts.map((a) => [a.agentId, a.title, a.body]), [[
      "a",
      "Needs you: Agent a",
      "shop · waiting for permission",
    ]]);
  });
  await t.step("staying put does not notify again", () => {
    assert.deepEqual(
      alertsFor(seen, [agent("a", status("needs-you", "permission"))], mutes, NOW),
      [],
    );
  });
  await t.step("a move to working does not notify; to failed and done does", () => {
    assert.equal(alertsFor(seen, [agent("a", status("working", "turn"))], mutes, NOW).length, 0);
    assert.equal(alertsFor(seen, [agent("a", status("failed", "died"))], mutes, NOW).length, 1);
    assert.equal(alertsFor(seen, [agent("a", status("done", "finished"))], mutes, NOW).length, 1);
  });
  await t.step("a change that happened long before it was seen is not news", () => {
    const old = status("failed", "api-error", NOW - FRESH_MS - 1);
    assert.equal(alertsFor(seen, [agent("a", old)], mutes, NOW).length, 0);
  });
  await t.step("muted projects and mute-all stay silent", () => {
    const s = (kind: StatusKind) => [agent("a", status(kind, "quiet"))];
    alertsFor(seen, s("working"), mutes, NOW);
    const muted = { muteAll: false, mutedProjects: ["/home/me/code/shop"] };
    assert.equal(alertsFor(seen, s("done"), muted, NOW).length, 0);
    alertsFor(seen, s("working"), mutes, NOW);
    assert.equal(alertsFor(seen, s("done"), { muteAll: true, mutedProjects: [] }, NOW).length, 0);
  });
});
