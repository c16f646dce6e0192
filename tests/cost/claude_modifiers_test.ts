/**
 * Each Claude modifier priced on its own, on real-shaped Claude Code 2.1.x
 * lines (tests/fixtures/cost/claude-2.1-modifiers.jsonl, see PROVENANCE.md
 * there). Every expected figure is worked out here from Anthropic's list
 * prices in USD per million tokens (pricing page,
 * platform.claude.com/docs/en/about-claude/pricing):
 *   Sonnet 4.6: 3 in, 15 out, 3.75 5m write, 6 1h write, 0.30 read (flat since 2026-03-13)
 *   Opus 4.8:   5 in, 25 out, 6.25 5m write, 10 1h write, 0.50 read
 *   Opus 4.6:   as Opus 4.8; before 2026-03-13 a prompt over 200K billed whole at
 *               10 in, 37.50 out, 12.50 / 20 writes, 1 read
 *   Fable 5:    10 in, 50 out, 12.50 5m write, 20 1h write, 1 read
 */

import assert from "node:assert/strict";
import type { ParsedEvent } from "../../core/event.ts";
import { costOf } from "../../cost/cost.ts";
import { UsageCounter, usagesOf } from "../../cost/usage.ts";
import { parseLine } from "../../transcript/line.ts";

const FILE = new URL("../fixtures/cost/claude-2.1-modifiers.jsonl", import.meta.url);
const events: ParsedEvent[] = (await Deno.readTextFile(FILE)).split("\n").filter(Boolean)
  .map((line) => parseLine(line).event);

/** The records (main, then advisor calls) of one message, from its last line. */
function billed(messageId: string) {
  const lines = events.filter((e) => e.kind === "assistant" && e.messageId === messageId);
  assert.ok(lines.length > 0, `no line for ${messageId}`);
  return usagesOf(lines.at(-1)!);
}

function assertUsd(actual: number | null, expected: number, at: string) {
  assert.ok(actual !== null, `${at}: no price`);
  assert.ok(Math.abs(actual - expected) < 1e-12, `${at}: ${actual} ≠ ${expected}`);
}

Deno.test("a standard Sonnet 4.6 response is priced at its list price", () => {
  const [r] = billed("msg_01Std46");
  // 204,006 prompt tokens, but Sonnet 4.6 has been flat across 1M since 2026-03-13:
  // (6×3 + 812×15 + 24,000×3.75 + 180,000×0.3) / 1e6
  assertUsd(costOf(r!), 0.156198, "sonnet 4.6");
});

Deno.test("fast mode: Opus 4.8 at twice its standard rates, cache prices included", () => {
  const [r] = billed("msg_01Fast48");
  assert.equal(r!.speed, "fast");
  // (4×5 + 1,500×25 + 3,000×6.25 + 90,000×0.5) × 2 / 1e6
  assertUsd(costOf(r!), 0.20254, "fast");
  assertUsd(costOf({ ...r!, speed: undefined }), 0.10127, "the same at standard speed");
});

Deno.test("fast mode on a model with no published fast price is price unknown", () => {
  const [r] = billed("msg_01FastSonnet");
  assert.equal(r!.speed, "fast");
  assert.equal(costOf(r!), null);
});

Deno.test("US-only inference bills Sonnet 4.6 at 1.1×, and older models at 1×", () => {
  const [r] = billed("msg_01GeoUs46");
  assert.equal(r!.geo, "us");
  // (3×3 + 400×15 + 1,000×3.75 + 50,000×0.3) × 1.1 / 1e6
  assertUsd(costOf(r!), 0.0272349, "us");
  assertUsd(costOf({ ...r!, geo: "global" }), 0.024759, "global");
  // Sonnet 4.5 predates the surcharge: 100,000 × 3 / 1e6, US-only or not.
  const old = { ...r!, model: "claude-sonnet-4-5-20250929", input: 100_000, output: 0 };
  assertUsd(costOf({ ...old, cacheWrite5m: 0, cacheRead: 0 }), 0.3, "sonnet 4.5, us");
});

Deno.test("1-hour cache writes are priced at the 1-hour rate", () => {
  const [r] = billed("msg_01Cache1h");
  assert.equal(r!.cacheWrite1h, 20000);
  assert.equal(r!.cacheWrite5m, 0);
  // (2×5 + 300×25 + 20,000×10 + 10,000×0.5) / 1e6
  assertUsd(costOf(r!), 0.21251, "1h");
});

Deno.test("an advisor call is billed under its own model, apart from the top level", () => {
  const records = billed("msg_01Advisor");
  assert.deepEqual(records.map((r) => [r.key, r.model]), [
    ["msg_01Advisor:req_01Advisor", "claude-sonnet-4-6"],
    ["msg_01Advisor:req_01Advisor:advisor:1", "claude-opus-4-8"],
  ]);
  // Executor: (5×3 + 600×15 + 800×3.75 + 40,000×0.3) / 1e6; its `message` iterations
  // are inside the top-level counts and add nothing.
  assertUsd(costOf(records[0]!), 0.024015, "executor");
  // Advisor: (42,000×5 + 1,600×25) / 1e6
  assertUsd(costOf(records[1]!), 0.25, "advisor");
  const counter = new UsageCounter();
  for (const e of events) counter.add(e, "s");
  const keys = counter.records().map((r) => r.key);
  assert.equal(keys.filter((k) => k.startsWith("msg_01Advisor")).length, 2, "counted once each");
});

Deno.test("a fallback_message iteration is not billed beyond the top level", () => {
  const records = billed("msg_01Fallback");
  assert.equal(records.length, 1);
  // (8×5 + 200×25 + 30,000×0.5) / 1e6: the refused Fable 5 attempt costs nothing.
  assertUsd(costOf(records[0]!), 0.02004, "fallback");
});

Deno.test("long context: Opus 4.6 over 200K before 2026-03-13, flat after", () => {
  const [feb] = billed("msg_01Long46Feb");
  const [apr] = billed("msg_01Long46Apr");
  // 230,010 prompt tokens. February: (10×10 + 2,000×37.5 + 230,000×1) / 1e6
  assertUsd(costOf(feb!), 0.3051, "February");
  // April, the same tokens: (10×5 + 2,000×25 + 230,000×0.5) / 1e6
  assertUsd(costOf(apr!), 0.16505, "April");
});

Deno.test("Fable 5 at its list price", () => {
  const [r] = billed("msg_01Fable5");
  // (12×10 + 3,000×50 + 15,000×12.5 + 120,000×1) / 1e6
  assertUsd(costOf(r!), 0.45762, "fable 5");
});

Deno.test("the file as a whole: one record per response, unknown prices kept apart", () => {
  const counter = new UsageCounter();
  for (const e of events) counter.add(e, "s");
  const totals = counter.totals();
  assert.equal(counter.records().length, 11); // 10 messages + 1 advisor call
  assert.equal(totals.usd, null, "the fast Sonnet line has no price");
  assert.equal(totals.unpricedTokens, 2 + 50 + 1000);
  assertUsd(
    totals.pricedUsd,
    0.156198 + 0.20254 + 0.0272349 + 0.21251 + 0.024015 + 0.25 + 0.02004 + 0.3051 + 0.16505 +
      0.45762,
    "priced part",
  );
});
