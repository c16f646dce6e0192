/**
 * "Show all" for what one answer cannot hold: a line bigger than `/line`
 * gives whole, or a tool result Claude Code spilled to
 * `<session>/tool-results/`. Loaded a page at a time (`/line?cursor=&offset=&limit=`,
 * `&part=spill` for a spill), the next page only when the reader asks for it
 * and never two at once, and shown as text: a text node, never HTML.
 *
 * @typedef {"line" | "spill"} PagedPart
 * @typedef {{agentId: string, cursor: number, part: PagedPart}} PagedSource
 * @typedef {{texts: string[], next: number | null, bytes: number | null,
 *   loading: boolean, error: string | null}} Pages the text as loaded, a string per page
 */
import { useEffect, useState } from "preact/hooks";
import { html } from "../lib/html.js";
import { formatBytes } from "../lib/size.js";
import { getJSON } from "../data/api.js";

/**
 * Bytes asked for per page: half of the server's most (4 MiB), so a page
 * stays under 4 MiB on the wire even once its quotes are escaped as JSON.
 */
export const PAGE_BYTES = 2 * 1024 * 1024;

/** The most `/line?cursor=` answers as one event: a longer line is paged. */
export const WHOLE_LINE_MAX = 4 * 1024 * 1024;

/** Lines whose loaded pages are kept when their card scrolls away: they can be big. */
const KEPT = 2;

/**
 * How a truncated event's whole text is loaded: by pages (`line`: the line
 * as written; `spill`: the spilled output), or null when one `/line` answer
 * holds it.
 * @param {any} event
 * @returns {PagedPart | null}
 */
export function pagedPart(event) {
  if (!event?.truncated) return null;
  if (event.result?.type === "bash" && event.result.persistedOutputPath) return "spill";
  return (event.bytes ?? 0) > WHOLE_LINE_MAX ? "line" : null;
}

/**
 * @param {string} agentId
 * @param {any} event
 * @returns {PagedSource | null}
 */
export function pagedSource(agentId, event) {
  const part = pagedPart(event);
  return part && typeof event.cursor === "number" ? { agentId, cursor: event.cursor, part } : null;
}

/**
 * Pages loaded so far, by source: a card the feed unmounts as it scrolls
 * away finds them again, and only the last few lines are kept.
 * @type {Map<string, Pages>}
 */
const loaded = new Map();

/** Sources with a page on the way: never a second request for one of them. */
const asking = new Set();

/** @param {PagedSource} source */
const keyOf = ({ agentId, cursor, part }) => `${agentId} ${cursor} ${part}`;

/**
 * The page after `pages` (the first when there are none yet), appended.
 * @param {PagedSource} source
 * @param {Pages} pages
 * @returns {Promise<Pages>}
 */
async function nextPage({ agentId, cursor, part }, pages) {
  const offset = pages.next ?? 0;
  const url = `/api/agents/${encodeURIComponent(agentId)}/line?cursor=${cursor}` +
    `${part === "spill" ? "&part=spill" : ""}&offset=${offset}&limit=${PAGE_BYTES}`;
  const page = await getJSON(url);
  return {
    texts: [...pages.texts, String(page.text ?? "")],
    next: typeof page.next === "number" ? page.next : null,
    bytes: typeof page.bytes === "number" ? page.bytes : null,
    loading: false,
    error: null,
  };
}

/**
 * A line (or spill) loaded page by page: the first on sight, each next one
 * when "load more" is pressed.
 * @param {{source: PagedSource, error?: boolean, label?: string}} props
 */
export function LinePages({ source, error = false, label }) {
  const key = keyOf(source);
  const [pages, setPages] = useState(
    /** @type {Pages} */ (loaded.get(key) ??
      { texts: [], next: 0, bytes: null, loading: false, error: null }),
  );
  /** @param {Pages} next */
  const keep = (next) => {
    loaded.delete(key);
    loaded.set(key, next);
    while (loaded.size > KEPT) loaded.delete(/** @type {string} */ (loaded.keys().next().value));
    setPages(next);
  };
  const more = async () => {
    // One page at a time: a press while one loads does nothing.
    if (asking.has(key) || pages.next === null) return;
    asking.add(key);
    setPages({ ...pages, loading: true, error: null });
    try {
      keep(await nextPage(source, pages));
    } catch (err) {
      setPages({
        ...pages,
        loading: false,
        error: err instanceof Error ? err.message : String(err),
      });
    } finally {
      asking.delete(key);
    }
  };
  useEffect(() => {
    if (pages.texts.length === 0 && pages.next === 0 && !pages.loading) void more();
  }, [key]);

  // The next page's offset is how many of the bytes are shown.
  const shown = pages.next ?? pages.bytes ?? 0;
  const what = source.part === "spill" ? "output" : "line as written";
  const of = pages.bytes === null ? "" : formatBytes(pages.bytes);
  const status = pages.error
    ? `Could not load it: ${pages.error}`
    : pages.next === null
    ? `the whole ${what}, ${of}`
    : pages.bytes === null
    ? "loading…"
    : `${formatBytes(shown)} of ${of} of the ${what}`;
  // A text node per page: a new page adds one and leaves the others as they are.
  return html`
    <div class="line-pages">
      <pre class=${`out pages ${error ? "err" : ""}`} aria-label=${label}>${pages.texts}</pre>
      <div class="pages-foot dim"><span class="pages-status">${status}</span>${pages.error
        ? html`<button type="button" class="more" onClick=${more}>try again</button>`
        : pages.next !== null && pages.bytes !== null &&
          html`
            <button type="button" class="more load-more" disabled=${pages.loading}
              onClick=${more}>${pages.loading ? "loading…" : "load more"}</button>
          `}</div>
    </div>
  `;
}
