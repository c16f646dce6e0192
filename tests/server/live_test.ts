/**
 * The page's one live connection over a real socket: the daemon (agents,
 * pool) from the harness, and for job logs a hub of our own whose job list
 * names real files in the temp folder (the scheduler itself has its own e2e).
 */
import assert from "node:assert/strict";
import { Hono } from "hono";
import { append, assistantLine, startHarness, textOf } from "../_harness/daemon.ts";
import { SseClient } from "../_harness/sse_client.ts";
import { LiveHub } from "../../server/live/hub.ts";
import { liveRoutes } from "../../server/routes/live.ts";
import { guard } from "../../server/guard.ts";
import { openStreamCount } from "../../server/sse.ts";

interface LiveMessage {
  k: string;
  t: string;
  id?: string;
  // deno-lint-ignore no-explicit-any
  d: any;
}

/** A live connection as the page's worker holds it: the stream, and requests that change it. */
class Live {
  private constructor(readonly base: string, readonly sse: SseClient, readonly conn: string) {}

  static async open(base: string): Promise<Live> {
    const sse = await SseClient.open(`${base}api/live`);
    assert.equal(sse.status, 200);
    await sse.until((c) => c.messages.some((m) => m.event === "hello"), 30_000, "hello");
    const conn = JSON.parse(sse.messages.find((m) => m.event === "hello")!.data).conn;
    return new Live(base, sse, conn);
  }

