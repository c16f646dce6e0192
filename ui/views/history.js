/**
 * `/history`: what ran on a day and what it cost. A date picker (with today,
 * yesterday and this week one click away) lists the agents active in the
 * chosen range; a bar chart shows the cost of each of 30 days around it, and
 * a table rolls those 30 days up per project. Every figure comes from the
 * history index; USD figures are the server's list-price estimates.
 *
 * The chosen range lives in the URL (`?day=` or `?from=&to=`), so a reload
 * or a shared link shows the same page.
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
import { computed, signal } from "@preact/signals";
import { useEffect, useRef, useState } from "preact/hooks";
import { html } from "../lib/html.js";
import { agents, agentsLoaded, now } from "../data/state.js";
import { agentPath } from "../lib/route.js";
import { projectLabel, sourceLabel } from "../lib/agent_tree.js";
import { fetchDay, fetchUsage, isAbort, toMs } from "../data/history_api.js";
import { indexStatus, offReason } from "../data/index_status.js";
import {
  axisScale,
  costTitle,
  ESTIMATE_NOTE,
  formatCost,
  formatTokens,
  formatUsd,
  formatUsdAxis,
  usageTitle,
} from "../lib/usage.js";
import {
  addDays,
  dayOf,
  daysBetween,
  dayTitle,
  hourMinute,
  monthOf,
  parseDay,
  rangeTitle,
  shortDay,
  weekStart,
} from "../lib/days.js";

/** Days in the chart. */
export const CHART_DAYS = 30;
/** The date input, for `/` on this page. */
export const DAY_INPUT_ID = "history-day";

/** Today, as a day: changes once a day, not with every tick of `now`. */
const today = computed(() => dayOf(now.value));
/** The chosen range; kept across visits to the page. */
const range = signal(/** @type {Range | null} */ (null));
/** How the day's agents are ordered. */
const order = signal(/** @type {"time" | "cost"} */ ("time"));

/* ---------- pure pieces (tested in tests/ui_usage_test.ts) ---------- */

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

/**
 * Runs `load` whenever `deps` change and again every `every` ms (0: never),
 * aborting the previous run. Returns the latest result, error and whether a
 * first result is still on its way.
 * @template T
 * @param {(signal: AbortSignal) => Promise<T>} load
 * @param {unknown[]} deps
 * @param {number} every
 * @returns {{data: T | null, error: string | null, loading: boolean}}
 */
function useLoad(load, deps, every) {
  const [state, setState] = useState(
    /** @type {{data: T | null, error: string | null, loading: boolean}} */ ({
      data: null,
      error: null,
      loading: true,
    }),
  );
  useEffect(() => {
    let ctl = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    const run = () => {
      const { signal } = ctl;
      load(signal).then(
        (data) => {
          if (!signal.aborted) setState({ data, error: null, loading: false });
        },
        (err) => {
          if (isAbort(err) || signal.aborted) return;
          setState((s) => ({
            data: s.data,
            error: err instanceof Error ? err.message : String(err),
            loading: false,
          }));
        },
      );
    };
    run();
    const timer = every > 0
      ? setInterval(() => {
        ctl.abort();
        ctl = new AbortController();
        run();
      }, every)
      : undefined;
    return () => {
      clearInterval(timer);
      ctl.abort();
    };
  }, [...deps, every]);
  return state;
}

/* ---------- the page ---------- */

