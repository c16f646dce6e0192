/**
 * Codex cost, checked against an independent calculation written here: it
 * reads the rollout with JSON.parse (not tailboard's parser), keeps one
 * `token_count` per running total (Codex writes each twice), prices
 * `last_token_usage` with the rates below, and sums.
 *
 * OpenAI list prices, USD per million tokens (developers.openai.com/api/docs/pricing,
 * as carried by @pydantic/genai-prices 0.1.8):
 *   gpt-5.5:      5 input, 0.50 cached input, 30 output; a prompt of 272K or more
 *                 is billed whole at 10 / 1 / 45. No cache-write price: written
 *                 tokens are billed as input.
 *   gpt-5.4-mini: 0.75 / 0.075 / 4.50; Fast mode 2× (openai.com/api-fast-mode).
 *   gpt-5.6-luna: 1 / 0.10 / 6 until 2026-07-30, then 0.20 / 0.02 / 1.20.
 */

import assert from "node:assert/strict";
import { costOf } from "../../cost/cost.ts";
import { UsageReader } from "../../cost/reader.ts";
import { UsageCounter } from "../../cost/usage.ts";
import { parseLine } from "../../transcript/line.ts";

const ROLLOUT = new URL("../fixtures/cost/codex-0.150-rollout.jsonl", import.meta.url);
const PRICE_CUT = new URL("../fixtures/cost/codex-0.146-price-cut.jsonl", import.meta.url);

interface Rates {
  input: number;
  cached: number;
  output: number;
}

/** The independent calculation: model and tier from the lines, one price per response. */
function expectedUsd(text: string, rates: (model: string, ts: string, tier: string) => Rates) {
  let model = "";
  let tier = "standard";
  const seen = new Set<string>();
  let sum = 0;
  const each: number[] = [];
  for (const line of text.split("\n").filter(Boolean)) {
    const { timestamp, type, payload } = JSON.parse(line);
    if (type === "turn_context") model = payload.model;
    if (payload.type === "thread_settings_applied") {
      model = payload.thread_settings.model;
      tier = payload.thread_settings.service_tier;
    }
    if (payload.type !== "token_count" || payload.info === null) continue;
    const total = JSON.stringify(payload.info.total_token_usage);
    if (seen.has(total)) continue;
    seen.add(total);
    const last = payload.info.last_token_usage;
    const r = rates(model, timestamp, tier);
    const uncached = last.input_tokens - last.cached_input_tokens;
    const usd = (uncached * r.input + last.cached_input_tokens * r.cached +
      last.output_tokens * r.output) / 1e6;
    each.push(usd);
    sum += usd;
  }
  return { sum, each };
}

function tailboard(text: string) {
  const counter = new UsageCounter();
  for (const line of text.split("\n").filter(Boolean)) {
    counter.add(parseLine(line).event, "rollout");
  }
  return counter;
}

Deno.test("Codex cost per response matches an independent calculation", async () => {
  const text = await Deno.readTextFile(ROLLOUT);
  const expected = expectedUsd(text, (model, _ts, tier) => {
    if (model === "gpt-5.4-mini") {
      const times = tier === "fast" ? 2 : 1;
      return { input: 0.75 * times, cached: 0.075 * times, output: 4.5 * times };
    }
    assert.equal(model, "gpt-5.5");
    return { input: 5, cached: 0.5, output: 30 };
  });
  // The third response's prompt is 301,000 tokens: the whole of it at the long rates.
  expected.each[2] = (51_000 * 10 + 250_000 * 1 + 900 * 45) / 1e6;
  expected.sum = expected.each.reduce((a, b) => a + b, 0);

  const counter = tailboard(text);
  const records = counter.records();
  assert.equal(records.length, 4, "each response once, though Codex wrote it twice");
  assert.deepEqual(records.map((r) => r.model), ["gpt-5.5", "gpt-5.5", "gpt-5.5", "gpt-5.4-mini"]);
  assert.deepEqual(records.map((r) => r.speed), [undefined, undefined, undefined, "fast"]);
  records.forEach((r, i) => {
    const usd = costOf(r);
    assert.ok(usd !== null && Math.abs(usd - expected.each[i]!) < 1e-12, `#${i}: ${usd}`);
  });
  const totals = counter.totals();
  assert.ok(Math.abs(totals.usd! - expected.sum) < 1e-12, `${totals.usd} ≠ ${expected.sum}`);
  // By hand: 0.042336 + 0.059656 + 0.8005 + 0.0105816
  assert.ok(Math.abs(totals.usd! - 0.9130736) < 1e-12);
});

