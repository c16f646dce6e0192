/**
 * Gemini CLI rewrites a message under its id as it grows (more tool calls,
 * its tokens): search finds each message once, at its latest copy, whether
 * the copies are read in one pass or arrive live, one after the other.
 */
import assert from "node:assert/strict";
import { agentIdOf } from "../../agents/agent.ts";
import { AgentRegistry } from "../../agents/registry.ts";
import { createLogger } from "../../core/log.ts";
import { scanRoots } from "../../files/scan.ts";
import { HistoryIndex } from "../../history/index.ts";
import { parseLine } from "../../transcript/line.ts";
import { transcript } from "../_harness/corpus.ts";

const REAL = transcript("Mai0313--VibeCodingTracker/tests/fixtures/sessions/gemini.jsonl");

async function world(text: string) {
  const tmp = await Deno.makeTempDir({ prefix: "tailboard-history-rewrite-" });
  await Deno.mkdir(`${tmp}/gemini/chats`, { recursive: true });
  const path = `${tmp}/gemini/chats/session-2026-04-23T17-00-abcd.jsonl`;
  await Deno.writeTextFile(path, text);
  const registry = new AgentRegistry();
  const relist = async () => {
    const { files } = await scanRoots([{ path: `${tmp}/gemini`, kind: "watch" }]);
    for (const file of files) registry.upsert(file);
  };
  await relist();
  const index = new HistoryIndex({ registry, dataDir: `${tmp}/data`, log: createLogger("error") });
  return {
    path,
    index,
    relist,
    async [Symbol.asyncDispose]() {
      await index.close();
      await Deno.remove(tmp, { recursive: true });
    },
  };
}

/** Each line's record id by its cursor (the byte offset after its newline). */
function recordsByCursor(text: string): Map<number, string | undefined> {
  const out = new Map<number, string | undefined>();
  let cursor = 0;
  for (const line of text.split("\n")) {
    cursor += new TextEncoder().encode(line).length + 1;
    if (line) out.set(cursor, parseLine(line).event.recordId);
  }
  return out;
}

Deno.test("search finds a rewritten Gemini message once, as its latest copy", async () => {
  const text = await Deno.readTextFile(REAL);
  await using w = await world(text);
  await w.index.start();
  const records = recordsByCursor(text);
  const mine = [];
  for (const word of ["read_file", "update_topic", "write_file", "replace", "GEMINI"]) {
    const { hits } = await w.index.search(word);
    mine.push(...hits.filter((h) => h.agentId === agentIdOf(w.path)));
  }
  assert.ok(mine.length >= 4, "the session's tool calls are found");
  // One word may hit a message another word hits too: count each hit once.
  const cursors = [...new Set(mine.map((h) => h.cursor))];
  const ids = cursors.map((c) => records.get(c));
  assert.equal(new Set(ids).size, ids.length, "no message found twice");
  for (const hit of mine) {
    const id = records.get(hit.cursor);
    const last = Math.max(...[...records].filter(([, r]) => r === id).map(([c]) => c));
    assert.equal(hit.cursor, last, `${id} is found at its latest copy`);
  }
});

Deno.test("a Gemini message rewritten after it was indexed replaces its row", async () => {
  const header = JSON.stringify({ sessionId: "s1", projectHash: "p1", startTime: "2026-04-23" });
  const copy = (calls: string[]) =>
    JSON.stringify({
      id: "m1",
      timestamp: "2026-04-23T17:01:00.000Z",
      type: "gemini",
      content: "Looking at the parser",
      toolCalls: calls.map((name, i) => ({ id: `c${i}`, name, args: {}, status: "success" })),
    });
  await using w = await world(`${header}\n${copy(["glob"])}\n`);
  await w.index.start();
  assert.equal((await w.index.search("parser")).hits.length, 1);
  await Deno.writeTextFile(w.path, `${copy(["glob", "read_many_files"])}\n`, { append: true });
  await w.relist();
  await w.index.idle();
  const { hits } = await w.index.search("parser");
  assert.equal(hits.length, 1, "the message, once");
  assert.equal((await w.index.search("read_many_files")).hits.length, 1, "as its latest copy");
  assert.equal((await w.index.search("glob")).hits[0]?.cursor, hits[0]?.cursor);
});
