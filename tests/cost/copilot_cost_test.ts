/**
 * Copilot cost, checked against an independent calculation written here.
 * A Copilot CLI session (1.0.x) writes each reply's `outputTokens` on its
 * `assistant.message`, names the model once (`session.model_change`), and
 * writes the whole bill per model only at `session.shutdown` (`modelMetrics`,
 * whose `inputTokens` include the cached reads). So: the replies' output is
 * counted as it streams, and the shutdown adds the rest; the session's total
 * is its shutdown totals, exactly.
 *
 * Anthropic list prices, USD per million tokens (as carried by
 * @pydantic/genai-prices 0.1.8): Sonnet 4.6: 3 input, 15 output, 0.30 cache read.
 */

import assert from "node:assert/strict";
import type { ParsedEvent } from "../../core/event.ts";
import { UsageCounter } from "../../cost/usage.ts";
import { parseLine } from "../../transcript/line.ts";
import { transcript } from "../_harness/corpus.ts";

const REAL = transcript("Mai0313--VibeCodingTracker/tests/fixtures/sessions/copilot.jsonl");

/** The session's lines, and its shutdown's `modelMetrics` read with JSON.parse alone. */
async function session() {
  const lines = (await Deno.readTextFile(REAL)).split("\n").filter(Boolean);
  const shutdown = lines.map((l) => JSON.parse(l)).find((r) => r.type === "session.shutdown");
  const usage = shutdown.data.modelMetrics["claude-sonnet-4.6"].usage;
  return { lines, usage };
}

function count(events: ParsedEvent[], source = "events.jsonl") {
  const counter = new UsageCounter();
  for (const event of events) counter.add(event, source);
  return counter;
}

const events = (lines: string[]) => lines.map((l) => parseLine(l).event);

Deno.test("a Copilot session's tokens are its shutdown totals, priced on its model", async () => {
  const { lines, usage } = await session();
  const totals = count(events(lines)).totals();
  const uncached = usage.inputTokens - usage.cacheReadTokens;
  assert.deepEqual(
    [totals.input, totals.output, totals.cacheRead, totals.cacheWrite5m, totals.unpricedTokens],
    [uncached, usage.outputTokens, usage.cacheReadTokens, 0, 0],
  );
  const usd = (uncached * 3 + usage.outputTokens * 15 + usage.cacheReadTokens * 0.3) / 1e6;
  assert.ok(totals.usd !== null && Math.abs(totals.usd - usd) < 1e-12, `${totals.usd} ≠ ${usd}`);
});

Deno.test("a running Copilot session counts each reply's output before it shuts down", async () => {
  const { lines } = await session();
  const before = lines.slice(0, lines.findIndex((l) => l.includes('"session.shutdown"')));
  const counter = count(events(before));
  const totals = counter.totals();
  assert.equal(totals.output, 311 + 170 + 141 + 153 + 1379 + 694);
  assert.equal(totals.input + totals.cacheRead, 0, "prompt tokens are only in the totals");
  assert.ok(totals.usd !== null && totals.usd > 0, "priced as the model the session switched to");
  assert.deepEqual(new Set(counter.records().map((r) => r.model)), new Set(["claude-sonnet-4.6"]));
});

Deno.test("a resumed Copilot session adds each segment's shutdown totals once", async () => {
  const { lines, usage } = await session();
  // `copilot --resume` appends to the same file, and each shutdown counts from its own start.
  const resumed = [
    ...lines,
    ...lines.map((l) => l.replaceAll(/"(id|messageId|requestId)":"/g, '"$1":"r-')),
  ];
  const once = count(events(lines)).totals();
  const twice = count(events(resumed)).totals();
  assert.equal(twice.output, 2 * usage.outputTokens);
  assert.equal(twice.tokens, 2 * once.tokens);
});

Deno.test("a Copilot reply billed past its model's total never makes the rest negative", () => {
  const line = (type: string, data: Record<string, unknown>, id: string) =>
    parseLine(JSON.stringify({ type, data, id, timestamp: "2026-04-23T17:00:00.000Z" })).event;
  const totals = count([
    line("session.model_change", { newModel: "gpt-5.4" }, "a"),
    line("assistant.message", { messageId: "m1", content: "hi", outputTokens: 900 }, "b"),
    line("session.shutdown", {
      modelMetrics: {
        "gpt-5.4": { usage: { inputTokens: 1000, outputTokens: 500, cacheReadTokens: 200 } },
      },
    }, "c"),
  ]).totals();
  assert.deepEqual([totals.input, totals.output, totals.cacheRead], [800, 900, 200]);
});
