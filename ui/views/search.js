/**
 * `/search`: full-text search over every transcript the index holds. Results
 * come as you type (a short debounce, stale requests aborted), grouped by
 * agent, with the matching words marked from the server's snippet segments
 * (text nodes only, never HTML). Arrow keys move through the hits and Enter
 * opens the chosen one at its event: `/agents/:id#cursor`, which the feed
 * turns into "load the page around it, select it, scroll to it".
 *
 * `Ctrl/Cmd-K` anywhere opens this page (app.js); `/` here focuses the box.
 *
 * @typedef {import("../data/history_api.js").SearchHit} SearchHit
 * @typedef {{agentId: string, title: string, project: string, hits: SearchHit[]}} HitGroup
 */
import { signal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { html } from "../lib/html.js";
import { agents, now } from "../data/state.js";
import { agentPath } from "../lib/route.js";
import { projectLabel, sourceLabel } from "../lib/agent_tree.js";
import { ApiError, fetchSearch, isAbort, toMs } from "../data/history_api.js";
import { indexStatus, offReason } from "../data/index_status.js";
import { absoluteTime, stamp } from "../lib/time.js";

/** The search box, for `Ctrl/Cmd-K` and `/`. */
export const SEARCH_INPUT_ID = "search-box";
/** Wait this long after a keystroke before asking. */
export const DEBOUNCE_MS = 120;
/** Hits per page. */
const PAGE = 40;
/**
 * The shortest last word sent as a prefix (history/search.ts refuses shorter
 * ones: they match too much to be fast). Should the server ask for more, the
 * query is simply retried as typed.
 */
const MIN_PREFIX = 3;

/** What is typed; kept across visits, like the other pages' filters. */
const query = signal("");
/**
 * @typedef {{q: string, sent: string, hits: SearchHit[], next: string | null,
 *   error: string | null, loading: boolean, more: boolean}} Results the answer for `q` (what
 *   was typed, not necessarily what is typed now), asked as `sent`
 */
/** @type {Results} */
const EMPTY = { q: "", sent: "", hits: [], next: null, error: null, loading: false, more: false };
const results = signal(EMPTY);
/** The highlighted hit, an index into the grouped order; -1: none. */
const active = signal(-1);

/* ---------- pure pieces (tested in tests/ui_usage_test.ts) ---------- */

/**
 * Hits grouped by agent, groups in the order their first hit came (the
 * server's order: best or newest first), hits in their order within a group.
 * @param {SearchHit[]} hits
 * @returns {HitGroup[]}
 */
export function groupHits(hits) {
  /** @type {Map<string, HitGroup>} */
  const groups = new Map();
  for (const hit of hits) {
    let g = groups.get(hit.agentId);
    if (!g) {
      g = { agentId: hit.agentId, title: hit.title, project: hit.project, hits: [] };
      groups.set(hit.agentId, g);
    }
    g.hits.push(hit);
  }
  return [...groups.values()];
}

/**
 * The query to send while the reader is still typing: the last word, if it is
 * a plain word of {@link MIN_PREFIX} letters or more with no space after it,
 * also matches as a prefix (`deno tes` finds `deno test`). Words already finished, phrases,
 * exclusions and explicit `word*` go as typed.
 * @param {string} typed
 * @returns {string}
 */
export function asYouType(typed) {
  const q = typed.trim();
  if (!q || /\s$/.test(typed) || q.endsWith("*")) return q;
  if ((q.match(/"/g)?.length ?? 0) % 2 === 1) return q; // inside an open phrase
  const last = /(?:^|\s)(-?)([^\s"]+)$/.exec(q);
  if (!last || last[1] === "-") return q;
  const words = (last[2] ?? "").split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  return (words[words.length - 1]?.length ?? 0) >= MIN_PREFIX && /[\p{L}\p{N}]$/u.test(q)
    ? `${q}*`
    : q;
}

/**
 * What the server's hit kinds are called on the page, and their colour class.
 * @param {string} kind
 * @returns {{label: string, cls: string}}
 */
export function kindLabel(kind) {
  switch (kind) {
    case "user":
    case "prompt":
      return { label: "prompt", cls: "hk-prompt" };
    case "assistant":
    case "text":
    case "reply":
      return { label: "reply", cls: "hk-reply" };
    case "thinking":
      return { label: "thinking", cls: "hk-thinking" };
    case "tool":
    case "tool_use":
      return { label: "tool", cls: "hk-tool" };
    case "command":
    case "bash":
      return { label: "command", cls: "hk-command" };
    case "path":
    case "file":
      return { label: "file", cls: "hk-file" };
    case "title":
      return { label: "title", cls: "hk-title" };
    case "result":
    case "tool_result":
      return { label: "output", cls: "hk-output" };
    default:
      return { label: String(kind || "event").replace(/_/g, " "), cls: "hk-other" };
  }
}

/* ---------- searching ---------- */

/** @type {AbortController | null} */
let inflight = null;
/** @type {ReturnType<typeof setTimeout> | undefined} */
let debounce;

/**
 * Asks for what is typed after the debounce (`now`: at once); an empty box clears at once.
 * @param {string} typed the box's raw value
 * @param {{now?: boolean}} [opts]
 */
function schedule(typed, opts = {}) {
  clearTimeout(debounce);
  const q = typed.trim();
  if (!q) {
    inflight?.abort();
    inflight = null;
    results.value = EMPTY;
    active.value = -1;
    return;
  }
  results.value = { ...results.value, loading: true };
  const sent = asYouType(typed);
  if (opts.now) void run(q, sent);
  else debounce = setTimeout(() => void run(q, sent), DEBOUNCE_MS);
}

/**
 * @param {string} q what was typed (trimmed): what the results are for
 * @param {string} sent the query sent (see {@link asYouType})
 * @param {string | null} [before] the previous page's `next`, to append a page
 */
async function run(q, sent, before = null) {
  inflight?.abort();
  const ctl = new AbortController();
  inflight = ctl;
  if (before) results.value = { ...results.value, more: true };
  try {
    const page = await fetchSearch({ q: sent, limit: PAGE, before }, ctl.signal);
    if (inflight !== ctl) return;
    const hits = before ? [...results.value.hits, ...(page.hits ?? [])] : page.hits ?? [];
    results.value = {
      q,
      sent,
      hits,
      next: page.next ?? null,
      error: null,
      loading: false,
      more: false,
    };
    if (!before) active.value = hits.length > 0 ? 0 : -1;
  } catch (err) {
    if (isAbort(err) || inflight !== ctl) return;
    if (err instanceof ApiError && err.status === 400 && sent !== q && !before) {
      // The prefix was refused (too short for this server, say): ask for what was typed.
      inflight = null;
      return run(q, q);
    }
    // A query the index cannot run (400) says why in the server's words; anything else is a failure.
    const error = err instanceof ApiError && err.status === 400
      ? `Can't search for that: ${err.message}.`
      : err instanceof ApiError && err.status === 503
      ? `The index is being rebuilt: ${err.message}. Try again in a moment.`
      : `Search failed: ${err instanceof Error ? err.message : err}`;
    const hits = before ? results.value.hits : [];
    results.value = { q, sent, hits, next: null, error, loading: false, more: false };
    if (!before) active.value = -1;
  } finally {
    if (inflight === ctl) inflight = null;
  }
}

/** Focuses the search box and selects what is in it (`Ctrl/Cmd-K`, `/`). */
export function focusSearch() {
  const input = document.getElementById(SEARCH_INPUT_ID);
  if (input instanceof HTMLInputElement) {
    input.focus();
    input.select();
  }
}

/* ---------- the page ---------- */

export function SearchView() {
  const input = useRef(/** @type {HTMLInputElement | null} */ (null));
  const list = useRef(/** @type {HTMLDivElement | null} */ (null));
  useEffect(() => {
    document.title = "Search · tailboard";
    const fromUrl = new URLSearchParams(location.search).get("q");
    if (fromUrl !== null && fromUrl !== query.value) query.value = fromUrl;
    if (query.value.trim() && query.value.trim() !== results.value.q) {
      schedule(query.value, { now: true });
    }
    input.current?.focus();
    input.current?.select();
  }, []);
  // The URL carries the query, so a reload or Back returns to the same results.
  const q = query.value;
  useEffect(() => {
    const search = q.trim() ? `?q=${encodeURIComponent(q.trim())}` : "";
    if (location.pathname === "/search" && location.search !== search) {
      history.replaceState(history.state, "", `/search${search}`);
    }
  }, [q]);

  const r = results.value;
  const groups = groupHits(r.hits);
  const flat = groups.flatMap((g) => g.hits);
  const at = active.value;
  const status = indexStatus.value;
  const activeId = at >= 0 && at < flat.length ? `hit-${at}` : undefined;

  // Keep the highlighted hit in view as the arrows move it.
  useEffect(() => {
    if (!activeId) return;
    document.getElementById(activeId)?.scrollIntoView({ block: "nearest" });
  }, [activeId]);

  /** @param {Event} e */
  const onInput = (e) => {
    query.value = /** @type {HTMLInputElement} */ (e.currentTarget).value;
    schedule(query.value);
  };
  /** @param {KeyboardEvent} e */
  const onKey = (e) => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (flat.length === 0) return;
      e.preventDefault();
      const d = e.key === "ArrowDown" ? 1 : -1;
      active.value = Math.max(0, Math.min(flat.length - 1, (at < 0 ? (d > 0 ? -1 : 0) : at) + d));
    } else if (e.key === "Enter") {
      e.preventDefault();
      const i = at >= 0 ? at : 0;
      const el = list.current?.querySelector(`#hit-${i}`);
      if (el instanceof HTMLAnchorElement && r.q === query.value.trim()) el.click();
      else schedule(query.value, { now: true });
    } else if (e.key === "Escape") {
      e.preventDefault();
      if (query.value) {
        query.value = "";
        schedule("");
      } else input.current?.blur();
    }
  };

  const typed = q.trim();
  const stale = typed !== r.q;
  return html`
    <section class="hist-page search-page" aria-labelledby="search-title">
      <header class="hist-head">
        <div class="hist-head-main">
          <h1 id="search-title">Search</h1>
          <p class="hist-sub">Prompts, replies, tool calls, commands and file paths, in every
            transcript tailboard has seen.</p>
        </div>
      </header>
      ${status.state === "off" && html`
        <div class="hist-notice">
          <strong>Search is off.</strong> ${offReason(status)}
        </div>
      `}
      <div class=${`search-box ${r.loading ? "busy" : ""}`} role="search">
        <svg class="search-icon" viewBox="0 0 16 16" aria-hidden="true">
          <circle cx="7" cy="7" r="4.5" /><path d="M10.5 10.5 14 14" />
        </svg>
        <label class="sr-only" for=${SEARCH_INPUT_ID}>Search all transcripts</label>
        <input id=${SEARCH_INPUT_ID} ref=${input} type="search" autocomplete="off"
          spellcheck="false" placeholder="Search all transcripts" value=${q} role="combobox"
          aria-expanded=${flat.length > 0} aria-controls="search-results"
          aria-autocomplete="list" aria-activedescendant=${activeId}
          aria-describedby="search-status" disabled=${status.state === "off"}
          onInput=${onInput} onKeyDown=${onKey} />
        <span class="search-keys" aria-hidden="true">${r.loading
          ? html`<span class="spinner"></span>`
          : html`<kbd>↑</kbd><kbd>↓</kbd><kbd>Enter</kbd>`}</span>
      </div>
      <p id="search-status" class=${`search-status ${r.error && !stale ? "err" : ""}`}
        aria-live="polite">
        ${statusText(r, typed, stale, status.state === "building")}
      </p>
      <div class=${`search-results ${stale && r.loading ? "stale" : ""}`} id="search-results"
        ref=${list} role="listbox" aria-label="Results">
        ${groups.map((g, gi) => {
          const offset = groups.slice(0, gi).reduce((n, x) => n + x.hits.length, 0);
          return html`<${Group} key=${g.agentId} group=${g} offset=${offset} active=${at} />`;
        })}
      </div>
      ${r.next && !stale && html`
        <p class="search-more">
          <button type="button" class="btn" disabled=${r.more}
            onClick=${() => void run(r.q, r.sent, r.next)}>${r.more
              ? "Loading…"
              : "More results"}</button>
        </p>
      `}
      ${!typed && status.state !== "off" && html`<${Tips} />`}
    </section>
  `;
}

/**
 * @param {Results} r
 * @param {string} typed
 * @param {boolean} stale
 * @param {boolean} building
 */
function statusText(r, typed, stale, building) {
  if (!typed) return "";
  if (r.error && !stale) return r.error;
  if (stale || (r.loading && r.hits.length === 0)) return "Searching…";
  const agentsHit = new Set(r.hits.map((h) => h.agentId)).size;
  const n = r.hits.length;
  const partial = building ? " (the index is still being built: more may come)" : "";
  if (n === 0) return `Nothing matches “${r.q}”${partial}.`;
  return `${n}${r.next ? "+" : ""} ${n === 1 ? "match" : "matches"} in ${agentsHit} ${
    agentsHit === 1 ? "agent" : "agents"
  }${partial}`;
}

/**
 * One agent's hits.
 * @param {{group: HitGroup, offset: number, active: number}} props
 */
function Group({ group, offset, active: at }) {
  const live = agents.value.get(group.agentId);
  const id = `sg-${offset}`;
  return html`
    <div class="search-group" role="group" aria-labelledby=${id}>
      <div class="sg-head" id=${id}>
        <span class=${`dot ${live?.state ?? "idle"} ${live?.activity ?? ""}`}
          aria-hidden="true"></span>
        <span class="sg-title">${group.title || live?.title || "(untitled)"}</span>
        <span class="sg-meta">
          <span title=${group.project}>${projectLabel(group.project)}</span>
          ${live && html`<span class=${`src src-${sourceLabel(live.source)}`}>${
            sourceLabel(
              live.source,
            )
          }</span>`}
          <span>${group.hits.length} ${group.hits.length === 1 ? "match" : "matches"}</span>
        </span>
      </div>
      ${group.hits.map((hit, i) =>
        html`
          <${Hit} key=${`${hit.cursor}`} hit=${hit} index=${offset + i}
            selected=${offset + i === at} />
        `
      )}
    </div>
  `;
}

/**
 * A hit: its kind, the snippet with the matched words marked, its time.
 * @param {{hit: SearchHit, index: number, selected: boolean}} props
 */
function Hit({ hit, index, selected }) {
  const kind = kindLabel(hit.kind);
  const ms = toMs(hit.ts);
  return html`
    <a id=${`hit-${index}`} class=${`hit ${selected ? "on" : ""}`} role="option"
      aria-selected=${selected} href=${agentPath(hit.agentId, hit.cursor)} tabindex="-1"
      onMouseMove=${() => {
        if (active.value !== index) active.value = index;
      }}>
      <span class=${`hit-kind ${kind.cls}`}>${kind.label}</span>
      <span class="hit-snippet">${(hit.snippet ?? []).map((s, i) =>
        s.hit ? html`<mark key=${i}>${s.text}</mark>` : s.text
      )}</span>
      ${ms !== null && html`<${Age} ms=${ms} />`}
    </a>
  `;
}

/** @param {{ms: number}} props */
function Age({ ms }) {
  return html`
    <time class="hit-time" datetime=${new Date(ms).toISOString()}
      title=${absoluteTime(ms)}>${stamp(ms, now.value)}</time>
  `;
}

function Tips() {
  return html`
    <div class="search-tips">
      <p>Try a command (<code>deno test</code>), a file (<code>server/app.ts</code>), a tool name
        (<code>Edit</code>) or words from a prompt. <code>"quotes"</code> match a phrase.</p>
      <p class="dim"><kbd>Ctrl</kbd>/<kbd>⌘</kbd> <kbd>K</kbd> opens search from anywhere;
        <kbd>↑</kbd> <kbd>↓</kbd> choose a match, <kbd>Enter</kbd> opens the agent at that event.</p>
    </div>
  `;
}