  async change(body: unknown, headers: Record<string, string> = {}): Promise<Response> {
    return await fetch(`${this.base}api/live/${this.conn}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });
  }

  async subscribe(...add: unknown[]): Promise<void> {
    const res = await this.change({ add });
    assert.equal(res.status, 200, await res.clone().text());
    await res.body?.cancel();
  }

  /** Every message of subscription `key`. */
  of(key: string): LiveMessage[] {
    return this.sse.messages.filter((m) => m.event === "message").map((m) =>
      JSON.parse(m.data) as LiveMessage
    ).filter((m) => m.k === key);
  }

  /** The events `key` carried, in order. */
  // deno-lint-ignore no-explicit-any
  events(key: string): any[] {
    return this.of(key).filter((m) => m.t === "events").flatMap((m) => m.d);
  }

  texts(key: string): string[] {
    return this.events(key).filter((e) => e.kind === "assistant").map(textOf);
  }

  close(): Promise<void> {
    return this.sse.close();
  }
}

const numbered = (from: number, to: number, prefix = "line") =>
  Array.from({ length: to - from }, (_, i) => `${prefix}-${from + i}`);

async function health(url: string): Promise<{ openStreams: number; openTails: number }> {
  return await (await fetch(`${url}api/health`)).json();
}

async function eventually(what: string, check: () => Promise<boolean> | boolean, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

Deno.test("one live stream carries the agents list and several feeds, each under its own key", async () => {
  await using h = await startHarness();
  await Deno.writeTextFile(`${h.dir}/a.jsonl`, numbered(0, 20, "a").map(assistantLine).join(""));
  await Deno.writeTextFile(`${h.dir}/b.jsonl`, numbered(0, 5, "b").map(assistantLine).join(""));
  const a = await h.agentId("a.jsonl");
  const b = await h.agentId("b.jsonl");
  const live = await Live.open(h.url);
  await live.subscribe(
    { key: "list", kind: "agents" },
    { key: "fa", kind: "agent", id: a, tail: 10 },
    { key: "fb", kind: "agent", id: b },
    { key: "ix", kind: "index" },
  );
  await live.sse.until(() => live.texts("fa").length === 10 && live.texts("fb").length === 5);
  assert.deepEqual(live.texts("fa"), numbered(10, 20, "a"));
  assert.deepEqual(live.texts("fb"), numbered(0, 5, "b"));
  const snapshot = live.of("list")[0]!;
  assert.equal(snapshot.t, "snapshot");
  assert.deepEqual(snapshot.d.agents.map((x: { id: string }) => x.id).sort(), [a, b].sort());
  assert.deepEqual(live.of("ix").map((m) => [m.t, m.d.state]), [["progress", "off"]]);

  await append(`${h.dir}/b.jsonl`, assistantLine("b-live"));
  await append(`${h.dir}/a.jsonl`, assistantLine("a-live"));
  await live.sse.until(() =>
    live.texts("fa").includes("a-live") && live.texts("fb").includes("b-live")
  );
  assert.deepEqual(live.texts("fb"), [...numbered(0, 5, "b"), "b-live"]);

  await Deno.writeTextFile(`${h.dir}/c.jsonl`, assistantLine("c"));
  await live.sse.until(() =>
    live.of("list").some((m) => m.t === "upsert" && m.d.path === `${h.dir}/c.jsonl`)
  );
  assert.equal((await health(h.url)).openStreams, 1, "one stream for all of it");
  await live.close();
});

Deno.test("changing subscriptions while lines are written loses and repeats nothing", async () => {
  await using h = await startHarness();
  const path = `${h.dir}/busy.jsonl`;
  await Deno.writeTextFile(path, numbered(0, 100).map(assistantLine).join(""));
  const other = `${h.dir}/other.jsonl`;
  await Deno.writeTextFile(other, assistantLine("other-0"));
  const id = await h.agentId("busy.jsonl");
  const otherId = await h.agentId("other.jsonl");
  const live = await Live.open(h.url);
  await live.subscribe({ key: "busy-1", kind: "agent", id, tail: 1 });
  await live.sse.until(() => live.texts("busy-1").length === 1);

  // A writer appends steadily while the client adds, drops and re-adds subscriptions.
  let written = 100;
  const writer = (async () => {
    for (; written < 400; written += 5) {
      await append(path, numbered(written, written + 5).map(assistantLine).join(""));
      await new Promise((r) => setTimeout(r, 2));
    }
  })();
  const keys = ["busy-1"];
  /** How many events of each key the page took before it moved on to the next key. */
  const taken = new Map<string, number>();
  /** The newest resume token seen on any key: the page keeps its cursor across keys. */
  let last: string | undefined;
  for (let round = 2; round <= 8; round++) {
    await new Promise((r) => setTimeout(r, 15));
    const previous = keys.at(-1)!;
    // The page's way: drop the old key and add a new one from the last cursor it saw.
    const events = live.events(previous);
    // The resume token: the `id` of the newest `events` message of the key, or,
    // when a loaded machine gave the key no batch yet, the token it resumed from.
    last = live.of(previous).filter((m) => m.t === "events").at(-1)?.id ?? last;
    taken.set(previous, events.length);
    const key = `busy-${round}`;
    keys.push(key);
    const res = await live.change({
      drop: [previous],
      add: [
        { key, kind: "agent", id, after: last },
        { key: `other-${round}`, kind: "agent", id: otherId, tail: 1 },
      ],
    });
    assert.equal(res.status, 200);
    await res.body?.cancel();
    // Messages of the old key still in flight are ignored, as the page ignores a key it dropped.
  }
  await writer;
  await live.sse.until(
    () => live.texts(keys.at(-1)!).includes("line-399"),
    30_000,
    "the last line",
  );

  // Stitch the keys together as the page does: each continues after the previous one's last cursor.
  const seen: string[] = [];
  let cursor = -1;
  for (const key of keys) {
    for (const e of live.events(key).slice(0, taken.get(key))) {
      assert.ok(e.cursor > cursor, `cursor ${e.cursor} after ${cursor} on ${key}: repeated`);
      cursor = e.cursor;
      seen.push(textOf(e));
    }
  }
  assert.deepEqual(seen, numbered(99, 400), "every line once, in order");
  for (let round = 2; round <= 8; round++) {
    assert.deepEqual(live.texts(`other-${round}`), ["other-0"]);
  }
  await live.close();
});

Deno.test("an unknown agent or job fails its own subscription; the others carry on", async () => {
  await using h = await startHarness();
  const path = `${h.dir}/ok.jsonl`;
  await Deno.writeTextFile(path, assistantLine("first"));
  const id = await h.agentId("ok.jsonl");
  const live = await Live.open(h.url);
  await live.subscribe(
    { key: "ghost", kind: "agent", id: "no-such-agent" },
    { key: "job", kind: "job-log", id: "no-such-job", stream: "stdout" },
    { key: "ok", kind: "agent", id },
  );
  await live.sse.until(() => live.of("ghost").length > 0 && live.of("job").length > 0);
  assert.deepEqual(live.of("ghost").map((m) => [m.t, m.d.status, m.d.error]), [
    ["error", 404, "no such agent"],
  ]);
  assert.deepEqual(live.of("job").map((m) => [m.t, m.d.status]), [["error", 404]]);
  await append(path, assistantLine("second"));
  await live.sse.until(() => live.texts("ok").includes("second"));

  // An agent whose file vanishes: its subscription ends, the connection lives on.
  await Deno.remove(path);
  await live.sse.until(() => live.of("ok").some((m) => m.t === "end"), 30_000, "the end");
  const kinds = live.events("ok").map((e) => e.kind === "file" ? e.change : e.kind);
  assert.equal(kinds.at(-1), "deleted");
  assert.ok(!live.sse.ended, "the stream stays open");
  await live.subscribe({ key: "list", kind: "agents" });
  await live.sse.until(() => live.of("list").length > 0);
  await live.close();
});

Deno.test("job logs ride the same stream, and closing it releases every tail and listener", async () => {
  await using h = await startHarness();
  const out = `${h.dir}/job.log`;
  const err = `${h.dir}/job.err.log`;
  await Deno.writeTextFile(out, "one\ntwo\nthree\n");
  await Deno.writeTextFile(err, "");
  let listeners = 0;
  const jobs = {
    snapshot: () => ({
      scheduler: "launchd",
      jobs: [{ id: "j1", stdoutPath: out, stderrPath: err }, {
        id: "j2",
        stdoutPath: `${h.dir}/never-written.log`,
        stderrPath: null,
      }],
    }),
    subscribe: () => {
      listeners++;
      return () => listeners--;
    },
  };
  const hub = new LiveHub({ agents: h.daemon.tracker.registry, pool: h.daemon.pool, jobs });
  let app: Hono | null = null;
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, (req) => {
    if (!app) {
      app = new Hono();
      app.use("*", guard({ hosts: [`127.0.0.1:${server.addr.port}`] }));
      app.route("/", liveRoutes(hub));
    }
    return app.fetch(req);
  });
  const base = `http://127.0.0.1:${server.addr.port}/`;
  const pool = h.daemon.pool;
  const tailsBefore = pool.openCount;
  const streamsBefore = openStreamCount();
  try {
    const live = await Live.open(base);
    await live.subscribe(
      { key: "out", kind: "job-log", id: "j1", stream: "stdout", tail: 2 },
      { key: "err", kind: "job-log", id: "j1", stream: "stderr" },
      { key: "none", kind: "job-log", id: "j2", stream: "stdout" },
      { key: "nolog", kind: "job-log", id: "j2", stream: "stderr" },
      { key: "jobs", kind: "jobs" },
    );
    await live.sse.until(() => live.events("out").length === 2 && live.of("none").length === 1);
    assert.deepEqual(live.events("out").map((e) => e.text), ["two", "three"]);
    assert.deepEqual(live.of("none").map((m) => [m.t, m.d.status]), [["error", 404]]);
    assert.deepEqual(live.of("nolog").map((m) => m.d.error), ["the job has no stderr log file"]);
    assert.equal(live.of("jobs")[0]!.t, "jobs");
    // The empty stderr has no backlog to send, yet says it is followed, so the
    // page can show it live instead of "connecting…" forever.
    await live.sse.until(() => live.of("err").length === 1);
    assert.deepEqual(live.of("err").map((m) => m.t), ["ready"]);
    assert.deepEqual(live.of("out").map((m) => m.t).sort(), ["events", "ready"]);
    await append(out, "four\n");
    await append(err, "oops\n");
    await live.sse.until(() => live.events("out").length === 3 && live.events("err").length === 1);
    assert.equal(live.events("err")[0].text, "oops");
    assert.equal(pool.openCount, tailsBefore + 2);
    assert.equal(listeners, 1);
    assert.equal(hub.subscriptionCount, 3);

    // Dropping one lets its tail go at once.
    const res = await live.change({ drop: ["err"] });
    assert.deepEqual(await res.json(), { ok: true, subscriptions: 2 });
    assert.equal(pool.openCount, tailsBefore + 1);

    await live.close();
    await eventually(
      "everything released",
      () =>
        hub.connectionCount === 0 && pool.openCount === tailsBefore && listeners === 0 &&
        openStreamCount() === streamsBefore,
    );
  } finally {
    await server.shutdown();
  }
});

Deno.test("subscription requests are guarded and checked", async (t) => {
  await using h = await startHarness();
  const live = await Live.open(h.url);
  await t.step("a foreign Origin is refused", async () => {
    const res = await live.change({ add: [{ key: "x", kind: "agents" }] }, {
      origin: "http://evil.example",
    });
    assert.equal(res.status, 403);
    await res.body?.cancel();
  });
  await t.step("a body that is not JSON is refused", async () => {
    const res = await fetch(`${h.url}api/live/${live.conn}`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "add",
    });
    assert.equal(res.status, 415);
    await res.body?.cancel();
  });
  await t.step("a bad subscription is a 400 naming it", async () => {
    for (
      const body of [
        [],
        { add: "x" },
        { add: [{ key: "", kind: "agents" }] },
        { add: [{ key: "k", kind: "files", path: "/etc/passwd" }] },
        { add: [{ key: "k", kind: "agent", id: "x", after: -5 }] },
        { add: [{ key: "k", kind: "job-log", id: "x", stream: "both" }] },
      ]
    ) {
      const res = await live.change(body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.ok((await res.json()).error);
    }
  });
  await t.step("an unknown connection is a 404", async () => {
    const res = await fetch(`${h.url}api/live/not-a-connection`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    assert.equal(res.status, 404);
    await res.body?.cancel();
  });
  await live.close();
  await eventually("the stream is gone", async () => (await health(h.url)).openStreams === 0);
});
