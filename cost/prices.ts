/**
 * List prices per model family, and the cost of one usage record at them.
 *
 * The table is embedded and dated: tailboard never fetches prices, so a cost
 * is reproducible and works offline. A model whose family is not in the table
 * (or in the user's `prices.json`) has no price: its cost is `null`, shown as
 * "price unknown", never a guess from a neighbouring family.
 */

import type { UsageRecord } from "./usage.ts";

/**
 * The day these figures were last checked against Anthropic's published
 * pricing page, "Pricing" in the Claude API docs
 * (https://platform.claude.com/docs/en/about-claude/pricing, formerly
 * https://docs.anthropic.com/en/docs/about-claude/pricing): its "Model
 * pricing" table (base input, 5m cache writes, 1h cache writes, cache hits,
 * output) gives every row below but one, and its "Long context pricing"
 * section the $6 / $22.50 tier of Sonnet 4 and 4.5, on which the cache
 * multipliers (1.25×, 2×, 0.1×) stack. Claude 3 Sonnet, retired before that
 * table was published, is at the $3 / $15 it launched with in March 2024
 * ("Introducing the next generation of Claude"); it never had prompt caching.
 */
export const PRICES_AS_OF = "2026-11-25";

/** USD per million tokens for each kind of token. */
export interface Rates {
  input: number;
  output: number;
  /** `null` where the model never offered prompt caching: cached tokens then have no price. */
  cacheWrite5m: number | null;
  cacheWrite1h: number | null;
  cacheRead: number | null;
}

/** A dearer tier billed for the whole request once its prompt is longer than `above` tokens. */
export interface LongContextRates extends Rates {
  /** Prompt tokens (input + cache writes + cache reads) beyond which this tier applies. */
  above: number;
}

/** What one model family costs. */
export interface ModelPrice extends Rates {
  /** How a person names it: "Claude Sonnet 4.5". */
  name: string;
  longContext?: LongContextRates;
}

/**
 * Prices keyed by family (`sonnet-4.5`, `haiku-3.5`, `opus-4`: see
 * {@linkcode familyOf}) or, in a user's overrides, by a model id.
 */
export type PriceTable = Readonly<Record<string, ModelPrice>>;

function _row(
  name: string,
  input: number,
  output: number,
  cacheWrite5m: number | null,
  cacheWrite1h: number | null,
  cacheRead: number | null,
): ModelPrice {
  return { name, input, output, cacheWrite5m, cacheWrite1h, cacheRead };
}

/**
 * Sonnet 4 and 4.5 with the 1M-token context window: a request whose prompt
 * passes 200K tokens is billed, all of it, at $6 input / $22.50 output, and
 * the cache multipliers apply on top ("Long context pricing").
 */
const _SONNET_LONG_CONTEXT: LongContextRates = {
  above: 200_000,
  input: 6,
  output: 22.5,
  cacheWrite5m: 7.5,
  cacheWrite1h: 12,
  cacheRead: 0.6,
};

/**
 * Anthropic list prices as of {@linkcode PRICES_AS_OF}, USD per million tokens.
 *
 * | family     | input | output | 5m write | 1h write | cache read |
 * |------------|-------|--------|----------|----------|------------|
 * | opus-4.5   | 5     | 25     | 6.25     | 10       | 0.50       |
 * | opus-4.1   | 15    | 75     | 18.75    | 30       | 1.50       |
 * | opus-4     | 15    | 75     | 18.75    | 30       | 1.50       |
 * | opus-3     | 15    | 75     | 18.75    | 30       | 1.50       |
 * | sonnet-4.5 | 3     | 15     | 3.75     | 6        | 0.30       | (>200K prompt: 6 / 22.50 / 7.50 / 12 / 0.60)
 * | sonnet-4   | 3     | 15     | 3.75     | 6        | 0.30       | (>200K prompt: 6 / 22.50 / 7.50 / 12 / 0.60)
 * | sonnet-3.7 | 3     | 15     | 3.75     | 6        | 0.30       |
 * | sonnet-3.5 | 3     | 15     | 3.75     | 6        | 0.30       |
 * | sonnet-3   | 3     | 15     | —        | —        | —          | (no prompt caching)
 * | haiku-4.5  | 1     | 5      | 1.25     | 2        | 0.10       |
 * | haiku-3.5  | 0.80  | 4      | 1        | 1.60     | 0.08       |
 * | haiku-3    | 0.25  | 1.25   | 0.30     | 0.50     | 0.03       |
 *
 * Deliberately absent: Opus/Sonnet 4.6 and later. Their long-context terms
 * could not be confirmed, and their bills can turn on per-request modifiers
 * (fast mode, US-only inference) that a {@linkcode UsageRecord} does not
 * carry, so any price here would be a guess: their tokens show with "price
 * unknown" until a user adds them to `prices.json`.
 */
