/**
 * Where list prices come from, for the UI to say: a module of its own, free
 * of the catalogue, so naming the source does not load it (cost/list_prices.ts
 * does, and only the history worker prices anything).
 */

/** Keep `version` equal to deno.json's pin (tests/cost/list_prices_test.ts checks). */
export const PRICE_SOURCE = {
  name: "@pydantic/genai-prices",
  version: "0.1.8",
  /** The day that version was published: its data is as of then. */
  asOf: "2026-09-23",
} as const;
