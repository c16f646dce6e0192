/**
 * The history index's progress, followed on the page's live connection and
 * shown in the status rail while it builds. A daemon
 * that keeps no index says `state: "off"` and why (`reason`: `--no-history`,
 * a data folder it cannot use, a history.db another program wrote; a 503 or
 * 404 from the route means the same), which turns history off in the page.
 *
 * @typedef {{state: "building" | "ready", files: number, filesTotal: number, bytes: number,
 *   bytesTotal: number}} IndexProgress
 * @typedef {IndexProgress | {state: "off", reason?: string} | {state: "unknown"}} IndexStatus
 */
import { signal } from "@preact/signals";
import { html } from "../lib/html.js";
import { subscribe } from "./live.js";

/** `unknown` until the first answer; `off` when the daemon keeps no index. */
export const indexStatus = signal(/** @type {IndexStatus} */ ({ state: "unknown" }));

/**
 * Starts following the index's progress on the live connection (its first
 * message is the current progress, or `off` with the reason).
 * @returns {() => void} stop
 */
export function followIndex() {
  return subscribe({ kind: "index" }, {
    onMessage: ({ t, d }) => {
      if (t === "progress") apply(d);
    },
  });
}

/** @param {any} body */
function apply(body) {
  const s = body?.status ?? body;
  if (s?.state === "off") {
    indexStatus.value = { state: "off", reason: typeof s.reason === "string" ? s.reason : "" };
    return;
  }
  if (s?.state !== "building" && s?.state !== "ready") return;
  indexStatus.value = {
    state: s.state,
    files: num(s.files),
    filesTotal: num(s.filesTotal),
    bytes: num(s.bytes),
    bytesTotal: num(s.bytesTotal),
  };
}

/**
 * Why history is off, as the daemon said it (shown as text, never markup).
 * @param {IndexStatus} status
 * @returns {string}
 */
export function offReason(status) {
  const reason = status.state === "off" ? status.reason?.trim() : "";
  if (!reason) return "This tailboard keeps no history index.";
  return `Why: ${reason.replace(/[.\s]+$/, "")}.`;
}

/** @param {unknown} v */
const num = (v) => (typeof v === "number" && Number.isFinite(v) ? v : 0);

const GROUPED = new Intl.NumberFormat("en-US");

/**
 * `indexing 1,234 / 5,000 files · 1.2 / 3.4 GB`: both byte figures in the
 * total's unit (powers of 1024, like the rest of the page).
 * @param {IndexProgress} p
 * @returns {string}
 */
export function progressText(p) {
  return `indexing ${GROUPED.format(p.files)} / ${GROUPED.format(p.filesTotal)} files · ${
    bytePair(p.bytes, p.bytesTotal)
  }`;
}

/**
 * @param {number} done
 * @param {number} total
 */
export function bytePair(done, total) {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let unit = 0;
  let scale = 1;
  while (total / scale >= 1024 && unit < units.length - 1) {
    scale *= 1024;
    unit++;
  }
  /** @param {number} n */
  const fmt = (n) => {
    const v = n / scale;
    return unit === 0 ? String(Math.round(v)) : v < 10 ? v.toFixed(1) : String(Math.round(v));
  };
  return `${fmt(Math.min(done, total))} / ${fmt(total)} ${units[unit]}`;
}

/** The rail's progress item: there while the index builds, gone once it is ready. */
export function IndexProgressItem() {
  const s = indexStatus.value;
  if (s.state !== "building") return null;
  const share = s.bytesTotal > 0
    ? s.bytes / s.bytesTotal
    : s.filesTotal > 0
    ? s.files / s.filesTotal
    : 0;
  const pct = Math.max(0, Math.min(100, Math.round(share * 100)));
  return html`
    <span class="rail-item index-progress"
      title="Building the history index: search, cost and the date picker fill in as it goes">
      <span class="index-bar" role="progressbar" aria-label="History index" aria-valuemin="0"
        aria-valuemax="100" aria-valuenow=${pct}><span style=${`width:${pct}%`}></span></span>
      <span>${progressText(s)}</span>
    </span>
  `;
}
