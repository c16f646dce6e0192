/**
 * A compressed Codex rollout (`.jsonl.zst`, Codex 0.137+) is read streaming,
 * with cursors in its decompressed text, and tailed: when it changes, the
 * tail reads it again.
 */
import assert from "node:assert/strict";
import { zstdCompressSync } from "node:zlib";
import { zstLines } from "../../files/zst.ts";
import { readablePath } from "../../files/readable.ts";
import { removeCopyFolder } from "../../files/copy_dir.ts";
import { eventAt, eventsBefore } from "../../files/cursor_range.ts";
import { TailPool } from "../../files/pool.ts";
import { readFacts } from "../../agents/read_facts.ts";
import type { EncodedEvent } from "../../transcript/encode.ts";

const SHAPES = new URL("../fixtures/shapes/codex/", import.meta.url).pathname;
const ZST =
  `${SHAPES}zst/rollout-2026-08-13T09-00-00-019d0f00-1111-7222-8333-444455556666.jsonl.zst`;
/** The fixture was compressed from this rollout, its thread id changed. */
async function plainText(): Promise<string> {
  const text = await Deno.readTextFile(
    `${SHAPES}rollout-2026-08-20T09-00-00-019d2a10-7c3e-7a01-9b55-3f0e1d2c4b6a.jsonl`,
  );
  return text.replaceAll(
    "019d2a10-7c3e-7a01-9b55-3f0e1d2c4b6a",
    "019d0f00-1111-7222-8333-444455556666",
  );
}

Deno.test("zstLines() streams a compressed rollout's lines with decompressed offsets", async () => {
  const plain = await plainText();
  const lines = await Array.fromAsync(zstLines(ZST));
  assert.deepEqual(lines.map((l) => l.text), plain.split("\n").filter(Boolean));
  const bytes = new TextEncoder().encode(plain);
  assert.equal(lines.at(-1)!.end, bytes.length);
  for (const line of lines) assert.equal(bytes[line.end - 1], 0x0a, "a cursor follows a newline");
  const after = await Array.fromAsync(zstLines(ZST, lines[9]!.end));
  assert.deepEqual(after, lines.slice(10), "resuming after a cursor");
});

Deno.test("a compressed rollout's facts, pages and single lines read as the plain one's", async () => {
  const facts = await readFacts(ZST, (await Deno.stat(ZST)).size);
  assert.equal(facts.format, "codex");
  assert.equal(facts.cwd, "/home/ada/shop");
  assert.equal(facts.firstPrompt, "The cart total ignores discounts; fix it and run the tests");
  const { events } = await eventsBefore(ZST, undefined, 5);
  assert.equal(events.length, 5);
  assert.equal(events.at(-1)!.kind, "codex", "the last line is task_complete");
  const first = await eventAt(ZST, events[0]!.cursor);
  assert.equal(first.cursor, events[0]!.cursor);
  assert.notEqual(first.kind, "text", "decompressed, not raw bytes");
});

Deno.test("a compressed rollout is tailed: rewritten, the tail reads it again", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tailboard-zst-test-" });
  const pool = new TailPool({ pollMs: 20, lingerMs: 0 });
  try {
    const path = `${dir}/rollout-2026-08-13T09-00-00-019d0f00.jsonl.zst`;
    const plain = await plainText();
    await Deno.writeFile(path, zstdCompressSync(new TextEncoder().encode(plain)));
    const tail = await pool.acquire(path);
    const seen: EncodedEvent[] = [...tail.recent];
    const off = tail.subscribe((e) => seen.push(e));
    const count = plain.split("\n").filter(Boolean).length;
    assert.equal(seen.length, count, "every line read through the decompressed copy");
    assert.ok(seen.every((e) => e.kind !== "text"));

    const more = JSON.stringify({
      timestamp: "2026-08-20T09:01:00.000Z",
      type: "response_item",
      payload: {
        type: "message",
        role: "user",
        content: [{ type: "input_text", text: "Now round to cents" }],
      },
    });
    await Deno.writeFile(path, zstdCompressSync(new TextEncoder().encode(`${plain}${more}\n`)));
    pool.poke(path);
    const deadline = Date.now() + 5000;
    while (!seen.some((e) => e.json.includes("Now round to cents")) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(seen.some((e) => e.json.includes("Now round to cents")), "the new line arrived");
    off();
    pool.release(path, tail);
    // The copy is tailboard's own, in a temp folder of its own, removed with it.
    const copy = await readablePath(path);
    assert.match(copy, /tailboard-copies-/);
    pool.close();
    await removeCopyFolder();
    await assert.rejects(Deno.stat(copy.slice(0, copy.lastIndexOf("/"))), Deno.errors.NotFound);
  } finally {
    pool.close();
    await Deno.remove(dir, { recursive: true });
  }
});
