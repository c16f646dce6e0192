/**
 * The pinned sidebar: a filter box and every agent, grouped by project,
 * subagents nested under their parent. Live from the agents stream; rows are
 * keyed by agent id, so updates never rebuild the list or lose its scroll.
 */
import { html } from "../lib/html.js";
import { agents, agentsLoaded, filter, groups, now, route } from "../data/state.js";
import { shortAge } from "../lib/time.js";
import { formatBytes } from "../lib/size.js";
import { projectLabel, sourceLabel } from "../lib/agent_tree.js";
import { reasonWords, statusLine, statusOf } from "../lib/status.js";
import { agentPath } from "../lib/route.js";
import { ViewNav } from "./view_nav.js";
import { costLabel, usageTitle } from "../lib/usage.js";

/** The filter input, for `/`. */
export const FILTER_ID = "agent-filter";

export function Sidebar() {
  const r = route.value;
  const selected = r.view === "agent" ? r.agentId : null;
  const all = agents.value.size;
  const shown = groups.value;
  return html`
    <nav class="sidebar" aria-label="Agents">
      <${ViewNav} />
      <div class="filter" role="search">
        <label class="sr-only" for=${FILTER_ID}>Filter agents by title or project</label>
        <input id=${FILTER_ID} type="search" placeholder="Filter agents" autocomplete="off"
          spellcheck="false"
          value=${filter.value} onInput=${(
            /** @type {any} */ e,
          ) => (filter.value = e.currentTarget.value)}
          onKeyDown=${onFilterKey} />
        <kbd class="hint" aria-hidden="true">/</kbd>
      </div>
      <div class="agent-list">
          ${!agentsLoaded.value && html`<p class="side-note">Loading agents…</p>`}
          ${agentsLoaded.value && all === 0 &&
            html`<p class="side-note">No agents yet. They appear here as soon as a transcript is written.</p>`}
          ${agentsLoaded.value && all > 0 && shown.length === 0 &&
            html`<p class="side-note">Nothing matches “${filter.value}”.</p>`}
          ${shown.map((g) => html`<${Group} key=${g.project} group=${g} selected=${selected} />`)}
        </div>
      <div class="side-foot">
        <span>${all} ${all === 1 ? "agent" : "agents"}</span>
        <span class="dim">press <kbd>?</kbd> for keys</span>
      </div>
    </nav>
  `;
}

/** @param {KeyboardEvent} e */
function onFilterKey(e) {
  const input = /** @type {HTMLInputElement} */ (e.currentTarget);
  if (e.key === "Escape") {
    e.preventDefault();
    if (input.value) filter.value = "";
    else input.blur();
  } else if (e.key === "Enter" || e.key === "ArrowDown") {
    // Jump into the list: the first matching agent.
    const first = document.querySelector(".agent-list a.agent-row");
    if (first instanceof HTMLElement) {
      e.preventDefault();
      if (e.key === "Enter") first.click();
      else first.focus();
    }
  }
}

/**
 * @param {{group: import("../lib/agent_tree.js").Group, selected: string | null}} props
 */
function Group({ group, selected }) {
  const id = `grp-${cssId(group.project)}`;
  return html`
    <section class=${`group status-${group.kind}`} aria-labelledby=${id}>
      <h2 id=${id} class="group-head">
        <span class="group-name">${group.label}</span>
        <span class="group-running">${group.rows.length}</span>
      </h2>
      <ul role="list">
          ${group.rows.map((row) =>
            html`<${AgentRow} key=${row.agent.id} row=${row} selected=${
              row.agent.id === selected
            } />`
          )}
        </ul>
    </section>
  `;
}

/**
 * @param {{row: import("../lib/agent_tree.js").Row, selected: boolean}} props
 */
function AgentRow({ row, selected }) {
  const a = row.agent;
  const running = a.state === "running";
  const s = statusOf(a);
  return html`
    <li style=${row.depth > 0 ? `--depth:${row.depth}` : undefined}>
      <a href=${agentPath(a.id)} class=${`agent-row ${
        running ? "running" : "idle"
      } status-${s.kind} ${row.match ? "" : "context"} ${
        row.depth > 0 ? "child" : ""
      }`} aria-current=${selected ? "page" : undefined} title=${`${statusLine(s, now.value)}${
        s.error ? `\n${s.error}` : ""
      }\n${a.path}`}>
        <span class=${`dot status-${s.kind}`} role="img" aria-label=${reasonWords(s)}></span>
        <span class="agent-title">${a.title || "(untitled)"}</span>
        <span class="agent-meta">
          <span class="agent-project" title=${a.project}>${projectLabel(a.project)}</span>
          <span class=${`src src-${sourceLabel(a.source)}`}>${sourceLabel(a.source)}</span>
          <span aria-label="last activity"><${Age} ms=${a.mtime} /></span>
          <span>${formatBytes(a.size)}</span>
          ${a.usage && a.usage.tokens > 0 &&
            html`<span class="agent-cost" title=${usageTitle(a.usage)}>${
              costLabel(a.usage)
            }</span>`}
        </span>
      </a>
    </li>
  `;
}

/** @param {{ms: number}} props */
function Age({ ms }) {
  return html`<time datetime=${new Date(ms).toISOString()}>${shortAge(ms, now.value)}</time>`;
}

/** @param {string} s */
function cssId(s) {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
  return (h >>> 0).toString(36);
}
