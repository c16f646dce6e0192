/**
 * launchd job definitions from property lists. `parsePlist` reads XML and
 * binary plists with `@plist/parse` (the fallback where `plutil` is absent);
 * `jobFromPlist` turns the parsed dict, or `plutil -convert json` output, into
 * a `JobDefinition`. Pure: bytes in, data out.
 */

import { parse } from "@plist/parse";
import type { CalendarInterval, JobDefinition, Schedule } from "../../core/job.ts";

/** A plist's bytes (XML, binary or OpenStep, detected from the content) as JS values. */
export function parsePlist(input: Uint8Array | string): unknown {
  // @plist/parse takes binary plists only as an ArrayBuffer; copy out the
  // view's own bytes so a subarray never drags its neighbours along.
  const data = typeof input === "string"
    ? input
    : input.buffer.slice(input.byteOffset, input.byteOffset + input.byteLength) as ArrayBuffer;
  // The XML reader underneath (fast-xml-parser) is lenient: a file cut off
  // mid-write parses into a half-empty dict. Refuse it instead.
  const head = typeof input === "string" ? input : new TextDecoder().decode(input.subarray(0, 64));
  if (/^\uFEFF?\s*<(\?xml|plist)/.test(head)) {
    const text = typeof input === "string" ? input : new TextDecoder().decode(input);
    if (!/<\/plist>\s*$/.test(text)) throw new Error("truncated XML plist (no closing </plist>)");
  }
  return parse(data);
}

/** `plutil -convert json -o - FILE` output as a `JobDefinition`. */
export function jobFromPlutilJson(json: string, path: string): JobDefinition {
  return jobFromPlist(JSON.parse(json), path);
}

/**
 * The fields tailboard shows, from a parsed launchd plist. Throws when the
 * plist is not a dict with a `Label`, which launchd would refuse too; wrong
 * types on optional keys are ignored, as launchd ignores them.
 */
export function jobFromPlist(plist: unknown, path: string): JobDefinition {
  if (!isDict(plist)) throw new Error(`${path}: not a plist dictionary`);
  const label = plist.Label;
  if (typeof label !== "string" || label === "") throw new Error(`${path}: no Label`);
  const program = stringOr(plist.Program);
  const argv = Array.isArray(plist.ProgramArguments)
    ? plist.ProgramArguments.filter((a): a is string => typeof a === "string")
    : null;
  const schedule: Schedule = {};
  const calendar = calendarIntervals(plist.StartCalendarInterval);
  if (calendar) schedule.calendar = calendar;
  const interval = integerOr(plist.StartInterval);
  if (interval !== null && interval > 0) schedule.intervalSeconds = interval;
  if (plist.RunAtLoad === true) schedule.runAtLoad = true;
  if (plist.KeepAlive === true) schedule.keepAlive = true;
  else if (isDict(plist.KeepAlive)) schedule.keepAlive = "conditional";
  return {
    label,
    program: program ?? argv?.[0] ?? null,
    args: argv ?? (program ? [program] : []),
    workingDirectory: stringOr(plist.WorkingDirectory),
    schedule,
    stdoutPath: stringOr(plist.StandardOutPath),
    stderrPath: stringOr(plist.StandardErrorPath),
    disabled: plist.Disabled === true,
    definitionPath: path,
  };
}

const CALENDAR_KEYS = ["Minute", "Hour", "Day", "Weekday", "Month"] as const;

/** One dict or an array of dicts; non-integer values are dropped. */
function calendarIntervals(value: unknown): CalendarInterval[] | null {
  const dicts = Array.isArray(value) ? value : value === undefined ? [] : [value];
  const intervals: CalendarInterval[] = [];
  for (const dict of dicts) {
    if (!isDict(dict)) continue;
    const interval: CalendarInterval = {};
    for (const key of CALENDAR_KEYS) {
      const n = integerOr(dict[key]);
      if (n !== null) interval[key] = n;
    }
    intervals.push(interval);
  }
  return intervals.length ? intervals : null;
}

function isDict(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) &&
    !(value instanceof Date) && !(value instanceof ArrayBuffer);
}

function stringOr(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

/** Binary plists may hand 64-bit integers over as bigint. */
function integerOr(value: unknown): number | null {
  if (typeof value === "bigint") return Number(value);
  return typeof value === "number" && Number.isInteger(value) ? value : null;
}
