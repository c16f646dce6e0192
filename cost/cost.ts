/**
 * The estimated USD of one API response: its model's list price at the
 * moment it ran (or the user's own price for that model), times whatever its
 * speed, tier or inference region adds. `null` whenever any part of that is
 * unknown: a partial or guessed figure is never passed off as the price.
 */

import { listCost } from "./list_prices.ts";
import {
  claudeFast,
  geoMultiplier,
  isStandardSpeed,
  OPENAI_LONG_CONTEXT,
  openaiFast,
} from "./modifiers.ts";
import {
  costAtRates,
  modelIdOf,
  NO_OVERRIDES,
  priceFor,
  type PriceTable,
  promptTokens,
} from "./prices.ts";
import type { UsageRecord } from "./usage.ts";

/** Estimated USD for one record; `null` when its model, or its speed on that model, has no price. */
export function costOf(r: UsageRecord, overrides: PriceTable = NO_OVERRIDES): number | null {
  if (!r.model || r.vendor === "other") return null;
  let times = 1;
  // Fast mode on Claude is one flat multiple of the standard rates, with no long-context tier.
  let flat = false;
  if (!isStandardSpeed(r.speed)) {
    const fast = r.speed === "fast" || (r.vendor === "openai" && r.speed === "priority");
    if (!fast) return null;
    if (r.vendor === "anthropic") {
      const m = claudeFast(r.model);
      if (m === undefined) return null;
      times = m;
      flat = true;
    } else {
      const terms = openaiFast(r.model);
      if (terms === undefined) return null;
      if (!(terms.shortOnly && promptTokens(r) >= OPENAI_LONG_CONTEXT)) times = terms.times;
    }
  }
  if (r.vendor === "anthropic") times *= geoMultiplier(r.model, r.geo);
  const own = priceFor(r.model, overrides);
  const id = r.vendor === "anthropic" ? modelIdOf(r.model) : r.model.trim().toLowerCase();
  const base = own
    ? costAtRates(r, flat ? { ...own, longContext: undefined } : own)
    : listCost(r, id, r.vendor, r.ts, flat);
  return base === null ? null : base * times;
}
