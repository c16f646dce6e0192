import { AgentTracker } from "../agents/tracker.ts";
import type { Config } from "../cli/config.ts";
import { defaultRoots, type Root } from "../sources/roots.ts";
import { TailPool } from "../tail/pool.ts";
import { createApp, type UiBundle } from "./app.ts";
import { allowedHosts, isLoopback } from "./guard.ts";
import type { Logger } from "./log.ts";
import { closeAllStreams } from "./sse.ts";
import type { Hono } from "hono";
import { resolve } from "node:path";
import { JobBoard } from "../scheduler/board.ts";
import { jobRoutes } from "./jobs_routes.ts";
import { jobLogRoutes } from "./job_log_routes.ts";

export interface Daemon {
  url: string;
  port: number;
  tracker: AgentTracker;
  pool: TailPool;
  board: JobBoard;
  /** Stops serving, closes every stream, watcher and timer. */
  close(): Promise<void>;
}

export interface DaemonParts {
  ui: UiBundle;
  version: string;
  log: Logger;
  /** Extra route groups and their cleanup (the scheduler's). */
  extras?: { routes: Hono; close(): void | Promise<void> }[];
}

export class StartError extends Error {}

/** Which roots a config watches. */
export function rootsOf(config: Config): Root[] {
  const roots: Root[] = config.watch.map((p) => ({ path: resolve(p), kind: "watch" as const }));
  if (config.defaultSources) {
    roots.push(...defaultRoots({
      home: Deno.env.get("HOME") ?? Deno.env.get("USERPROFILE") ?? "/",
      platform: Deno.build.os,
      uid: Deno.uid(),
      env: {
        CLAUDE_CONFIG_DIR: Deno.env.get("CLAUDE_CONFIG_DIR"),
        CLAUDE_CODE_TMPDIR: Deno.env.get("CLAUDE_CODE_TMPDIR"),
        TMPDIR: Deno.env.get("TMPDIR"),
        CODEX_HOME: Deno.env.get("CODEX_HOME"),
      },
    }));
  }
  return roots;
}

/** Starts watching and serving; resolves once the port is bound. */
export async function startDaemon(config: Config, parts: DaemonParts): Promise<Daemon> {
  const { log } = parts;
  if (!isLoopback(config.host) && !config.token) {
    throw new StartError(
      `refusing to bind ${config.host} without --token: anyone on that network could read your transcripts`,
    );
  }
  const roots = rootsOf(config);
  const pool = new TailPool();
  const tracker = new AgentTracker({ roots, pool, log, runningWindowMs: config.runningWindowMs });
  await tracker.start();
  const board = new JobBoard({
    scheduler: config.scheduler,
    intervalMs: config.schedulerIntervalMs,
    jobFilters: config.jobFilter,
    logger: (message) => log.warn(message),
  });
  // The first poll may be slow (or hang until its timeout): never hold up serving.
  board.start().catch((error) => log.error("scheduler failed to start", { error: String(error) }));

  const abort = new AbortController();
  let server: Deno.HttpServer;
  const listening = Promise.withResolvers<number>();
  const hostsFor = (port: number) => allowedHosts(config.host, port);
  let hosts: string[] = [];
  // The Host allow-list needs the real port, known only once bound (port 0).
  const app = () => appFor(hosts);
  let built: ReturnType<typeof createApp> | null = null;
  const appFor = (h: string[]) =>
    built ??= createApp({
      registry: tracker.registry,
      pool,
      ui: parts.ui,
      hosts: h,
      token: config.token,
      openHost: !isLoopback(config.host),
      version: parts.version,
      extra: [
        jobRoutes(board),
        jobLogRoutes(board, pool),
        ...(parts.extras?.map((e) => e.routes) ?? []),
      ],
    });
  try {
    server = Deno.serve({
      hostname: config.host,
      port: config.port,
      signal: abort.signal,
      onListen: ({ port }) => listening.resolve(port),
    }, (req) => app().fetch(req));
  } catch (error) {
    tracker.close();
    pool.close();
    await board.close();
    if (error instanceof Deno.errors.AddrInUse) {
      throw new StartError(
        `port ${config.port} on ${config.host} is already in use: is tailboard already running? Open http://${
          displayHost(config.host)
        }:${config.port}/ or pick another --port`,
      );
    }
    throw error;
  }
  const port = await listening.promise;
  hosts = hostsFor(port);
  const url = `http://${displayHost(config.host)}:${port}/`;
  log.info("tailboard listening", {
    url,
    sources: roots.map((r) => r.path),
    watching: roots.length,
    agents: tracker.registry.size,
  });

  return {
    url,
    port,
    tracker,
    pool,
    board,
    async close() {
      tracker.close();
      pool.close();
      await board.close();
      for (const extra of parts.extras ?? []) await extra.close();
      abort.abort();
      closeAllStreams();
      await server.finished;
    },
  };
}

function displayHost(host: string): string {
  if (host === "0.0.0.0" || host === "127.0.0.1") return "127.0.0.1";
  return host.includes(":") ? `[${host}]` : host;
}
