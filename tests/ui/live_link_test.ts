/**
 * The page's live connection (ui/data/live_link.js) against the real daemon,
 * with Deno's own EventSource: a stream the server cuts (as it cuts a slow
 * client) comes back and every subscription resumes from its token, losing
 * and repeating nothing, while lines keep being written.
 */
import assert from "node:assert/strict";
import { append, assistantLine, startHarness, textOf } from "../_harness/daemon.ts";
import { closeAllStreams } from "../../server/sse.ts";
import { LiveLink } from "../../ui/data/live_link.js";

const numbered = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => `line-${from + i}`);

async function until(what: string, check: () => boolean, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

Deno.test({
  name: "LiveLink resumes every subscription from its token after the server cuts the stream",
  // EventSource keeps a reconnect timer of its own between the cut and the new stream.
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using h = await startHarness();
    const a = `${h.dir}/a.jsonl`;
    const b = `${h.dir}/b.jsonl`;
    await Deno.writeTextFile(a, numbered(0, 10).map(assistantLine).join(""));
    await Deno.writeTextFile(b, numbered(0, 3).map(assistantLine).join(""));
    const idA = await h.agentId("a.jsonl");
    const idB = await h.agentId("b.jsonl");
    const statuses: string[] = [];
    const link = new LiveLink({ url: `${h.url}api/live`, onStatus: (s) => statuses.push(s) });
    try {
      const seen: Record<string, string[]> = { a: [], b: [] };
      const take = (key: string) => (m: { t: string; d: Record<string, unknown>[] }) => {
        if (m.t === "events") {
          for (const e of m.d) if (e.kind === "assistant") seen[key]!.push(textOf(e));
        }
      };
      link.subscribe("a", { kind: "agent", id: idA, tail: 5 }, take("a"));
      link.subscribe("b", { kind: "agent", id: idB }, take("b"));
      await until("both backlogs", () => seen.a!.length === 5 && seen.b!.length === 3);

      // Cut the stream while lines are being written, twice.
      for (let round = 0; round < 2; round++) {
        const from = 10 + round * 40;
        const writer = (async () => {
          for (let i = from; i < from + 40; i += 4) {
            await append(a, numbered(i, i + 4).map(assistantLine).join(""));
            await new Promise((r) => setTimeout(r, 5));
          }
        })();
        await new Promise((r) => setTimeout(r, 15));
        closeAllStreams();
        await writer;
      }
      await append(b, assistantLine("line-3"));
      await until("every line of a", () => seen.a!.includes("line-89"));
      await until("the new line of b", () => seen.b!.includes("line-3"));
      assert.deepEqual(seen.a, numbered(5, 90), "nothing lost, nothing twice");
      assert.deepEqual(seen.b, numbered(0, 4));
      assert.ok(statuses.includes("reconnecting"), statuses.join(","));
      assert.equal(statuses.at(-1), "live");

      // An unknown agent fails its own subscription only.
      const errors: unknown[] = [];
      link.subscribe("ghost", { kind: "agent", id: "nope" }, (m) => {
        if (m.t === "error") errors.push(m.d);
      });
      await until("the error", () => errors.length === 1);
      await append(a, assistantLine("line-90"));
      await until("a carries on", () => seen.a!.includes("line-90"));
    } finally {
      link.close();
    }
    // Closing the link ends its stream on the server.
    let open = -1;
    for (let i = 0; i < 100 && open !== 0; i++) {
      open = (await (await fetch(`${h.url}api/health`)).json()).openStreams;
      if (open !== 0) await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(open, 0);
  },
});
