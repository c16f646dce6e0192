import type { Context } from "hono";
import { type EncodedEvent, encodeMarker } from "../transcript/encode.ts";
import type { FileEvent } from "../core/event.ts";
import type { FileTail } from "../files/file_tail.ts";
import {
  CursorError,
  cursorStatus,
  eventsBefore,
  eventsBetween,
  sameGeneration,
} from "../files/cursor_range.ts";
import { parseCursor, type ParsedCursor } from "../files/identity.ts";
import type { TailPool } from "../files/pool.ts";
import { concatBytes } from "../files/bytes.ts";
import { SseStream } from "./sse.ts";
import { intParam } from "./query.ts";

const DEFAULT_TAIL = 300;
const MAX_TAIL = 5000;
/** A file that changed while a client was away is sent whole up to this size, else its newest lines. */
const RESEND_WHOLE_BYTES = 1024 * 1024;
/**
 * How long a stream opened while its file is missing waits for it: a
 * rotating writer renames the file away and creates the new one a moment later.
 */
const MISSING_GRACE_MS = 2000;

/** Parses a cursor parameter: a bare offset or an SSE id; a string is the error message. */
export function cursorParam(
  raw: string | undefined,
  name: string,
): ParsedCursor | undefined | string {
  if (raw === undefined || raw === "") return undefined;
  if (!raw.includes(".")) {
    const offset = intParam(raw, name);
    return typeof offset === "number" ? { offset, tag: null } : offset;
  }
  return parseCursor(raw) ??
    `${name} must be a byte offset or an SSE id (<offset>.<tag>), got '${raw.slice(0, 40)}'`;
}

/**
 * Streams one file's events as SSE: the newest `?tail=N` (default 300), or
 * everything after a resume token (`Last-Event-ID`, which EventSource sends
 * on its own reconnects and so is fresher than the URL's `?after=`), then live
 * lines as they are written. A token from an older generation of the file gets
 * what memory still holds of that generation, or a marker and the new file:
 * never a silent skip. `path` comes from the server's own records, never from
 * the request.
 */
