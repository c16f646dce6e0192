/**
 * The history index's routes, each call abortable: the views fire a request
 * per keystroke or click and drop the stale ones.
 *
 * @typedef {import("../lib/usage.js").Usage & {key: string, label: string}} UsageRow
 * @typedef {{from: string, to: string, by: "day" | "project" | "agent" | "model", rows: UsageRow[],
 *   totals: import("../lib/usage.js").Usage, pricesAsOf?: string | null,
 *   prices?: import("../lib/usage.js").PriceSource}} UsageReport
 * @typedef {{id: string, title: string, project: string, source: string,
 *   firstTs: number | string | null, lastTs: number | string | null, usd: number | null,
 *   tokens: number}} DayAgent
 * @typedef {{day: string, agents: DayAgent[]}} DayReport
 * @typedef {{text: string, hit: boolean}} Segment
 * @typedef {{agentId: string, title: string, project: string, cursor: number,
 *   ts: number | string | null, kind: string, snippet: Segment[]}} SearchHit
 * @typedef {{query: string, hits: SearchHit[], next: string | null}} SearchPage
 */

/** An answer other than 2xx, with the server's own message. */
export class ApiError extends Error {
  /**
   * @param {string} message
   * @param {number} status
   */
  constructor(message, status) {
    super(message);
    this.name = "ApiError";
    this.status = status;
  }
}

/**
 * @param {string} url
 * @param {AbortSignal} [signal]
 * @returns {Promise<any>}
 */
async function get(url, signal) {
  const res = await fetch(url, { headers: { accept: "application/json" }, signal });
  // An abort can land while the body is still coming: that must reject, never read as `{}`.
  if (res.ok) return await res.json();
  const body = await res.json().catch(() => null);
  signal?.throwIfAborted();
  throw new ApiError(
    typeof body?.error === "string" ? body.error : `${res.status} ${res.statusText}`,
    res.status,
  );
}

/**
 * Tokens and cost per day, project or agent over `from`..`to` (both included).
 * @param {{from: string, to: string, by: "day" | "project" | "agent" | "model"}} q
 * @param {AbortSignal} [signal]
 * @returns {Promise<UsageReport>}
 */
export function fetchUsage({ from, to, by }, signal) {
  return get(`/api/usage?${new URLSearchParams({ from, to, by })}`, signal);
}

/**
 * The agents active on `day`, with their cost.
 * @param {string} day
 * @param {AbortSignal} [signal]
 * @returns {Promise<DayReport>}
 */
export function fetchDay(day, signal) {
  return get(`/api/history?${new URLSearchParams({ day })}`, signal);
}

/**
 * One page of full-text hits, newest first; `before` is the previous page's `next`.
 * @param {{q: string, limit?: number, before?: string | null}} query
 * @param {AbortSignal} [signal]
 * @returns {Promise<SearchPage>}
 */
export function fetchSearch({ q, limit = 50, before = null }, signal) {
  const params = new URLSearchParams({ q, limit: String(limit) });
  if (before) params.set("before", before);
  return get(`/api/search?${params}`, signal);
}

/**
 * Epoch ms from what the index sends for a time: a number, an ISO string, or nothing.
 * @param {number | string | null | undefined} v
 * @returns {number | null}
 */
export function toMs(v) {
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v !== "string" || !v) return null;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * Whether an error is only our own abort of a stale request.
 * @param {unknown} err
 */
export function isAbort(err) {
  return err instanceof DOMException && err.name === "AbortError";
}
