/**
 * List prices from `@pydantic/genai-prices`: a maintained, start-dated
 * catalogue of Anthropic and OpenAI prices, embedded in the package. Only
 * `calcPrice` and `findProvider` are used; `updatePrices` (the one way the
 * package could fetch newer data) is never called, so prices never touch the
 * network and a cost is the same on every run of the same tailboard.
 */

import { calcPrice, findProvider } from "@pydantic/genai-prices";
import type { ModelInfo, ModelPrice as LibraryPrice, Provider } from "@pydantic/genai-prices";
import { CORRECTIONS } from "./corrections.ts";
import type { LongContextRates, ModelPrice, Rates } from "./prices.ts";
import type { Tokens } from "./usage.ts";

// In a module of its own, so the daemon's thread can name the source without
// loading the catalogue (only the history worker prices anything).
export { PRICE_SOURCE } from "./price_source.ts";

/** Whose price list a model is on. */
export type Vendor = "anthropic" | "openai";

/** The catalogue's provider, tailboard's corrections first (cost/corrections.ts). */
const _providers = new Map<Vendor, Provider | undefined>();

function _provider(id: Vendor): Provider | undefined {
  if (!_providers.has(id)) {
    const base = findProvider({ providerId: id });
    const fixes = CORRECTIONS.filter((c) => c.provider === id).map((c) => c.model);
    _providers.set(id, base && { ...base, models: [...fixes, ...base.models] });
  }
  return _providers.get(id);
}

/**
 * Per vendor and model: a provider holding only the catalogue entry the model
 * resolves to, or null when none does. `calcPrice` copies the provider it is
 * given, every model and every price, on each call: for the whole catalogue
 * that is tens of kilobytes of garbage per response priced, and the history
 * index prices every response of every transcript (measured: three quarters
 * of its allocations over 100 MB). Which entry a model resolves to does not
 * depend on the time, only which of its prices applies does, so the one-entry
 * provider gives the same prices. Bounded: hostile transcripts may name any
 * number of models.
 */
const _narrowed = new Map<string, Provider | null>();
const NARROWED_MAX = 256;

function _narrow(catalogue: Provider, model: string): Provider | null {
  const key = `${catalogue.id}\u0000${model}`;
  let single = _narrowed.get(key);
  if (single === undefined) {
    const found = calcPrice({}, model, { provider: catalogue });
    single = found && { ...catalogue, models: [found.model] };
    if (_narrowed.size >= NARROWED_MAX) _narrowed.clear();
    _narrowed.set(key, single);
  }
  return single;
}

/** The catalogue's token counts for five kinds of token: `input_tokens` is the whole prompt. */
function _usage(t: Tokens): Record<string, number> {
  return {
    input_tokens: t.input + t.cacheWrite5m + t.cacheWrite1h + t.cacheRead,
    cache_write_tokens: t.cacheWrite5m + t.cacheWrite1h,
    cache_write_1h_tokens: t.cacheWrite1h,
    cache_read_tokens: t.cacheRead,
    output_tokens: t.output,
  };
}

/** A usable timestamp or now: a line without one is priced at today's list price. */
function _at(ts: string | undefined): Date {
  const ms = ts === undefined ? NaN : Date.parse(ts);
  return Number.isFinite(ms) ? new Date(ms) : new Date();
}

/**
 * USD of `tokens` on `model` at the list price in force at `ts` (long-context
 * tiers included), or null when the catalogue has no price for the model.
 * `flat` prices every token at the base rate, whatever the prompt's length.
 */
export function listCost(
  tokens: Tokens,
  model: string,
  provider: Vendor,
  ts: string | undefined,
  flat = false,
): number | null {
  const all = _provider(provider);
  if (!all || !model) return null;
  try {
    const catalogue = _narrow(all, model);
    if (!catalogue) return null;
    const at = _at(ts);
    const found = calcPrice(_usage(tokens), model, { provider: catalogue, timestamp: at });
    if (found === null) return null;
    if (!flat) return found.total_price;
    const base = _flatten(found.model_price);
    const single: Provider = {
      id: catalogue.id,
      name: catalogue.name,
      api_pattern: catalogue.api_pattern,
      models: [{ id: found.model.id, match: { equals: model.toLowerCase() }, prices: base }],
    };
    return calcPrice(_usage(tokens), model, { provider: single, timestamp: at })?.total_price ??
      null;
  } catch {
    // The catalogue throws on usage it cannot decompose (a count below its
    // parts): such a line has no price rather than a wrong one.
    return null;
  }
}

/** The model's prices with every tier at its base rate. */
function _flatten(price: LibraryPrice): LibraryPrice {
  const out: LibraryPrice = {};
  for (const [key, value] of Object.entries(price)) {
    out[key] = typeof value === "object" && value !== null ? value.base : value;
  }
  return out;
}

/**
 * The catalogue's price for `model` at `ts` in tailboard's shape (what a
 * `prices.json` entry inherits), or null when it has none.
 */
export function listPrice(
  model: string,
  provider: Vendor,
  ts?: string,
): ModelPrice | null {
  const catalogue = _provider(provider);
  if (!catalogue || !model) return null;
  const found = calcPrice({}, model, { provider: catalogue, timestamp: _at(ts) });
  if (found === null) return null;
  return _fromLibrary(found.model, found.model_price);
}

function _fromLibrary(model: ModelInfo, price: LibraryPrice): ModelPrice {
  const rate = (key: string, tier: boolean): number | null => {
    const v = price[key];
    if (v === undefined) return null;
    if (typeof v === "number") return v;
    return tier ? v.tiers[0]?.price ?? v.base : v.base;
  };
  const rates = (tier: boolean): Rates => ({
    input: rate("input_mtok", tier) ?? 0,
    output: rate("output_mtok", tier) ?? 0,
    cacheWrite5m: rate("cache_write_mtok", tier),
    cacheWrite1h: rate("cache_write_1h_mtok", tier) ?? rate("cache_write_mtok", tier),
    cacheRead: rate("cache_read_mtok", tier),
  });
  const tiered = Object.values(price).find((v) => typeof v === "object" && v !== null);
  const out: ModelPrice = { name: model.name ?? model.id, ...rates(false) };
  if (tiered && typeof tiered === "object" && tiered.tiers[0]) {
    const longContext: LongContextRates = { above: tiered.tiers[0].start, ...rates(true) };
    out.longContext = longContext;
  }
  return out;
}
