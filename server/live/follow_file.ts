import { type EncodedEvent, encodeMarker } from "../../transcript/encode.ts";
import type { FileEvent } from "../../core/event.ts";
import type { FileTail } from "../../files/file_tail.ts";
import {
  cursorStatus,
  eventsBefore,
  eventsBetween,
  sameGeneration,
} from "../../files/cursor_range.ts";
import type { ParsedCursor } from "../../files/identity.ts";
import type { TailPool } from "../../files/pool.ts";
import type { EventView } from "../../agents/sidechains.ts";

/** Where a reader of one file starts. */
export interface FollowFrom {
  /** Everything after this resume token (or bare offset); wins over `tail`. */
  after?: ParsedCursor;
  /** The newest N events. @default 300 */
  tail?: number;
  /**
   * Which of the file's events this reader gets (an inline subagent's feed
   * is its lines of its session's file); absent: all of them. Cursors stay
   * the file's, so resuming works alike.
   */
  view?: EventView;
}

/** Where a followed file's events go. */
export interface FollowSink {
  /** Events oldest first; a file marker starts the file over (cursors count from 0 again). */
  events(batch: readonly EncodedEvent[]): void;
  /** No more events: the file was deleted, or reading it failed (after a marker saying so). */
  end(): void;
}

export const DEFAULT_TAIL = 300;
/** A file that changed while a client was away is sent whole up to this size, else its newest lines. */
const RESEND_WHOLE_BYTES = 1024 * 1024;
/**
 * How long a reader that starts while its file is missing waits for it: a
 * rotating writer renames the file away and creates the new one a moment later.
 */
const MISSING_GRACE_MS = 2000;

/**
 * Follows one file for one reader: its backlog (the newest `tail` events, or
 * everything after a resume token), then live events as the shared tail reads
 * them, with nothing lost or repeated at the seam. A token from an older
 * generation of the file gets what memory still holds of that generation, or
 * a marker and the new file: never a silent skip. Both the per-file SSE
 * endpoints and the page's live connection read files through this, so the
 * seam is handled once.
 *
 * Resolves once the file is open (a missing file rejects with `NotFound`
 * before anything is sent); the returned function stops following and
 * releases the tail.
 */
export async function followFile(
  pool: TailPool,
  path: string,
  from: FollowFrom,
  sink: FollowSink,
): Promise<() => void> {
  const { after, view } = from;
  const count = from.tail ?? DEFAULT_TAIL;
  const tail = await acquireWhenPresent(pool, path);
  if (view) sink = viewed(sink, view);
  let stopped = false;
  let live = false;
  let last = -1;
  const pending: EncodedEvent[] = [];
  let unsubscribe = () => {};
  const stop = () => {
    if (stopped) return;
    stopped = true;
    unsubscribe();
    pool.release(path, tail);
  };
  const finish = () => {
    if (stopped) return;
    stop();
    sink.end();
  };
  const send = (event: EncodedEvent) => {
    if (event.kind === "file" || event.cursor > last) {
      if (!stopped) sink.events([event]);
      // A marker starts the file over: cursors count from 0 again.
      last = event.kind === "file" ? -1 : event.cursor;
    }
    if (event.change === "deleted") finish();
  };
  /**
   * Starts taking live events. Called in the same synchronous step that reads
   * the in-memory backlog, so no event is both in the backlog and live, and none
   * falls between them.
   */
  const follow = () => {
    if (stopped) return;
    unsubscribe = tail.subscribe((event) => (live ? send(event) : pending.push(event)));
  };

  (async () => {
    // Bring the tail up to date first: the file may have grown, or changed, since its last read.
    await tail.check();
    // The view knows every line up to here before the backlog is read.
    await view?.ready?.();
    if (after === undefined) await sendTail(count);
    else if (after.tag !== null) await resumeToken(after.offset, after.tag);
    else await resumeBare(after.offset);
    if (stopped) return;
    live = true;
    for (const event of pending.splice(0)) send(event);
    if (tail.ended) finish();
  })().catch((error) => {
    const why = error instanceof Error ? error.message : String(error);
    if (!stopped) sink.events([encodeMarker("deleted", `The stream failed: ${why}`, tail.offset)]);
    finish();
  });

  function writeBatch(events: readonly EncodedEvent[]) {
    if (events.length === 0 || stopped) return;
    sink.events(events);
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
    for await (const batch of eventsBetween(path, offset, upTo, pool.parser)) {
      if (stopped) return;
      writeBatch(batch);
    }
    writeBatch(recent);
  }

  /** A marker, then the current generation from its start, or its newest lines when it is big. */
  async function startOver(change: FileEvent["change"], why: string) {
    const whole = tail.coversStart || tail.offset <= RESEND_WHOLE_BYTES;
    const text = whole
      ? `${why}: showing it from the top.`
      : `${why}: showing its newest ${count} lines.`;
    if (!stopped) sink.events([tail.marker(change, text)]);
    last = -1;
    if (whole) await resumeFrom(0);
    else await sendTail(count);
  }

  async function sendTail(n: number) {
    const recent = tail.recent.slice();
    follow();
    const shown = view ? recent.filter(view.keeps) : recent;
    if (shown.length >= n || tail.coversStart) {
      writeBatch(shown.slice(Math.max(0, shown.length - n)));
      return;
    }
    const older = await keptBefore(
      path,
      recent[0]?.start ?? tail.offset,
      n - shown.length,
      pool,
      view,
    ).catch(() => ({ events: [] })); // the file changed under us: memory alone will do
    writeBatch([...older.events, ...recent]);
  }

  return stop;
}

/**
 * The newest `limit` events before `before` that `view` keeps (all, without
 * one), reading further back until it has them or reaches the start; and
 * whether older ones remain.
 */
export async function keptBefore(
  path: string,
  before: number | undefined,
  limit: number,
  pool: TailPool,
  view?: EventView,
): Promise<{ events: EncodedEvent[]; hasMore: boolean }> {
  if (!view) return await eventsBefore(path, before, limit, pool.parser);
  const kept: EncodedEvent[] = [];
  let end = before;
  for (;;) {
    const page = await eventsBefore(path, end, Math.max(limit, 500), pool.parser);
    const mine = page.events.filter(view.keeps);
    const from = Math.max(0, mine.length - (limit - kept.length));
    kept.unshift(...mine.slice(from));
    const first = page.events[0];
    if (from > 0) return { events: kept, hasMore: true };
    if (kept.length >= limit || !page.hasMore || !first) {
      return { events: kept, hasMore: page.hasMore && first !== undefined };
    }
    end = first.start;
  }
}

/** A sink that passes on only the events `view` keeps (markers always). */
function viewed(sink: FollowSink, view: EventView): FollowSink {
  return {
    events(batch) {
      const kept = batch.filter((e) => e.kind === "file" || view.keeps(e));
      if (kept.length > 0) sink.events(kept);
    },
    end: () => sink.end(),
  };
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