export async function streamFile(c: Context, path: string, pool: TailPool): Promise<Response> {
  const tailN = intParam(c.req.query("tail"), "tail", { max: MAX_TAIL });
  const after = cursorParam(c.req.header("last-event-id") || c.req.query("after"), "cursor");
  if (typeof tailN === "string") return c.json({ error: tailN }, 400);
  if (typeof after === "string") return c.json({ error: after }, 400);
  const count = tailN ?? DEFAULT_TAIL;

  let tail: FileTail;
  try {
    tail = await acquireWhenPresent(pool, path);
  } catch (error) {
    return fileError(c, error);
  }
  const sse = new SseStream();
  let live = false;
  let last = -1;
  const pending: EncodedEvent[] = [];
  let unsubscribe = () => {};
  sse.onClose(() => {
    unsubscribe();
    pool.release(path, tail);
  });
  const send = (event: EncodedEvent) => {
    if (event.kind === "file" || event.cursor > last) {
      sse.write(event.sse);
      // A marker starts the file over: cursors count from 0 again.
      last = event.kind === "file" ? -1 : event.cursor;
    }
    if (event.change === "deleted") sse.close();
  };
  /**
   * Starts taking live events. Called in the same synchronous step that reads
   * the in-memory backlog, so no event is both in the backlog and live, and none
   * falls between them.
   */
  const follow = () => {
    if (sse.closed) return;
    unsubscribe = tail.subscribe((event) => (live ? send(event) : pending.push(event)));
  };

  (async () => {
    // Bring the tail up to date first: the file may have grown, or changed, since its last read.
    await tail.check();
    if (after === undefined) await sendTail(count);
    else if (after.tag !== null) await resumeToken(after.offset, after.tag);
    else await resumeBare(after.offset);
    if (sse.closed) return;
    live = true;
    for (const event of pending.splice(0)) send(event);
    if (tail.ended) sse.close();
  })().catch((error) => {
    const why = error instanceof Error ? error.message : String(error);
    sse.write(encodeMarker("deleted", `The stream failed: ${why}`, tail.offset).sse);
    sse.close();
  });

  function writeBatch(events: readonly EncodedEvent[]) {
    if (events.length === 0 || sse.closed) return;
    sse.write(concatBytes(events.map((e) => e.sse)));
    const final = events[events.length - 1]!;
    last = final.kind === "file" ? -1 : final.cursor;
  }

  /** A token names its generation: memory first, then the file, else a marker. */
  async function resumeToken(offset: number, tag: string) {
    const missed = tail.eventsAfter(`${offset}.${tag}`);
    if (missed) {
      follow();
      writeBatch(missed);
      return;
    }
    if (offset <= tail.offset && await sameGeneration(path, offset, tag)) {
      await resumeFrom(offset);
      return;
    }
    await startOver(
      "replaced",
      "The file changed while this stream was away (rotated, truncated or rewritten)",
    );
  }

  /** A bare offset, as cursors were before tokens: trusted where it still ends a line. */
  async function resumeBare(offset: number) {
    const status = await cursorStatus(path, offset);
    if (status === "ok" && offset <= tail.offset) await resumeFrom(offset);
    else if (status === "inside-line") {
      await startOver("replaced", "The file changed since this stream left off");
    } else {
      await startOver("truncated", "The file is shorter than where this stream left off");
    }
  }

  /** Everything after `offset`, a line end of the current generation. */
  async function resumeFrom(offset: number) {
    if (tail.covers(offset)) {
      follow();
      writeBatch(tail.recent.filter((e) => e.cursor > offset));
      return;
    }
    // Older than memory: the file from `offset` up to where the tail stands, then memory.
    const recent = tail.recent.slice();
    const upTo = recent[0]?.start ?? tail.offset;
    follow();
    last = offset;
    for await (const batch of eventsBetween(path, offset, upTo)) {
      if (sse.closed) return;
      writeBatch(batch);
    }
    writeBatch(recent);
  }

  /** A marker, then the current generation from its start, or its newest lines when it is big. */
  async function startOver(change: FileEvent["change"], why: string) {
    const whole = tail.coversStart || tail.offset <= RESEND_WHOLE_BYTES;
    const n = count;
    const text = whole
      ? `${why}: showing it from the top.`
      : `${why}: showing its newest ${n} lines.`;
    sse.write(tail.marker(change, text).sse);
    last = -1;
    if (whole) await resumeFrom(0);
    else await sendTail(n);
  }

  async function sendTail(n: number) {
    const recent = tail.recent.slice();
    follow();
    if (recent.length >= n || tail.coversStart) {
      writeBatch(recent.slice(Math.max(0, recent.length - n)));
      return;
    }
    const older = await eventsBefore(
      path,
      recent[0]?.start ?? tail.offset,
      n - recent.length,
    ).catch(() => ({ events: [] })); // the file changed under us: memory alone will do
    writeBatch([...older.events, ...recent]);
  }

  return sse.response;
}

/**
 * The pool's tail for `path`, waiting a moment if the path is missing: a
 * stream opened in the gap of a rotation follows the new file instead of
 * failing.
 */
async function acquireWhenPresent(pool: TailPool, path: string): Promise<FileTail> {
  const deadline = Date.now() + MISSING_GRACE_MS;
  while (true) {
    try {
      return await pool.acquire(path);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound) || Date.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** The JSON error for a failed file read: bad cursor 400, gone 404, unreadable 403. */
export function fileError(c: Context, error: unknown): Response {
  if (error instanceof CursorError) return c.json({ error: error.message }, 400);
  if (error instanceof Deno.errors.NotFound) return c.json({ error: "the file is gone" }, 404);
  if (error instanceof Deno.errors.PermissionDenied) {
    return c.json({ error: "permission denied reading the file" }, 403);
  }
  throw error;
}
