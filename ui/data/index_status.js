/**
 * The history index's progress: fetched once, then followed on
 * `/api/index/stream`, and shown in the status rail while it builds. A daemon
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

/** `unknown` until the first answer; `off` when the daemon keeps no index. */
export const indexStatus = signal(/** @type {IndexStatus} */ ({ state: "unknown" }));

/** The longest wait between reconnects of the progress stream. */
const MAX_BACKOFF_MS = 15_000;

/**
 * Starts following the index's progress.
 * @returns {() => void} stop
 */
export function followIndex() {
  /** @type {EventSource | null} */
  let es = null;
  let stopped = false;
  let failures = 0;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  const retry = () => {
    es?.close();
    es = null;
    if (stopped) return;
    timer = setTimeout(start, Math.min(MAX_BACKOFF_MS, 1000 * 2 ** failures++));
  };
  const start = async () => {
    try {
      const res = await fetch("/api/index/status", { headers: { accept: "application/json" } });
      if (res.status === 503 || res.status === 404) {
        indexStatus.value = { state: "off" };
        return; // no index on this daemon: nothing to follow
      }
      if (!res.ok) throw new Error(String(res.status));
      apply(await res.json());
      if (indexStatus.value.state === "off") return; // it stays off while this daemon runs
    } catch {
      // The daemon is away (the agents stream says so in the rail): try again later.
      retry();
      return;
    }
    if (stopped) return;
    es = new EventSource("/api/index/stream");
    /** @param {MessageEvent} e */
    const onData = (e) => {
      failures = 0;
      try {
        apply(JSON.parse(e.data));
      } catch {
        // A frame we do not understand (a comment or keep-alive): ignore it.
      }
    };
    // server/routes/history.ts names its events `progress`; an unnamed message means the same.
    es.addEventListener("progress", onData);
    es.onmessage = onData;
    es.onerror = () => {
      // CONNECTING: the browser retries by itself. CLOSED: start over from the status.
      if (es?.readyState === EventSource.CLOSED) retry();
    };
  };
  void start();
  return () => {
    stopped = true;
    clearTimeout(timer);
    es?.close();
  };
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
