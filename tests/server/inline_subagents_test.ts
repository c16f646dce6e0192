/**
 * Claude Code 1.0.x inline subagents over real sockets: listed under their
 * session, each with a feed of its own lines of the session's file, on the
 * per-agent endpoints and on the page's one live connection, resuming from
 * their own tokens; the session's feed holds none of their lines.
 */
import assert from "node:assert/strict";
import { append, eventually, type Harness, startHarness } from "../_harness/daemon.ts";
import { SseClient } from "../_harness/sse_client.ts";

const FIXTURE = new URL(
  "../fixtures/shapes/claude/4b9d2e71-6c0a-4f3b-8e15-2d7a9c3f1b60.jsonl",
  import.meta.url,
);
const NAME = "4b9d2e71-6c0a-4f3b-8e15-2d7a9c3f1b60.jsonl";

interface Listed {
  id: string;
  parentId: string | null;
  title: string;
  toolUseId?: string;
  inline?: true;
  source: string;
  usage: { tokens: number } | null;
  status: { kind: string; reason: string };
}

/** The session and its two subagents (cart, checkout), once all three are listed. */
async function world(h: Harness): Promise<{ session: Listed; cart: Listed; checkout: Listed }> {
  await Deno.copyFile(FIXTURE, `${h.dir}/${NAME}`);
  const sessionId = await h.agentId(NAME);
  return await eventually("both subagents listed", async () => {
    const all = (await h.agents()) as unknown as Listed[];
    const children = all.filter((a) => a.parentId === sessionId);
    const cart = children.find((a) => a.toolUseId === "toolu_01Cart");
    const checkout = children.find((a) => a.toolUseId === "toolu_01Chk");
    const session = all.find((a) => a.id === sessionId)!;
    return cart && checkout ? { session, cart, checkout } : undefined;
  });
}

// deno-lint-ignore no-explicit-any
async function eventsJson(h: Harness, id: string, query = "limit=100"): Promise<any> {
  const res = await fetch(`${h.url}api/agents/${id}/events.json?${query}`);
  assert.equal(res.status, 200);
  return await res.json();
}

const uuids = (events: { uuid?: string; kind: string }[]) => events.map((e) => e.uuid ?? e.kind);

/** A new line of the 1.0.x session, now. */
function line(uuid: string, parentUuid: string, sidechain: boolean, text: string): string {
  return JSON.stringify({
    parentUuid,
    isSidechain: sidechain,
    userType: "external",
    sessionId: "4b9d2e71-6c0a-4f3b-8e15-2d7a9c3f1b60",
    version: "1.0.98",
    type: "assistant",
    message: { id: `msg_${uuid}`, role: "assistant", content: [{ type: "text", text }] },
    uuid,
    timestamp: new Date().toISOString(),
  }) + "\n";
}

Deno.test("a 1.0.x session's inline subagents are agents of their own, under it, tied to their Task calls", async () => {
  await using h = await startHarness();
  const { session, cart, checkout } = await world(h);
  assert.equal(session.source, "claude-session");
  for (const child of [cart, checkout]) {
    assert.equal(child.source, "claude-subagent");
    assert.equal(child.inline, true);
    assert.ok(child.usage && child.usage.tokens > 0, "each counts its own tokens");
  }
  assert.equal(cart.title, "Find rounding bugs in src/cart.ts and report file:line for each");
  assert.notEqual(cart.id, checkout.id);
  assert.equal((await (await fetch(`${h.url}api/agents/${cart.id}`)).json()).agent.id, cart.id);
});

Deno.test("each inline subagent's feed holds its own lines only, and the session's none of theirs", async () => {
  await using h = await startHarness();
  const { session, cart, checkout } = await world(h);
  assert.deepEqual(uuids((await eventsJson(h, cart.id)).events), ["s1u", "s1a", "s1r", "s1b"]);
  assert.deepEqual(uuids((await eventsJson(h, checkout.id)).events), ["s2u", "s2a", "s2r", "s2b"]);
  assert.deepEqual(uuids((await eventsJson(h, session.id)).events), [
    "u1",
    "a1",
    "a2",
    "a3",
    "r1",
    "r2",
    "a4",
  ]);
  // The SSE endpoint, newest N: N of the subagent's own.
  const sse = await SseClient.open(`${h.url}api/agents/${cart.id}/events?tail=2`);
  try {
    await sse.until((c) => c.events.length >= 2, 30_000, "two events");
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(uuids(sse.events as never), ["s1r", "s1b"]);
  } finally {
    await sse.close();
  }
  // Paging back from its second line (cursors are the file's) stays within it.
  const second = (await eventsJson(h, cart.id)).events[1].cursor;
  const page = await eventsJson(h, cart.id, `before=${second}&limit=1`);
  assert.deepEqual(uuids(page.events), ["s1a"]);
  assert.equal(page.hasMore, true);
});

