/**
 * Tokens per API response, counted once. Claude Code writes one JSONL line per
 * content block of an assistant message, each repeating the message's id,
 * `requestId` and `usage`; up to 2.0.x only the last of those lines carries the
 * final `output_tokens` (earlier ones hold a streaming snapshot such as 1).
 * Summing lines overcounts about 2×, keeping the first line loses the output:
 * one record per (message id, request id), the largest seen, is the bill.
 */

import type { ParsedEvent, TailEvent, Usage } from "../core/event.ts";
import { costOf } from "./cost.ts";
import { NO_OVERRIDES, type PriceTable, vendorOf } from "./prices.ts";
import { UsageReader } from "./reader.ts";

/** The five kinds of token Anthropic bills differently. */
export interface Tokens {
  input: number;
  output: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
}

/** Whose price list a response is billed on; "other" has none tailboard knows. */
export type Vendor = "anthropic" | "openai" | "other";

/** One billable API response's tokens, as counted once. */
export interface UsageRecord extends Tokens {
  /**
   * Dedupe key: `${messageId}:${requestId}` (or `${messageId}` when requestId
   * is missing), `…:advisor:N` for an advisor call inside it, and
   * `codex:${source}:${running totals}` for a Codex response.
   */
  key: string;
  /** As the line names it, e.g. `claude-sonnet-4-5-20250929`; empty when it names none. */
  model: string;
  /** ISO timestamp of the line: the response is priced at the list price of that moment. */
  ts: string | undefined;
  vendor: Vendor;
  /**
   * A premium speed or tier the response ran at: Claude's `usage.speed`
   * ("fast"), Codex's service tier ("fast", "flex"); absent for standard.
   */
  speed?: string;
  /** Claude's `usage.inference_geo` ("us", "global"), where the line has one. */
  geo?: string;
}

/** What a {@linkcode UsageCounter} adds up to. */
export interface UsageTotals extends Tokens {
  /** All five kinds together. */
  tokens: number;
  /**
   * Estimated USD at list prices; `null` when some tokens have no price (an
   * unknown model), so a partial sum is never shown as the whole.
   */
  usd: number | null;
  /** The USD of the tokens that do have a price. Equals `usd` when nothing is unpriced. */
  pricedUsd: number;
  /** Tokens whose model (or kind of token) has no price. */
  unpricedTokens: number;
}

/**
 * The usage one Claude line bills, or `null`: only assistant lines with a
 * message id and `usage` count, never `<synthetic>` ones Claude Code makes up
 * itself, and never a tool result: a Task result's `usage` is the subagent's
 * own, already carried by the subagent's lines. Advisor calls inside the
 * response are apart: see {@linkcode usagesOf}.
 */
export function usageOf(event: TailEvent | ParsedEvent): UsageRecord | null {
  if (event.kind !== "assistant") return null;
  const { messageId, usage, model } = event;
  if (messageId === undefined || usage === undefined) return null;
  if (event.synthetic || model === "<synthetic>") return null;
  const record: UsageRecord = {
    key: event.requestId === undefined ? messageId : `${messageId}:${event.requestId}`,
    model: model ?? "",
    ts: event.ts,
    vendor: vendorOf(model ?? ""),
    ..._tokens(usage),
  };
  const speed = _word(usage.speed);
  if (speed !== undefined && speed !== "standard") record.speed = speed;
  const geo = _word(usage.inference_geo);
  if (geo !== undefined) record.geo = geo;
  return record;
}

/**
 * Every response one Claude line bills: its own, then one per advisor call in
 * `usage.iterations`. An `advisor_message` iteration is a sub-inference on the
 * advisor's model, billed at that model's rates and left out of the top-level
 * counts, so it is a record of its own. Other iterations (`message`,
 * `fallback_message`) are already in, or not billed beyond, the top level.
 * Source: Anthropic's advisor tool docs
 * (platform.claude.com/docs/en/agents-and-tools/tool-use/advisor-tool), the
 * SDK's `BetaAdvisorMessageIterationUsage` ("usage for an advisor
 * sub-inference iteration", with its own `model`).
 */
export function usagesOf(event: TailEvent | ParsedEvent): UsageRecord[] {
  const main = usageOf(event);
  if (main === null || event.kind !== "assistant") return [];
  const out = [main];
  const iterations = event.usage?.iterations;
  if (!Array.isArray(iterations)) return out;
  iterations.forEach((it: unknown, i: number) => {
    if (typeof it !== "object" || it === null) return;
    const entry = it as Usage & { type?: unknown; model?: unknown };
    if (entry.type !== "advisor_message") return;
    const model = typeof entry.model === "string" ? entry.model : "";
    const advisor: UsageRecord = {
      key: `${main.key}:advisor:${i}`,
      model,
      ts: main.ts,
      vendor: vendorOf(model),
      ..._tokens(entry),
    };
    // US-only inference is set for the request: its advisor calls run there too.
    if (main.geo !== undefined) advisor.geo = main.geo;
    out.push(advisor);
  });
  return out;
}

