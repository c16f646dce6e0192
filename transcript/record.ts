/**
 * Typed reads from a parsed JSON line. Everything below `JSON.parse` is
 * `unknown`; these helpers narrow one field at a time without copying.
 */

import type { EventBase } from "../core/event.ts";

export type JsonRecord = Record<string, unknown>;

/** The fields every parsed event starts from (no `cursor`: only the tail knows it). */
export type BaseFields = Omit<EventBase, "cursor">;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

export function num(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

export function record(value: unknown): JsonRecord | undefined {
  return isRecord(value) ? value : undefined;
}

/** The first of `keys` whose value is a non-empty string. */
export function firstString(rec: JsonRecord, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const value = rec[key];
    if (typeof value === "string" && value !== "") return value;
  }
  return undefined;
}

/** `timestamp`, `uuid`, `parentUuid` and `isSidechain`, where the line has them. */
export function baseFields(rec: JsonRecord, bytes: number): BaseFields {
  const base: BaseFields = { bytes };
  const ts = rec.timestamp;
  if (typeof ts === "string") base.ts = ts;
  const uuid = rec.uuid;
  if (typeof uuid === "string") base.uuid = uuid;
  const parentUuid = rec.parentUuid;
  if (typeof parentUuid === "string") base.parentUuid = parentUuid;
  const sidechain = rec.isSidechain;
  if (typeof sidechain === "boolean") base.sidechain = sidechain;
  return base;
}

/** Summaries built from arbitrary fields stay one glance long; real content is left to clampEvent. */
export function clip(text: string, max = 300): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** `{a, b, c, …}`: what a record holds, for lines tailboard has no words for. */
export function keysSummary(rec: JsonRecord, skip: readonly string[] = []): string {
  const keys: string[] = [];
  let more = 0;
  for (const key in rec) {
    if (skip.includes(key)) continue;
    if (keys.length < 8) keys.push(key);
    else more++;
  }
  return `{${keys.join(", ")}${more > 0 ? `, +${more}` : ""}}`;
}

/** `hook_non_blocking_error` → `hook non blocking error`. */
export function humanize(name: string): string {
  return name.replaceAll("_", " ").replaceAll("-", " ");
}

/** `27148` → `27,148`. By hand: `toLocaleString` goes through Intl and is ~100× slower per call. */
export function formatInt(n: number): string {
  const digits = String(Math.round(Math.abs(n)));
  let out = digits;
  if (digits.length > 3) {
    out = digits.slice(0, digits.length % 3 || 3);
    for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  }
  return n < 0 && out !== "0" ? `-${out}` : out;
}

export function plural(n: number, word: string): string {
  return `${formatInt(n)} ${word}${n === 1 ? "" : "s"}`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${Math.round(s % 60)}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}

/** Joins the strings in a list, skipping whatever is not a string. */
export function joinStrings(value: unknown, separator = ", "): string {
  if (!Array.isArray(value)) return "";
  const parts: string[] = [];
  for (const item of value) if (typeof item === "string" && item !== "") parts.push(item);
  return parts.join(separator);
}