Deno.test("a subagent's new line reaches its own feed live on the page's connection, and no other feed", async () => {
  await using h = await startHarness();
  const { session, cart, checkout } = await world(h);
  const sse = await SseClient.open(`${h.url}api/live`);
  try {
    await sse.until((c) => c.messages.some((m) => m.event === "hello"), 30_000, "hello");
    const conn = JSON.parse(sse.messages.find((m) => m.event === "hello")!.data).conn;
    const res = await fetch(`${h.url}api/live/${conn}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        add: [
          { key: "cart", kind: "agent", id: cart.id, tail: 50 },
          { key: "checkout", kind: "agent", id: checkout.id, tail: 50 },
          { key: "session", kind: "agent", id: session.id, tail: 50 },
        ],
      }),
    });
    assert.equal(res.status, 200, await res.clone().text());
    await res.body?.cancel();
    // deno-lint-ignore no-explicit-any
    const of = (key: string): any[] =>
      sse.messages.filter((m) => m.event === "message").map((m) => JSON.parse(m.data))
        .filter((m) => m.k === key && m.t === "events").flatMap((m) => m.d);
    await sse.until(
      (_) => of("cart").length === 4 && of("session").length === 7,
      30_000,
      "backlogs",
    );
    await append(`${h.dir}/${NAME}`, line("s1c", "s1b", true, "one more finding"));
    await append(`${h.dir}/${NAME}`, line("a5", "a4", false, "the session speaks"));
    await sse.until((_) => of("session").length === 8, 30_000, "the session's line");
    await sse.until((_) => of("cart").length === 5, 30_000, "the subagent's line");
    assert.equal(of("cart").at(-1).uuid, "s1c");
    assert.equal(of("session").at(-1).uuid, "a5");
    assert.deepEqual(uuids(of("checkout")), ["s2u", "s2a", "s2r", "s2b"]);
    assert.ok(of("session").every((e) => e.sidechain !== true));
  } finally {
    await sse.close();
  }
});

Deno.test("an inline subagent's feed resumes from its own token with its own lines only", async () => {
  await using h = await startHarness();
  const { cart } = await world(h);
  const first = await SseClient.open(`${h.url}api/agents/${cart.id}/events?tail=4`);
  let token: string;
  try {
    await first.until((c) => c.events.length === 4, 30_000, "the backlog");
    token = first.messages.filter((m) => m.event === "message")[1]!.id!;
  } finally {
    await first.close();
  }
  await append(`${h.dir}/${NAME}`, line("a5", "a4", false, "the session moves on"));
  await append(`${h.dir}/${NAME}`, line("s1c", "s1b", true, "a late finding"));
  const again = await SseClient.open(`${h.url}api/agents/${cart.id}/events`, {
    "last-event-id": token,
  });
  try {
    await again.until((c) => c.events.length >= 3, 30_000, "the rest");
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(uuids(again.events as never), ["s1r", "s1b", "s1c"]);
  } finally {
    await again.close();
  }
});

Deno.test("a subagent that still runs is working, and done once its session has the Task's result", async () => {
  await using h = await startHarness();
  const path = `${h.dir}/${NAME}`;
  const { session } = await world(h);
  const now = () => new Date().toISOString();
  const base = { isSidechain: false, userType: "external", version: "1.0.98", sessionId: "x" };
  await append(
    path,
    JSON.stringify({
      ...base,
      parentUuid: "a4",
      uuid: "a6",
      timestamp: now(),
      type: "assistant",
      message: {
        role: "assistant",
        content: [{
          type: "tool_use",
          id: "toolu_late",
          name: "Task",
          input: { prompt: "late one" },
        }],
      },
    }) + "\n" +
      JSON.stringify({
        ...base,
        isSidechain: true,
        parentUuid: null,
        uuid: "l1",
        timestamp: now(),
        type: "user",
        message: { role: "user", content: "late one" },
      }) + "\n" +
      JSON.stringify({
        ...base,
        isSidechain: true,
        parentUuid: "l1",
        uuid: "l2",
        timestamp: now(),
        type: "assistant",
        message: {
          role: "assistant",
          content: [{ type: "tool_use", id: "toolu_g", name: "Grep", input: {} }],
          stop_reason: "tool_use",
        },
      }) + "\n",
  );
  const late = async () =>
    ((await h.agents()) as unknown as Listed[]).find((a) =>
      a.parentId === session.id && a.toolUseId === "toolu_late"
    );
  await eventually(
    "the late subagent working",
    async () => (await late())?.status.kind === "working",
  );
  await append(
    path,
    JSON.stringify({
      ...base,
      parentUuid: "a6",
      uuid: "r9",
      timestamp: now(),
      type: "user",
      message: {
        role: "user",
        content: [{ type: "tool_result", tool_use_id: "toolu_late", content: "nothing" }],
      },
    }) + "\n",
  );
  await eventually("the late subagent done", async () => (await late())?.status.kind === "done");
});
