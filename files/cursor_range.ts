/**
 * Reading a file's past on demand, through a handle of its own so the live
 * tail's reads are never disturbed.
 */
import { readablePath } from "./readable.ts";
import { encode, type EncodedEvent, encodeEvent, eventOfLine } from "../transcript/encode.ts";
import type { TailEvent } from "../core/event.ts";
import { LineSplitter, type SplitLine } from "./lines.ts";
import { readLinesBefore } from "./read_back.ts";
import { lastLineBoundary, readAt } from "./positional.ts";
import { GenerationTagger, tagAtSync } from "./identity.ts";
import { HUGE_LINE_BYTES, type LineParser } from "./line_parser.ts";

/** Why a cursor cannot be used; the message is shown to the client. */
export class CursorError extends Error {}

/** Checks that `cursor` is 0 or just after a `\n` of the file and not past its end. */
export async function checkCursor(file: Deno.FsFile, cursor: number): Promise<void> {
  if (cursor === 0) return;
  const size = (await file.stat()).size;
  if (cursor > size) {
    throw new CursorError(`cursor ${cursor} is past the end of the file (${size} bytes)`);
  }
  const one = new Uint8Array(1);
  const n = await readAt(file, one, cursor - 1);
  if (n !== 1 || one[0] !== 0x0a) {
    throw new CursorError(`cursor ${cursor} is not at the end of a line`);
  }
}

/**
 * Whether a client's bare resume offset can be used: `ok`, `past-end` when
 * the file has since shrunk below it, or `inside-line` when it no longer ends
 * a line (the file changed under it).
 */
export async function cursorStatus(
  path: string,
  cursor: number,
): Promise<"ok" | "past-end" | "inside-line"> {
  path = await readablePath(path);
  using file = await Deno.open(path, { read: true });
  if (cursor > (await file.stat()).size) return "past-end";
  try {
    await checkCursor(file, cursor);
  } catch (error) {
    if (error instanceof CursorError) return "inside-line";
    throw error;
  }
  return "ok";
}

/** True when the file at `path` is still the generation `tag` was taken from, at `offset`. */
export async function sameGeneration(path: string, offset: number, tag: string): Promise<boolean> {
  try {
    path = await readablePath(path);
    using file = await Deno.open(path, { read: true });
    return tagAtSync(file, (await file.stat()).ino, offset) === tag;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/** The newest `limit` events whose cursor is at most `before` (default: the end). */
export async function eventsBefore(
  path: string,
  before: number | undefined,
  limit: number,
  parser?: LineParser,
): Promise<{ events: EncodedEvent[]; hasMore: boolean }> {
  path = await readablePath(path);
  using file = await Deno.open(path, { read: true });
  const encode = encoderFor(file, (await file.stat()).ino, parser);
  let end = before;
  if (end === undefined) end = await lastLineBoundary(file, (await file.stat()).size);
  else await checkCursor(file, end);
  const events: EncodedEvent[] = [];
  let hasMore = true;
  // Blank lines are not events: ask again until `limit` events or the start.
  while (events.length < limit && hasMore && end > 0) {
    const result = await readLinesBefore(
      { readAt: (buf, pos) => readAt(file, buf, pos) },
      end,
      { limit: limit - events.length, rawOver: parser ? HUGE_LINE_BYTES : Infinity },
    );
    const batch = await encode(result.lines.filter(notBlank));
    events.unshift(...batch);
    hasMore = result.hasMore;
    const first = result.lines[0];
    if (!first) break;
    end = first.start;
  }
  return { events, hasMore: hasMore && end > 0 };
}

/** The whole, unclamped event of the line that ends at `cursor`. */
export async function eventAt(path: string, cursor: number): Promise<TailEvent> {
  path = await readablePath(path);
  using file = await Deno.open(path, { read: true });
  if (cursor <= 0) {
    throw new CursorError("cursor must be the end of a line (a positive byte offset)");
  }
  await checkCursor(file, cursor);
  const { lines } = await readLinesBefore(
    { readAt: (buf, pos) => readAt(file, buf, pos) },
    cursor,
    { limit: 1, maxBytes: 1024 * 1024 * 1024 },
  );
  const line = lines[0];
  if (!line) throw new CursorError(`no line ends at cursor ${cursor}`);
  return eventOfLine(line);
}

/**
 * Events of the lines between `from` and `to` (both line boundaries), in
 * batches, so resuming far back streams the gap without holding it in memory.
 */
export async function* eventsBetween(
  path: string,
  from: number,
  to: number,
  parser?: LineParser,
  chunkSize = 1024 * 1024,
): AsyncGenerator<EncodedEvent[]> {
  path = await readablePath(path);
  using file = await Deno.open(path, { read: true });
  const encode = encoderFor(file, (await file.stat()).ino, parser);
  const splitter = new LineSplitter(from, parser ? HUGE_LINE_BYTES : Infinity);
  const buf = new Uint8Array(chunkSize);
  let pos = from;
  while (pos < to) {
    const n = await readAt(file, buf.subarray(0, Math.min(chunkSize, to - pos)), pos);
    if (n <= 0) return;
    pos += n;
    const lines = splitter.push(buf.subarray(0, n)).filter(notBlank);
    if (lines.length) yield await encode(lines);
  }
}

/**
 * Encodes lines of `file` with ids that name its generation, like the live
 * tail's; huge ones come undecoded (`raw`) when there is a parser, and are
 * decoded and parsed on its worker.
 */
function encoderFor(
  file: Deno.FsFile,
  ino: number | null,
  parser?: LineParser,
): (lines: SplitLine[]) => Promise<EncodedEvent[]> {
  const tagger = new GenerationTagger(file, ino);
  return async (lines) => {
    const out: EncodedEvent[] = [];
    for (const line of lines) {
      const id = `${line.end}.${tagger.tag(line.end)}`;
      out.push(
        parser && line.raw
          ? encode(await parser.parseParts(line.raw, line.bytes, line.end), line.start, id)
          : encodeEvent(line, id),
      );
    }
    return out;
  };
}

/** A line that is an event: undecoded huge ones always are. */
function notBlank(line: SplitLine): boolean {
  return line.raw !== undefined || line.text.trim().length > 0;
}
