/**
 * A user's own prices (`prices.json`) and how model ids are read. List prices
 * come from `@pydantic/genai-prices` (cost/list_prices.ts); an entry here
 * replaces them for its model, so a negotiated rate or a model the catalogue
 * does not know yet can be priced. A model priced by neither has no price: its
 * cost is `null`, shown as "price unknown", never a guess from a neighbour.
 */

import { listPrice, type Vendor } from "./list_prices.ts";
import type { Tokens } from "./usage.ts";

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

/** What one model costs. */
export interface ModelPrice extends Rates {
  /** How a person names it: "Claude Sonnet 4.5". */
  name: string;
  longContext?: LongContextRates;
}

/**
 * Prices keyed by a model id or a family (`sonnet-4.5`, `haiku-3.5`, `opus-4`:
 * see {@linkcode familyOf}).
 */
export type PriceTable = Readonly<Record<string, ModelPrice>>;

/** No overrides: every price from the catalogue. */
export const NO_OVERRIDES: PriceTable = Object.freeze({});

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
export function priceFor(model: string, table: PriceTable = NO_OVERRIDES): ModelPrice | null {
  const family = familyOf(model);
  return _own(table, model) ?? _own(table, modelIdOf(model)) ??
    (family === null ? undefined : _own(table, family)) ?? null;
}

function _own(table: PriceTable, key: string): ModelPrice | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/**
 * Whose price list a model id is on: OpenAI's for `gpt-*`, `o1`…, `codex-*`,
 * Anthropic's for the rest (the catalogue then decides whether it knows it).
 */
export function vendorOf(model: string): Vendor {
  return /^(?:gpt-|o\d|codex-|chatgpt-)/i.test(modelIdOf(model)) ? "openai" : "anthropic";
}

/** The model id a family key stands for in the catalogue: `sonnet-4.5` → `claude-sonnet-4-5`. */
export function modelOfKey(key: string): string {
  const m = /^(opus|sonnet|haiku)-(\d+)(?:\.(\d+))?$/.exec(key);
  if (!m) return key;
  const [, tier, major, minor] = m;
  // Claude 3.x ids put the version first: claude-3-5-haiku.
  if (Number(major) < 4) return `claude-${major}${minor ? `-${minor}` : ""}-${tier}`;
  return `claude-${tier}-${major}${minor ? `-${minor}` : ""}`;
}

/** Every prompt token of `t`: fresh input, cache writes and cache reads (what long-context tiers measure). */
export function promptTokens(t: Tokens): number {
  return t.input + t.cacheWrite5m + t.cacheWrite1h + t.cacheRead;
}

/**
 * USD for `u` at `price` (an override's rates), the long-context tier applied
 * when the prompt passes it; `null` when it has tokens of a kind the price
 * leaves unpriced.
 */
export function costAtRates(u: Tokens, price: ModelPrice): number | null {
  const prompt = promptTokens(u);
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
 * catalogue prices may give only the rates it changes (the rest are today's
 * list prices); a new one needs all
 * five (`null` for a cache price the model does not have). `longContext` adds a
 * tier (`above` plus five rates), `"longContext": null` removes one.
 *
 * @throws {PriceFileError} listing every problem, when anything is off.
 */
export function loadPriceOverrides(json: unknown, base: PriceTable = NO_OVERRIDES): PriceTable {
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
    const inherited = priceFor(key, base) ?? listPrice(modelOfKey(key), vendorOf(modelOfKey(key)));
    const price = _entry(key, entry, inherited, problems);
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
  const rates = _rates(entry, inherited, at, problems, "a model the list prices do not cover");
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