export const PRICES: PriceTable = {
  // _row(name, input, output, 5m cache write, 1h cache write, cache read)
  "opus-4.5": _row("Claude Opus 4.5", 5, 25, 6.25, 10, 0.5),
  "opus-4.1": _row("Claude Opus 4.1", 15, 75, 18.75, 30, 1.5),
  "opus-4": _row("Claude Opus 4", 15, 75, 18.75, 30, 1.5),
  "opus-3": _row("Claude Opus 3", 15, 75, 18.75, 30, 1.5),
  "sonnet-4.5": {
    ..._row("Claude Sonnet 4.5", 3, 15, 3.75, 6, 0.3),
    longContext: _SONNET_LONG_CONTEXT,
  },
  "sonnet-4": {
    ..._row("Claude Sonnet 4", 3, 15, 3.75, 6, 0.3),
    longContext: _SONNET_LONG_CONTEXT,
  },
  "sonnet-3.7": _row("Claude Sonnet 3.7", 3, 15, 3.75, 6, 0.3),
  "sonnet-3.5": _row("Claude Sonnet 3.5", 3, 15, 3.75, 6, 0.3),
  // Claude 3 Sonnet never offered prompt caching: cached tokens on it have no price.
  "sonnet-3": _row("Claude 3 Sonnet", 3, 15, null, null, null),
  "haiku-4.5": _row("Claude Haiku 4.5", 1, 5, 1.25, 2, 0.1),
  "haiku-3.5": _row("Claude Haiku 3.5", 0.8, 4, 1, 1.6, 0.08),
  "haiku-3": _row("Claude Haiku 3", 0.25, 1.25, 0.3, 0.5, 0.03),
};

/**
 * A model id without what varies around the family: provider prefixes
 * (`us.anthropic.`, Vertex paths), Bedrock `-v1:0`, Vertex `@20250929`, a
 * `-20250929` snapshot date, `-latest` and Claude Code's `[1m]` marker.
 */
export function modelIdOf(model: string): string {
  let id = model.trim().toLowerCase().replace(/\[[^\]]*\]$/, "");
  const at = id.indexOf("claude-");
  if (at > 0) id = id.slice(at);
  return id
    .replace(/-v\d+(?::\d+)?$/, "")
    .replace(/@[\w.-]+$/, "")
    .replace(/-\d{8}$/, "")
    .replace(/-latest$/, "");
}

const _CURRENT = /^claude-(opus|sonnet|haiku)-(\d+)(?:-(\d{1,2}))?$/;
const _LEGACY = /^claude-(\d+)(?:-(\d{1,2}))?-(opus|sonnet|haiku)$/;

/**
 * The family a model id belongs to, `sonnet-4.5` for `claude-sonnet-4-5-20250929`
 * and `haiku-3.5` for `claude-3-5-haiku-20241022`; `null` for anything else.
 * Exact on the version: `claude-opus-4-8` is `opus-4.8`, never `opus-4`.
 */
export function familyOf(model: string): string | null {
  const id = modelIdOf(model);
  const current = _CURRENT.exec(id);
  if (current) return _family(current[1]!, current[2]!, current[3]);
  const legacy = _LEGACY.exec(id);
  if (legacy) return _family(legacy[3]!, legacy[1]!, legacy[2]);
  return null;
}

