/**
 * Where `@pydantic/genai-prices` is wrong, tailboard's fix, laid over the
 * catalogue's own entry (a correction matches first). Each says what the
 * catalogue has, what is right, and the source; tests/cost/list_prices_test.ts
 * pins each one.
 */

import type { ModelInfo } from "@pydantic/genai-prices";

export interface Correction {
  provider: "anthropic" | "openai";
  model: ModelInfo;
}

/** A price billed whole at `above` once the prompt passes `start` tokens. */
function _tier(base: number, above: number) {
  return { base, tiers: [{ start: 200_000, price: above }] };
}

export const CORRECTIONS: readonly Correction[] = [
  {
    // genai-prices 0.1.8 prices Claude Sonnet 4 flat at $3 / $15. Sonnet 4 had
    // the 1M-token context window (beta, `context-1m-2025-08-07`), and a request
    // whose prompt passed 200K tokens was billed, all of it, at $6 / $22.50,
    // cache multipliers on top: Anthropic's pricing page, "Long context
    // pricing" (platform.claude.com/docs/en/about-claude/pricing), which names
    // Sonnet 4 and 4.5 alike; the catalogue has the tier for Sonnet 4.5 only.
    provider: "anthropic",
    model: {
      id: "claude-sonnet-4-0",
      name: "Claude Sonnet 4",
      match: {
        or: [
          { starts_with: "claude-sonnet-4-2025" },
          { starts_with: "claude-sonnet-4-0" },
          { starts_with: "claude-sonnet-4@" },
          { equals: "claude-sonnet-4" },
          { starts_with: "claude-4-sonnet" },
        ],
      },
      prices: {
        input_mtok: _tier(3, 6),
        cache_write_mtok: _tier(3.75, 7.5),
        cache_write_1h_mtok: _tier(6, 12),
        cache_read_mtok: _tier(0.3, 0.6),
        output_mtok: _tier(15, 22.5),
      },
    },
  },
];
