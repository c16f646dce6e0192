/**
 * Calendar days as the history index keys them: `YYYY-MM-DD` strings in the
 * machine's local time (the daemon and the page run on the same machine).
 * Pure: nothing reads the clock; callers pass `today`.
 */

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/** @param {number} n */
const pad = (n) => String(n).padStart(2, "0");

/**
 * The local day of an instant.
 * @param {number | Date} at epoch ms or a Date
 * @returns {string}
 */
export function dayOf(at) {
  const d = new Date(at);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/**
 * Local midnight of a day, or null when `day` is not a real `YYYY-MM-DD` date.
 * @param {string | null | undefined} day
 * @returns {Date | null}
 */
export function parseDay(day) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day ?? "");
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return dayOf(d) === day ? d : null;
}

/**
 * The day `n` days after (or, negative, before) `day`. Works by calendar date,
 * so daylight-saving changes never skip or repeat a day.
 * @param {string} day
 * @param {number} n
 * @returns {string}
 */
export function addDays(day, n) {
  const d = parseDay(day);
  if (!d) throw new RangeError(`not a day: ${day}`);
  d.setDate(d.getDate() + n);
  return dayOf(d);
}

/**
 * Every day from `from` to `to`, both included (empty when `to` is earlier).
 * @param {string} from
 * @param {string} to
 * @returns {string[]}
 */
export function daysBetween(from, to) {
  const out = [];
  for (let d = from; d <= to && out.length < 3660; d = addDays(d, 1)) out.push(d);
  return out;
}

/**
 * The Monday that starts the (ISO) week holding `day`.
 * @param {string} day
 */
export function weekStart(day) {
  const d = parseDay(day);
  if (!d) throw new RangeError(`not a day: ${day}`);
  return addDays(day, -((d.getDay() + 6) % 7));
}

/**
 * `9 Dec`, with the year when it is not `today`'s: `9 Dec 2025`.
 * @param {string} day
 * @param {string} [today]
 */
export function shortDay(day, today = day) {
  const d = parseDay(day);
  if (!d) return day;
  const year = today.slice(0, 4) === day.slice(0, 4) ? "" : ` ${d.getFullYear()}`;
  return `${d.getDate()} ${MONTHS[d.getMonth()]}${year}`;
}

/**
 * A day as a heading: `Today`, `Yesterday`, else `Tue 9 Dec` (`Tue 9 Dec 2025` in another year).
 * @param {string} day
 * @param {string} today
 */
export function dayTitle(day, today) {
  if (day === today) return "Today";
  if (day === addDays(today, -1)) return "Yesterday";
  const d = parseDay(day);
  return d ? `${WEEKDAYS[d.getDay()]} ${shortDay(day, today)}` : day;
}

/**
 * A range as a heading: one day's title, or `24 – 30 Nov`, `28 Nov – 4 Dec`.
 * @param {string} from
 * @param {string} to
 * @param {string} today
 */
export function rangeTitle(from, to, today) {
  if (from === to) return dayTitle(from, today);
  const a = parseDay(from);
  const b = parseDay(to);
  if (!a || !b) return `${from} – ${to}`;
  if (a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth()) {
    return `${a.getDate()} – ${shortDay(to, today)}`;
  }
  return `${shortDay(from, to)} – ${shortDay(to, today)}`;
}

/**
 * The short month name of a day, for chart labels at month starts.
 * @param {string} day
 */
export function monthOf(day) {
  const d = parseDay(day);
  return d ? MONTHS[d.getMonth()] ?? "" : "";
}

/**
 * `14:03` local time of an epoch-ms instant.
 * @param {number} ms
 */
export function hourMinute(ms) {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
