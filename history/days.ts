/**
 * Calendar days in the server's local time zone (`YYYY-MM-DD`), which is the
 * zone the history views and rollups use. Pure apart from the zone itself,
 * which comes from the process (`TZ`).
 */

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The local day of an ISO timestamp; null when it does not parse. */
export function localDay(ts: string | undefined | null): string | null {
  if (!ts) return null;
  const ms = Date.parse(ts);
  return Number.isNaN(ms) ? null : dayOf(ms);
}

/** The local day of an epoch-ms instant. */
export function dayOf(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** True for a real calendar day written `YYYY-MM-DD` (no `2026-02-30`). */
export function isDay(value: string): boolean {
  const m = DAY.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(y, mo - 1, d);
  return date.getFullYear() === y && date.getMonth() === mo - 1 && date.getDate() === d;
}

/** Epoch ms of local midnight starting `day` (which must be valid). */
export function dayStart(day: string): number {
  const [y, mo, d] = day.split("-").map(Number) as [number, number, number];
  return new Date(y, mo - 1, d).getTime();
}

/** `day` moved by `n` days (negative for earlier), across month, year and DST changes. */
export function addDays(day: string, n: number): string {
  const [y, mo, d] = day.split("-").map(Number) as [number, number, number];
  // Noon, so a 23- or 25-hour DST day cannot push the result into a neighbour.
  return dayOf(new Date(y, mo - 1, d + n, 12).getTime());
}

/** The time zone days are counted in, for display and for noticing a change. */
export function timeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone ?? "local";
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