/** A short lower-case setting (`"fast"`, `"us"`), or undefined for anything else. */
function _word(value: unknown): string | undefined {
  return typeof value === "string" && /^[\w-]{1,32}$/.test(value) ? value.toLowerCase() : undefined;
}

function _tokens(usage: Usage): Tokens {
  const written = _count(usage.cache_creation_input_tokens);
  const split = usage.cache_creation;
  if (typeof split !== "object" || split === null) {
    return {
      input: _count(usage.input_tokens),
      output: _count(usage.output_tokens),
      cacheWrite5m: written,
      cacheWrite1h: 0,
      cacheRead: _count(usage.cache_read_input_tokens),
    };
  }
  const oneHour = _count(split.ephemeral_1h_input_tokens);
  // Where the split under-reports the total, the rest was written at the default 5-minute TTL.
  const fiveMinutes = Math.max(_count(split.ephemeral_5m_input_tokens), written - oneHour);
  return {
    input: _count(usage.input_tokens),
    output: _count(usage.output_tokens),
    cacheWrite5m: fiveMinutes,
    cacheWrite1h: oneHour,
    cacheRead: _count(usage.cache_read_input_tokens),
  };
}

/** A token count as written, or 0 for anything that is not one. */
function _count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : 0;
}

/** All five kinds of token of a record together. */
export function totalTokens(u: Tokens): number {
  return u.input + u.output + u.cacheWrite5m + u.cacheWrite1h + u.cacheRead;
}

/**
 * The one of two records with the same key to keep: the larger token total
 * (older Claude Code versions write a streaming snapshot like output_tokens 1
 * on earlier lines of a message and the final count only on the last). On a
 * tie, `a`: the one seen first.
 */
export function better(a: UsageRecord, b: UsageRecord): UsageRecord {
  return totalTokens(b) > totalTokens(a) ? b : a;
}

/** Options for {@linkcode UsageCounter}. */
export interface UsageCounterOptions {
  /**
   * A user's prices, laid over the list prices.
   * @default NO_OVERRIDES
   */
  prices?: PriceTable;
  /**
   * Codex's service tier (`service_tier` in ~/.codex/config.toml), for rollouts
   * that do not say theirs.
   */
  codexTier?: string;
}

interface _Entry {
  record: UsageRecord;
  /** The source that first carried the key: a resumed session's replay belongs to the original. */
  source: string | undefined;
}

/**
 * In-memory counter: feed events (from any number of files), read totals.
 * Counts each key once across files (resumed sessions replay earlier messages
 * into a new file); the record belongs to the first source that carried it.
 */
export class UsageCounter {
  readonly #entries = new Map<string, _Entry>();
  readonly #prices: PriceTable;
  readonly #codexTier: string | undefined;
  readonly #readers = new Map<string, UsageReader>();

  constructor(options: UsageCounterOptions = {}) {
    this.#prices = options.prices ?? NO_OVERRIDES;
    this.#codexTier = options.codexTier;
  }

  /**
   * Counts `event`'s usage, if it bills any; `source` names the file it came
   * from (events of one file in order: Codex's model is on earlier lines).
   */
  add(event: TailEvent | ParsedEvent, source = ""): void {
    let reader = this.#readers.get(source);
    if (reader === undefined) {
      reader = new UsageReader(source, this.#codexTier);
      this.#readers.set(source, reader);
    }
    for (const record of reader.read(event)) {
      const entry = this.#entries.get(record.key);
      if (entry === undefined) {
        this.#entries.set(record.key, { record, source });
      } else {
        entry.record = better(entry.record, record);
      }
    }
  }

  /** One record per key, in the order first seen; only `source`'s own when given. */
  records(source?: string): UsageRecord[] {
    const out: UsageRecord[] = [];
    for (const entry of this.#entries.values()) {
      if (source === undefined || entry.source === source) out.push(entry.record);
    }
    return out;
  }

  /** Tokens and estimated cost of every record, or of `source`'s own when given. */
  totals(source?: string): UsageTotals {
    const totals: UsageTotals = {
      input: 0,
      output: 0,
      cacheWrite5m: 0,
      cacheWrite1h: 0,
      cacheRead: 0,
      tokens: 0,
      usd: null,
      pricedUsd: 0,
      unpricedTokens: 0,
    };
    for (const record of this.records(source)) {
      totals.input += record.input;
      totals.output += record.output;
      totals.cacheWrite5m += record.cacheWrite5m;
      totals.cacheWrite1h += record.cacheWrite1h;
      totals.cacheRead += record.cacheRead;
      const tokens = totalTokens(record);
      totals.tokens += tokens;
      const usd = costOf(record, this.#prices);
      if (usd === null) totals.unpricedTokens += tokens;
      else totals.pricedUsd += usd;
    }
    totals.usd = totals.unpricedTokens > 0 ? null : totals.pricedUsd;
    return totals;
  }
}
