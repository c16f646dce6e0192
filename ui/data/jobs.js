/**
 * Scheduled jobs in the page: module-level signals fed by the live
 * connection's `jobs` subscription (a full snapshot at first and on every
 * change), and the live tail of one job's log.
 *
 * @typedef {import("../../core/job.ts").Job} Job
 * @typedef {import("../../core/job.ts").JobsSnapshot} JobsSnapshot
 * @typedef {"connecting" | "live" | "reconnecting"} StreamStatus
 * @typedef {"connecting" | "live" | "reconnecting" | "waiting" | "error"} LogStatus
 *   waiting: the log file is not there (yet); error: the server refused it otherwise
 */
import { batch, computed, signal } from "@preact/signals";
import { scheduler } from "./state.js";
import { subscribe } from "./live.js";

/** Every job the scheduler reports, in the server's order (by label). */
export const jobs = signal(/** @type {Job[]} */ ([]));
/** Which scheduler the daemon reads: `launchd`, `systemd` or `none`. */
export const jobsScheduler = signal(/** @type {JobsSnapshot["scheduler"]} */ ("none"));
/** Why the scheduler cannot be read right now (jobs are then the last known), or null. */
export const jobsError = signal(/** @type {string | null} */ (null));
/** Running and total counts and the next fire. */
export const jobsSummary = signal(
  /** @type {JobsSnapshot["summary"]} */ ({ running: 0, total: 0, next: null }),
);
/** Whether the first snapshot has arrived. */
export const jobsLoaded = signal(false);
/** The jobs stream's connection. */
export const jobsStatus = signal(/** @type {StreamStatus} */ ("connecting"));
/** The jobs `--job-filter` selects: one Sessions card each. */
export const sessionJobs = computed(() => jobs.value.filter((job) => job.selected));

/**
 * Puts one snapshot into the signals, and the rail's summary into `scheduler`.
 * @param {JobsSnapshot} snapshot
 */
export function applySnapshot(snapshot) {
  batch(() => {
    jobs.value = snapshot.jobs ?? [];
    jobsScheduler.value = snapshot.scheduler;
    jobsError.value = snapshot.error ?? null;
    jobsSummary.value = snapshot.summary;
    jobsLoaded.value = true;
    // `--scheduler none` on purpose: the rail says nothing about jobs at all.
    scheduler.value = snapshot.scheduler === "none" && !snapshot.error ? null : {
      nextFire: snapshot.summary.next
        ? { label: snapshot.summary.next.label, at: Date.parse(snapshot.summary.next.at) }
        : null,
      running: snapshot.summary.running,
      total: snapshot.summary.total,
      ...(snapshot.error ? { error: snapshot.error } : {}),
      ...(snapshot.scheduler === "none" ? { none: true } : {}),
    };
  });
}

/**
 * Follows the jobs on the live connection into the signals for as long as the page lives.
 * @returns {() => void} close
 */
export function startJobs() {
  return subscribe({ kind: "jobs" }, {
    onMessage: ({ t, d }) => {
      if (t === "jobs") applySnapshot(d);
    },
    onStatus: (s) => (jobsStatus.value = s),
  });
}

/**
 * @typedef {object} FollowLogOptions
 * @property {"stdout" | "stderr"} stream which of the job's logs
 * @property {(events: any[]) => void} onEvents new events, oldest first, at most once a frame
 * @property {(status: LogStatus, detail?: string) => void} onStatus
 * @property {number} [tail] how many of the newest lines to start with (default 80)
 */

/** How often a missing log file is looked for again. */
const MISSING_RETRY_MS = 3_000;

/**
 * Tails one job's log on the live connection: the newest `tail` lines, then
 * live ones, resumed from its cursor after a dropped connection. A log file
 * that is not there (yet), or was deleted, is asked for again every few
 * seconds, so the card fills in the moment the job writes.
 * @param {string} jobId
 * @param {FollowLogOptions} options
 * @returns {() => void} close
 */
export function followJobLog(jobId, { stream, tail = 80, onEvents, onStatus: report }) {
  let said = "";
  /** @param {LogStatus} status @param {string} [detail] */
  const onStatus = (status, detail = "") => {
    if (said === `${status}\n${detail}`) return;
    said = `${status}\n${detail}`;
    report(status, detail);
  };
  /** @type {any[]} */
  let pending = [];
  /** @type {unknown} a frame or timer is due */
  let frame = 0;
  let closed = false;
  // A backlog arrives as one message, live lines one by one: hand them over once a frame.
  const flush = () => {
    frame = 0;
    const events = pending;
    pending = [];
    if (events.length && !closed) onEvents(events);
  };
  const unsubscribe = subscribe({ kind: "job-log", id: jobId, stream, tail }, {
    retryMs: MISSING_RETRY_MS,
    onMessage: ({ t, d }) => {
      if (t === "events") {
        pending.push(...d);
        // rAF sleeps in background tabs: a timer takes over there.
        frame ||= document.hidden ? setTimeout(flush, 250) : requestAnimationFrame(flush);
        onStatus("live");
      } else if (t === "error") {
        onStatus(d?.status === 404 ? "waiting" : "error", d?.error ?? "");
      } else if (t === "end") onStatus("waiting", "the log file was deleted");
    },
    onStatus: (s) => onStatus(s),
  });
  return () => {
    closed = true;
    unsubscribe();
  };
}
