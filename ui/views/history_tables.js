/**
 * History's roll-ups of the chart's 30 days: per project and per model,
 * costliest first, with their totals.
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
import { html } from "../lib/html.js";
import { projectLabel } from "../lib/agent_tree.js";
import { formatCost, formatTokens, usageTitle } from "../lib/usage.js";
import { shortDay } from "../lib/days.js";

/**
 * @typedef {{data: UsageReport | null, error: string | null, loading: boolean}} LoadState
 * @typedef {{state: LoadState, window: Range, today: string}} TableProps
 */

/**
 * The chart's 30 days rolled up per project, most expensive first.
 * @param {TableProps} props
 */
export function ProjectTable(props) {
  return UsageTable({
    ...props,
    id: "proj",
    title: "Projects",
    what: "project",
    all: "All projects",
    empty: "No project spent tokens in these days.",
    name: (row) => row.label || projectLabel(row.key),
  });
}

/**
 * The same days per model, Claude's and Codex's side by side: where the money
 * went, and which models have no known price.
 * @param {TableProps} props
 */
export function ModelTable(props) {
  return UsageTable({
    ...props,
    id: "model",
    title: "Models",
    what: "model",
    all: "All models",
    empty: "No model was billed in these days.",
    name: (row) => row.label || row.key,
  });
}

/**
 * A roll-up table: a row per key with its share bar, tokens and cost, then the totals.
 * @param {TableProps & {id: string, title: string, what: string, all: string, empty: string,
 *   name: (row: UsageRow) => string}} props
 */
function UsageTable({ state, window: win, today: t, id, title, what, all, empty, name }) {
  const rows = [...(state.data?.rows ?? [])].sort((a, b) =>
    (b.pricedUsd ?? b.usd ?? 0) - (a.pricedUsd ?? a.usd ?? 0) || b.tokens - a.tokens
  );
  const totals = state.data?.totals;
  const max = Math.max(0, ...rows.map((r) => r.pricedUsd ?? r.usd ?? 0));
  const caption = win.to === t
    ? "last 30 days"
    : `${shortDay(win.from, t)} – ${shortDay(win.to, t)}`;
  return html`
    <section class=${`hist-card projects ${id}s`} aria-labelledby=${`${id}-title`}>
      <header class="hist-card-head">
        <h2 id=${`${id}-title`}>${title} <span class="dim">· ${caption}</span></h2>
      </header>
      ${state.error &&
        html`<p class="hist-note err" role="alert">Could not load ${title.toLowerCase()}: ${state.error}</p>`}
      ${!state.data && !state.error && html`<p class="hist-note">Loading…</p>`}
      ${state.data && rows.length === 0 && html`<p class="hist-note">${empty}</p>`}
      ${rows.length > 0 && html`
        <table class="proj-table">
          <caption class="sr-only">Tokens and estimated cost per ${what}, ${caption}</caption>
          <thead>
            <tr><th scope="col">${title.slice(0, -1)}</th><th scope="col" class="num">Tokens</th><th
              scope="col" class="num">Cost</th></tr>
          </thead>
          <tbody>
            ${rows.map((row) => {
              const share = max > 0 ? ((row.pricedUsd ?? row.usd ?? 0) / max) * 100 : 0;
              return html`
                <tr key=${row.key}>
                  <th scope="row" title=${row.key}>
                    <span class="proj-name">${name(row)}</span>
                    <span class="proj-share" aria-hidden="true"><span
                      style=${`width:${share}%`}></span></span>
                  </th>
                  <td class="num">${formatTokens(row.tokens)}</td>
                  <td class="num" title=${usageTitle(row)}>${formatCost(row)}</td>
                </tr>
              `;
            })}
          </tbody>
          ${totals && html`
            <tfoot>
              <tr>
                <th scope="row">${all}</th>
                <td class="num">${formatTokens(totals.tokens)}</td>
                <td class="num" title=${usageTitle(totals)}>${formatCost(totals)}</td>
              </tr>
            </tfoot>
          `}
        </table>
      `}
    </section>
  `;
}
