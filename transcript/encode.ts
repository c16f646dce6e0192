import type { FileEvent, TailEvent } from "../core/event.ts";
import { parseLine } from "./line.ts";
import { clampEvent } from "./clamp.ts";

/**
 * One complete line of a transcript and where it sits in its file: what
 * `files/` hands over, and all this module needs from it.
 */
export interface Line {
  text: string;
  /** Byte length of the line without its line ending. */
  bytes: number;
  /** Byte offset of the line's first byte. */
  start: number;
  /** Byte offset just after the line's `\n`: the line's cursor. */
  end: number;
}

/**
 * An event as it travels: parsed and clamped once, serialised once, and the
 * same bytes written to every stream that watches the file.
 */
export interface EncodedEvent {
  cursor: number;
  /** The SSE `id:`: the cursor with its file generation's tag (see `Cursor` in core/event.ts). */
  id: string;
  /** Offset of the source line's first byte. */
  start: number;
  kind: TailEvent["kind"];
  /** For file markers: what happened to the file. */
  change?: FileEvent["change"];
  /**
   * The line's chain fields, where it has them: a feed of one inline
   * subagent (Claude Code 1.0.x) picks its lines by them without parsing again.
   */
  uuid?: string;
  parentUuid?: string;
  sidechain?: boolean;
  /** The event's JSON, as `events.json` and SSE carry it. */
  json: string;
  /** The whole SSE message: `id: <id>`, `data: <json>`, blank line. */
  sse: Uint8Array;
}

const encoder = new TextEncoder();

/** Parses a complete line into a typed event with its cursor. */
export function eventOfLine(line: Line): TailEvent {
  const { event } = parseLine(line.text, line.bytes);
  return { ...event, cursor: line.end } as TailEvent;
}

/**
 * Parses, clamps (huge lines become previews) and serialises one line; `id`
 * is its resume token (default: the bare cursor).
 */
export function encodeEvent(line: Line, id?: string): EncodedEvent {
  const event = clampEvent(eventOfLine(line));
  return encode(event, line.start, id);
}

/** A marker the tail itself emits about the file. */
export function encodeMarker(
  change: FileEvent["change"],
  text: string,
  cursor: number,
  id?: string,
): EncodedEvent {
  const event: FileEvent = {
    kind: "file",
    change,
    text,
    cursor,
    bytes: 0,
    ts: new Date().toISOString(),
  };
  return encode(event, cursor, id);
}

/** Serialises an event that is already parsed and clamped (by a worker, for huge lines). */
export function encode(event: TailEvent, start: number, id = String(event.cursor)): EncodedEvent {
  const json = JSON.stringify(event);
  const encoded: EncodedEvent = {
    cursor: event.cursor,
    id,
    start,
    kind: event.kind,
    change: event.kind === "file" ? event.change : undefined,
    json,
    sse: encoder.encode(`id: ${id}\ndata: ${json}\n\n`),
  };
  if (event.sidechain !== undefined) encoded.sidechain = event.sidechain;
  if (event.uuid !== undefined) encoded.uuid = event.uuid;
  if (event.parentUuid !== undefined) encoded.parentUuid = event.parentUuid;
  return encoded;
}

/**
 * The event's JSON as bytes, cut from its SSE message without copying, so a
 * stream that frames events its own way still sends what was encoded once.
 */
export function jsonBytesOf(event: EncodedEvent): Uint8Array {
  // `id: <id>\ndata: ` before the JSON, `\n\n` after it (see encode above); ids are ASCII.
  const head = 11 + event.id.length;
  return event.sse.subarray(head, event.sse.length - 2);
}
