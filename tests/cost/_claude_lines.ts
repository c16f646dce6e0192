/** Claude lines and hand-checked totals shared by the cost tests. */
import assert from "node:assert/strict";
import type { ParsedEvent } from "../../core/event.ts";
import { parseLine } from "../../transcript/line.ts";
import type { UsageTotals } from "../../cost/usage.ts";
import { claudeTranscripts, transcript } from "../_harness/corpus.ts";

/** Token fields and cost of a file's (or the corpus's) deduplicated usage. */
export interface Expected {
  records: number;
  input: number;
  output: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
  /** USD of the priced records; `usd` is null when `unpricedTokens` > 0. */
  pricedUsd: number;
  unpricedTokens: number;
}

export const NONE: Expected = {
  records: 0,
  input: 0,
  output: 0,
  cacheWrite5m: 0,
  cacheWrite1h: 0,
  cacheRead: 0,
  pricedUsd: 0,
  unpricedTokens: 0,
};

export function eventsIn(text: string): ParsedEvent[] {
  return text.split("\n").filter((line) => line !== "").map((line) => parseLine(line).event);
}

export async function eventsOf(name: string): Promise<ParsedEvent[]> {
  return eventsIn(await Deno.readTextFile(transcript(name)));
}

/** The Claude Code fixtures (told apart by their own shape, not by the parser), parsed. */
export async function claudeFiles(): Promise<Map<string, ParsedEvent[]>> {
  const out = new Map<string, ParsedEvent[]>();
  for (const [name, text] of await claudeTranscripts()) out.set(name, eventsIn(text));
  return out;
}

export function line(fields: Record<string, unknown>): ParsedEvent {
  return parseLine(JSON.stringify(fields)).event;
}

/** An assistant line as Claude Code writes it. */
export function assistant(
  id: string,
  usage: Record<string, unknown>,
  extra: { requestId?: string; model?: string; ts?: string } = {},
): ParsedEvent {
  const record: Record<string, unknown> = {
    type: "assistant",
    uuid: crypto.randomUUID(),
    timestamp: extra.ts ?? "2025-12-09T19:47:54.563Z",
    message: {
      id,
      type: "message",
      role: "assistant",
      model: extra.model ?? "claude-sonnet-4-5-20250929",
      content: [{ type: "text", text: "ok" }],
      usage,
    },
  };
  if (extra.requestId !== undefined) record.requestId = extra.requestId;
  return line(record);
}

export function assertTotals(actual: UsageTotals, records: number, expected: Expected, at: string) {
  assert.equal(records, expected.records, `${at}: records`);
  assert.deepEqual(
    {
      input: actual.input,
      output: actual.output,
      cacheWrite5m: actual.cacheWrite5m,
      cacheWrite1h: actual.cacheWrite1h,
      cacheRead: actual.cacheRead,
      unpricedTokens: actual.unpricedTokens,
    },
    {
      input: expected.input,
      output: expected.output,
      cacheWrite5m: expected.cacheWrite5m,
      cacheWrite1h: expected.cacheWrite1h,
      cacheRead: expected.cacheRead,
      unpricedTokens: expected.unpricedTokens,
    },
    at,
  );
  const tokens = expected.input + expected.output + expected.cacheWrite5m + expected.cacheWrite1h +
    expected.cacheRead;
  assert.equal(actual.tokens, tokens, `${at}: tokens`);
  assertUsd(actual.pricedUsd, expected.pricedUsd, `${at}: priced USD`);
  if (expected.unpricedTokens > 0) assert.equal(actual.usd, null, `${at}: usd`);
  else assertUsd(actual.usd, expected.pricedUsd, `${at}: usd`);
}

export function assertUsd(actual: number | null, expected: number, at: string) {
  assert.ok(actual !== null, `${at}: got null`);
  assert.ok(Math.abs(actual - expected) < 1e-12, `${at}: ${actual} ≠ ${expected}`);
}
