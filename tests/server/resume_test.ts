/**
 * Resuming a stream across changes to its file: rotation, in-place rewrites,
 * deletion and creation, tokens from a generation the server no longer knows.
 * The real daemon, real files, an SSE client that reconnects as a browser does.
 */
import assert from "node:assert/strict";
import { append, assistantLine, startHarness, textOf } from "../_harness/daemon.ts";
import { SseClient } from "../_harness/sse_client.ts";
import { parseCursor } from "../../files/identity.ts";

const texts = (client: SseClient) =>
  client.events.filter((e) => e.kind === "assistant").map(textOf);
const markers = (client: SseClient) =>
  client.events.filter((e) => e.kind === "file").map((e) => e.change);
const numbered = (from: number, to: number, prefix = "line") =>
  Array.from({ length: to - from }, (_, i) => `${prefix}-${from + i}`);
const write = (path: string, lines: string[]) =>
  Deno.writeTextFile(path, lines.map(assistantLine).join(""));

/** Opens a stream, reads up to `last`, and goes away: returns its last SSE id. */
async function readThenLeave(url: string, last: string): Promise<string> {
  const client = await SseClient.open(url);
  await client.until((c) => texts(c).includes(last), 30_000, last);
  const id = client.messages.at(-1)!.id!;
  await client.close();
  return id;
}

Deno.test("a reader away across a rotation gets the old file's rest, a marker, then the new file", async () => {
  await using h = await startHarness();
  const path = `${h.dir}/rot.jsonl`;
  await write(path, numbered(0, 20));
  const id = await h.agentId("rot.jsonl");
  const url = `${h.url}api/agents/${id}/events`;
  const lastId = await readThenLeave(url, "line-19");
  // While it is away: more lines in the old file, then the writer rotates.
  await append(path, numbered(20, 30).map(assistantLine).join(""));
  await Deno.rename(path, `${path}.1`);
  await write(path, numbered(0, 15, "new"));
  const back = await SseClient.open(url, { "last-event-id": lastId });
  await back.until((c) => texts(c).includes("new-14"), 30_000, "the new file");
  assert.deepEqual(texts(back), [...numbered(20, 30), ...numbered(0, 15, "new")]);
  assert.deepEqual(markers(back), ["rotated"]);
  await back.close();
});

Deno.test("a same-length rewrite in place is seen live and by a reader that was away", async () => {
  await using h = await startHarness();
  const path = `${h.dir}/same.jsonl`;
  await write(path, numbered(0, 30, "old"));
  const id = await h.agentId("same.jsonl");
  const url = `${h.url}api/agents/${id}/events`;
  const live = await SseClient.open(url);
  await live.until((c) => texts(c).includes("old-29"));
  const lastId = await readThenLeave(url, "old-29");
  const size = (await Deno.stat(path)).size;
  // Over the old bytes, without truncating: the size never moves.
  {
    using file = await Deno.open(path, { write: true });
    const bytes = new TextEncoder().encode(numbered(0, 30, "new").map(assistantLine).join(""));
    assert.equal(bytes.length, size, "same length");
    for (let at = 0; at < bytes.length;) at += await file.write(bytes.subarray(at));
  }
  await live.until((c) => texts(c).includes("new-29"), 30_000, "the rewritten file");
  assert.deepEqual(markers(live), ["rewritten"]);
  assert.deepEqual(texts(live), [...numbered(0, 30, "old"), ...numbered(0, 30, "new")]);
  const back = await SseClient.open(url, { "last-event-id": lastId });
  await back.until((c) => texts(c).includes("new-29"), 30_000);
  assert.deepEqual(markers(back), ["rewritten"]);
  assert.deepEqual(texts(back), numbered(0, 30, "new"));
  await Promise.all([live.close(), back.close()]);
});

Deno.test("a token from a generation the server never saw starts over with a marker", async () => {
  await using h = await startHarness();
  const path = `${h.dir}/gone.jsonl`;
  await write(path, numbered(0, 10));
  const id = await h.agentId("gone.jsonl");
  const lastId = await readThenLeave(`${h.url}api/agents/${id}/events`, "line-9");
  const offset = parseCursor(lastId)!.offset;
  const client = await SseClient.open(`${h.url}api/agents/${id}/events?after=${offset}.00000000`);
  await client.until((c) => texts(c).includes("line-9"));
  assert.equal(client.status, 200);
  assert.deepEqual(markers(client), ["replaced"]);
  assert.deepEqual(texts(client), numbered(0, 10));
  await client.close();
});

Deno.test("Last-Event-ID wins over a stale ?after=", async () => {
  await using h = await startHarness();
  const path = `${h.dir}/stale.jsonl`;
  await write(path, numbered(0, 10));
  const id = await h.agentId("stale.jsonl");
  const url = `${h.url}api/agents/${id}/events`;
  const lastId = await readThenLeave(url, "line-9");
  await append(path, numbered(10, 15).map(assistantLine).join(""));
  const client = await SseClient.open(`${url}?after=0`, { "last-event-id": lastId });
  await client.until((c) => texts(c).includes("line-14"));
  assert.deepEqual(texts(client), numbered(10, 15));
  await client.close();
});

Deno.test("a stream opened while its file is rotating waits for the new file", async () => {
  await using h = await startHarness();
  const path = `${h.dir}/gap.jsonl`;
  await write(path, numbered(0, 5));
  const id = await h.agentId("gap.jsonl");
  await Deno.rename(path, `${path}.1`);
  const opening = SseClient.open(`${h.url}api/agents/${id}/events`);
  await new Promise((r) => setTimeout(r, 300));
  await write(path, numbered(0, 5, "new"));
  const client = await opening;
  await client.until((c) => texts(c).includes("new-4"), 30_000);
  assert.deepEqual(texts(client), numbered(0, 5, "new"));
  assert.deepEqual(markers(client), []);
  await append(path, assistantLine("live"));
  await client.until((c) => texts(c).includes("live"));
  await client.close();
});

Deno.test("a file deleted and created again: a reader that was away gets what it missed", async () => {
  await using h = await startHarness();
  const path = `${h.dir}/del.jsonl`;
  await write(path, numbered(0, 10));
  const id = await h.agentId("del.jsonl");
  const url = `${h.url}api/agents/${id}/events`;
  const live = await SseClient.open(url);
  const lastId = await readThenLeave(url, "line-9");
  await append(path, numbered(10, 12).map(assistantLine).join(""));
  await live.until((c) => texts(c).includes("line-11"));
  await Deno.remove(path);
  await live.until((c) => c.ended, 30_000, "the deleted marker ends the stream");
  assert.deepEqual(markers(live), ["deleted"]);
  await write(path, numbered(0, 3, "new"));
  // The agent list may drop the path for a moment; its id comes back the same.
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(await h.agentId("del.jsonl"), id);
  const back = await SseClient.open(url, { "last-event-id": lastId });
  await back.until((c) => texts(c).includes("new-2"), 30_000);
  assert.deepEqual(texts(back), [...numbered(10, 12), ...numbered(0, 3, "new")]);
  assert.deepEqual(markers(back), ["rotated"]);
  await back.close();
});
