/**
 * Bounds an event's size so one 20 MB transcript line cannot flood a browser:
 * long strings become previews and the event is marked `truncated`; the UI
 * fetches the full line by cursor when a reader asks for it.
 */

import type { ParsedEvent } from "../core/event.ts";
import { formatInt } from "./record.ts";

/** Deeper than this is not something a reader unfolds; it also keeps the walk's recursion bounded. */
const MAX_DEPTH = 64;
/** Strings are never cut below this many characters while the total budget allows. */
const MIN_STRING_CAP = 256;

/**
 * Returns `event` with every string (in blocks, `input` objects, arrays, at
 * any depth) cut to at most `maxStringChars`, and the whole event to roughly
 * `maxTotalChars` of JSON, setting `truncated: true` when anything was cut.
 * An event already within bounds is returned as is, not copied.
 *
 * @param maxStringChars Longest string kept whole. @default 16_384
 * @param maxTotalChars Rough ceiling on the event's JSON size. @default 65_536
 */
export function clampEvent<E extends ParsedEvent>(
  event: E,
  maxStringChars = 16_384,
  maxTotalChars = 65_536,
): E {
  const measure = new _Measure(maxStringChars, maxTotalChars);
  if (measure.fits(event, 0)) return event;

  // Find one cap for all strings so that they share the budget fairly,
  // instead of the first long string eating it all.
  const sizes = new _Sizes();
  sizes.collect(event, 0);
  const structure = Math.min(sizes.structure, maxTotalChars / 2);
  let cap = maxStringChars;
  while (cap > MIN_STRING_CAP && sizes.cappedTotal(cap) + structure > maxTotalChars) cap >>= 1;

  const cutter = new _Cutter(cap, maxTotalChars);
  const copy = cutter.copyTop(event);
  copy.truncated = true;
  return copy as E;
}

/** JSON size estimates: a string's quotes, a key's quotes and colon, a scalar's digits. */
const STRING_OVERHEAD = 2;
const KEY_OVERHEAD = 4;
const SCALAR_SIZE = 6;
/** A top-level field this small is kept as is, even when the budget is spent. */
const SMALL_FIELD_CHARS = 2048;

/** The cheap first pass: stops at the first thing over a limit. */
class _Measure {
  total = 0;
  constructor(readonly maxString: number, readonly maxTotal: number) {}

  fits(value: unknown, depth: number): boolean {
    if (typeof value === "string") {
      if (value.length > this.maxString) return false;
      this.total += value.length + STRING_OVERHEAD;
      return this.total <= this.maxTotal;
    }
    if (typeof value !== "object" || value === null) {
      this.total += SCALAR_SIZE;
      return this.total <= this.maxTotal;
    }
    if (depth >= MAX_DEPTH) return false;
    this.total += 2;
    if (Array.isArray(value)) {
      for (const item of value) if (!this.fits(item, depth + 1)) return false;
      return true;
    }
    for (const key in value) {
      if (key.length > this.maxString) return false;
      this.total += key.length + KEY_OVERHEAD;
      if (!this.fits((value as Record<string, unknown>)[key], depth + 1)) return false;
    }
    return true;
  }
}

/** The second pass, only for events that need cutting: every string's length, and everything else. */
class _Sizes {
  strings: number[] = [];
  structure = 0;

  collect(value: unknown, depth: number): void {
    if (typeof value === "string") {
      this.strings.push(value.length);
      return;
    }
    if (typeof value !== "object" || value === null || depth >= MAX_DEPTH) {
      this.structure += SCALAR_SIZE;
      return;
    }
    this.structure += 2;
    if (Array.isArray(value)) {
      for (const item of value) this.collect(item, depth + 1);
      return;
    }
    for (const key in value) {
      this.structure += Math.min(key.length, MIN_STRING_CAP) + KEY_OVERHEAD;
      this.collect((value as Record<string, unknown>)[key], depth + 1);
    }
  }

  cappedTotal(cap: number): number {
    let total = 0;
    for (const length of this.strings) total += Math.min(length, cap) + STRING_OVERHEAD;
    return total;
  }
}

/**
 * Copies a value, cutting strings to `cap` and, as a backstop for events made
 * of millions of tiny parts, dropping the rest of an array or object once the
 * budget is spent. Nested parts stop early enough that an event's own small
 * fields after its blocks (`model`, `usage`, ...) always survive.
 */
class _Cutter {
  remaining: number;
  readonly reserve: number;

  constructor(readonly cap: number, budget: number) {
    this.remaining = budget;
    this.reserve = Math.min(4096, Math.floor(budget / 8));
  }

  /**
   * The event's own small fields (`kind`, ids, `model`, `usage`, ...) are kept
   * whole whatever their order; only the big ones go through the cutter.
   */
  copyTop(event: ParsedEvent): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(event)) {
      const small = new _Measure(this.cap, SMALL_FIELD_CHARS);
      if (small.fits(value, 1)) {
        out[key] = value;
        this.remaining -= small.total + key.length + KEY_OVERHEAD;
      } else {
        this.remaining -= key.length + KEY_OVERHEAD;
        out[key] = this._copy(value, 1);
      }
    }
    return out;
  }

  private _floor(depth: number): number {
    return depth >= 2 ? this.reserve : 0;
  }

  private _copy(value: unknown, depth: number): unknown {
    if (typeof value === "string") return this._string(value, depth);
    if (typeof value !== "object" || value === null) {
      this.remaining -= SCALAR_SIZE;
      return value;
    }
    if (depth >= MAX_DEPTH) return "…[nested too deep]";
    this.remaining -= 2;
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      for (let i = 0; i < value.length; i++) {
        if (this.remaining <= this._floor(depth + 1)) {
          out.push(`…[${value.length - i} more items]`);
          break;
        }
        out.push(this._copy(value[i], depth + 1));
      }
      return out;
    }
    return this._object(value as Record<string, unknown>, depth);
  }

  private _object(value: Record<string, unknown>, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const keys = Object.keys(value);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      if (this.remaining <= this._floor(depth + 1)) {
        out["…"] = `${keys.length - i} more fields`;
        break;
      }
      const outKey = key.length > this.cap ? _preview(key, this.cap) : key;
      this.remaining -= outKey.length + KEY_OVERHEAD;
      const copied = this._copy(value[key], depth + 1);
      // JSON.parse makes `__proto__` an own key; plain assignment would set the prototype instead.
      if (outKey === "__proto__") {
        Object.defineProperty(out, outKey, {
          value: copied,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } else {
        out[outKey] = copied;
      }
    }
    return out;
  }

  private _string(value: string, depth: number): string {
    const room = Math.max(0, this.remaining - this._floor(depth) - STRING_OVERHEAD);
    if (value.length <= this.cap && value.length <= room) {
      this.remaining -= value.length + STRING_OVERHEAD;
      return value;
    }
    const out = _preview(value, Math.min(this.cap, room));
    this.remaining -= out.length + STRING_OVERHEAD;
    return out;
  }
}

/** The first `keep` characters plus how much was cut; never splits a surrogate pair. */
function _preview(text: string, keep: number): string {
  let end = keep;
  const last = text.charCodeAt(end - 1);
  if (end > 0 && last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…[+${formatInt(text.length - end)} chars]`;
}
