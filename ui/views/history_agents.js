/**
 * History's list of the agents active in the chosen days, each with its cost
 * and a link to its feed; or, when nothing ran, the nearest days that did.
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
import { signal } from "@preact/signals";
import { html } from "../lib/html.js";
import { agents, agentsLoaded } from "../data/state.js";
import { fetchUsage } from "../data/history_api.js";
import { useLoad } from "./history_load.js";
import { agentPath } from "../lib/route.js";
import { projectLabel, sourceLabel } from "../lib/agent_tree.js";
import { nearestActive, sortAgents } from "./history_range.js";
import { costTitle, formatCost, formatTokens, formatUsd } from "../lib/usage.js";
import { addDays, dayTitle, hourMinute, rangeTitle, shortDay, weekStart } from "../lib/days.js";

/** How the day's agents are ordered. */
const order = signal(/** @type {"time" | "cost"} */ ("time"));

/**
 * The agents active in the range, each a link to its feed.
 * @param {{state: {data: RangeAgent[] | null, error: string | null, loading: boolean},
 *   range: Range, today: string, onPick: (r: Range) => void}} props
 */
export function DayAgents({ state, range: r, today: t, onPick }) {
  const list = state.data ? sortAgents(state.data, order.value) : [];
  const known = agents.value;
  const single = r.from === r.to;
  const priced = list.filter((a) => a.usd !== null);
  const total = priced.reduce((s, a) => s + (a.usd ?? 0), 0);
  const unknown = list.some((a) => a.usd === null && a.tokens > 0);
  const tokens = list.reduce((s, a) => s + a.tokens, 0);
  const suffix = single
    ? (r.from === t || r.from === addDays(t, -1) ? shortDay(r.from, t) : null)
    : (r.from === weekStart(t) ? "this week" : null);
  return html`
    <section class="hist-card day-agents" aria-labelledby="day-title">
      <header class="hist-card-head">
        <h2 id="day-title">${rangeTitle(r.from, r.to, t)}${suffix &&
          html`<span class="dim"> · ${suffix}</span>`}</h2>
        ${list.length > 0 && html`
          <span class="day-sum">${list.length} ${list.length === 1 ? "agent" : "agents"}${" · "}
            <strong>${formatCost({ usd: unknown ? null : total, pricedUsd: total })}</strong>
            <span class="dim">${" · "}${formatTokens(tokens)} tokens</span></span>
        `}
        ${list.length > 1 && html`
          <div class="seg" role="group" aria-label="Order">
            <button type="button" aria-pressed=${order.value === "time"}
              onClick=${() => (order.value = "time")}>latest</button>
            <button type="button" aria-pressed=${order.value === "cost"}
              onClick=${() => (order.value = "cost")}>cost</button>
          </div>
        `}
      </header>
      ${state.error &&
        html`<p class="hist-note err" role="alert">Could not load the day: ${state.error}</p>`}
      ${!state.data && !state.error && html`<p class="hist-note">Loading…</p>`}
      ${state.data && list.length === 0 && html`
        <${EmptyDay} range=${r} today=${t}
          onPick=${onPick} />
      `}
      ${list.length > 0 && html`
        <ul class="day-list" role="list">
          ${list.map((a) => {
            const live = known.get(a.id);
            const gone = agentsLoaded.value && !live;
            const span = a.firstMs !== null && a.lastMs !== null
              ? `${hourMinute(a.firstMs)}–${hourMinute(a.lastMs)}`
              : "";
            const when = single ? span : `${a.days.map((d) => dayTitle(d, t)).join(", ")}`;
            const body = html`
              <span class=${`dot ${live?.state ?? "idle"} ${live?.activity ?? ""}`}
                aria-hidden="true"></span>
              <span class="da-title">${a.title || "(untitled)"}</span>
              ${a.tokens > 0
                ? html`<span class="da-cost" title=${costTitle(a.usd, a.tokens)}>${
                  formatUsd(
                    a.usd,
                  )
                }</span>`
                : html`<span class="da-cost none" title="No billed tokens on this day">–</span>`}
              <span class="da-meta">
                <span title=${a.project}>${projectLabel(a.project)}</span>
                <span class=${`src src-${sourceLabel(a.source)}`}>${sourceLabel(a.source)}</span>
                ${when && html`<span>${when}</span>`}
                ${gone && html`<span class="gone">transcript gone</span>`}
              </span>
              <span class="da-tokens">${a.tokens > 0
                ? `${formatTokens(a.tokens)} tokens`
                : ""}</span>
            `;
            return html`<li key=${a.id}>${
              gone
                ? html`<div class="day-agent gone">${body}</div>`
                : html`<a class="day-agent" href=${agentPath(a.id)}>${body}</a>`
            }</li>`;
          })}
        </ul>
      `}
    </section>
  `;
}

/**
 * Nothing ran in the range: say so, and offer the nearest days that had activity.
 * @param {{range: Range, today: string, onPick: (r: Range) => void}} props
 */
function EmptyDay({ range: r, today: t, onPick }) {
  // Ten years of day rows (the most /api/usage answers) is a few thousand small rows: one request.
  const all = useLoad(
    (signal) => fetchUsage({ from: addDays(t, -3650), to: t, by: "day" }, signal),
    [t, r.from, r.to],
    0,
  );
  const near = all.data ? nearestActive(all.data.rows, r) : { before: null, after: null };
  /** @param {string | null} day */
  const pickDay = (day) => day && onPick({ from: day, to: day });
  return html`
    <div class="day-empty">
      <p>No agent was active ${r.from === r.to ? "on this day" : "in these days"}.</p>
      ${(near.before || near.after) && html`
        <p class="day-near">
          ${near.before && html`
            <button type="button" class="chip-btn" onClick=${() =>
              pickDay(near.before)}>← ${dayTitle(near.before, t)}</button>
          `}
          ${near.after && html`
            <button type="button" class="chip-btn" onClick=${() => pickDay(near.after)}>${dayTitle(
              near.after,
              t,
            )} →</button>
          `}
          <span class="dim">nearest days with activity</span>
        </p>
      `}
    </div>
  `;
}
