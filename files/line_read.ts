/**
 * One line by its cursor, for `/line`: found by scanning back for the
 * newline before it, then paged as raw text, or parsed into a clamped event
 * (a huge one read and parsed by the line worker), so a 66 MB line costs the
 * daemon's thread neither its bytes nor a parse.
 */
import { readablePath } from "./readable.ts";
import { checkCursor, CursorError } from "./cursor_range.ts";
import { readAt } from "./positional.ts";
import { type ClampLimits, HUGE_LINE_BYTES, type LineParser } from "./line_parser.ts";
import type { TailEvent } from "../core/event.ts";

const SCAN_CHUNK = 1024 * 1024;

/** Where the line ending at `cursor` starts (`cursor` is just after its `\n`). */
export async function lineStart(file: Deno.FsFile, cursor: number): Promise<number> {
  const buf = new Uint8Array(SCAN_CHUNK);
  let pos = cursor - 1; // the line's own newline is at cursor - 1
  while (pos > 0) {
    const from = Math.max(0, pos - SCAN_CHUNK);
    const n = await readAt(file, buf.subarray(0, pos - from), from);
    const i = buf.subarray(0, n).lastIndexOf(0x0a);
    if (i !== -1) return from + i + 1;
    pos = from;
  }
  return 0;
}

/** A page of a line's raw text (or a spill's): `limit` bytes from `offset`, cut on a character boundary. */
export interface LinePage {
  /** The line's raw text (its JSON, as the agent wrote it) from `offset`. */
  text: string;
  offset: number;
  /** Offset of the next page, or null at the line's end. */
  next: number | null;
  /** The line's whole length in bytes. */
  bytes: number;
}

export async function linePage(
  path: string,
  cursor: number,
  offset: number,
  limit: number,
): Promise<LinePage> {
  using file = await Deno.open(await readablePath(path), { read: true });
  if (cursor <= 0) {
    throw new CursorError("cursor must be the end of a line (a positive byte offset)");
  }
  await checkCursor(file, cursor);
  const start = await lineStart(file, cursor);
  return await readPage(file, start, cursor - 1 - start, offset, limit);
}

/**
 * `limit` bytes (or fewer, to end on a character boundary) from `offset` of
 * the `total` bytes at `start` of `file`, decoded: a page of a line, or of a
 * spilled tool result.
 */
export async function readPage(
  file: Deno.FsFile,
  start: number,
  total: number,
  offset: number,
  limit: number,
): Promise<LinePage> {
  const from = Math.min(offset, total);
  // One byte past the page tells whether the cut falls inside a character.
  const buf = new Uint8Array(Math.min(limit + 1, total - from));
  await readFully(file, buf, start + from);
  let cut = Math.min(limit, buf.length);
  // Never split a UTF-8 character: back off over continuation bytes (10xxxxxx).
  if (cut < buf.length) {
    while (cut > 0 && (buf[cut]! & 0xc0) === 0x80) cut--;
    if (cut === 0) cut = Math.min(limit, buf.length); // a limit shorter than one character
  }
  const text = new TextDecoder().decode(buf.subarray(0, cut));
  return { text, offset: from, next: from + cut < total ? from + cut : null, bytes: total };
}

async function readFully(file: Deno.FsFile, buf: Uint8Array, position: number): Promise<void> {
  let got = 0;
  while (got < buf.length) {
    const n = await readAt(file, buf.subarray(got), position + got);
    if (n <= 0) throw new CursorError("the file changed while the line was read");
    got += n;
  }
}

/**
 * The event of the line ending at `cursor`, clamped to `limits` (bounded, so
 * one request never answers a 100 MB body). A huge line is read and parsed by
 * the line worker itself, so its bytes never pass through this thread.
 */
export async function clampedEventAt(
  path: string,
  cursor: number,
  parser: LineParser,
  limits: ClampLimits,
): Promise<TailEvent> {
  path = await readablePath(path);
  using file = await Deno.open(path, { read: true });
  if (cursor <= 0) {
    throw new CursorError("cursor must be the end of a line (a positive byte offset)");
  }
  await checkCursor(file, cursor);
  const start = await lineStart(file, cursor);
  if (cursor - 1 - start < HUGE_LINE_BYTES) {
    const bytes = new Uint8Array(cursor - 1 - start);
    await readFully(file, bytes, start);
    return await parser.parseBytes(bytes, cursor, limits);
  }
  try {
    return await parser.parseFile(path, start, cursor, limits);
  } catch (error) {
    throw new CursorError(error instanceof Error ? error.message : String(error));
  }
}
