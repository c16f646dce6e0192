import { Hono } from "hono";
import type { JobBoard } from "../../scheduler/board.ts";
import type { TailPool } from "../../files/pool.ts";
import { streamFile } from "../file_stream.ts";

/**
 * A scheduled job's log, tailed live by the same engine as agents. The path
 * comes from the job's own definition (`StandardOutPath`, `StandardErrorPath`,
 * `StandardOutput=file:`), looked up by the job's opaque id.
 */
export function jobLogRoutes(board: JobBoard, pool: TailPool): Hono {
  const app = new Hono();
  app.get("/api/jobs/:id/log", (c) => {
    const job = board.snapshot().jobs.find((j) => j.id === c.req.param("id"));
    if (!job) return c.json({ error: "no such job" }, 404);
    const which = c.req.query("stream") ?? "stdout";
    if (which !== "stdout" && which !== "stderr") {
      return c.json({ error: `stream must be stdout or stderr, got '${which.slice(0, 20)}'` }, 400);
    }
    const path = which === "stdout" ? job.stdoutPath : job.stderrPath;
    if (!path) return c.json({ error: `the job has no ${which} log file` }, 404);
    return streamFile(c, path, pool);
  });
  return app;
}
