/**
 * `/sessions`: one card per job `--job-filter` selects, each tailing the
 * newest lines of its log live: stdout, and beside it stderr in red when it is
 * another file (under it on a narrow card), with its state, last exit and next
 * fire. Claude Code JSONL lines render as the feed's typed cards; plain lines
 * as monospace text with their ANSI colours.
 *
 * @typedef {import("../../core/job.ts").Job} Job
 * @typedef {import("../data/log_buffer.js").LogEntry} LogEntry
 * @typedef {import("../data/jobs.js").LogStatus} LogStatus
 */
import { Component } from "preact";
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import { html } from "../lib/html.js";
import { followJobLog, jobsLoaded, jobsScheduler, sessionJobs } from "../data/jobs.js";
import { LogBuffer } from "../data/log_buffer.js";
import { Card } from "../cards/cards.js";
import { exitFailed, labelParts, shortPath } from "./job_table.js";
import { NextFire, SchedulerNotice, StateChip, StreamState, useJustStarted } from "./scheduler.js";
import { isAtBottom } from "../feed/window.js";

/** Lines each card keeps and shows. */
const LOG_LINES = 80;

export function SessionsView() {
  useEffect(() => {
    document.title = "Scheduled runs · tailboard";
  }, []);
  const list = sessionJobs.value;
  const loaded = jobsLoaded.value;
  useRevealHash(loaded);
  const running = list.filter((job) => job.state === "running").length;
  return html`
    <section class="jobs-page" aria-labelledby="sessions-title">
      <header class="jobs-head">
        <div class="jobs-head-main">
          <h1 id="sessions-title">Scheduled runs</h1>
          <p class="jobs-sub">
            <span>${list.length} scheduled ${list.length === 1 ? "agent" : "agents"}</span>
            <span class="sep">·</span>
            <span><strong class=${running ? "live" : ""}>${running}</strong> running</span>
            <span class="sep">·</span>
            <a href="/scheduler">all jobs</a>
          </p>
        </div>
        <div class="jobs-tools"><${StreamState} /></div>
      </header>
      <${SchedulerNotice} />
      ${!loaded && html`<p class="jobs-note">Loading jobs…</p>`}
      ${loaded && list.length === 0 && jobsScheduler.value !== "none" && html`
        <div class="jobs-note">
          <p>No scheduled job is selected for this page.</p>
          <p class="dim">Jobs whose label, program or arguments mention <code>claude</code>,
            <code>codex</code> or <code>agent</code> show here; start tailboard with
            <code>--job-filter PREFIX</code> (or a glob) to choose others.
            <a href="/scheduler">See every job</a>.</p>
        </div>
      `}
      <div class="sess-grid">
        ${list.map((job) => html`<${SessionCard} key=${job.id} job=${job} />`)}
      </div>
    </section>
  `;
}

/**
 * `/sessions#job-<id>` (the links in the scheduler's Log column) scrolls to that card
 * once the jobs have loaded.
 * @param {boolean} loaded
 */
function useRevealHash(loaded) {
  useEffect(() => {
    if (!loaded || !location.hash.startsWith("#job-")) return;
    const card = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (!card) return;
    card.scrollIntoView({ block: "start" });
    card.focus({ preventScroll: true });
  }, [loaded]);
}

/** @param {{job: Job}} props */
function SessionCard({ job }) {
  const { owner, name } = labelParts(job.label);
  const failed = exitFailed(job.lastExit);
  const titleId = `job-${job.id}-title`;
  const separateErr = job.stderrPath && job.stderrPath !== job.stdoutPath;
  const running = job.state === "running";
  const lit = useJustStarted(job.state);
  return html`
    <article id=${`job-${job.id}`} class=${`sess s-${job.state} ${lit ? "lit" : ""} ${
      failed ? "failed" : ""
    }`} aria-labelledby=${titleId}
      tabindex="-1" data-job=${job.id}>
      <header class="sess-head">
        <span class=${`dot ${running ? "running" : "idle"}`} aria-hidden="true"></span>
        <h2 id=${titleId} class="sess-title" title=${job.label}>
          <span class="owner">${owner}</span>${name}
        </h2>
        <${StateChip} job=${job} />
      </header>
      ${failed && html`<p class="job-failed-line" title=${job.errorLine ?? job.lastExit?.text}>
        Last run failed (${job.lastExit?.text})${job.errorLine ? `: ${job.errorLine}` : ""}
      </p>`}
      <dl class="sess-facts">
        <div>
          <dt>last run</dt>
          <dd class=${failed ? "fail" : failed === false ? "ok" : "none"}>${job.lastExit?.text ??
            "—"}</dd>
        </div>
        <div>
          <dt>schedule</dt>
          <dd title=${job.scheduleText}>${job.scheduleText || "on demand"}</dd>
        </div>
        <div>
          <dt>next</dt>
          <dd>${job.nextFire ? html`<${NextFire} at=${Date.parse(job.nextFire)} />` : "—"}</dd>
        </div>
      </dl>
      <div class=${`sess-logs ${job.stdoutPath && separateErr ? "split" : ""}`}>
        ${job.stdoutPath
          ? html`
            <${LogPane} jobId=${job.id} stream="stdout" path=${job.stdoutPath}
              label=${job.label} />
          `
          : html`<p class="sess-nolog">${
            job.stderrPath && !separateErr
              ? ""
              : "This job writes no log file (no StandardOutPath)."
          }</p>`}
        ${separateErr &&
          html`
            <${LogPane} jobId=${job.id} stream="stderr" path=${job.stderrPath} label=${job.label}
              error=${true} />
          `}
      </div>
    </article>
  `;
}