function _family(tier: string, major: string, minor: string | undefined): string {
  // `claude-opus-4-0` is Claude Code's alias for Opus 4 itself.
  return minor === undefined || minor === "0" ? `${tier}-${major}` : `${tier}-${major}.${minor}`;
}

/**
 * The price of `model`: the table's entry for the exact id, else for the id
 * without date and provider decoration, else for its family; `null` when none.
 */
export function priceFor(model: string, table: PriceTable = PRICES): ModelPrice | null {
  const family = familyOf(model);
  return _own(table, model) ?? _own(table, modelIdOf(model)) ??
    (family === null ? undefined : _own(table, family)) ?? null;
}

function _own(table: PriceTable, key: string): ModelPrice | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/**
 * Estimated USD for one record at list prices; `null` when its model has no
 * price, or it has tokens of a kind its model has no price for.
 */
export function costOf(u: UsageRecord, table: PriceTable = PRICES): number | null {
  const price = priceFor(u.model, table);
  if (price === null) return null;
  const prompt = u.input + u.cacheWrite5m + u.cacheWrite1h + u.cacheRead;
  const rates = price.longContext && prompt > price.longContext.above ? price.longContext : price;
  const parts: [number, number | null][] = [
    [u.input, rates.input],
    [u.output, rates.output],
    [u.cacheWrite5m, rates.cacheWrite5m],
    [u.cacheWrite1h, rates.cacheWrite1h],
    [u.cacheRead, rates.cacheRead],
  ];
  // Sum in token·dollars per million and divide once: fewer rounding steps.
  let sum = 0;
  for (const [tokens, rate] of parts) {
    if (tokens === 0) continue;
    if (rate === null) return null;
    sum += tokens * rate;
  }
  return sum / 1_000_000;
}

