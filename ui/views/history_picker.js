/**
 * History's day picker: a date input, ‹ › to step a day (or a week), and
 * the Today, Yesterday and This week shortcuts.
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
import { addDays, parseDay, weekStart } from "../lib/days.js";

/** The date input, for `/` on this page. */
export const DAY_INPUT_ID = "history-day";

/**
 * The date input, ‹ › to step a day, and the shortcuts.
 * @param {{range: Range, today: string, onPick: (r: Range) => void}} props
 */
export function DayPicker({ range: r, today: t, onPick }) {
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
