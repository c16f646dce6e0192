/**
 * The page's one live connection (see server/live/hub.ts):
 *
 * - `GET /api/live` opens the stream; its first message is `hello` with the
 *   connection's id;
 * - `POST /api/live/:conn` with `{add: [...], drop: [...]}` changes what rides
 *   on it. Each subscription starts from its own cursor (`after`) or the
 *   newest `tail` events, so adding or dropping one never touches the others.
 *
 * Addressing the open stream with requests, rather than reopening it with a
 * new set, means a tab that opens one more feed does not restart the eight
 * log tails and four feeds already flowing. The requests pass the same Host,
 * Origin and token checks as every other (the app-wide guard), must be JSON
 * (a cross-site form cannot send that without a preflight, which gets no CORS
 * answer), and name a connection by an unguessable id.
 */
import { Hono } from "hono";
import type { LiveHub } from "../live/hub.ts";
import { parseChange } from "../live/subscription.ts";

/** Largest subscription request body. */
const MAX_BODY = 256 * 1024;

export function liveRoutes(hub: LiveHub): Hono {
  const app = new Hono();

  app.get("/api/live", () => hub.open().sse.response);

  app.post("/api/live/:conn", async (c) => {
    if (!/^application\/json\b/i.test(c.req.header("content-type") ?? "")) {
      return c.json({ error: "send the subscription change as application/json" }, 415);
    }
    const text = await c.req.text();
    if (text.length > MAX_BODY) return c.json({ error: "the request is too large" }, 413);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return c.json({ error: "the body is not valid JSON" }, 400);
    }
    const change = parseChange(body);
    if (typeof change === "string") return c.json({ error: change }, 400);
    // A connection that closed (the tab's stream dropped) is reopened by the client.
    const conn = hub.connection(c.req.param("conn"));
    if (!conn) return c.json({ error: "no such live connection" }, 404);
    await conn.apply(change);
    return c.json({ ok: true, subscriptions: conn.size });
  });

  return app;
}