export function HistoryView() {
  const t = today.value;
  useEffect(() => {
    document.title = "History · tailboard";
    const fromUrl = rangeFromSearch(location.search);
    if (fromUrl) range.value = fromUrl;
  }, []);
  const r = range.value ?? { from: t, to: t };
  // Keep the URL in step with the range (replace: picking days is not navigation).
  useEffect(() => {
    const search = searchForRange(r);
    if (location.pathname === "/history" && location.search !== search) {
      history.replaceState(history.state, "", `/history${search}`);
    }
  }, [r.from, r.to]);

  const status = indexStatus.value;
  const building = status.state === "building";
  const win = chartWindow(r, t);
  const live = r.to >= t || win.to >= t;
  // While the index builds, figures grow: refresh often. A range with today in it refreshes now and then.
  const every = building ? 4000 : live ? 30_000 : 0;
  const off = status.state === "off";
  // Ask once the index's state is known: an answer now would only be asked again in a moment.
  const skip = off || status.state === "unknown";

  const chart = useLoad(
    (signal) => skip ? Promise.resolve(null) : fetchUsage({ ...win, by: "day" }, signal),
    [win.from, win.to, status.state],
    skip ? 0 : every,
  );
  const projects = useLoad(
    (signal) => skip ? Promise.resolve(null) : fetchUsage({ ...win, by: "project" }, signal),
    [win.from, win.to, status.state],
    skip ? 0 : every,
  );
  const day = useLoad(
    async (signal) => {
      if (skip) return null;
      const days = daysBetween(r.from, r.to);
      return mergeDays(await Promise.all(days.map((d) => fetchDay(d, signal))));
    },
    [r.from, r.to, status.state],
    skip ? 0 : every,
  );
  const pricesAsOf = chart.data?.pricesAsOf ?? projects.data?.pricesAsOf ?? null;

  /** @param {Range} next */
  const pick = (next) => (range.value = next);

  return html`
    <section class="hist-page" aria-labelledby="hist-title">
      <header class="hist-head">
        <div class="hist-head-main">
          <h1 id="hist-title">History</h1>
          ${off ? html`<p class="hist-sub">What ran on a day, and what it cost.</p>` : html`
            <p class="hist-sub">
              Costs are <strong>${ESTIMATE_NOTE}s</strong>${pricesAsOf
                ? ` (prices as of ${shortDay(pricesAsOf, "")})`
                : ""}; token counts are exact.${" "}A model with no known price shows its tokens
              and${" "}<em>price unknown</em>.
            </p>
          `}
        </div>
        ${!off && html`<${DayPicker} range=${r} today=${t} onPick=${pick} />`}
      </header>
      ${off && html`
        <div class="hist-notice">
          <strong>History is off.</strong> ${offReason(status)} No cost per day, no date
          picker, no search; live agents work as always.
        </div>
      `}
      ${building && html`
        <div class="hist-notice info" role="status">
          <strong>Building the history index.</strong> Figures fill in as it goes.
        </div>
      `}
      ${!off && html`
        <${CostChart} state=${chart} window=${win} range=${r} today=${t}
          onPick=${pick} />
        <div class="hist-cols">
          <${DayAgents} state=${day} range=${r} today=${t} onPick=${pick} />
          <${ProjectTable} state=${projects} window=${win} today=${t} />
        </div>
      `}
    </section>
  `;
}

/**
 * The date input, ‹ › to step a day, and the shortcuts.
 * @param {{range: Range, today: string, onPick: (r: Range) => void}} props
 */
function DayPicker({ range: r, today: t, onPick }) {
  const single = r.from === r.to;
  const yesterday = addDays(t, -1);
  const week = { from: weekStart(t), to: t };
  // On a Monday this week is today alone, and both shortcuts say so.
  const isWeek = r.from === week.from && r.to === week.to;
  /** A day, or a whole (Monday to Sunday) week, back or forward; never past today. @param {number} n */
  const step = (n) => {
    if (single) return onPick({ from: addDays(r.from, n), to: addDays(r.from, n) });
    const from = weekStart(addDays(r.from, 7 * n));
    const to = addDays(from, 6);
    onPick({ from, to: to > t ? t : to });
  };
  const atEnd = r.to >= t;
  /** @param {Event} e */
  const onInput = (e) => {
    const v = /** @type {HTMLInputElement} */ (e.currentTarget).value;
    if (parseDay(v)) onPick({ from: v, to: v });
  };
  return html`
    <div class="day-picker" role="group" aria-label="Day">
      <div class="day-field">
        <button type="button" class="icon-btn step" onClick=${() => step(-1)}
          aria-label=${single ? "Previous day" : "Previous week"}
          title=${single ? "Previous day" : "Previous week"}>‹</button>
        <label class="sr-only" for=${DAY_INPUT_ID}>Day</label>
        <input id=${DAY_INPUT_ID} type="date" value=${r.to} max=${t} onChange=${onInput}
          onInput=${onInput} />
        <button type="button" class="icon-btn step" onClick=${() => step(1)} disabled=${atEnd}
          aria-label=${single ? "Next day" : "Next week"}
          title=${single ? "Next day" : "Next week"}>›</button>
      </div>
      <div class="day-shortcuts">
        <button type="button" class="chip-btn" aria-pressed=${single && r.from === t}
          onClick=${() => onPick({ from: t, to: t })}>Today</button>
        <button type="button" class="chip-btn" aria-pressed=${single && r.from === yesterday}
          onClick=${() => onPick({ from: yesterday, to: yesterday })}>Yesterday</button>
        <button type="button" class="chip-btn" aria-pressed=${isWeek}
          onClick=${() => onPick(week)}>This week</button>
      </div>
    </div>
  `;
}

