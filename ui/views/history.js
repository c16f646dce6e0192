/**
 * `/history`: what ran on a day and what it cost. A date picker (with today,
 * yesterday and this week one click away) lists the agents active in the
 * chosen range; a bar chart shows the cost of each of 30 days around it, and
 * tables roll those 30 days up per project and per model. Every figure comes
 * from the history index; USD figures are the server's list-price estimates,
 * and the page says where those prices come from. The parts live beside this
 * file: history_range.js (pure), history_load.js, history_picker.js,
 * history_chart.js, history_agents.js and history_tables.js.
 *
 * The chosen range lives in the URL (`?day=` or `?from=&to=`), so a reload
 * or a shared link shows the same page.
 */
import { computed, signal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { html } from "../lib/html.js";
import { now } from "../data/state.js";
import { fetchDay, fetchUsage } from "../data/history_api.js";
import { indexStatus, offReason } from "../data/index_status.js";
import { ESTIMATE_NOTE, priceSourceNote } from "../lib/usage.js";
import { dayOf, daysBetween } from "../lib/days.js";
import { chartWindow, mergeDays, rangeFromSearch, searchForRange } from "./history_range.js";
import { useLoad } from "./history_load.js";
import { DayPicker } from "./history_picker.js";
import { CostChart } from "./history_chart.js";
import { DayAgents } from "./history_agents.js";
import { ModelTable, ProjectTable } from "./history_tables.js";

/** Today, as a day: changes once a day, not with every tick of `now`. */
const today = computed(() => dayOf(now.value));
/** The chosen range; kept across visits to the page. */
const range = signal(/** @type {import("./history_range.js").Range | null} */ (null));

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
  const models = useLoad(
    (signal) => skip ? Promise.resolve(null) : fetchUsage({ ...win, by: "model" }, signal),
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
  const prices = chart.data?.prices ?? projects.data?.prices ?? null;

  /** @param {import("./history_range.js").Range} next */
  const pick = (next) => (range.value = next);

  return html`
    <section class="hist-page" aria-labelledby="hist-title">
      <header class="hist-head">
        <div class="hist-head-main">
          <h1 id="hist-title">History</h1>
          ${off ? html`<p class="hist-sub">What ran on a day, and what it cost.</p>` : html`
            <p class="hist-sub">
              Costs are <strong>${ESTIMATE_NOTE}s</strong>, each response at the price of
              its day; token counts are exact.${" "}A model with no known price shows its tokens
              and${" "}<em>price unknown</em>.
              ${prices && html`<span class="hist-prices">${priceSourceNote(prices)}</span>`}
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
          <div class="hist-tables">
            <${ProjectTable} state=${projects} window=${win} today=${t} />
            <${ModelTable} state=${models} window=${win} today=${t} />
          </div>
        </div>
      `}
    </section>
  `;
}
