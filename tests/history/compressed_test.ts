/**
 * A compressed Codex rollout (`.jsonl.zst`, 0.137+) in the history index:
 * its prompts are searchable at the cursors the live view uses, a restart
 * reads nothing again, and a rewritten one is read again without doubling.
 */
import assert from "node:assert/strict";
import { zstdCompressSync } from "node:zlib";
import { agentIdOf } from "../../agents/agent.ts";
import { AgentRegistry } from "../../agents/registry.ts";
import { createLogger } from "../../core/log.ts";
import { eventAt } from "../../files/cursor_range.ts";
import { removeCopyFolder } from "../../files/copy_dir.ts";
import { scanRoots } from "../../files/scan.ts";
import { zstLines } from "../../files/zst.ts";
import { HistoryIndex } from "../../history/index.ts";

const ZST = new URL(
  "../fixtures/shapes/codex/zst/rollout-2026-08-13T09-00-00-019d0f00-1111-7222-8333-444455556666.jsonl.zst",
  import.meta.url,
);
const NAME = "rollout-2026-08-13T09-00-00-019d0f00-1111-7222-8333-444455556666.jsonl.zst";
const PROMPT = "The cart total ignores discounts";

async function world() {
  const tmp = await Deno.makeTempDir({ prefix: "tailboard-history-zst-" });
  await Deno.mkdir(`${tmp}/codex/2026/08/13`, { recursive: true });
  const path = `${tmp}/codex/2026/08/13/${NAME}`;
  await Deno.copyFile(ZST, path);
  const registry = new AgentRegistry();
  const relist = async () => {
    const { files } = await scanRoots([{ path: `${tmp}/codex`, kind: "watch" }]);
    for (const file of files) registry.upsert(file);
  };
  await relist();
  const open = () =>
    new HistoryIndex({ registry, dataDir: `${tmp}/data`, log: createLogger("error") });
  return {
    path,
    registry,
    relist,
    open,
    async [Symbol.asyncDispose]() {
      await removeCopyFolder();
      await Deno.remove(tmp, { recursive: true });
    },
  };
}

Deno.test("a compressed rollout's prompts are searchable at the live view's cursors", async (t) => {
  await using w = await world();
  let index = w.open();
  try {
    await index.start();
    const id = agentIdOf(w.path);
    await t.step("its prompt is a hit, at the cursor the live view opens", async () => {
      const hits = (await index.search(`"${PROMPT}"`)).hits.filter((h) => h.agentId === id);
      assert.equal(hits.length, 1, "one prompt, found once");
      assert.equal(hits[0]!.kind, "prompt");
      // The cursor is an offset in the decompressed text, as `/line?cursor=` reads it.
      const event = await eventAt(w.path, hits[0]!.cursor);
      assert.equal(event.kind, "user");
      assert.match(event.kind === "user" ? event.text : "", new RegExp(PROMPT));
      const lines = await Array.fromAsync(zstLines(w.path));
      assert.ok(lines.some((l) => l.end === hits[0]!.cursor));
    });
    await t.step("its tools and replies are there too", async () => {
      assert.ok((await index.search("apply_patch")).hits.some((h) => h.agentId === id));
    });
    await t.step("a restart reads nothing again", async () => {
      await index.close();
      index = w.open();
      await index.start();
      assert.equal(index.readBytes, 0);
      assert.equal((await index.search(`"${PROMPT}"`)).hits.length, 1);
    });
    await t.step("rewritten, it is read again, and nothing counts twice", async () => {
      const plain = (await Array.fromAsync(zstLines(w.path))).map((l) => l.text).join("\n");
      const more = JSON.stringify({
        timestamp: "2026-08-20T09:05:00.000Z",
        type: "response_item",
        payload: {
          type: "message",
          role: "user",
          content: [{ type: "input_text", text: "Round the total to whole cents" }],
        },
      });
      await Deno.writeFile(
        w.path,
        zstdCompressSync(new TextEncoder().encode(`${plain}\n${more}\n`)),
      );
      await w.relist();
      await index.idle();
      assert.equal((await index.search('"whole cents"')).hits.length, 1);
      assert.equal((await index.search(`"${PROMPT}"`)).hits.length, 1);
    });
  } finally {
    await index.close();
  }
});
