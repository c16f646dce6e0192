/**
 * The method, on the repo's data. Issue 14 measured five real Claude
 * Code sessions (Sonnet 4.6, Opus 4.8, Fable 5) at $99.03 with ccusage and
 * with an independent list-price calculation; those sessions are not in the
 * repo, so that figure cannot be reproduced here. This test repeats the method
 * on every Claude transcript the repo holds (tests/fixtures/transcripts/ and
 * tests/fixtures/cost/): an independent calculation, written below with
 * JSON.parse and its own price table, against tailboard's totals.
 */

import assert from "node:assert/strict";
import { UsageCounter } from "../../cost/usage.ts";
import { parseLine } from "../../transcript/line.ts";
import { claudeTranscripts } from "../_harness/corpus.ts";

/** Anthropic list prices, USD per million: input, output, 5m write, 1h write, cache read. */
const LIST: Record<string, [number, number, number, number, number]> = {
  "claude-sonnet-4-5-20250929": [3, 15, 3.75, 6, 0.3],
  "claude-sonnet-4-20250514": [3, 15, 3.75, 6, 0.3],
  "claude-sonnet-4": [3, 15, 3.75, 6, 0.3],
  "claude-3-sonnet-20240229": [3, 15, 3.75, 6, 0.3],
  "claude-haiku-4-5-20251001": [1, 5, 1.25, 2, 0.1],
  "claude-sonnet-4-6": [3, 15, 3.75, 6, 0.3],
  "claude-opus-4-6": [5, 25, 6.25, 10, 0.5],
  "claude-opus-4-8": [5, 25, 6.25, 10, 0.5],
  "claude-opus-5": [5, 25, 6.25, 10, 0.5],
  "claude-fable-5": [10, 50, 12.5, 20, 1],
};
/** Models billed 1.1× when inference ran US-only (Opus 4.6, Sonnet 4.6 and later). */
const US_SURCHARGE = new Set([
  "claude-sonnet-4-6",
  "claude-opus-4-6",
  "claude-opus-4-8",
  "claude-opus-5",
  "claude-fable-5",
]);
/** Fast mode's multiple, where Anthropic publishes one. */
const FAST: Record<string, number> = { "claude-opus-4-8": 2, "claude-opus-4-6": 6 };

interface Usage {
  input_tokens?: number;
  output_tokens?: number;
  cache_creation_input_tokens?: number;
  cache_read_input_tokens?: number;
  cache_creation?: { ephemeral_1h_input_tokens?: number };
  speed?: string;
  inference_geo?: string;
  iterations?: (Usage & { type?: string; model?: string })[] | null;
}

/** One response's USD, or null when the table cannot price it. */
function price(model: string, ts: string, u: Usage): number | null {
  const rates = LIST[model];
  if (!rates) return null;
  let [i, o, w5, w1, r] = rates;
  const written = u.cache_creation_input_tokens ?? 0;
  const oneHour = u.cache_creation?.ephemeral_1h_input_tokens ?? 0;
  const prompt = (u.input_tokens ?? 0) + written + (u.cache_read_input_tokens ?? 0);
  let times = 1;
  if (u.speed === "fast") {
    if (!(model in FAST)) return null;
    times = FAST[model]!;
  } else if (
    prompt > 200_000 &&
    (model.startsWith("claude-sonnet-4-2") || model === "claude-sonnet-4" ||
      model.startsWith("claude-sonnet-4-5") ||
      (model === "claude-opus-4-6" && ts < "2026-03-13"))
  ) {
    [i, o, w5, w1, r] = [i * 2, o * 1.5, w5 * 2, w1 * 2, r * 2];
  }
  if (u.inference_geo === "us" && US_SURCHARGE.has(model)) times *= 1.1;
  return times * ((u.input_tokens ?? 0) * i + (u.output_tokens ?? 0) * o +
    (written - oneHour) * w5 + oneHour * w1 + (u.cache_read_input_tokens ?? 0) * r) /
    1e6;
}

function tokens(u: Usage): number {
  return (u.input_tokens ?? 0) + (u.output_tokens ?? 0) + (u.cache_creation_input_tokens ?? 0) +
    (u.cache_read_input_tokens ?? 0);
}

/** The independent calculation over a set of files' text. */
function independent(texts: string[]) {
  const kept = new Map<string, { model: string; ts: string; usage: Usage }>();
  for (const text of texts) {
    for (const line of text.split("\n")) {
      let rec;
      try {
        rec = JSON.parse(line);
      } catch {
        continue;
      }
      const m = rec?.message;
      if (rec?.type !== "assistant" || !m?.id || !m.usage || m.model === "<synthetic>") continue;
      const key = rec.requestId ? `${m.id}:${rec.requestId}` : m.id;
      const old = kept.get(key);
      if (!old || tokens(m.usage) > tokens(old.usage)) {
        kept.set(key, { model: m.model, ts: rec.timestamp, usage: m.usage });
      }
    }
  }
  let usd = 0;
  let all = 0;
  let unpriced = 0;
  for (const { model, ts, usage } of kept.values()) {
    const calls = [{ model, usage }];
    for (const it of usage.iterations ?? []) {
      if (it.type === "advisor_message") calls.push({ model: it.model ?? "", usage: it });
    }
    for (const call of calls) {
      const n = tokens(call.usage);
      all += n;
      const p = price(call.model, ts, { ...call.usage, inference_geo: usage.inference_geo });
      if (p === null) unpriced += n;
      else usd += p;
    }
  }
  return { usd, tokens: all, unpriced };
}

Deno.test("tailboard's cost equals an independent list-price calculation on the repo's Claude data", async () => {
  const texts = [...(await claudeTranscripts()).values()];
  texts.push(
    await Deno.readTextFile(
      new URL("../fixtures/cost/claude-2.1-modifiers.jsonl", import.meta.url),
    ),
  );
  const theirs = independent(texts);
  const counter = new UsageCounter();
  texts.forEach((text, i) => {
    for (const line of text.split("\n")) if (line) counter.add(parseLine(line).event, `f${i}`);
  });
  const ours = counter.totals();
  assert.equal(ours.tokens, theirs.tokens);
  assert.equal(ours.unpricedTokens, theirs.unpriced);
  assert.ok(Math.abs(ours.pricedUsd - theirs.usd) < 1e-9, `${ours.pricedUsd} ≠ ${theirs.usd}`);
  // On this data: the corpus's $0.1662011 and the modifier fixture's $1.8203079.
  assert.ok(Math.abs(ours.pricedUsd - 1.986509) < 1e-9, `${ours.pricedUsd}`);
});
