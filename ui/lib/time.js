/**
 * Time formatting for the page: relative ages that tick, the rail's clock,
 * and absolute stamps for hover titles. Pure: every function takes `now`.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * A compact age such as `now`, `12s`, `5m`, `3h`, `2d`, or a date for old ones.
 * @param {number} ms epoch milliseconds
 * @param {number} now epoch milliseconds
 * @returns {string}
 */
export function shortAge(ms, now) {
  const d = Math.max(0, now - ms);
  if (d < 5 * SECOND) return "now";
  if (d < MINUTE) return `${Math.floor(d / SECOND)}s`;
  if (d < HOUR) return `${Math.floor(d / MINUTE)}m`;
  if (d < DAY) return `${Math.floor(d / HOUR)}h`;
  if (d < 30 * DAY) return `${Math.floor(d / DAY)}d`;
  return shortDate(ms, now);
}

/**
 * Like {@link shortAge} but reads as a phrase: `just now`, `5m ago`.
 * @param {number} ms
 * @param {number} now
 */
export function relativeTime(ms, now) {
  const age = shortAge(ms, now);
  if (age === "now") return "just now";
  return /\d[smhd]$/.test(age) ? `${age} ago` : age;
}

/**
 * A card's time: the age while it is under a day old (`12s`, `5m`, `3h`),
 * then the day and time (`9 Dec 14:03`, with the year when it differs).
 * @param {number} ms
 * @param {number} now
 */
export function stamp(ms, now) {
  if (now - ms < DAY) return shortAge(ms, now);
  const d = new Date(ms);
  return `${shortDate(ms, now)} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * `14:03:27` in local time.
 * @param {number} ms
 */
export function clock(ms) {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/**
 * `2025-12-16 09:30:05` in local time, for hover titles.
 * @param {number} ms
 */
export function absoluteTime(ms) {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${clock(ms)}`;
}

/**
 * `16 Dec` (in the year of `now`) or `16 Dec 2024`.
 * @param {number} ms
 * @param {number} now
 */
function shortDate(ms, now) {
  const d = new Date(ms);
  const month = MONTHS[d.getMonth()];
  return `${d.getDate()} ${month}${
    d.getFullYear() === new Date(now).getFullYear() ? "" : ` ${d.getFullYear()}`
  }`;
}

/**
 * Epoch ms of an ISO timestamp from a transcript, or null when absent or invalid.
 * @param {string | undefined} iso
 * @returns {number | null}
 */
export function parseTs(iso) {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * A duration such as `850ms`, `4.2s`, `3m 05s`, `1h 02m`.
 * @param {number} ms
 */
export function duration(ms) {
  if (ms < SECOND) return `${Math.round(ms)}ms`;
  if (ms < MINUTE) return `${(ms / SECOND).toFixed(ms < 10 * SECOND ? 1 : 0)}s`;
  if (ms < HOUR) return `${Math.floor(ms / MINUTE)}m ${pad(Math.floor((ms % MINUTE) / SECOND))}s`;
  return `${Math.floor(ms / HOUR)}h ${pad(Math.floor((ms % HOUR) / MINUTE))}m`;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** @param {number} n */
function pad(n) {
  return String(n).padStart(2, "0");
}
