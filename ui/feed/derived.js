/**
 * Facts the cards ask of a feed, worked out from its model and remembered
 * until the model changes (`rev`), plus the first guess at a card's height.
 * Pure and DOM-free.
 *
 * @typedef {import("./model.js").Item} Item
 * @typedef {import("./model.js").FeedModel} FeedModel
 */
import { isSubagentTool } from "../cards/tools.js";
import { turnUsage } from "../lib/usage.js";

/** @type {WeakMap<FeedModel, {rev: number, count: number}>} */
const calls = new WeakMap();
/** @type {WeakMap<FeedModel, {rev: number, byId: Map<string, any>}>} */
const turns = new WeakMap();

/**
 * How many subagent (Task) calls the loaded events hold.
 * @param {FeedModel} model
 */
export function subagentCallCount(model) {
  const memo = calls.get(model);
  if (memo?.rev === model.rev) return memo.count;
  let count = 0;
  for (const i of model.items) {
    if (i.kind === "tool" && isSubagentTool(i.block?.name ?? "")) count++;
  }
  calls.set(model, { rev: model.rev, count });
  return count;
}

/**
 * The usage of an assistant message: the largest its lines carry (each
 * block's line repeats it, and early ones may hold a streaming snapshot).
 * @param {FeedModel} model
 * @param {string} messageId
 */
export function turnUsageOf(model, messageId) {
  let memo = turns.get(model);
  if (memo?.rev !== model.rev) {
    const byId = new Map();
    for (const i of model.items) {
      const e = i.event;
      if (e?.kind !== "assistant" || !e.messageId || !e.usage) continue;
      const seen = byId.get(e.messageId);
      if (!seen || (turnUsage(e.usage)?.tokens ?? 0) > (turnUsage(seen)?.tokens ?? 0)) {
        byId.set(e.messageId, e.usage);
      }
    }
    memo = { rev: model.rev, byId };
    turns.set(model, memo);
  }
  return memo.byId.get(messageId);
}

/**
 * A first guess at a card's height until it is measured.
 * @param {Item} item
 */
export function estimate(item) {
  const textLen = (/** @type {unknown} */ s) => (typeof s === "string" ? s.length : 0);
  switch (item.kind) {
    case "log":
      return 21;
    case "quiet":
      return 30;
    case "marker":
      return 44;
    case "thinking":
      return 44;
    case "user":
      return 70 + Math.min(40, Math.ceil(textLen(item.event?.text) / 90)) * 21;
    case "text":
      return 52 + Math.min(40, Math.ceil(textLen(item.block?.text) / 90) + 1) * 22;
    default:
      return item.result ? 150 : 60;
  }
}

/**
 * Which events are new to the reader: those written after the feed opened.
 * Until the file's size at opening is known, nothing counts as new.
 */
export class Freshness {
  /** Cursor up to which events were already in the file when the feed opened. */
  #seenUpTo = -1;

  /** @param {number} size the file's size when the page first learnt of it */
  baseline(size) {
    if (this.#seenUpTo < 0) this.#seenUpTo = size;
  }

  /** @param {any[]} events */
  count(events) {
    if (this.#seenUpTo < 0) return 0;
    let n = 0;
    for (const e of events) if (e.cursor > this.#seenUpTo || e.kind === "file") n++;
    return n;
  }
}
