import type { Context } from "hono";
import type { EncodedEvent } from "../transcript/encode.ts";
import { encodeMarker } from "../transcript/encode.ts";
import type { FileTail } from "../files/file_tail.ts";
import { CursorError, cursorStatus, eventsBefore, eventsBetween } from "../files/cursor_range.ts";
import type { TailPool } from "../files/pool.ts";
import { concatBytes } from "../files/bytes.ts";
import { SseStream } from "./sse.ts";
import { intParam } from "./query.ts";

const DEFAULT_TAIL = 300;
const MAX_TAIL = 5000;

/**
 * Streams one file's events as SSE: the newest `?tail=N` (default 300), or
 * everything after `?after=` / `Last-Event-ID`, then live lines as they are
 * written. `path` comes from the server's own records, never from the request.
 */
export async function streamFile(c: Context, path: string, pool: TailPool): Promise<Response> {
  const tailN = intParam(c.req.query("tail"), "tail", { max: MAX_TAIL });
  const after = intParam(c.req.query("after") ?? c.req.header("last-event-id"), "cursor");
  if (typeof tailN === "string") return c.json({ error: tailN }, 400);
  if (typeof after === "string") return c.json({ error: after }, 400);

  let tail: FileTail;
  let stale = false;
  try {
    if (after !== undefined) stale = await cursorStatus(path, after) === "past-end";
    tail = await pool.acquire(path);
  } catch (error) {
    return fileError(c, error);
  }
  const sse = new SseStream();
  let live = false;
  let last = -1;
  const pending: EncodedEvent[] = [];
  const send = (event: EncodedEvent) => {
    if (event.kind === "file" || event.cursor > last) {
      sse.write(event.sse);
      last = event.cursor;
    }
    if (event.change === "deleted") sse.close();
  };
  const unsubscribe = tail.subscribe((event) => (live ? send(event) : pending.push(event)));
  sse.onClose(() => {
    unsubscribe();
    pool.release(path, tail);
  });

  // Backlog, streamed while live events queue up behind it.
  (async () => {
    // The file may have grown past the tail's last read since then.
    if (after !== undefined && !stale && after > tail.offset) await tail.check();
    const end = tail.offset;
    if (after !== undefined && (stale || after > end)) {
      sse.write(
        encodeMarker(
          "truncated",
          "The file is shorter than where this stream left off; showing it from its newest lines.",
          0,
        ).sse,
      );
      await sendTail(tailN ?? DEFAULT_TAIL);
    } else if (after !== undefined) {
      if (tail.covers(after)) {
        writeBatch(tail.recent.filter((e) => e.cursor > after));
      } else {
        last = after;
        for await (const batch of eventsBetween(path, after, end)) {
          if (sse.closed) return;
          writeBatch(batch);
        }
      }
      if (last < after) last = after;
    } else {
      await sendTail(tailN ?? DEFAULT_TAIL);
    }
    live = true;
    for (const event of pending.splice(0)) send(event);
    if (tail.ended) sse.close();
  })().catch((error) => {
    sse.write(
      encodeMarker(
        "deleted",
        `The stream failed: ${error instanceof Error ? error.message : error}`,
        tail.offset,
      ).sse,
    );
    sse.close();
  });

  function writeBatch(events: readonly EncodedEvent[]) {
    if (events.length === 0) return;
    sse.write(concatBytes(events.map((e) => e.sse)));
    last = events[events.length - 1]!.cursor;
  }

  async function sendTail(n: number) {
    const recent = tail.recent;
    if (recent.length >= n || tail.coversStart) {
      writeBatch(recent.slice(Math.max(0, recent.length - n)));
      return;
    }
    const older = await eventsBefore(
      path,
      recent[0]?.start ?? tail.offset,
      n - recent.length,
    );
    writeBatch([...older.events, ...recent]);
  }

  return sse.response;
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
