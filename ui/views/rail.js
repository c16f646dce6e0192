/**
 * The status rail across the top: agents that need you and agents at work
 * (by status), the scheduler's summary
 * (next fire and jobs running, from jobs.js), the history index's progress
 * while it builds (index_status.js), connection state, live clock.
 */
import { html } from "../lib/html.js";
import { agentsStatus, helpOpen, now, scheduler, workingCount } from "../data/state.js";
import { needsYou } from "../data/attention.js";
import { clock } from "../lib/time.js";
import { countdown, labelParts } from "./job_table.js";
import { IndexProgressItem } from "../data/index_status.js";

export function Rail() {
  const working = workingCount.value;
  const needs = needsYou.value;
  return html`
    <header class="rail" role="banner">
      <a class="brand" href="/"
        aria-label="tailboard home"><span class="brand-mark" aria-hidden="true"></span>tailboard</a>
      ${needs > 0 && html`
        <a class="rail-item rail-needs" href="/" role="status" aria-live="polite">
          <span class="dot status-needs-you" aria-hidden="true"></span>
          <strong>${needs}</strong> ${needs === 1 ? "needs" : "need"} you
        </a>
      `}
      <span class=${`rail-item rail-working ${working > 0 ? "live" : ""}`} role="status"
        aria-live="polite">
          <span class=${`dot ${
            working > 0 ? "status-working" : "status-idle"
          }`} aria-hidden="true"></span>
          <strong>${working}</strong> working
        </span>
      <${SchedulerItems} />
      <${IndexProgressItem} />
      <span class="rail-gap"></span>
      <${Connection} />
      <button type="button" class="icon-btn help-btn" aria-label="Keyboard shortcuts"
        title="Keyboard shortcuts (?)"
        onClick=${() => (helpOpen.value = true)}>?</button>
      <time class="clock" aria-label="current time">${clock(now.value)}</time>
    </header>
  `;
}

/** Next fire (ticking) and jobs running/total, from jobs.js; nothing under `--scheduler none`. */
function SchedulerItems() {
  const s = scheduler.value;
  if (!s) return null;
  if (s.error) {
    // No scheduler on this machine is a fact, not an alarm; a failing one is.
    return html`
      <a class=${`rail-item ${s.none ? "dim" : "rail-warn"}`} href="/scheduler"
        title=${s.error}>${s.none ? "no scheduler" : "scheduler unavailable"}</a>
    `;
  }
  const next = s.nextFire;
  const name = next ? labelParts(next.label).name : "";
  const left = next ? countdown(next.at - now.value) : "";
  const at = next ? new Date(next.at).toLocaleString() : "";
  return html`
    ${next && html`
      <a class="rail-item" href="/scheduler" title=${`${next.label} at ${at}`}>
        <span>next <strong>${name}</strong> in <span class="rail-countdown">${left}</span></span>
      </a>
    `}
    <a class=${`rail-item ${s.running > 0 ? "live" : ""}`} href="/scheduler">
      <span><strong>${s.running}</strong>/${s.total} jobs running</span>
    </a>
  `;
}

function Connection() {
  const s = agentsStatus.value;
  if (s === "live") return null;
  return html`<span class="rail-item conn" role="status">${
    s === "connecting" ? "connecting…" : "reconnecting…"
  }</span>`;
}
