/**
 * The page's URLs: `/`, `/agents/:id` (with `#cursor` to deep-link a card),
 * `/sessions` (scheduled agents' live logs), `/board` (several agents' feeds
 * side by side; `?agents=` in the query), `/scheduler` (every job),
 * `/history` (a day's agents and cost; `?day=` in the query) and `/search`
 * (`?q=`). The query belongs to those pages, not to the route.
 *
 * @typedef {{view: "home"} | {view: "agent", agentId: string, cursor: number | null}
 *   | {view: "sessions"} | {view: "board"} | {view: "scheduler"} | {view: "history"} | {view: "search"}
 *   | {view: "unknown", path: string}} Route
 */

/**
 * @param {string} pathname
 * @param {string} [hash]
 * @returns {Route}
 */
export function parseRoute(pathname, hash = "") {
  if (pathname === "/" || pathname === "") return { view: "home" };
  if (/^\/sessions\/?$/.test(pathname)) return { view: "sessions" };
  if (/^\/board\/?$/.test(pathname)) return { view: "board" };
  if (/^\/scheduler\/?$/.test(pathname)) return { view: "scheduler" };
  if (/^\/history\/?$/.test(pathname)) return { view: "history" };
  if (/^\/search\/?$/.test(pathname)) return { view: "search" };
  const m = /^\/agents\/([^/]+)\/?$/.exec(pathname);
  if (m) {
    let agentId;
    try {
      agentId = decodeURIComponent(m[1] ?? "");
    } catch {
      return { view: "unknown", path: pathname };
    }
    const c = /^#(\d+)$/.exec(hash);
    return { view: "agent", agentId, cursor: c ? Number(c[1]) : null };
  }
  return { view: "unknown", path: pathname };
}

/**
 * @param {string} agentId
 * @param {number | null} [cursor]
 */
export function agentPath(agentId, cursor = null) {
  return `/agents/${encodeURIComponent(agentId)}${cursor === null ? "" : `#${cursor}`}`;
}
