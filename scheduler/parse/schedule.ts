/**
 * When a launchd job fires next, and its schedule in words. Pure: the time
 * zone is a parameter (resolved through `Intl`), so tests pin DST behaviour in
 * any zone without touching the process's `TZ`.
 *
 * Calendar semantics follow launchd's own `calendarinterval_setalarm()` and
 * `cronemu()` (launchd 842, the last open-source release): missing keys are
 * wildcards, the search is on the local wall clock at minute precision and
 * strictly after now, and when both `Day` and `Weekday` are given either one
 * matching is enough. Unlike that code we let `Month` restrict the weekday
 * branch too, as the launchd.plist man page describes it.
 */

import type { CalendarInterval, Schedule } from "../../core/job.ts";

/** Inputs besides the schedule that decide a job's next fire. */
export interface NextFireOptions {
  /** IANA zone whose wall clock the calendar follows. @default the process's zone */
  timeZone?: string;
  /** When the job last started; `StartInterval` counts from here first. */
  lastRun?: Date | null;
  /** When the job was loaded; `StartInterval` counts from here when no run is known. */
  loadedAt?: Date | null;
}

const DAY_MS = 86_400_000;
/** Long enough to reach a Feb 29 past a skipped century leap year (2096 → 2104). */
const SEARCH_DAYS = 366 * 9;
/** More than the largest wall-clock shift any zone makes in one transition. */
const MAX_SHIFT_MS = 3 * 3_600_000;

/**
 * The next time `schedule` fires strictly after `from`, or null when it never
 * fires on its own (run at load, kept alive, on demand) or the time is
 * unknown (`StartInterval` with neither a last run nor a load time).
 */
export function nextFire(schedule: Schedule, from: Date, opts: NextFireOptions = {}): Date | null {
  const candidates: number[] = [];
  const timeZone = opts.timeZone ?? localTimeZone();
  for (const interval of schedule.calendar ?? []) {
    const t = nextCalendarFire(interval, from.getTime(), timeZone);
    if (t !== null) candidates.push(t);
  }
  const seconds = schedule.intervalSeconds;
  const base = opts.lastRun ?? opts.loadedAt;
  if (seconds !== undefined && seconds > 0 && base) {
    const step = seconds * 1000;
    const periods = Math.max(1, Math.floor((from.getTime() - base.getTime()) / step) + 1);
    candidates.push(base.getTime() + periods * step);
  }
  return candidates.length ? new Date(Math.min(...candidates)) : null;
}

/** The zone `Date` uses for local time (honours `TZ`). */
export function localTimeZone(): string {
  return new Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** Earliest instant after `fromMs` matching one calendar interval, or null if it never matches. */
function nextCalendarFire(
  interval: CalendarInterval,
  fromMs: number,
  timeZone: string,
): number | null {
  if (!isValidInterval(interval)) return null;
  const start = wallOf(fromMs, timeZone);
  const fromOffset = offsetAt(fromMs, timeZone);
  const hours = interval.Hour === undefined ? range(24) : [interval.Hour];
  const minutes = interval.Minute === undefined ? range(60) : [interval.Minute];
  for (let dayIndex = 0; dayIndex <= SEARCH_DAYS; dayIndex++) {
    const date = new Date(Date.UTC(start.year, start.month - 1, start.day + dayIndex));
    if (!dayMatches(interval, date)) continue;
    for (const hour of hours) {
      for (const minute of minutes) {
        const asUtc = Date.UTC(
          date.getUTCFullYear(),
          date.getUTCMonth(),
          date.getUTCDate(),
          hour,
          minute,
        );
        // A wall time well before now cannot map after it, whatever the
        // zone's offset does next: skip it without asking Intl.
        if (asUtc - fromOffset < fromMs - MAX_SHIFT_MS) continue;
        const t = instantOf(asUtc, timeZone);
        if (t > fromMs) return t;
      }
    }
  }
  return null;
}

/** Keys outside launchd's ranges make an interval that never fires. */
function isValidInterval(interval: CalendarInterval): boolean {
  const ok = (v: number | undefined, lo: number, hi: number) =>
    v === undefined || (Number.isInteger(v) && v >= lo && v <= hi);
  return ok(interval.Minute, 0, 59) && ok(interval.Hour, 0, 23) && ok(interval.Day, 1, 31) &&
    ok(interval.Weekday, 0, 7) && ok(interval.Month, 1, 12);
}

/** Month must match; of Day and Weekday, either one given matches (launchd's rule). */
function dayMatches(interval: CalendarInterval, date: Date): boolean {
  if (interval.Month !== undefined && date.getUTCMonth() + 1 !== interval.Month) return false;
  const dayOk = interval.Day === undefined ? null : date.getUTCDate() === interval.Day;
  const weekdayOk = interval.Weekday === undefined
    ? null
    : date.getUTCDay() === interval.Weekday % 7;
  if (dayOk === null && weekdayOk === null) return true;
  return dayOk === true || weekdayOk === true;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function wallOf(ms: number, timeZone: string): Wall {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, format);
  }
  const wall: Wall = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of format.formatToParts(ms)) {
    if (part.type in wall) wall[part.type as keyof Wall] = Number(part.value);
  }
  return wall;
}

