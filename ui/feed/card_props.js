/**
 * What a feed hands its cards: plain callbacks (the `ctx` prop), so data
 * flows one way (controller → model → cards) and a card never reaches into
 * the controller; and the full-line loading behind a card's "show all".
 *
 * @typedef {import("./model.js").Item} Item
 * @typedef {import("./controller.js").FeedController} FeedController
 * @typedef {object} CardProps
 * @property {string} agentId
 * @property {(key: string) => void} toggle open or close a card
 * @property {(item: Item, opts?: {hash?: boolean, focus?: boolean}) => void} select
 * @property {() => number} subagentCalls subagent calls among the loaded events
 * @property {(messageId: string) => any} turnUsage the usage of an assistant message
 * @property {(cursor: number | undefined) => boolean} loading whether that full line is loading
 */
import { fetchLine } from "../data/api.js";
import { subagentCallCount, turnUsageOf } from "./derived.js";
import { pagedPart } from "../cards/line_pages.js";

/**
 * @param {FeedController} ctl
 * @returns {CardProps}
 */
export function cardPropsFor(ctl) {
  return Object.freeze({
    agentId: ctl.agentId,
    toggle: (key) => ctl.toggle(key),
    select: (item, opts) => ctl.select(item, opts),
    subagentCalls: () => subagentCallCount(ctl.model),
    turnUsage: (id) => turnUsageOf(ctl.model, id),
    loading: (cursor) => ctl.loading(cursor),
  });
}

/**
 * Fetches the full lines behind a truncated event and its result, for "show all".
 * One too big for one answer, or spilled, the card pages itself (cards/line_pages.js).
 * @param {FeedController} ctl
 * @param {Item} item
 */
export async function loadFullLines(ctl, item) {
  const cursors = [];
  if (item.event?.truncated && !pagedPart(item.event)) cursors.push(item.event.cursor);
  if (item.result?.event?.truncated && !pagedPart(item.result.event)) {
    cursors.push(item.result.event.cursor);
  }
  for (const cursor of cursors) {
    if (ctl.fetching.value.has(cursor)) continue;
    ctl.fetching.value = new Set(ctl.fetching.value).add(cursor);
    item.rev++;
    ctl.redraw();
    try {
      const full = await fetchLine(ctl.agentId, cursor);
      if (full) ctl.model.replaceEvent({ ...full, cursor, truncated: false });
    } catch (err) {
      ctl.error.value = `Could not load the full line: ${err instanceof Error ? err.message : err}`;
    } finally {
      const next = new Set(ctl.fetching.value);
      next.delete(cursor);
      ctl.fetching.value = next;
      item.rev++;
      ctl.refit();
    }
  }
}
