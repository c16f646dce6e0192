/**
 * History's cost chart: a bar per day of 30, its height the day's cost; the
 * chosen days stand out, and a click picks a day.
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
import { useRef, useState } from "preact/hooks";
import { html } from "../lib/html.js";
import { axisLabels, chartBars } from "./history_range.js";
import { axisScale, formatCost, formatTokens, formatUsdAxis, usageTitle } from "../lib/usage.js";
import { dayTitle, rangeTitle, shortDay } from "../lib/days.js";

/**
 * A bar per day: height is cost; the chosen days stand out; a click (or the
 * arrow keys) picks a day.
 * @param {{state: {data: UsageReport | null, error: string | null, loading: boolean},
 *   window: Range, range: Range, today: string, onPick: (r: Range) => void}} props
 */
export function CostChart({ state, window: win, range: r, today: t, onPick }) {
  const [hover, setHover] = useState(/** @type {string | null} */ (null));
  const barsRef = useRef(/** @type {HTMLDivElement | null} */ (null));
  const bars = chartBars(state.data?.rows ?? [], win);
  const max = Math.max(0, ...bars.map((b) => b.pricedUsd));
  const { top, step } = axisScale(max);
  const lines = [];
  for (let v = 0; v <= top + step / 2; v += step) lines.push(v);
  const totals = state.data?.totals;
  // The readout: the bar under the pointer, else the chosen day or the chosen days added up.
  const hovered = hover ? bars.find((b) => b.day === hover) : null;
  const chosen = bars.filter((b) => b.day >= r.from && b.day <= r.to);
  const focus = hovered
    ? { title: dayTitle(hovered.day, t), bar: hovered }
    : chosen.length > 0
    ? { title: rangeTitle(r.from, r.to, t), bar: sumBars(chosen) }
    : null;
  const recent = win.to === t;
  const caption = recent ? "last 30 days" : `${shortDay(win.from, t)} – ${shortDay(win.to, t)}`;
  const empty = state.data && bars.every((b) => b.tokens === 0);
  const tabDay = bars.some((b) => b.day === r.to) ? r.to : win.to;
  const peak = bars.reduce((p, b) => (b.pricedUsd > (p?.pricedUsd ?? 0) ? b : p), bars[0]);

  /** @param {KeyboardEvent} e @param {number} i */
  const onKey = (e, i) => {
    const to = e.key === "ArrowLeft"
      ? i - 1
      : e.key === "ArrowRight"
      ? i + 1
      : e.key === "Home"
      ? 0
      : e.key === "End"
      ? bars.length - 1
      : -1;
    const next = bars[to];
    if (to < 0 || !next) return;
    e.preventDefault();
    onPick({ from: next.day, to: next.day });
    requestAnimationFrame(() => {
      const el = barsRef.current?.querySelector(`[data-day="${next.day}"]`);
      if (el instanceof HTMLElement) el.focus();
    });
  };

  return html`
    <figure class="cost-chart" aria-labelledby="chart-title">
      <figcaption class="chart-head">
        <h2 id="chart-title">Cost per day <span class="dim">· ${caption}</span></h2>
        <span class="chart-readout" aria-hidden="true">${focus
          ? html`<strong>${focus.title}</strong> ${barText(focus.bar)}`
          : html`<span class="dim">Point at a bar for its day</span>`}</span>
        ${totals && html`
          <span class="chart-total" title=${usageTitle(totals)}>
            <span class="dim">total</span> <strong>${formatCost(totals)}</strong>
            <span class="dim">${" · "}${formatTokens(totals.tokens)} tokens</span>
          </span>
        `}
      </figcaption>
      <div class="chart-plot">
        <div class="chart-grid" aria-hidden="true">
          ${lines.map((v) =>
            html`
              <div class="grid-line" style=${`bottom:${(v / top) * 100}%`}>
                <span>${formatUsdAxis(v)}</span>
              </div>
            `
          )}
        </div>
        <div class="chart-bars" ref=${barsRef} role="group"
          aria-label=${`Cost per day from ${shortDay(win.from, t)} to ${shortDay(win.to, t)}`}
          onMouseLeave=${() => setHover(null)}>
          ${bars.map((b, i) => {
            const on = b.day >= r.from && b.day <= r.to;
            const h = b.pricedUsd > 0 ? Math.max(1.5, (b.pricedUsd / top) * 100) : 0;
            return html`
              <button type="button" key=${b.day} data-day=${b.day}
                class=${`bar-col ${on ? "on" : ""} ${b.day === t ? "today" : ""}`}
                aria-pressed=${on} tabindex=${b.day === tabDay ? 0 : -1}
                aria-label=${`${dayTitle(b.day, t)}: ${barText(b)}`}
                onClick=${() => onPick({ from: b.day, to: b.day })}
                onMouseEnter=${() => setHover(b.day)} onFocus=${() => setHover(b.day)}
                onBlur=${() => setHover(null)} onKeyDown=${(/** @type {KeyboardEvent} */ e) =>
                  onKey(e, i)}>
                <span class="bar" style=${`height:${h}%`}></span>
                ${b.unpricedTokens > 0 && html`<span class="bar-unpriced"></span>`}
              </button>
            `;
          })}
        </div>
        <div class="chart-x" aria-hidden="true">
          ${axisLabels(bars.map((b) => b.day)).map((label, i) => {
            const day = /** @type {string} */ (bars[i]?.day);
            return html`<span key=${day} class=${`${day === t ? "today" : ""} ${
              label.month ? "month" : ""
            }`}>${label.text}</span>`;
          })}
        </div>
        ${state.error &&
          html`<p class="chart-empty err" role="alert">Could not load the chart: ${state.error}</p>`}
        ${!state.error && empty &&
          html`<p class="chart-empty">No tokens were spent in these 30 days.</p>`}
      </div>
      ${bars.some((b) => b.unpricedTokens > 0) && html`
        <p class="chart-legend"><span class="legend-unpriced" aria-hidden="true"></span>tokens from
          models with no known price (not in the bars)</p>
      `}
      ${peak && peak.pricedUsd > 0 && html`
        <p class="sr-only">Highest: ${dayTitle(peak.day, t)}, ${formatCost(peak)}.</p>
      `}
    </figure>
  `;
}

/**
 * Several days' bars as one.
 * @param {Bar[]} bars
 * @returns {Bar}
 */
function sumBars(bars) {
  const sum = {
    day: bars[0]?.day ?? "",
    usd: /** @type {number | null} */ (0),
    pricedUsd: 0,
    tokens: 0,
    unpricedTokens: 0,
  };
  for (const b of bars) {
    sum.usd = sum.usd === null || b.usd === null ? null : sum.usd + b.usd;
    sum.pricedUsd += b.pricedUsd;
    sum.tokens += b.tokens;
    sum.unpricedTokens += b.unpricedTokens;
  }
  return sum;
}

/** @param {Bar} b */
function barText(b) {
  if (b.tokens === 0) return "no tokens";
  const extra = b.unpricedTokens > 0 && b.pricedUsd > 0
    ? ` (${formatTokens(b.unpricedTokens)} of unknown price)`
    : "";
  return `${formatCost(b)} · ${formatTokens(b.tokens)} tokens${extra}`;
}