/** UTC offset of `timeZone` at instant `ms`, in ms (wall clock minus UTC). */
function offsetAt(ms: number, timeZone: string): number {
  const w = wallOf(ms, timeZone);
  const seconds = Math.floor(ms / 1000) * 1000;
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - seconds;
}

/**
 * The instant a wall-clock minute (given as if it were UTC) names in `timeZone`. A time the clock
 * passes twice (DST ends) is its first occurrence, so a job fires once; a time
 * the clock skips (DST starts) is read with the offset before the jump, which
 * lands it just after the jump, as `mktime()` does for launchd.
 */
function instantOf(asUtc: number, timeZone: string): number {
  const before = offsetAt(asUtc - DAY_MS, timeZone);
  const after = offsetAt(asUtc + DAY_MS, timeZone);
  // No transition within a day either side: the wall time is unambiguous.
  if (before === after) return asUtc - before;
  const wanted = new Date(asUtc);
  let best: number | null = null;
  const offsets = new Set([before, offsetAt(asUtc, timeZone), after]);
  for (const offset of offsets) {
    const t = asUtc - offset;
    const w = wallOf(t, timeZone);
    const same = w.year === wanted.getUTCFullYear() && w.month === wanted.getUTCMonth() + 1 &&
      w.day === wanted.getUTCDate() && w.hour === wanted.getUTCHours() &&
      w.minute === wanted.getUTCMinutes();
    if (same && (best === null || t < best)) best = t;
  }
  return best ?? asUtc - before;
}

// ---------------------------------------------------------------- in words

const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** The schedule in words: "every weekday at 09:30", "every 15 minutes", "at load". */
export function describeSchedule(schedule: Schedule): string {
  const parts: string[] = [];
  if (schedule.calendar?.length) parts.push(describeCalendar(schedule.calendar));
  if (schedule.intervalSeconds !== undefined) {
    parts.push(describeSeconds(schedule.intervalSeconds));
  }
  for (const expression of schedule.systemd?.calendar ?? []) {
    parts.push(describeOnCalendar(expression));
  }
  for (const setting of schedule.systemd?.monotonic ?? []) {
    parts.push(describeMonotonic(setting));
  }
  if (schedule.keepAlive === true) parts.push("kept alive");
  if (schedule.keepAlive === "conditional") parts.push("kept alive on conditions");
  if (schedule.runAtLoad) parts.push("at load");
  return parts.length ? parts.join(" and ") : "on demand";
}

/** "every 15 minutes", "every hour", "every 2 days", "every 90 seconds". */
export function describeSeconds(seconds: number): string {
  const units: [number, string][] = [[86_400, "day"], [3_600, "hour"], [60, "minute"]];
  for (const [size, name] of units) {
    if (seconds >= size && seconds % size === 0) {
      const n = seconds / size;
      return n === 1 ? `every ${name}` : `every ${n} ${name}s`;
    }
  }
  return seconds === 1 ? "every second" : `every ${seconds} seconds`;
}

/** Days an interval set applies to, as a leading phrase and as a trailing qualifier. */
interface DaySpec {
  key: string;
  lead: string;
  qualifier: string;
}

function describeCalendar(intervals: CalendarInterval[]): string {
  if (!intervals.every(isValidInterval)) {
    const valid = intervals.filter(isValidInterval);
    return valid.length ? describeCalendar(valid) : "never (no valid calendar interval)";
  }
  // Intervals that differ only in Weekday read as one ("every weekday at 09:30").
  const byTime = new Map<string, { interval: CalendarInterval; weekdays: Set<number> | null }>();
  for (const interval of intervals) {
    const key = JSON.stringify([
      interval.Month,
      interval.Day,
      interval.Hour,
      interval.Minute,
      interval.Weekday === undefined,
    ]);
    const entry = byTime.get(key);
    if (interval.Weekday === undefined) byTime.set(key, { interval, weekdays: null });
    else if (entry?.weekdays) entry.weekdays.add(interval.Weekday % 7);
    else byTime.set(key, { interval, weekdays: new Set([interval.Weekday % 7]) });
  }
  // Then times that share their days read as one ("daily at 09:00 and 17:00").
  const byDays = new Map<string, { days: DaySpec; clock: string[]; other: string[] }>();
  for (const { interval, weekdays } of byTime.values()) {
    const days = daySpec(interval, weekdays);
    const group = byDays.get(days.key) ?? { days, clock: [], other: [] };
    byDays.set(days.key, group);
    const { Hour, Minute } = interval;
    if (Hour !== undefined && Minute !== undefined) group.clock.push(clock(Hour, Minute));
    else {
      const within = Hour !== undefined
        ? `every minute from ${clock(Hour, 0)} to ${clock(Hour, 59)}`
        : Minute !== undefined
        ? `every hour at :${pad(Minute)}`
        : "every minute";
      group.other.push(days.qualifier ? `${within} ${days.qualifier}` : within);
    }
  }
  const phrases: string[] = [];
  for (const { days, clock: times, other } of byDays.values()) {
    if (times.length) phrases.push(`${days.lead} at ${joinWords(times.sort())}`);
    phrases.push(...other);
  }
  return joinWords(phrases);
}

