/**
 * Scheduled jobs in the page: module-level signals fed by `/api/jobs/stream`
 * (a full snapshot on connect and on every change), and the live tail of one
 * job's log from `/api/jobs/:id/log`.
 *
 * A log file that does not exist yet (the job has not run since it was
 * installed, or its log was cleaned up) answers 404: the tail then waits
 * quietly and asks again every few seconds, so the card fills in the moment
 * the job first writes.
 *
 * @typedef {import("../../core/job.ts").Job} Job
 * @typedef {import("../../core/job.ts").JobsSnapshot} JobsSnapshot
 * @typedef {"connecting" | "live" | "reconnecting"} StreamStatus
 * @typedef {"connecting" | "live" | "reconnecting" | "waiting" | "error"} LogStatus
 *   waiting: the log file is not there (yet); error: the server refused it otherwise
 */
import { batch, computed, signal } from "@preact/signals";
import { scheduler } from "./state.js";

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

/** The longest wait between reconnect attempts. */
const MAX_BACKOFF_MS = 10_000;
/** How often a missing log file is looked for again. */
const MISSING_RETRY_MS = 3_000;

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
 * Follows `/api/jobs/stream` into the signals for as long as the page lives.
 * @returns {() => void} close
 */
export function startJobs() {
  /** @type {EventSource | null} */
  let es = null;
  let closed = false;
  let failures = 0;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  const open = () => {
    if (closed) return;
    es = new EventSource("/api/jobs/stream");
    es.addEventListener(
      "jobs",
      (e) => applySnapshot(JSON.parse(/** @type {MessageEvent} */ (e).data)),
    );
    es.onopen = () => {
      failures = 0;
      jobsStatus.value = "live";
    };
    es.onerror = () => {
      if (closed || !es) return;
      jobsStatus.value = "reconnecting";
      // CONNECTING: the browser retries by itself; each reconnect gets a fresh snapshot.
      if (es.readyState !== EventSource.CLOSED) return;
      es = null;
      timer = setTimeout(open, Math.min(MAX_BACKOFF_MS, 500 * 2 ** failures++));
    };
  };
  open();
  return () => {
    closed = true;
    clearTimeout(timer);
    es?.close();
  };
}

/**
 * @typedef {object} FollowLogOptions
 * @property {"stdout" | "stderr"} stream which of the job's logs
 * @property {number} [tail] how many of the newest lines to start with (default 80)
 * @property {(events: any[]) => void} onEvents new events, oldest first, at most once a frame
 * @property {() => void} onReset the log is shown from scratch: forget what it showed
 * @property {(status: LogStatus, detail?: string) => void} onStatus
 */

/**
 * Tails one job's log: the newest `tail` lines, then live ones. Resumes after
 * a dropped connection without losing or repeating lines (`Last-Event-ID`, or
 * `?after=<cursor>` when we reopen ourselves); waits for a missing file.
 * @param {string} jobId
 * @param {FollowLogOptions} options
 * @returns {() => void} close
 */
export function followJobLog(jobId, { stream, tail = 80, onEvents, onReset, onStatus }) {
  let last = -1;
  let closed = false;
  let failures = 0;
  /** Opened with `?tail=`: what the card showed before is replaced. */
  let fresh = false;
  /** @type {EventSource | null} */
  let es = null;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  /** @type {AbortController | null} */
  let probe = null;
  /** @type {any[]} */
  let pending = [];
  let frame = 0;

  const url = () =>
    `/api/jobs/${encodeURIComponent(jobId)}/log?stream=${stream}&` +
    (last >= 0 ? `after=${last}` : `tail=${tail}`);

  // The backlog arrives as one burst of messages: hand it over once a frame.
  const flush = () => {
    frame = 0;
    const events = pending;
    pending = [];
    if (events.length && !closed) onEvents(events);
  };

  const open = () => {
    if (closed) return;
    fresh = last < 0;
    es = new EventSource(url());
    es.onopen = () => {
      failures = 0;
      if (fresh) {
        fresh = false;
        cancelAnimationFrame(frame);
        pending = [];
        onReset();
      }
      onStatus("live");
    };
    es.onmessage = (e) => {
      const event = JSON.parse(e.data);
      if (event.kind === "file") {
        // Truncated, replaced or deleted: cursors start over with the next file.
        last = -1;
      } else if (typeof event.cursor === "number") {
        if (event.cursor <= last) return;
        last = event.cursor;
      }
      pending.push(event);
      frame ||= requestAnimationFrame(flush);
    };
    es.onerror = () => {
      if (closed || !es) return;
      // CONNECTING: the browser retries by itself, sending Last-Event-ID.
      if (es.readyState !== EventSource.CLOSED) {
        onStatus("reconnecting");
        return;
      }
      es.close();
      es = null;
      retry();
    };
  };

  /**
   * EventSource hides why it failed: ask with fetch, and open the stream again
   * only once the log is there (so a missing file costs one request per wait).
   */
  const retry = async () => {
    const ask = new AbortController();
    probe = ask;
    let next = open;
    let wait = Math.min(MAX_BACKOFF_MS, 500 * 2 ** failures++);
    try {
      const res = await fetch(url(), { signal: ask.signal });
      if (res.ok) wait = 0; // There now: the EventSource reads it, not this fetch.
      else {
        const body = await res.json().catch(() => ({}));
        const detail = typeof body?.error === "string"
          ? body.error
          : `${res.status} ${res.statusText}`;
        next = retry;
        if (res.status === 404) {
          wait = MISSING_RETRY_MS;
          failures = 0;
          if (!closed) onStatus("waiting", detail);
        } else if (!closed) onStatus("error", detail);
      }
    } catch {
      // The daemon is away (or we closed): back off and ask again.
      next = retry;
      if (!closed) onStatus("reconnecting");
    } finally {
      ask.abort();
      if (probe === ask) probe = null;
    }
    if (!closed) timer = setTimeout(next, wait);
  };

  onStatus("connecting");
  open();
  return () => {
    closed = true;
    clearTimeout(timer);
    cancelAnimationFrame(frame);
    probe?.abort();
    es?.close();
    es = null;
  };
}
