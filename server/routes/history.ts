/**
 * Search, the date picker's agents, cost rollups and the index's progress,
 * served from the history index. Days are calendar days in the server's local
 * time zone (`timeZone` in /api/usage says which). Bad input is a 400 with a
 * message the UI can show; a rebuild in progress, or history off, is a 503
 * that says why (and `/api/index/status` says `{state: "off", reason}`).
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { addDays, dayOf, isDay, timeZone } from "../../history/days.ts";
import {
  type HistoryIndex,
  type IndexOff,
  type IndexProgress,
  IndexUnavailableError,
} from "../../history/index.ts";
import type { UsageBy } from "../../history/rollups.ts";
import { MAX_LIMIT, QueryError } from "../../history/search.ts";
import { SseStream } from "../sse.ts";
import { intParam, shown } from "../query.ts";

/** Progress events per second at most, whatever the index reports. */
const STREAM_EVERY_MS = 250;
/** Days `/api/usage` covers when `from` is not given. */
const DEFAULT_DAYS = 30;
/** Ten years: more days than any chart shows, few enough to answer at once. */
const MAX_DAYS = 3660;
const BY: readonly UsageBy[] = ["day", "project", "agent", "model"];

export function historyRoutes(index: HistoryIndex): Hono {
  const app = new Hono();

  app.get("/api/search", (c) => {
    const q = c.req.query("q");
    if (q === undefined || !q.trim()) {
      return c.json({ error: "q is required: the words to find" }, 400);
    }
    const limit = intParam(c.req.query("limit"), "limit", { min: 1, max: MAX_LIMIT });
    if (typeof limit === "string") return c.json({ error: limit }, 400);
    const before = c.req.query("before") || undefined;
    return _answer(c, async () => {
      const result = await index.search(q, { limit: limit ?? 50, before });
      return { query: q, fts: result.query, hits: result.hits, next: result.next };
    });
  });

  app.get("/api/history", (c) => {
    const day = c.req.query("day");
    if (day === undefined) return c.json({ error: "day is required (YYYY-MM-DD)" }, 400);
    if (!isDay(day)) {
      return c.json({ error: `day must be a date as YYYY-MM-DD, got '${shown(day)}'` }, 400);
    }
    return _answer(c, async () => ({
      day,
      timeZone: timeZone(),
      agents: await index.agentsOn(day),
    }));
  });

  app.get("/api/usage", (c) => {
    const by = (c.req.query("by") ?? "day") as UsageBy;
    if (!BY.includes(by)) {
      return c.json({ error: `by must be one of ${BY.join(", ")}, got '${shown(by)}'` }, 400);
    }
    const toRaw = c.req.query("to");
    const fromRaw = c.req.query("from");
    for (const [name, value] of [["from", fromRaw], ["to", toRaw]] as const) {
      if (value !== undefined && !isDay(value)) {
        return c.json(
          { error: `${name} must be a date as YYYY-MM-DD, got '${shown(value)}'` },
          400,
        );
      }
    }
    const to = toRaw ?? (fromRaw ? addDays(fromRaw, DEFAULT_DAYS - 1) : dayOf(Date.now()));
    const from = fromRaw ?? addDays(to, -(DEFAULT_DAYS - 1));
    if (from > to) return c.json({ error: `from (${from}) is after to (${to})` }, 400);
    if (addDays(from, MAX_DAYS) <= to) {
      return c.json({ error: `the range is too long (at most ${MAX_DAYS} days)` }, 400);
    }
    return _answer(c, async () => {
      const { rows, totals } = await index.usage(from, to, by);
      const prices = index.priceSource();
      return {
        from,
        to,
        by,
        timeZone: timeZone(),
        rows,
        totals,
        pricesAsOf: prices.asOf,
        prices,
      };
    });
  });

  app.get("/api/index/status", (c) => c.json(index.progress()));

  app.get("/api/index/stream", () => {
    const sse = new SseStream();
    let last = "";
    let sentAt = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const send = (progress: IndexProgress | IndexOff) => {
      const json = JSON.stringify(progress);
      if (json === last) return;
      last = json;
      sentAt = Date.now();
      sse.send("progress", json);
    };
    send(index.progress());
    const unsubscribe = index.subscribe(() => {
      // Coalesce: the newest progress goes out once the interval allows.
      if (timer !== undefined) return;
      const wait = Math.max(0, STREAM_EVERY_MS - (Date.now() - sentAt));
      timer = setTimeout(() => {
        timer = undefined;
        send(index.progress());
      }, wait);
    });
    sse.onClose(() => {
      unsubscribe();
      clearTimeout(timer);
    });
    return sse.response;
  });

  return app;
}

/**
 * History is off (`--no-history`, or the index could not start): every
 * endpoint says why instead of a bare 404, and the index status is `off` with
 * the same reason, so the page can show it.
 */
export function historyOffRoutes(reason: string): Hono {
  const app = new Hono();
  const off: IndexOff = { state: "off", reason, files: 0, filesTotal: 0, bytes: 0, bytesTotal: 0 };
  for (const path of ["/api/search", "/api/history", "/api/usage"]) {
    app.get(path, (c) => c.json({ error: `history is off: ${reason}` }, 503));
  }
  app.get("/api/index/status", (c) => c.json(off));
  app.get("/api/index/stream", () => {
    // One message, then only heartbeats: an ended stream would make the browser reconnect forever.
    const sse = new SseStream();
    sse.send("progress", JSON.stringify(off));
    return sse.response;
  });
  return app;
}

/** Runs a query and answers it as JSON, turning the index's own errors into 400 / 503. */
async function _answer(c: Context, fn: () => Promise<unknown>): Promise<Response> {
  try {
    return c.json(await fn());
  } catch (error) {
    if (error instanceof QueryError || error instanceof RangeError) {
      return c.json({ error: error.message }, 400);
    }
    if (error instanceof IndexUnavailableError) {
      return c.json({ error: error.message }, 503, { "retry-after": "5" });
    }
    // A bug, not the request's fault: still JSON, with the message and no stack.
    const message = error instanceof Error ? error.message : String(error);
    return c.json({ error: `the history index could not answer: ${message}` }, 500);
  }
}