/** A `prices.json` that cannot be used, with every problem found in it. */
export class PriceFileError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid price overrides:\n  ${problems.join("\n  ")}`);
    this.name = "PriceFileError";
  }
}

const _RATE_FIELDS = ["input", "output", "cacheWrite5m", "cacheWrite1h", "cacheRead"] as const;
const _ENTRY_FIELDS = new Set<string>([..._RATE_FIELDS, "name", "longContext"]);
const _LONG_FIELDS = new Set<string>([..._RATE_FIELDS, "above"]);

/**
 * Reads a user's `prices.json` (already `JSON.parse`d) and returns `base` with
 * its entries laid over. The shape:
 *
 * ```json
 * {
 *   "asOf": "2026-11-01",
 *   "models": {
 *     "claude-sonnet-4-6": { "input": 3, "output": 15, "cacheWrite5m": 3.75, "cacheWrite1h": 6, "cacheRead": 0.3 },
 *     "haiku-4.5": { "input": 0.9 }
 *   }
 * }
 * ```
 *
 * Keys are model ids (matched before families, dates and provider prefixes
 * ignored) or family keys such as `sonnet-4.5`. An entry for a model the
 * table already prices may give only the rates it changes; a new one needs all
 * five (`null` for a cache price the model does not have). `longContext` adds a
 * tier (`above` plus five rates), `"longContext": null` removes one.
 *
 * @throws {PriceFileError} listing every problem, when anything is off.
 */
export function loadPriceOverrides(json: unknown, base: PriceTable = PRICES): PriceTable {
  const problems: string[] = [];
  if (!_isObject(json)) throw new PriceFileError([`expected an object, got ${_show(json)}`]);
  for (const key of Object.keys(json)) {
    if (key !== "models" && key !== "asOf" && key !== "$schema") {
      problems.push(`unknown field "${key}" (expected "models", and optionally "asOf")`);
    }
  }
  if (json.asOf !== undefined && typeof json.asOf !== "string") {
    problems.push(`asOf: expected a date string, got ${_show(json.asOf)}`);
  }
  const models = json.models;
  if (!_isObject(models)) {
    problems.push(`models: expected an object of model → prices, got ${_show(models)}`);
    throw new PriceFileError(problems);
  }
  const table: Record<string, ModelPrice> = { ...base };
  for (const [key, entry] of Object.entries(models)) {
    const price = _entry(key, entry, priceFor(key, base), problems);
    if (price) table[key] = price;
  }
  if (problems.length > 0) throw new PriceFileError(problems);
  return table;
}

function _entry(
  key: string,
  entry: unknown,
  inherited: ModelPrice | null,
  problems: string[],
): ModelPrice | null {
  const at = `models[${JSON.stringify(key)}]`;
  if (key.trim() === "") problems.push(`${at}: a model id or family cannot be empty`);
  if (!_isObject(entry)) {
    problems.push(`${at}: expected an object of prices, got ${_show(entry)}`);
    return null;
  }
  const before = problems.length;
  _unknownFields(entry, _ENTRY_FIELDS, at, problems);
  if (entry.name !== undefined && typeof entry.name !== "string") {
    problems.push(`${at}.name: expected a string, got ${_show(entry.name)}`);
  }
  const rates = _rates(entry, inherited, at, problems, "a model the built-in table does not price");
  let longContext = inherited?.longContext;
  if (entry.longContext === null) {
    longContext = undefined;
  } else if (entry.longContext !== undefined) {
    longContext = _longContext(entry.longContext, longContext, `${at}.longContext`, problems);
  }
  if (problems.length > before || rates === null) return null;
  const name = typeof entry.name === "string" ? entry.name : inherited?.name ?? key;
  return longContext ? { name, ...rates, longContext } : { name, ...rates };
}

function _longContext(
  value: unknown,
  inherited: LongContextRates | undefined,
  at: string,
  problems: string[],
): LongContextRates | undefined {
  if (!_isObject(value)) {
    problems.push(`${at}: expected an object (or null to remove the tier), got ${_show(value)}`);
    return undefined;
  }
  _unknownFields(value, _LONG_FIELDS, at, problems);
  const rates = _rates(value, inherited ?? null, at, problems, "a new long-context tier");
  let above = inherited?.above;
  if (value.above !== undefined || above === undefined) {
    if (typeof value.above === "number" && Number.isInteger(value.above) && value.above > 0) {
      above = value.above;
    } else {
      problems.push(
        `${at}.above: expected a whole number of tokens > 0, got ${_show(value.above)}`,
      );
      return undefined;
    }
  }
  return rates === null ? undefined : { above, ...rates };
}

function _rates(
  entry: Record<string, unknown>,
  inherited: Rates | null,
  at: string,
  problems: string[],
  /** Who must give every rate, for the message: "a new long-context tier". */
  newcomer: string,
): Rates | null {
  const out: Partial<Record<(typeof _RATE_FIELDS)[number], number | null>> = {};
  let ok = true;
  for (const field of _RATE_FIELDS) {
    const value = entry[field];
    const cache = field !== "input" && field !== "output";
    if (value === undefined) {
      if (inherited) {
        out[field] = inherited[field];
        continue;
      }
      problems.push(
        `${at}.${field}: missing; ${newcomer} needs all of ${_RATE_FIELDS.join(", ")}${
          cache ? " (null where the model has no cache price)" : ""
        }`,
      );
      ok = false;
    } else if (value === null && cache) {
      out[field] = null;
    } else if (typeof value === "number" && Number.isFinite(value) && value >= 0) {
      out[field] = value;
    } else {
      problems.push(
        `${at}.${field}: expected USD per million tokens, a number ≥ 0${
          cache ? " or null" : ""
        }, got ${_show(value)}`,
      );
      ok = false;
    }
  }
  return ok ? out as Rates : null;
}

function _unknownFields(
  entry: Record<string, unknown>,
  allowed: Set<string>,
  at: string,
  problems: string[],
): void {
  for (const field of Object.keys(entry)) {
    if (!allowed.has(field)) {
      problems.push(`${at}: unknown field "${field}" (expected ${[...allowed].join(", ")})`);
    }
  }
}

function _isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function _show(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