function daySpec(interval: CalendarInterval, weekdays: Set<number> | null): DaySpec {
  const { Month, Day } = interval;
  const month = Month === undefined ? undefined : MONTHS[Month - 1]!;
  const week = weekdays && weekdays.size < 7 ? weekdayWords(weekdays) : null;
  const key = JSON.stringify([Month, Day, weekdays ? [...weekdays].sort() : null]);
  if (Day !== undefined && week) {
    const inMonth = month ? ` in ${month}` : "";
    const text = `on day ${Day} or ${week.every}${inMonth}`;
    return { key, lead: text, qualifier: text };
  }
  if (Day !== undefined) {
    return month
      ? { key, lead: `every ${month} ${Day}`, qualifier: `on ${month} ${Day}` }
      : { key, lead: `monthly on day ${Day}`, qualifier: `on day ${Day} of the month` };
  }
  if (week) {
    return month
      ? { key, lead: `${week.every} in ${month}`, qualifier: `${week.on} in ${month}` }
      : { key, lead: week.every, qualifier: week.on };
  }
  return month
    ? { key, lead: `every day in ${month}`, qualifier: `in ${month}` }
    : { key, lead: "daily", qualifier: "" };
}

function weekdayWords(days: Set<number>): { every: string; on: string } {
  const sorted = [...days].sort((a, b) => ((a + 6) % 7) - ((b + 6) % 7)); // Monday first
  const key = sorted.join(",");
  if (key === "1,2,3,4,5") return { every: "every weekday", on: "on weekdays" };
  if (key === "6,0") return { every: "every weekend day", on: "on weekends" };
  const names = sorted.map((d) => WEEKDAYS[d]!);
  return { every: `every ${joinWords(names)}`, on: `on ${joinWords(names.map((n) => n + "s"))}` };
}

function joinWords(words: string[]): string {
  if (words.length <= 1) return words[0] ?? "";
  return `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

function clock(hour: number, minute: number): string {
  return `${pad(hour)}:${pad(minute)}`;
}

const SYSTEMD_DAYS: Record<string, string> = {
  Mon: "Monday",
  Tue: "Tuesday",
  Wed: "Wednesday",
  Thu: "Thursday",
  Fri: "Friday",
  Sat: "Saturday",
  Sun: "Sunday",
};

/**
 * A few common normalised `OnCalendar=` forms in words; anything else is shown
 * as systemd wrote it. Words only: systemd computes the fire times itself.
 */
export function describeOnCalendar(expression: string): string {
  const daily = /^(?:(\S+) )?\*-\*-\* (\d{2}):(\d{2}):00$/.exec(expression);
  if (daily) {
    const [, days, hh, mm] = daily;
    const at = `at ${hh}:${mm}`;
    if (!days) return `daily ${at}`;
    if (days === "Mon..Fri" || days === "Mon,Tue,Wed,Thu,Fri") return `every weekday ${at}`;
    if (days === "Sat,Sun" || days === "Sat..Sun") return `every weekend day ${at}`;
    const names = days.split(",").map((d) => SYSTEMD_DAYS[d]);
    if (names.every(Boolean)) return `every ${joinWords(names as string[])} ${at}`;
  }
  const hourly = /^\*-\*-\* \*:(\d{2}):00$/.exec(expression);
  if (hourly) return `every hour at :${hourly[1]}`;
  const stepped = /^\*-\*-\* \*:00\/(\d+):00$/.exec(expression);
  if (stepped) return describeSeconds(Number(stepped[1]) * 60);
  return `OnCalendar ${expression}`;
}

/** `OnUnitActiveUSec=15min` → "every 15min"; `OnBootUSec=5min` → "5min after boot". */
export function describeMonotonic(setting: string): string {
  const [key = "", value = ""] = setting.split("=", 2);
  switch (key) {
    case "OnUnitActiveUSec":
      return `every ${value}`;
    case "OnUnitInactiveUSec":
      return `${value} after each run ends`;
    case "OnBootUSec":
      return `${value} after boot`;
    case "OnStartupUSec":
      return `${value} after login`;
    case "OnActiveUSec":
      return `${value} after the timer started`;
    default:
      return setting;
  }
}
