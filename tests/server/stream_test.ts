/**
 * The agents' event streams end to end: the real daemon on a free port, real
 * files in a temp folder, and an SSE client reading as a browser does.
 */
import assert from "node:assert/strict";
import { append, assistantLine, startHarness, textOf } from "../_harness/daemon.ts";
import { SseClient } from "../_harness/sse_client.ts";
import { parseCursor } from "../../files/identity.ts";

const texts = (client: SseClient) =>
  client.events.filter((e) => e.kind === "assistant").map(textOf);
const numbered = (from: number, to: number, prefix = "line") =>
  Array.from({ length: to - from }, (_, i) => `${prefix}-${from + i}`);

Deno.test("stream sends the newest events, then every appended line once and in order", async () => {
  await using h = await startHarness();
  const path = `${h.dir}/session.jsonl`;
  await Deno.writeTextFile(path, numbered(0, 50).map(assistantLine).join(""));
  const id = await h.agentId("session.jsonl");
  const client = await SseClient.open(`${h.url}api/agents/${id}/events?tail=10`);
  await client.until((c) => texts(c).length >= 10, 30_000, "the tail");
  assert.deepEqual(texts(client), numbered(40, 50));

  // Bursts, and lines written in two halves: a half line must wait for the rest.
  const lines = numbered(50, 250).map(assistantLine);
  for (let i = 0; i < lines.length; i += 20) await append(path, lines.slice(i, i + 20).join(""));
  const half = assistantLine("split-line");
  await append(path, half.slice(0, 40));
  await new Promise((r) => setTimeout(r, 300));
  assert.ok(!texts(client).includes("split-line"), "a half-written line is not an event");
  await append(path, half.slice(40));
  await client.until((c) => texts(c).includes("split-line"), 30_000, "the completed line");
  assert.deepEqual(texts(client), [...numbered(40, 250), "split-line"]);

  const cursors = client.events.map((e) => e.cursor as number);
  assert.deepEqual(cursors, [...cursors].sort((a, b) => a - b), "cursors increase");
  assert.equal(new Set(cursors).size, cursors.length, "no event twice");
  assert.deepEqual(
    client.messages.map((m) => parseCursor(m.id!)?.offset),
    cursors,
    "SSE id is the cursor and its generation's tag",
  );
  assert.ok(client.messages.every((m) => parseCursor(m.id!)?.tag), "every id names its generation");
  await client.close();
});

Deno.test("Last-Event-ID and ?after resume with no loss and no duplicate", async (t) => {
  await using h = await startHarness();
  const path = `${h.dir}/resume.jsonl`;
  await Deno.writeTextFile(path, numbered(0, 2000).map(assistantLine).join(""));
  const id = await h.agentId("resume.jsonl");

  await t.step("from a cursor still in memory", async () => {
    const first = await SseClient.open(`${h.url}api/agents/${id}/events?tail=5`);
    await first.until((c) => c.events.length >= 5);
    const lastId = first.messages.at(-1)!.id!;
    await first.close();
    await append(path, numbered(2000, 2010).map(assistantLine).join(""));
    const again = await SseClient.open(`${h.url}api/agents/${id}/events`, {
      "last-event-id": lastId,
    });
    await again.until((c) => texts(c).includes("line-2009"));
    assert.deepEqual(texts(again), numbered(2000, 2010));
    await again.close();
  });

  await t.step("from far back, read from disk", async () => {
    const page = await (await fetch(
      `${h.url}api/agents/${id}/events.json?limit=1&before=${await cursorAfterLine(path, 100)}`,
    )).json();
    assert.equal(textOf(page.events[0]), "line-99");
    const after = page.events[0].cursor;
    const client = await SseClient.open(`${h.url}api/agents/${id}/events?after=${after}`);
    await client.until((c) => texts(c).includes("line-2009"), 10_000);
    assert.deepEqual(texts(client), numbered(100, 2010));
    await append(path, assistantLine("live-after-resume"));
    await client.until((c) => texts(c).includes("live-after-resume"));
    assert.equal(texts(client).length, 1911);
    await client.close();
  });

  await t.step("a bare cursor inside a line starts over with a marker, never a 400", async () => {
    const client = await SseClient.open(`${h.url}api/agents/${id}/events?after=7`);
    await client.until((c) => texts(c).includes("live-after-resume"), 10_000);
    assert.equal(client.events[0]!.kind, "file");
    assert.equal(client.events[0]!.change, "replaced");
    assert.deepEqual(texts(client), [...numbered(0, 2010), "live-after-resume"]);
    await client.close();
  });
});

