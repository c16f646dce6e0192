import { Hono } from "hono";
import type { AgentRegistry } from "../agents/registry.ts";
import type { TailPool } from "../tail/pool.ts";
import type { EncodedEvent } from "../tail/encode.ts";
import type { FileTail } from "../tail/file_tail.ts";
import { encodeMarker } from "../tail/encode.ts";
import {
  CursorError,
  cursorStatus,
  eventAt,
  eventsBefore,
  eventsBetween,
} from "../tail/history.ts";
import { concatBytes, SseStream } from "./sse.ts";

export interface AgentRoutesDeps {
  registry: AgentRegistry;
  pool: TailPool;
}

const DEFAULT_TAIL = 300;
const MAX_TAIL = 5000;
const MAX_LIMIT = 5000;

/** Parses a non-negative integer parameter; a string is the error message. */
function intParam(
  raw: string | undefined,
  name: string,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined | string {
  if (raw === undefined || raw === "") return undefined;
  if (!/^\d+$/.test(raw)) {
    return `${name} must be a non-negative integer, got '${raw.slice(0, 40)}'`;
  }
  const n = Number(raw);
  if (n > max) return `${name} must be at most ${max}`;
  return n;
}

/** The agents list, its live changes, and each agent's event stream and history. */
export function agentRoutes({ registry, pool }: AgentRoutesDeps): Hono {
  const app = new Hono();

  app.get(
    "/api/agents",
    (c) => c.body(registry.listJson(), 200, { "content-type": "application/json" }),
  );

  app.get("/api/agents/stream", () => {
    const sse = new SseStream();
    sse.send("snapshot", registry.listJson());
    const unsubscribe = registry.subscribe((change) => {
      if (change.type === "upsert") sse.send("upsert", JSON.stringify({ agent: change.agent }));
      else sse.send("remove", JSON.stringify({ id: change.id }));
    });
    sse.onClose(unsubscribe);
    return sse.response;
  });

  app.get("/api/agents/:id", (c) => {
    const agent = registry.get(c.req.param("id"));
    return agent ? c.json({ agent }) : c.json({ error: "no such agent" }, 404);
  });

  app.get("/api/agents/:id/events.json", async (c) => {
    const agent = registry.get(c.req.param("id"));
    if (!agent) return c.json({ error: "no such agent" }, 404);
    const before = intParam(c.req.query("before"), "before");
    const limit = intParam(c.req.query("limit"), "limit", MAX_LIMIT);
    if (typeof before === "string") return c.json({ error: before }, 400);
    if (typeof limit === "string") return c.json({ error: limit }, 400);
    if (limit === 0) return c.json({ error: "limit must be at least 1" }, 400);
    try {
      const { events, hasMore } = await eventsBefore(agent.path, before, limit ?? 100);
      return c.body(
        `{"events":[${events.map((e) => e.json).join(",")}],"hasMore":${hasMore}}`,
        200,
        {
          "content-type": "application/json",
        },
      );
    } catch (error) {
      return fileError(c, error);
    }
  });

  app.get("/api/agents/:id/line", async (c) => {
    const agent = registry.get(c.req.param("id"));
    if (!agent) return c.json({ error: "no such agent" }, 404);
    const cursor = intParam(c.req.query("cursor"), "cursor");
    if (typeof cursor === "string") return c.json({ error: cursor }, 400);
    if (cursor === undefined) return c.json({ error: "cursor is required" }, 400);
    try {
      return c.json({ event: await eventAt(agent.path, cursor) });
    } catch (error) {
      return fileError(c, error);
    }
  });

  app.get("/api/agents/:id/events", async (c) => {
    const agent = registry.get(c.req.param("id"));
    if (!agent) return c.json({ error: "no such agent" }, 404);
    const tailN = intParam(c.req.query("tail"), "tail", MAX_TAIL);
    const after = intParam(c.req.query("after") ?? c.req.header("last-event-id"), "cursor");
    if (typeof tailN === "string") return c.json({ error: tailN }, 400);
    if (typeof after === "string") return c.json({ error: after }, 400);

    let tail: FileTail;
    let stale = false;
    try {
      if (after !== undefined) stale = await cursorStatus(agent.path, after) === "past-end";
      tail = await pool.acquire(agent.path);
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
      pool.release(agent.path, tail);
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
          for await (const batch of eventsBetween(agent.path, after, end)) {
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
        agent!.path,
        recent[0]?.start ?? tail.offset,
        n - recent.length,
      );
      writeBatch([...older.events, ...recent]);
    }

    return sse.response;
  });

  return app;
}

// deno-lint-ignore no-explicit-any
function fileError(c: any, error: unknown): Response {
  if (error instanceof CursorError) return c.json({ error: error.message }, 400);
  if (error instanceof Deno.errors.NotFound) {
    return c.json({ error: "the agent's file is gone" }, 404);
  }
  if (error instanceof Deno.errors.PermissionDenied) {
    return c.json({ error: "permission denied reading the agent's file" }, 403);
  }
  throw error;
}
