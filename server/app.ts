import { Hono } from "hono";
import type { AgentRegistry } from "../agents/registry.ts";
import type { TailPool } from "../files/pool.ts";
import type { HistoryIndex } from "../history/index.ts";
import type { JobBoard } from "../scheduler/board.ts";
import { agentRoutes } from "./routes/agents.ts";
import { historyOffRoutes, historyRoutes } from "./routes/history.ts";
import { jobLogRoutes } from "./routes/job_logs.ts";
import { jobRoutes } from "./routes/jobs.ts";
import { liveRoutes } from "./routes/live.ts";
import type { LiveHub } from "./live/hub.ts";
import { guard } from "./guard.ts";
import { openStreamCount } from "./sse.ts";

/** The embedded browser UI: nothing is read from disk at run time. */
export interface UiBundle {
  indexHtml: string;
  /** immutable: the URL names the build, so browsers may keep the file for good. */
  assets: ReadonlyMap<string, { body: string; type: string; immutable?: boolean }>;
}

export interface AppDeps {
  registry: AgentRegistry;
  pool: TailPool;
  ui: UiBundle;
  /** Host header values this server answers to (`127.0.0.1:8787`, ...). */
  hosts: string[];
  token?: string;
  /** Bound beyond loopback (with a token): any Host name may reach it. */
  openHost?: boolean;
  version: string;
  /** The folders watched, for the empty page's "watching …". */
  sources?: string[];
  /** The scheduled jobs: `/api/jobs*`. @default none (those paths are 404s) */
  board?: JobBoard;
  /**
   * The history index, or why it is off: `/api/search`, `/api/history`,
   * `/api/usage`, `/api/index/*`. @default none (those paths are 404s)
   */
  history?: HistoryIndex | { reason: string };
  /** The page's one live connection: `/api/live*`. @default none (those paths are 404s) */
  live?: LiveHub;
}

/** Page paths the UI routes itself; each serves the same index page. */
const PAGES = [
  /^\/$/,
  /^\/agents(\/[^/]+)?\/?$/,
  /^\/sessions\/?$/,
  /^\/scheduler\/?$/,
  /^\/search\/?$/,
  /^\/history\/?$/,
  /^\/board\/?$/,
];

/**
 * Builds the whole HTTP app, and holds its whole route table; tests drive it
 * with `app.request()`.
 */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  const started = Date.now();
  app.use("*", guard({ hosts: deps.hosts, token: deps.token, openHost: deps.openHost }));
  app.use("*", async (c, next) => {
    await next();
    c.header("x-content-type-options", "nosniff");
    c.header("referrer-policy", "no-referrer");
    if (c.res.headers.get("content-type")?.startsWith("text/html")) {
      c.header(
        "content-security-policy",
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
      );
    }
  });

  app.get("/api/health", (c) =>
    c.json({
      ok: true,
      version: deps.version,
      uptimeMs: Date.now() - started,
      agents: deps.registry.size,
      openTails: deps.pool.openCount,
      openStreams: openStreamCount(),
      sources: deps.sources ?? [],
    }));
  app.route("/", agentRoutes(deps));
  if (deps.board) {
    app.route("/", jobRoutes(deps.board));
    app.route("/", jobLogRoutes(deps.board, deps.pool));
  }
  if (deps.live) app.route("/", liveRoutes(deps.live));
  const history = deps.history;
  if (history) {
    app.route("/", "reason" in history ? historyOffRoutes(history.reason) : historyRoutes(history));
  }
  app.all(
    "/api/*",
    (c) => c.json({ error: `no such endpoint: ${c.req.method} ${c.req.path}` }, 404),
  );

  const etags = new Map<string, string>();
  for (const [path, asset] of deps.ui.assets) etags.set(path, `"${hash(asset.body)}"`);
  app.get("*", (c) => {
    const path = c.req.path;
    const asset = deps.ui.assets.get(path);
    if (asset) {
      const etag = etags.get(path)!;
      const cache = asset.immutable ? "public, max-age=31536000, immutable" : "no-cache";
      if (c.req.header("if-none-match") === etag) {
        return c.body(null, 304, { etag, "cache-control": cache });
      }
      return c.body(asset.body, 200, {
        "content-type": asset.type,
        etag,
        "cache-control": cache,
      });
    }
    if (PAGES.some((re) => re.test(path))) return c.html(deps.ui.indexHtml);
    return c.json({ error: `not found: ${path}` }, 404);
  });
  return app;
}

function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return `${(h >>> 0).toString(16)}-${text.length.toString(16)}`;
}