/**
 * One live log of a card.
 * @param {{jobId: string, stream: "stdout" | "stderr", path: string, label: string,
 *   error?: boolean}} props
 */
function LogPane({ jobId, stream, path, label, error = false }) {
  const buffer = useMemo(() => new LogBuffer(LOG_LINES), []);
  const [rev, setRev] = useState(0);
  const [status, setStatus] = useState(
    /** @type {{status: LogStatus, detail: string}} */ ({ status: "connecting", detail: "" }),
  );
  const [expanded, setExpanded] = useState(() => /** @type {Set<string>} */ (new Set()));
  const scroller = useRef(/** @type {HTMLDivElement | null} */ (null));
  /** Follow new lines while the reader is at the bottom. */
  const stick = useRef(true);

  useEffect(() => {
    buffer.reset();
    setRev(buffer.rev);
    return followJobLog(jobId, {
      stream,
      tail: LOG_LINES,
      onEvents: (events) => {
        if (buffer.append(events)) setRev(buffer.rev);
      },
      onStatus: (s, detail = "") => setStatus({ status: s, detail }),
    });
  }, [jobId, stream, path]);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [rev]);

  const ctx = useMemo(() => ({
    agentId: jobId,
    toggle: (/** @type {string} */ key) =>
      setExpanded((prev) => {
        const next = new Set(prev);
        if (!next.delete(key)) next.add(key);
        return next;
      }),
    // A card's time links to the card in the agent feed; here there is nowhere to go.
    select: () => {},
    subagentCalls: () => 0,
    loading: () => false,
  }), [jobId]);

  const entries = buffer.entries();
  const onScroll = () => {
    const el = scroller.current;
    if (el) stick.current = isAtBottom(el.scrollTop, el.clientHeight, el.scrollHeight);
  };
  const empty = entries.length === 0;
  // An empty stderr is the usual case: its header line says so, without a pane.
  const bare = error && empty;
  const tail = empty
    ? html`<p class="sess-placeholder">${placeholder(status.status, status.detail)}</p>`
    : entries.map((entry) =>
      html`
        <${Entry} key=${entry.key} entry=${entry} rev=${entry.item.rev}
          expanded=${expanded.has(entry.key)} ctx=${ctx} />
      `
    );
  return html`
    <section class=${`sess-log ${error ? "is-err" : ""} ${bare ? "is-bare" : ""}`}
      aria-label=${`${stream} of ${label}`}>
      <div class="sess-log-head">
        <span class="stream-tag">${stream}</span>
        <span class="path" title=${path}>${shortPath(path, 56)}</span>
        <${PaneStatus} status=${status.status} detail=${status.detail} empty=${empty} />
      </div>
      ${!bare && html`
        <div class=${`sess-scroll ${empty ? "is-empty" : ""}`} ref=${scroller} onScroll=${onScroll}
          tabindex="0" role="log" aria-live="off"
          aria-label=${`Newest ${LOG_LINES} lines of ${stream}`}>${tail}</div>
      `}
    </section>
  `;
}

/**
 * @param {LogStatus} status
 * @param {string} detail
 */
function placeholder(status, detail) {
  if (status === "waiting") return "No log file yet: it appears here as soon as the job writes it.";
  if (status === "error") return `Cannot read this log: ${detail}`;
  if (status === "live") return "The log is empty.";
  return "Connecting…";
}

/**
 * The pane's connection, when it is worth a word.
 * @param {{status: LogStatus, detail: string, empty: boolean}} props
 */
function PaneStatus({ status, detail, empty }) {
  if (status === "live") {
    return html`<span class="pane-state live" title="Following live">live</span>`;
  }
  if (status === "waiting") {
    return html`<span class="pane-state" title=${detail}>${
      empty ? "no file yet" : "file gone"
    }</span>`;
  }
  if (status === "error") {
    return html`<span class="pane-state bad" title=${detail}>unreadable</span>`;
  }
  return html`<span class="pane-state">${
    status === "connecting" ? "connecting…" : "reconnecting…"
  }</span>`;
}

/**
 * One line of a pane: a plain line with its colours, a file marker, or a
 * typed card. Re-renders only when its entry changes.
 * @extends {Component<{entry: LogEntry, rev: number, expanded: boolean, ctx: any}>}
 */
class Entry extends Component {
  /**
   * @override
   * @param {{entry: LogEntry, rev: number, expanded: boolean}} next
   */
  shouldComponentUpdate(next) {
    const p = this.props;
    return next.entry.item !== p.entry.item || next.rev !== p.rev ||
      next.expanded !== p.expanded;
  }

  render() {
    const { entry, expanded, ctx } = this.props;
    const item = entry.item;
    if (entry.spans) {
      return html`<div class=${`ansi-line ${item.event?.malformed ? "malformed" : ""}`}>${
        entry.spans.map((s, k) =>
          s.class || s.style
            ? html`<span key=${k} class=${s.class} style=${s.style}>${s.text}</span>`
            : s.text
        )
      }</div>`;
    }
    if (item.kind === "marker") {
      return html`<div class=${`sess-marker ${item.event?.change}`} role="separator">${
        MARKER_WORDS[item.event?.change] ?? "the log file changed"
      }</div>`;
    }
    return html`
      <div class="sess-item">
        <${Card} item=${item} rev=${item.rev} expanded=${expanded}
          ctx=${ctx} />
      </div>
    `;
  }
}

/** @type {Record<string, string>} */
const MARKER_WORDS = {
  truncated: "log truncated: showing it from the top",
  rotated: "log replaced: showing the new file",
  deleted: "log file deleted: waiting for the next run to write it",
};
