/**
 * Scheduled jobs over HTTP: `GET /api/jobs` for the current snapshot and
 * `GET /api/jobs/stream` for SSE — one `jobs` message with the full snapshot
 * on connect, then one per change the board reports, and a comment heartbeat
 * so proxies and browsers keep the connection open.
 */

import { Hono } from "hono";
import type { JobBoard } from "../../scheduler/board.ts";
import { SseStream } from "../sse.ts";

/** Options for `jobRoutes`. */
export interface JobRoutesOptions {
  /** Interval between `: heartbeat` comments on the stream. @default 15000 */
  heartbeatMs?: number;
}

/** The job routes; mount with `app.route("/", jobRoutes(board))`. */
export function jobRoutes(board: JobBoard, options: JobRoutesOptions = {}): Hono {
  const app = new Hono();

  app.get("/api/jobs", (c) => c.json(board.snapshot()));

  app.get("/api/jobs/stream", () => {
    const sse = new SseStream({
      // This stream has always announced plain `text/event-stream` (SSE is UTF-8 anyway).
      headers: { "content-type": "text/event-stream" },
      heartbeatMs: options.heartbeatMs,
    });
    sse.send("jobs", JSON.stringify(board.snapshot()));
    // Subscribed in the same turn as the first message, so no change slips in between.
    const unsubscribe = board.subscribe((snapshot) => sse.send("jobs", JSON.stringify(snapshot)));
    sse.onClose(unsubscribe);
    return sse.response;
  });

  return app;
}
