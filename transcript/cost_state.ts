/**
 * Claude Code's `cost-state` lines: its own running cost of a session,
 * rewritten (whole, not as a delta) as the session goes on. Shape, Claude Code
 * 2.1.x: `{type: "cost-state", sessionId, totalCostUSD, modelUsage: {<model>:
 * {inputTokens, outputTokens, cacheReadInputTokens, cacheCreationInputTokens,
 * thinkingTokens, webSearchRequests, costUSD}}, hasUnknownModelCost, ...}`,
 * with no timestamp. tailboard shows it beside its own estimate and never adds
 * it to a sum: it also counts calls the transcript never shows.
 */

import type { CostState, MetaEvent } from "../core/event.ts";
import { type BaseFields, type JsonRecord, num, record, str } from "./record.ts";

type MetaDraft = Omit<MetaEvent, "cursor">;

export function costStateEvent(rec: JsonRecord, base: BaseFields): MetaDraft {
  const total = num(rec.totalCostUSD);
  const event: MetaDraft = {
    kind: "meta",
    ...base,
    subtype: "cost-state",
    text: "Claude Code's cost",
  };
  if (total === undefined) return event;
  const state: CostState = { totalUsd: total, models: {} };
  const sessionId = str(rec.sessionId);
  if (sessionId) state.sessionId = sessionId;
  for (const [model, value] of Object.entries(record(rec.modelUsage) ?? {})) {
    const u = record(value);
    if (u === undefined) continue;
    // thinkingTokens are inside outputTokens already: not added again.
    const tokens = (num(u.inputTokens) ?? 0) + (num(u.outputTokens) ?? 0) +
      (num(u.cacheReadInputTokens) ?? 0) + (num(u.cacheCreationInputTokens) ?? 0);
    state.models[model] = { usd: num(u.costUSD) ?? 0, tokens };
  }
  event.costState = state;
  event.text = `Claude Code's own total: $${total.toFixed(2)}`;
  return event;
}