Deno.test("events.json pages backwards through history", async () => {
  await using h = await startHarness();
  const path = `${h.dir}/history.jsonl`;
  await Deno.writeTextFile(path, numbered(0, 25).map(assistantLine).join("") + "\n\n");
  const id = await h.agentId("history.jsonl");
  const seen: string[] = [];
  let before: number | undefined;
  for (;;) {
    const url = `${h.url}api/agents/${id}/events.json?limit=10${
      before === undefined ? "" : `&before=${before}`
    }`;
    const page = await (await fetch(url)).json();
    seen.unshift(...page.events.map(textOf));
    if (!page.hasMore) break;
    before = page.events[0].cursor - page.events[0].bytes - 1;
  }
  assert.deepEqual(seen, numbered(0, 25));
});

Deno.test("truncation restarts the stream with a marker and loses nothing after it", async () => {
  await using h = await startHarness();
  const path = `${h.dir}/trunc.jsonl`;
  await Deno.writeTextFile(path, numbered(0, 20).map(assistantLine).join(""));
  const id = await h.agentId("trunc.jsonl");
  const client = await SseClient.open(`${h.url}api/agents/${id}/events`);
  await client.until((c) => texts(c).length === 20);
  await Deno.writeTextFile(path, numbered(0, 3, "fresh").map(assistantLine).join(""));
  await client.until((c) => texts(c).includes("fresh-2"));
  const marker = client.events.find((e) => e.kind === "file");
  assert.equal(marker?.change, "truncated");
  assert.deepEqual(texts(client).slice(20), numbered(0, 3, "fresh"));
  await client.close();
});

Deno.test("rotation drains the old file, marks the switch, and follows the new one", async () => {
  await using h = await startHarness();
  const path = `${h.dir}/rot.jsonl`;
  await Deno.writeTextFile(path, assistantLine("old-0"));
  const id = await h.agentId("rot.jsonl");
  const client = await SseClient.open(`${h.url}api/agents/${id}/events`);
  await client.until((c) => texts(c).includes("old-0"));
  await append(path, assistantLine("old-1"));
  await Deno.rename(path, `${h.dir}/rot.jsonl.1`);
  await Deno.writeTextFile(path, assistantLine("new-0"));
  await client.until((c) => texts(c).includes("new-0"));
  assert.deepEqual(texts(client), ["old-0", "old-1", "new-0"]);
  assert.equal(client.events.find((e) => e.kind === "file")?.change, "rotated");
  await client.close();
});

Deno.test("deletion ends the stream with a clear event and removes the agent", async () => {
  await using h = await startHarness();
  const path = `${h.dir}/gone.jsonl`;
  await Deno.writeTextFile(path, assistantLine("here"));
  const id = await h.agentId("gone.jsonl");
  const list = await SseClient.open(`${h.url}api/agents/stream`);
  const client = await SseClient.open(`${h.url}api/agents/${id}/events`);
  await client.until((c) => texts(c).includes("here"));
  await Deno.remove(path);
  await client.until((c) => c.ended, 30_000, "the stream to end");
  const last = client.events.at(-1)!;
  assert.equal(last.kind, "file");
  assert.equal(last.change, "deleted");
  await list.until((c) =>
    c.messages.some((m) => m.event === "remove" && JSON.parse(m.data).id === id)
  );
  assert.equal((await fetch(`${h.url}api/agents/${id}/events`)).status, 404);
  await list.close();
  await client.close();
});

Deno.test("agents stream pushes a snapshot, then new agents and state changes", async () => {
  await using h = await startHarness();
  const list = await SseClient.open(`${h.url}api/agents/stream`);
  await list.until((c) => c.messages.some((m) => m.event === "snapshot"));
  await Deno.mkdir(`${h.dir}/nested/deeper`, { recursive: true });
  await Deno.writeTextFile(`${h.dir}/nested/deeper/new.jsonl`, assistantLine("hi"));
  await list.until((c) =>
    c.messages.some((m) =>
      m.event === "upsert" && JSON.parse(m.data).agent.path.endsWith("deeper/new.jsonl")
    )
  );
  await list.close();
});

Deno.test("a watched folder that appears after start is picked up", async () => {
  const base = await Deno.makeTempDir();
  const later = `${base}/not-yet`;
  await using h = await startHarness([], later);
  assert.deepEqual(await h.agents(), []);
  await Deno.mkdir(later);
  await Deno.writeTextFile(`${later}/late.jsonl`, assistantLine("late"));
  assert.ok(await h.agentId("late.jsonl"));
  await Deno.remove(base, { recursive: true });
});

