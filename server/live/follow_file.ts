import type { EncodedEvent } from "../../transcript/encode.ts";
import { encodeMarker } from "../../transcript/encode.ts";
import type { FileTail } from "../../files/file_tail.ts";
import { cursorStatus, eventsBefore, eventsBetween } from "../../files/cursor_range.ts";
import type { TailPool } from "../../files/pool.ts";

/** Where a reader of one file starts. */
export interface FollowFrom {
  /** Everything after this cursor; wins over `tail`. */
  after?: number;
  /** The newest N events. @default 300 */
  tail?: number;
}

/** Where a followed file's events go. */
export interface FollowSink {
  /** Events oldest first, each newer than the last (a file marker restarts cursors at 0). */
  events(batch: readonly EncodedEvent[]): void;
  /** No more events: the file was deleted, or reading it failed (after a marker saying so). */
  end(): void;
}

export const DEFAULT_TAIL = 300;

/**
 * Follows one file for one reader: its backlog (the newest `tail` events, or
 * everything after `after`), then live events as the shared tail reads them,
 * with nothing lost or repeated at the seam. Both the per-file SSE endpoints
 * and the page's live connection read files through this, so the seam is
 * handled once.
 *
 * Resolves once the file is open (a missing file rejects with `NotFound`, a
 * stale cursor with `CursorError`, before anything is sent); the returned
 * function stops following and releases the tail.
 */
export async function followFile(
  pool: TailPool,
  path: string,
  from: FollowFrom,
  sink: FollowSink,
): Promise<() => void> {
  const { after } = from;
  const stale = after !== undefined && await cursorStatus(path, after) === "past-end";
  const tail: FileTail = await pool.acquire(path);
  let stopped = false;
  let live = false;
  let last = -1;
  const pending: EncodedEvent[] = [];

  const deliver = (batch: readonly EncodedEvent[]) => {
    if (stopped || batch.length === 0) return;
    sink.events(batch);
    last = batch[batch.length - 1]!.cursor;
  };
  const finish = () => {
    if (stopped) return;
    stop();
    sink.end();
  };
  const send = (event: EncodedEvent) => {
    if (event.kind === "file" || event.cursor > last) deliver([event]);
    if (event.change === "deleted") finish();
  };
  const unsubscribe = tail.subscribe((event) => (live ? send(event) : pending.push(event)));
  const stop = () => {
    if (stopped) return;
    stopped = true;
    unsubscribe();
    pool.release(path, tail);
  };

  const sendTail = async (n: number) => {
    const recent = tail.recent;
    if (recent.length >= n || tail.coversStart) {
      deliver(recent.slice(Math.max(0, recent.length - n)));
      return;
    }
    const older = await eventsBefore(path, recent[0]?.start ?? tail.offset, n - recent.length);
    deliver([...older.events, ...recent]);
  };

  // Backlog, read while live events queue up behind it.
  (async () => {
    // The file may have grown past the tail's last read since the cursor was taken.
    if (after !== undefined && !stale && after > tail.offset) await tail.check();
    const end = tail.offset;
    const n = from.tail ?? DEFAULT_TAIL;
    if (after !== undefined && (stale || after > end)) {
      deliver([
        encodeMarker(
          "truncated",
          "The file is shorter than where this stream left off; showing it from its newest lines.",
          0,
        ),
      ]);
      await sendTail(n);
    } else if (after !== undefined) {
      if (tail.covers(after)) deliver(tail.recent.filter((e) => e.cursor > after));
      else {
        last = after;
        for await (const batch of eventsBetween(path, after, end)) {
          if (stopped) return;
          deliver(batch);
        }
      }
      if (last < after) last = after;
    } else {
      await sendTail(n);
    }
    if (stopped) return;
    live = true;
    for (const event of pending.splice(0)) send(event);
    if (tail.ended) finish();
  })().catch((error) => {
    deliver([
      encodeMarker(
        "deleted",
        `The stream failed: ${error instanceof Error ? error.message : error}`,
        tail.offset,
      ),
    ]);
    finish();
  });

  return stop;
}
