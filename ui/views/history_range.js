/**
 * History's pure pieces: the range a URL asks for and back, the 30 days the
 * chart shows, its bars and labels, several days' agents as one list, their
 * order, and the nearest days with activity. No DOM, no fetch: tested in
 * tests/ui/usage_test.ts.
 *
 * @typedef {import("../data/history_api.js").DayAgent} DayAgent
 * @typedef {import("../data/history_api.js").UsageRow} UsageRow
 * @typedef {import("../data/history_api.js").UsageReport} UsageReport
 * @typedef {{from: string, to: string}} Range
 * @typedef {{id: string, title: string, project: string, source: string, firstMs: number | null,
 *   lastMs: number | null, usd: number | null, tokens: number, days: string[]}} RangeAgent
 * @typedef {{day: string, usd: number | null, pricedUsd: number, tokens: number,
 *   unpricedTokens: number}} Bar one day of the chart; its height is the priced part
 */
import { toMs } from "../data/history_api.js";
import { addDays, daysBetween, monthOf, parseDay } from "../lib/days.js";

/** Days in the chart. */
export const CHART_DAYS = 30;

/**
 * The range a URL asks for: `?day=D`, `?from=A&to=B` (a week at most), else null.
 * @param {string} search `location.search`
 * @returns {Range | null}
 */
export function rangeFromSearch(search) {
  const q = new URLSearchParams(search);
  const day = q.get("day");
  if (parseDay(day)) return { from: /** @type {string} */ (day), to: /** @type {string} */ (day) };
  const from = q.get("from");
  const to = q.get("to");
  if (parseDay(from) && parseDay(to) && from && to && from <= to && addDays(from, 6) >= to) {
    return { from, to };
  }
  return null;
}

/**
 * The URL query for a range.
 * @param {Range} r
 */
export function searchForRange(r) {
  return r.from === r.to ? `?day=${r.from}` : `?from=${r.from}&to=${r.to}`;
}

/**
 * The 30 days the chart shows for a range: the last 30 when the range is
 * among them, else the 30 ending a week after the range (so it sits in context).
 * @param {Range} r
 * @param {string} today
 * @returns {Range}
 */
export function chartWindow(r, today) {
  const recent = addDays(today, -(CHART_DAYS - 1));
  const end = r.to >= recent ? today : addDays(r.to, 7);
  return { from: addDays(end, -(CHART_DAYS - 1)), to: end };
}

/**
 * One bar per day of the window, days without rows at zero.
 * @param {UsageRow[]} rows keyed by day
 * @param {Range} window
 * @returns {Bar[]}
 */
export function chartBars(rows, window) {
  const byDay = new Map(rows.map((r) => [r.key, r]));
  return daysBetween(window.from, window.to).map((day) => {
    const r = byDay.get(day);
    const usd = r ? r.usd : 0;
    return {
      day,
      usd,
      pricedUsd: r?.pricedUsd ?? usd ?? 0,
      tokens: r?.tokens ?? 0,
      unpricedTokens: r?.unpricedTokens ?? 0,
    };
  });
}

/**
 * The chart's day labels: the month's name where one starts (and on the first
 * bar), every other day's number in between, counted back from the last bar
 * so it always has one, and nothing right after a month name (it is wider).
 * @param {string[]} days
 * @returns {{text: string, month: boolean}[]}
 */
export function axisLabels(days) {
  const out = days.map((day, i) => {
    const d = Number(day.slice(8));
    if (i === 0 || d === 1) return { text: `${d} ${monthOf(day)}`, month: true };
    return { text: (days.length - 1 - i) % 2 === 0 ? String(d) : "", month: false };
  });
  for (let i = 1; i < out.length; i++) {
    const prev = out[i - 1];
    const here = out[i];
    if (prev?.month && here && !here.month) here.text = "";
  }
  return out;
}

/**
 * The agents of several days as one list: an agent active on two days is one
 * row, its cost and tokens added up, its span from first to last activity.
 * @param {{day: string, agents: DayAgent[]}[]} days
 * @returns {RangeAgent[]}
 */
export function mergeDays(days) {
  /** @type {Map<string, RangeAgent>} */
  const byId = new Map();
  for (const { day, agents } of days) {
    for (const a of agents) {
      const first = toMs(a.firstTs);
      const last = toMs(a.lastTs);
      const seen = byId.get(a.id);
      if (!seen) {
        byId.set(a.id, {
          id: a.id,
          title: a.title,
          project: a.project,
          source: a.source,
          firstMs: first,
          lastMs: last,
          usd: a.usd,
          tokens: a.tokens ?? 0,
          days: [day],
        });
        continue;
      }
      seen.firstMs = minMs(seen.firstMs, first);
      seen.lastMs = last === null ? seen.lastMs : Math.max(seen.lastMs ?? last, last);
      // Unknown stays unknown: a made-up partial sum would read as the whole cost.
      seen.usd = seen.usd === null || a.usd === null ? null : seen.usd + a.usd;
      seen.tokens += a.tokens ?? 0;
      if (!seen.days.includes(day)) seen.days.push(day);
    }
  }
  return [...byId.values()];
}

/**
 * @param {number | null} a
 * @param {number | null} b
 */
function minMs(a, b) {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}

/**
 * Latest activity first, or the most expensive first (unknown prices last, by tokens).
 * @param {RangeAgent[]} list
 * @param {"time" | "cost"} by
 */
export function sortAgents(list, by) {
  const out = [...list];
  if (by === "cost") {
    out.sort((a, b) =>
      (b.usd ?? -1) - (a.usd ?? -1) || b.tokens - a.tokens || a.title.localeCompare(b.title)
    );
  } else out.sort((a, b) => (b.lastMs ?? 0) - (a.lastMs ?? 0) || a.title.localeCompare(b.title));
  return out;
}

/**
 * The days with any usage nearest before and after a range, for an empty day's
 * "previous / next activity" links.
 * @param {UsageRow[]} dayRows keyed by day
 * @param {Range} r
 */
export function nearestActive(dayRows, r) {
  let before = null;
  let after = null;
  for (const row of dayRows) {
    if (row.tokens <= 0 && !(row.usd && row.usd > 0)) continue;
    if (row.key < r.from && (!before || row.key > before)) before = row.key;
    if (row.key > r.to && (!after || row.key < after)) after = row.key;
  }
  return { before, after };
}

/* ---------- data ---------- */