/**
 * A bar per day: height is cost; the chosen days stand out; a click (or the
 * arrow keys) picks a day.
 * @param {{state: {data: UsageReport | null, error: string | null, loading: boolean},
 *   window: Range, range: Range, today: string, onPick: (r: Range) => void}} props
 */
function CostChart({ state, window: win, range: r, today: t, onPick }) {
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

/**
 * The agents active in the range, each a link to its feed.
 * @param {{state: {data: RangeAgent[] | null, error: string | null, loading: boolean},
 *   range: Range, today: string, onPick: (r: Range) => void}} props
 */
function DayAgents({ state, range: r, today: t, onPick }) {
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

/**
 * The chart's 30 days rolled up per project, most expensive first.
 * @param {{state: {data: UsageReport | null, error: string | null, loading: boolean},
 *   window: Range, today: string}} props
 */
function ProjectTable({ state, window: win, today: t }) {
  const rows = [...(state.data?.rows ?? [])].sort((a, b) =>
    (b.pricedUsd ?? b.usd ?? 0) - (a.pricedUsd ?? a.usd ?? 0) || b.tokens - a.tokens
  );
  const totals = state.data?.totals;
  const max = Math.max(0, ...rows.map((r) => r.pricedUsd ?? r.usd ?? 0));
  const caption = win.to === t
    ? "last 30 days"
    : `${shortDay(win.from, t)} – ${shortDay(win.to, t)}`;
  return html`
    <section class="hist-card projects" aria-labelledby="proj-title">
      <header class="hist-card-head">
        <h2 id="proj-title">Projects <span class="dim">· ${caption}</span></h2>
      </header>
      ${state.error &&
        html`<p class="hist-note err" role="alert">Could not load projects: ${state.error}</p>`}
      ${!state.data && !state.error && html`<p class="hist-note">Loading…</p>`}
      ${state.data && rows.length === 0 &&
        html`<p class="hist-note">No project spent tokens in these days.</p>`}
      ${rows.length > 0 && html`
        <table class="proj-table">
          <caption class="sr-only">Tokens and estimated cost per project, ${caption}</caption>
          <thead>
            <tr><th scope="col">Project</th><th scope="col" class="num">Tokens</th><th scope="col"
              class="num">Cost</th></tr>
          </thead>
          <tbody>
            ${rows.map((row) => {
              const share = max > 0 ? ((row.pricedUsd ?? row.usd ?? 0) / max) * 100 : 0;
              return html`
                <tr key=${row.key}>
                  <th scope="row" title=${row.key}>
                    <span class="proj-name">${row.label || projectLabel(row.key)}</span>
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
                <th scope="row">All projects</th>
                <td class="num">${formatTokens(
                  totals.tokens,
                )}</td>
                <td class="num" title=${usageTitle(totals)}>${formatCost(totals)}</td>
              </tr>
            </tfoot>
          `}
        </table>
      `}
    </section>
  `;
}
