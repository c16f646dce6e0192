/**
 * The overview: who needs you, who is working, what failed, what finished,
 * each with its reason and for how long. With no agents at all it says which
 * folders are watched, how to add one, and suggests the demo.
 */
import { useEffect, useState } from "preact/hooks";
import { html } from "../lib/html.js";
import { agents, agentsLoaded, now } from "../data/state.js";
import { groupByStatus, KIND_WORDS, statusLine, statusOf } from "../lib/status.js";
import { projectLabel, sourceLabel } from "../lib/agent_tree.js";
import { agentPath } from "../lib/route.js";
import { Legend } from "./legend.js";
import { NotifyControls } from "./notify_controls.js";

/** The groups the overview shows; idle agents are only counted. */
const SHOWN = /** @type {const} */ (["needs-you", "working", "failed", "done"]);

export function Home() {
  useEffect(() => {
    document.title = "tailboard";
  }, []);
  const all = [...agents.value.values()];
  if (agentsLoaded.value && all.length === 0) return html`<${Empty} />`;
  const groups = groupByStatus(all);
  const count = (/** @type {string} */ kind) =>
    groups.find((g) => g.kind === kind)?.agents.length ?? 0;
  const needs = count("needs-you");
  const working = count("working");
  const projects = [...new Set(all.map((a) => a.project))].sort();
  return html`<div class="home">
    <h1>${
    needs > 0
      ? `${needs} ${needs === 1 ? "agent needs" : "agents need"} you`
      : working > 0
      ? `${working} working`
      : "All quiet"
  }</h1>
    <p class="dim">${all.length} ${all.length === 1 ? "agent" : "agents"}, ${count("idle")} idle.
      Pick one on the left, or press <kbd>J</kbd>.</p>
    <${NotifyControls} projects=${projects} />
    ${
    groups.filter((g) => SHOWN.includes(/** @type {any} */ (g.kind)) && g.agents.length > 0).map((
      g,
    ) =>
      html`
        <section class=${`overview status-${g.kind}`} key=${g.kind}
          aria-labelledby=${`ov-${g.kind}`}>
          <h2 id=${`ov-${g.kind}`}>${KIND_WORDS[g.kind].label} <span class="count">${g.agents
            .length}</span></h2>
          <ul class="tiles">${g.agents.map((a) => html`<${Tile} key=${a.id} a=${a} />`)}</ul>
        </section>
      `
    )
  }
    <${Legend} />
  </div>`;
}

/** @param {{a: import("../../core/api.ts").Agent}} props */
function Tile({ a }) {
  const s = statusOf(a);
  return html`<li><a class=${`tile status-${s.kind}`} href=${agentPath(a.id)}>
    <span class="tile-title"><span class=${`dot status-${s.kind}`} aria-hidden="true"></span>
      <span class="tile-name">${a.title || "(untitled)"}</span></span>
    <span class="tile-status">${statusLine(s, now.value)}</span>
    ${s.error && html`<span class="tile-error">${s.error}</span>`}
    <span class="tile-meta">${projectLabel(a.project)} · ${sourceLabel(a.source)}</span>
  </a></li>`;
}

function Empty() {
  const [sources, setSources] = useState(/** @type {string[] | null} */ (null));
  useEffect(() => {
    fetch("/api/health").then((r) => r.json()).then((h) =>
      setSources(Array.isArray(h.sources) ? h.sources : [])
    ).catch(() => setSources([]));
  }, []);
  return html`<div class="home empty-home">
    <h1>No agents yet</h1>
    <p>tailboard shows an agent as soon as it writes a transcript into a watched folder.</p>
    ${
    sources && sources.length > 0 && html`
      <p>Watching:</p>
      <ul class="sources">${sources.map((s) => html`<li><code>${s}</code></li>`)}</ul>
    `
  }
    <p>Add a folder with <code>tailboard --watch PATH</code>, or <code>"watch": ["~/logs"]</code>
      in <code>~/.config/tailboard/config.json</code>.</p>
    <p>To see what it looks like with agents at work, run <code>tailboard demo</code>.</p>
    <${Legend} />
  </div>`;
}
