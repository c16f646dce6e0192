import { Hono } from "hono";
import type { AgentRegistry } from "../../agents/registry.ts";
import type { TailPool } from "../../files/pool.ts";
import { sameGeneration } from "../../files/cursor_range.ts";
import { keptBefore } from "../live/follow_file.ts";
import { clampedEventAt, linePage } from "../../files/line_read.ts";
import { spillPage, withSpilledOutput } from "../../files/spill.ts";
import { SseStream } from "../sse.ts";
import { cursorParam, fileError, streamFile } from "../file_stream.ts";
import { intParam } from "../query.ts";

export interface AgentRoutesDeps {
  registry: AgentRegistry;
  pool: TailPool;
}

const MAX_LIMIT = 5000;
/**
 * The most `/line` answers at once: strings of the event up to this many
 * characters, or this many bytes of a raw page. Past it, `?offset=&limit=`
 * pages the line's raw text.
 */
const LINE_MAX = 4 * 1024 * 1024;

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
    const limit = intParam(c.req.query("limit"), "limit", { max: MAX_LIMIT });
    if (typeof before === "string") return c.json({ error: before }, 400);
    if (typeof limit === "string") return c.json({ error: limit }, 400);
    if (limit === 0) return c.json({ error: "limit must be at least 1" }, 400);
    try {
      const view = registry.viewOf(c.req.param("id"));
      const { events, hasMore } = await keptBefore(agent.path, before, limit ?? 100, pool, view);
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
    const cursor = cursorParam(c.req.query("cursor"), "cursor");
    if (typeof cursor === "string") return c.json({ error: cursor }, 400);
    if (cursor === undefined) return c.json({ error: "cursor is required" }, 400);
    const offset = intParam(c.req.query("offset"), "offset");
    const limit = intParam(c.req.query("limit"), "limit", { min: 1, max: LINE_MAX });
    if (typeof offset === "string") return c.json({ error: offset }, 400);
    if (typeof limit === "string") return c.json({ error: limit }, 400);
    const part = c.req.query("part") ?? "line";
    if (part !== "line" && part !== "spill") {
      return c.json({ error: "part must be line or spill" }, 400);
    }
    try {
      if (cursor.tag !== null && !await sameGeneration(agent.path, cursor.offset, cursor.tag)) {
        return c.json({ error: "the file changed since this event was sent" }, 409);
      }
      if (part === "spill") {
        // Pages of a spilled tool result, from the session's own folder only.
        const event = await clampedEventAt(agent.path, cursor.offset, pool.parser, {});
        const page = await spillPage(event, agent.path, offset ?? 0, limit ?? LINE_MAX);
        return page ? c.json(page) : c.json({ error: "this line has no spilled output" }, 404);
      }
      if (offset !== undefined || limit !== undefined) {
        return c.json(await linePage(agent.path, cursor.offset, offset ?? 0, limit ?? LINE_MAX));
      }
      const limits = { maxStringChars: LINE_MAX, maxTotalChars: LINE_MAX };
      const event = await clampedEventAt(agent.path, cursor.offset, pool.parser, limits);
      // "Show all" of a spilled tool result reads the spill, from the session's own folder.
      return c.json({ event: await withSpilledOutput(event, agent.path, LINE_MAX) });
    } catch (error) {
      return fileError(c, error);
    }
  });

  app.get("/api/agents/:id/events", (c) => {
    const agent = registry.get(c.req.param("id"));
    if (!agent) return c.json({ error: "no such agent" }, 404);
    return streamFile(c, agent.path, pool, registry.viewOf(c.req.param("id")));
  });

  return app;
}
