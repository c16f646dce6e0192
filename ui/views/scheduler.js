/**
 * `/scheduler`: every job the scheduler knows, live. Rows are keyed by job id
 * and the stream only pushes on change, so a row re-renders when its job
 * does; next-fire countdowns tick on their own. Sortable by any column
 * (header buttons, so the keyboard works too), filterable by any word.
 *
 * @typedef {import("../../core/job.ts").Job} Job
 * @typedef {import("./job_table.js").SortKey} SortKey
 * @typedef {import("./job_table.js").SortDir} SortDir
 */
import { signal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { html } from "../lib/html.js";
import { now } from "../data/state.js";
import {
  jobs,
  jobsError,
  jobsLoaded,
  jobsScheduler,
  jobsStatus,
  jobsSummary,
} from "../data/jobs.js";
import {
  commandLine,
  countdown,
  exitFailed,
  filterJobs,
  fireTime,
  labelParts,
  shortPath,
  sortJobs,
  stateWords,
} from "./job_table.js";
import { absoluteTime } from "../lib/time.js";

/** The filter box, for `/` on this page. */
export const JOB_FILTER_ID = "job-filter";

/** Kept across visits to the page, like the sidebar's filter. */
const query = signal("");
const sort = signal(/** @type {{key: SortKey, dir: SortDir}} */ ({ key: "label", dir: "asc" }));

/** @type {{key: SortKey, title: string, cls: string}[]} */
const COLUMNS = [
  { key: "label", title: "Job", cls: "c-label" },
  { key: "state", title: "State", cls: "c-state" },
  { key: "exit", title: "Last exit", cls: "c-exit" },
  { key: "schedule", title: "Schedule", cls: "c-sched" },
  { key: "next", title: "Next fire", cls: "c-next" },
  { key: "log", title: "Log", cls: "c-log" },
];

export function SchedulerView() {
  useEffect(() => {
    document.title = "Scheduler · tailboard";
  }, []);
  const all = jobs.value;
  const loaded = jobsLoaded.value;
  const which = jobsScheduler.value;
  const { key, dir } = sort.value;
  const shown = sortJobs(filterJobs(all, query.value), key, dir);
  const { running, total } = jobsSummary.value;
  const sortedBy = `${COLUMNS.find((c) => c.key === key)?.title} ${
    dir === "asc" ? "ascending" : "descending"
  }`;
  return html`
    <section class="jobs-page" aria-labelledby="sched-title">
      <header class="jobs-head">
        <div class="jobs-head-main">
          <h1 id="sched-title">Scheduler</h1>
          <p class="jobs-sub">
            <span>${schedulerWhere(which)}</span>
            ${loaded && which !== "none" && html`
              <span class="sep">·</span>
              <span><strong class=${running
                ? "live"
                : ""}>${running}</strong> of ${total} running</span>
            `}
          </p>
        </div>
        <div class="jobs-tools">
          <${StreamState} />
          ${all.length > 0 && html`<${FilterBox} shown=${shown.length} total=${all.length} />`}
        </div>
      </header>
      <${SchedulerNotice} />
      ${!loaded && html`<p class="jobs-note">Loading jobs…</p>`}
      ${loaded && all.length === 0 && !jobsError.value && which !== "none" && html`
        <p class="jobs-note">${which === "launchd"
          ? "No jobs: ~/Library/LaunchAgents holds no plists."
          : "No jobs: systemd has no user timers."}</p>
      `}
      ${all.length > 0 && html`
        <div class="sched-wrap">
          <table class="sched">
            <caption class="sr-only">Scheduled jobs, sorted by ${sortedBy}</caption>
            <thead>
              <tr>${COLUMNS.map((c) => html`<${SortHeader} key=${c.key} column=${c} />`)}</tr>
            </thead>
            <tbody>
              ${shown.map((job) => html`<${JobRow} key=${job.id} job=${job} />`)}
            </tbody>
          </table>
          ${shown.length === 0 && html`<p class="jobs-note">No job matches “${query.value}”.</p>`}
        </div>
      `}
    </section>
  `;
}

/**
 * The filter box (`/` focuses it, Escape clears it) and how many jobs it lets through.
 * @param {{shown: number, total: number}} props
 */
function FilterBox({ shown, total }) {
  const onInput = (/** @type {any} */ e) => (query.value = e.currentTarget.value);
  return html`
    <div class="jobs-filter" role="search">
      <label class="sr-only" for=${JOB_FILTER_ID}>Filter jobs by label, command, schedule or log</label>
      <input id=${JOB_FILTER_ID} type="search" placeholder="Filter jobs" autocomplete="off"
        spellcheck="false" value=${query.value} onInput=${onInput} onKeyDown=${onFilterKey} />
      ${query.value &&
        html`<span class="jobs-count" aria-live="polite">${shown} of ${total}</span>`}
    </div>
  `;
}

/**
 * A column header that sorts by its column; pressing it again reverses.
 * @param {{column: {key: SortKey, title: string, cls: string}}} props
 */
function SortHeader({ column }) {
  const { key, dir } = sort.value;
  const active = key === column.key;
  const onClick = () => {
    sort.value = active
      ? { key, dir: dir === "asc" ? "desc" : "asc" }
      : { key: column.key, dir: "asc" };
  };
  return html`
    <th scope="col" class=${column.cls}
      aria-sort=${active ? (dir === "asc" ? "ascending" : "descending") : "none"}>
      <button type="button" class=${`sort ${active ? "on" : ""}`} onClick=${onClick}
        title=${`Sort by ${column.title.toLowerCase()}`}>
        ${column.title}<span class="sort-mark" aria-hidden="true">${active
          ? (dir === "asc" ? "▲" : "▼")
          : "▲"}</span>
      </button>
    </th>
  `;
}

/** @param {{job: Job}} props */
function JobRow({ job }) {
  const failed = exitFailed(job.lastExit);
  const { owner, name } = labelParts(job.label);
  const command = commandLine(job.args.length ? job.args : job.program ? [job.program] : []);
  const running = job.state === "running";
  const lit = useJustStarted(job.state);
  const runs = job.runs === null ? "" : ` · ${job.runs} ${job.runs === 1 ? "run" : "runs"} so far`;
  return html`
    <tr class=${`sched-row s-${job.state} ${lit ? "lit" : ""} ${failed ? "failed" : ""}`}
      data-job=${job.id}>
      <th scope="row" class="c-label">
        <div class="job-name">
          <span class=${`dot ${running ? "running" : "idle"}`} aria-hidden="true"></span>
          <span class="job-label" title=${job
            .label}><span class="owner">${owner}</span>${name}</span>
        </div>
        ${command && html`<div class="job-cmd" title=${command}>${command}</div>`}
        ${failed && job.errorLine &&
          html`<div class="job-failed-line" title=${job.errorLine}>${job.errorLine}</div>`}
      </th>
      <td class="c-state">
        <${StateChip} job=${job} />
      </td>
      <td class=${`c-exit ${failed ? "fail" : failed === false ? "ok" : ""}`}
        title=${job.lastExit ? `${job.lastExit.text}${runs}` : undefined}>
        ${job.lastExit?.text ?? html`<span class="none">—</span>`}
      </td>
      <td class="c-sched">${job.scheduleText || html`<span class="none">on demand</span>`}</td>
      <td class="c-next">${job.nextFire
        ? html`<${NextFire} at=${Date.parse(job.nextFire)} />`
        : html`<span class="none">—</span>`}</td>
      <td class="c-log">
        <${LogCell} job=${job} />
      </td>
    </tr>
  `;
}

/**
 * Where the job logs; for a job on Sessions, a link to its live tail there.
 * @param {{job: Job}} props
 */
function LogCell({ job }) {
  const out = job.stdoutPath;
  const err = job.stderrPath && job.stderrPath !== out ? job.stderrPath : null;
  if (!out && !err) return html`<span class="none">—</span>`;
  const paths = html`
    ${out && html`<span class="path" title=${out}>${shortPath(out, 22)}</span>`}
    ${err && html`
      <span class="path err" title=${`stderr: ${err}`}><span class="tag">err</span>${shortPath(
        err,
        20,
      )}</span>
    `}
  `;
  if (!job.selected) return html`<div class="log-paths">${paths}</div>`;
  return html`
    <a class="log-paths to-session" href=${`/sessions#job-${job.id}`}
      title="Open the live log on Sessions" aria-label=${`Live log of ${job.label}`}>
      ${paths}<span class="go" aria-hidden="true">›</span>
    </a>
  `;
}

/**
 * Whether `state` just became `running` while the component was shown: the
 * highlight then flashes once (not on every mount, or every visit would flash).
 * @param {Job["state"]} state
 */
export function useJustStarted(state) {
  const previous = useRef(state);
  const lit = useRef(false);
  if (previous.current !== state) {
    lit.current = state === "running";
    previous.current = state;
  }
  return lit.current;
}

/**
 * running · PID / loaded · idle / not loaded / disabled.
 * @param {{job: Job}} props
 */
export function StateChip({ job }) {
  return html`<span class=${`state-chip s-${job.state}`}>${stateWords(job.state)}${
    job.pid !== null && html`<span class="pid">PID ${job.pid}</span>`
  }</span>`;
}

/**
 * Absolute time and a ticking countdown; only this re-renders every second.
 * @param {{at: number}} props
 */
export function NextFire({ at }) {
  const n = now.value;
  return html`
    <span
      class="next-fire"><time datetime=${new Date(at).toISOString()} title=${absoluteTime(
        at,
      )}>${fireTime(at, n)}</time><span class="countdown">${at - n < 1000
        ? "due"
        : `in ${countdown(at - n)}`}</span></span>
  `;
}

/** Why the jobs cannot be read, in plain words, on both job pages. */
export function SchedulerNotice() {
  const error = jobsError.value;
  const which = jobsScheduler.value;
  if (error && which === "none") {
    // `--scheduler auto` found nothing: a fact about this machine, not a failure.
    return html`
      <div class="jobs-notice info" role="status">
        <strong>No scheduler on this machine.</strong>
        <span class="why">${error.replace(/^no scheduler found:\s*/, "")}</span>
        <span class="stale">Jobs appear here from launchd (macOS) or systemd user timers (Linux);
          pick one with <code>--scheduler</code>.</span>
      </div>
    `;
  }
  if (error) {
    return html`
      <div class="jobs-notice" role="alert">
        <strong>Cannot read ${which}.</strong>
        <span class="why">${error}</span>
        ${jobs.value.length > 0 && html`
          <span
            class="stale">The jobs below are as last seen; they update again once ${which} answers.</span>
        `}
      </div>
    `;
  }
  if (jobsLoaded.value && which === "none") {
    return html`
      <div class="jobs-notice info" role="status">
        Scheduled jobs are off: tailboard was started with <code>--scheduler none</code>.
      </div>
    `;
  }
  return null;
}

/** The jobs stream's connection, when it is not live. */
export function StreamState() {
  const s = jobsStatus.value;
  if (s === "live") return null;
  return html`<span class="conn" role="status">${
    s === "connecting" ? "connecting…" : "reconnecting…"
  }</span>`;
}

/** @param {string} which */
function schedulerWhere(which) {
  if (which === "launchd") return "launchd · ~/Library/LaunchAgents";
  if (which === "systemd") return "systemd user timers";
  if (which === "demo") return "demo · simulated jobs";
  return "no scheduler";
}

/** @param {KeyboardEvent} e */
function onFilterKey(e) {
  const input = /** @type {HTMLInputElement} */ (e.currentTarget);
  if (e.key !== "Escape") return;
  // Handled here, so the page-wide Escape leaves it alone.
  e.preventDefault();
  if (input.value) query.value = "";
  else input.blur();
}
