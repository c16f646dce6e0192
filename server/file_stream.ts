import type { Context } from "hono";
import { CursorError } from "../files/cursor_range.ts";
import { parseCursor, type ParsedCursor } from "../files/identity.ts";
import type { TailPool } from "../files/pool.ts";
import { concatBytes } from "../files/bytes.ts";
import { SseStream } from "./sse.ts";
import { followFile } from "./live/follow_file.ts";
import { intParam } from "./query.ts";
import type { EventView } from "../agents/sidechains.ts";

export const MAX_TAIL = 5000;

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
 * lines as they are written (see live/follow_file.ts). `path` comes from the
 * server's own records, never from the request.
 */
export async function streamFile(
  c: Context,
  path: string,
  pool: TailPool,
  view?: EventView,
): Promise<Response> {
  const tailN = intParam(c.req.query("tail"), "tail", { max: MAX_TAIL });
  const after = cursorParam(c.req.header("last-event-id") || c.req.query("after"), "cursor");
  if (typeof tailN === "string") return c.json({ error: tailN }, 400);
  if (typeof after === "string") return c.json({ error: after }, 400);

  const sse = new SseStream();
  try {
    const stop = await followFile(pool, path, { after, tail: tailN, view }, {
      // Each event's SSE bytes were encoded once by the tail, for every stream.
      events: (batch) =>
        sse.write(batch.length === 1 ? batch[0]!.sse : concatBytes(batch.map((e) => e.sse))),
      end: () => sse.close(),
    });
    sse.onClose(stop);
  } catch (error) {
    sse.close();
    return fileError(c, error);
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