Deno.test("Codex tokens: input includes cached input and cache writes; reasoning is in output", async () => {
  const records = tailboard(await Deno.readTextFile(ROLLOUT)).records();
  // Response 2: 15,500 input of which 12,032 cached and 2,048 written; 1,210 output
  // of which 700 reasoning.
  assert.deepEqual(
    {
      input: records[1]!.input,
      cacheRead: records[1]!.cacheRead,
      cacheWrite: records[1]!.cacheWrite5m,
      output: records[1]!.output,
    },
    { input: 1420, cacheRead: 12032, cacheWrite: 2048, output: 1210 },
  );
  // The running total is never what is billed: the last response's counts are.
  const sum = records.reduce((n, r) => n + r.input + r.cacheRead + r.cacheWrite5m + r.output, 0);
  assert.equal(sum, 12000 + 640 + 15500 + 1210 + 301000 + 900 + 20000 + 300);
});

Deno.test("a Codex response is priced at its own date: the 2026-07-30 cut", async () => {
  const text = await Deno.readTextFile(PRICE_CUT);
  const expected = expectedUsd(
    text,
    (_model, ts) =>
      ts < "2026-07-30"
        ? { input: 1, cached: 0.1, output: 6 }
        : { input: 0.2, cached: 0.02, output: 1.2 },
  );
  const records = tailboard(text).records();
  assert.equal(records.length, 2);
  // The same 50,000 in (40,000 cached) and 2,000 out, on 29 July and on 31 July.
  assert.ok(Math.abs(costOf(records[0]!)! - 0.026) < 1e-12, "July 29");
  assert.ok(Math.abs(costOf(records[1]!)! - 0.0052) < 1e-12, "July 31");
  assert.ok(Math.abs(costOf(records[0]!)! + costOf(records[1]!)! - expected.sum) < 1e-12);
});

Deno.test("the configured Codex tier applies until a rollout says its own", () => {
  const lines = [
    { type: "turn_context", payload: { model: "gpt-5.5" } },
    {
      timestamp: "2026-09-14T08:00:09.000Z",
      type: "event_msg",
      payload: {
        type: "token_count",
        info: {
          total_token_usage: { input_tokens: 1000, output_tokens: 100, total_tokens: 1100 },
          last_token_usage: { input_tokens: 1000, output_tokens: 100, total_tokens: 1100 },
        },
      },
    },
  ].map((l) => parseLine(JSON.stringify(l)).event);
  const fast = new UsageReader("a", "fast");
  const standard = new UsageReader("b");
  const [f] = lines.flatMap((e) => fast.read(e));
  const [s] = lines.flatMap((e) => standard.read(e));
  // (1,000×5 + 100×30) / 1e6, and 2.5× that in Fast mode ($12.50 / $75).
  assert.ok(Math.abs(costOf(s!)! - 0.008) < 1e-12);
  assert.ok(Math.abs(costOf(f!)! - 0.02) < 1e-12);
  // Flex has no price tailboard knows: unknown, never the standard price.
  const flex = new UsageReader("c", "flex");
  const [x] = lines.flatMap((e) => flex.read(e));
  assert.equal(costOf(x!), null);
});

Deno.test("a Codex model served by another provider has tokens and no price", () => {
  const lines = [
    { type: "session_meta", payload: { id: "s", model_provider: "shirty" } },
    { type: "turn_context", payload: { model: "gpt-5.5" } },
    {
      type: "event_msg",
      payload: {
        type: "token_count",
        info: {
          total_token_usage: { input_tokens: 10, output_tokens: 1, total_tokens: 11 },
          last_token_usage: { input_tokens: 10, output_tokens: 1, total_tokens: 11 },
        },
      },
    },
  ].map((l) => parseLine(JSON.stringify(l)).event);
  const counter = new UsageCounter();
  for (const e of lines) counter.add(e, "x");
  assert.equal(counter.totals().tokens, 11);
  assert.equal(counter.totals().usd, null);
});

Deno.test("the real rollouts in the corpus: repeats counted once", async () => {
  const name = "agtrace/rollout-2025-12-10T04-55-16-019b04ae-b1c6-7c72-a134-a4c2de66058c.jsonl";
  const text = await Deno.readTextFile(new URL(`../fixtures/transcripts/${name}`, import.meta.url));
  const counter = tailboard(text);
  // 14 token_count events, each written twice, the first two without usage: the
  // billed tokens add up to the session's final running total, 27,148.
  assert.equal(counter.totals().tokens, 27148);
  // gpt-5.1-codex-max at $1.25 / $0.125 / $10, independently.
  const expected = expectedUsd(text, () => ({ input: 1.25, cached: 0.125, output: 10 }));
  assert.equal(counter.records().length, expected.each.length);
  assert.ok(Math.abs(counter.totals().usd! - expected.sum) < 1e-12);
});
