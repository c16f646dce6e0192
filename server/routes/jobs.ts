/**
 * Scheduled jobs over HTTP: `GET /api/jobs` for the current snapshot and
 * `GET /api/jobs/stream` for SSE — one `jobs` message with the full snapshot
 * on connect, then one per change the board reports, and a comment heartbeat
 * so proxies and browsers keep the connection open.
 */

import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import type { JobBoard, JobsSnapshot } from "../../scheduler/board.ts";

/** Options for `jobRoutes`. */
export interface JobRoutesOptions {
  /** Interval between `: heartbeat` comments on the stream. @default 15000 */
  heartbeatMs?: number;
}

/** The job routes; mount with `app.route("/", jobRoutes(board))`. */
export function jobRoutes(board: JobBoard, options: JobRoutesOptions = {}): Hono {
  const app = new Hono();
  const heartbeatMs = options.heartbeatMs ?? 15_000;

  app.get("/api/jobs", (c) => c.json(board.snapshot()));

  app.get("/api/jobs/stream", (c) =>
    streamSSE(c, async (stream) => {
      const send = (snapshot: JobsSnapshot) =>
        stream.writeSSE({ event: "jobs", data: JSON.stringify(snapshot) });
      // Subscribe before the first write so no change slips in between.
      const unsubscribe = board.subscribe((snapshot) => {
        // A write to a client that just left fails; onAbort below cleans up.
        send(snapshot).catch(() => {});
      });
      const heartbeat = setInterval(() => {
        stream.write(": heartbeat\n\n").catch(() => {});
      }, heartbeatMs);
      try {
        await send(board.snapshot());
        // Park until the client goes; Deno's c.req.raw.signal is not a reliable disconnect signal.
        await new Promise<void>((resolve) => stream.onAbort(resolve));
      } finally {
        clearInterval(heartbeat);
        unsubscribe();
      }
    }));

  return app;
}
