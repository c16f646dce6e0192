/** A usage record for the price tests: no tokens but those given. */
import type { UsageRecord } from "../../cost/usage.ts";

export function record(model: string, tokens: Partial<UsageRecord>, ts?: string): UsageRecord {
  return {
    key: "k",
    model,
    ts,
    vendor: model.startsWith("gpt-") ? "openai" : "anthropic",
    input: 0,
    output: 0,
    cacheWrite5m: 0,
    cacheWrite1h: 0,
    cacheRead: 0,
    ...tokens,
  };
}