Deno.test("a huge line is clamped in the stream, bounded by /line, and paged whole", async () => {
  await using h = await startHarness();
  const path = `${h.dir}/huge.jsonl`;
  await Deno.writeTextFile(path, assistantLine("before"));
  const id = await h.agentId("huge.jsonl");
  const client = await SseClient.open(`${h.url}api/agents/${id}/events`);
  await client.until((c) => texts(c).includes("before"));
  const big = "x".repeat(20 * 1024 * 1024);
  await append(path, assistantLine(big) + assistantLine("after"));
  // Generous: the line worker starts on first need, and test machines are busy.
  await client.until((c) => texts(c).includes("after"), 30_000);
  const huge = client.messages.find((m) => m.data.includes('"truncated":true'));
  assert.ok(huge, "the big line arrives as a clamped event");
  assert.ok(huge.data.length < 80_000, `clamped event is small (${huge.data.length} chars)`);
  const line = `${h.url}api/agents/${id}/line?cursor=${huge.id}`;
  const bounded = await fetch(line);
  const body = await bounded.text();
  assert.ok(body.length < 5 * 1024 * 1024, `one answer is bounded (${body.length} chars)`);
  const { event } = JSON.parse(body);
  assert.equal(event.truncated, true);
  assert.ok(textOf(event).length > 1024 * 1024, "far more than the stream's preview");
  // The rest comes in pages of the raw line.
  let raw = "";
  for (let offset: number | null = 0; offset !== null;) {
    const page = await (await fetch(`${line}&offset=${offset}&limit=3000000`)).json();
    assert.equal(page.offset, offset);
    assert.ok(page.text.length <= 3_000_000);
    raw += page.text;
    offset = page.next;
  }
  assert.equal(textOf(JSON.parse(raw).message.content[0]).length, big.length);
  await client.close();
});

Deno.test("CRLF lines and invalid UTF-8 arrive as events, not errors", async () => {
  await using h = await startHarness();
  const path = `${h.dir}/bytes.output`;
  await Deno.writeTextFile(path, "start\r\n");
  const id = await h.agentId("bytes.output");
  const client = await SseClient.open(`${h.url}api/agents/${id}/events`);
  await client.until((c) => c.events.length === 1);
  await append(path, new Uint8Array([0x62, 0x61, 0x64, 0xff, 0xfe, 0x0d, 0x0a]));
  await client.until((c) => c.events.length === 2);
  assert.deepEqual(client.events.map((e) => [e.kind, e.text]), [["text", "start"], [
    "text",
    "bad\uFFFD\uFFFD",
  ]]);
  await client.close();
});

Deno.test("streams release their reader when clients go away", async () => {
  await using h = await startHarness();
  const path = `${h.dir}/leak.jsonl`;
  await Deno.writeTextFile(path, assistantLine("x"));
  const id = await h.agentId("leak.jsonl");
  const clients = await Promise.all(
    Array.from({ length: 20 }, () => SseClient.open(`${h.url}api/agents/${id}/events`)),
  );
  await Promise.all(clients.map((c) => c.until((x) => x.events.length === 1)));
  const busy = await (await fetch(`${h.url}api/health`)).json();
  assert.equal(busy.openTails, 1, "one reader however many streams");
  assert.equal(busy.openStreams, 20);
  await Promise.all(clients.map((c) => c.close()));
  const deadline = Date.now() + 3000;
  let health;
  do {
    await new Promise((r) => setTimeout(r, 50));
    health = await (await fetch(`${h.url}api/health`)).json();
  } while ((health.openTails || health.openStreams) && Date.now() < deadline);
  assert.equal(health.openTails, 0);
  assert.equal(health.openStreams, 0);
});

Deno.test("a request naming a foreign Host is refused over a real socket", async () => {
  await using h = await startHarness();
  const port = h.daemon.port;
  const cases: [string, number][] = [["evil.example:80", 421], [`127.0.0.1:${port}`, 200], [
    `localhost:${port}`,
    200,
  ]];
  for (const [host, status] of cases) {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    await conn.write(
      new TextEncoder().encode(
        `GET /api/health HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
      ),
    );
    const reply = new TextDecoder().decode(await new Response(conn.readable).arrayBuffer());
    assert.match(reply, new RegExp(`^HTTP/1.1 ${status}`), host);
  }
});

/** Byte offset just after line `n` (0-based count of lines before it). */
async function cursorAfterLine(path: string, n: number): Promise<number> {
  const bytes = await Deno.readFile(path);
  let seen = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x0a && ++seen === n) return i + 1;
  throw new Error("short file");
}
