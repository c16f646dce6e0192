/**
 * The daemon: starts the parts (tails, agents, scheduler board, history),
 * hands them to `createApp` (which holds the route table) and serves it on
 * loopback; `close()` stops them all. Settings and environment come in as
 * values from `main.ts`.
 */
import { AgentTracker } from "../agents/tracker.ts";
import type { Config, Environment } from "../core/settings.ts";
import { defaultRoots, type Root } from "../files/roots.ts";
import { TailPool } from "../files/pool.ts";
import { removeCopyFolder, sweepCopyFolders } from "../files/copy_dir.ts";
import { createApp, type UiBundle } from "./app.ts";
import { allowedHosts, isLoopback } from "./guard.ts";
import type { Logger } from "../core/log.ts";
import { closeAllStreams } from "./sse.ts";
import { resolve } from "node:path";
import { JobBoard, type JobSource } from "../scheduler/board.ts";
import { HistoryIndex } from "../history/index.ts";
import { defaultDataDir } from "../history/db.ts";
import { codexServiceTier } from "../cost/codex_config.ts";
import type { PriceTable } from "../cost/prices.ts";
import { LiveHub } from "./live/hub.ts";
import { claudeConfigDirs, LiveSources } from "../state/live_sources.ts";
import { createRunCommand } from "../scheduler/run_command.ts";

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
  /** The process environment, read once by `main.ts`: `HOME`, the agents' folders, `PATH`. */
  env: Environment;
  /** A scheduler of its own for the job board (the demo's simulated jobs). */
  jobSource?: JobSource;
}

export class StartError extends Error {}

/** The user's home folder, as the environment says. */
function homeOf(env: Environment): string {
  return env.HOME ?? env.USERPROFILE ?? "/";
}

/** Which roots a config watches. */
export function rootsOf(config: Config, env: Environment): Root[] {
  const roots: Root[] = config.watch.map((p) => ({ path: resolve(p), kind: "watch" as const }));
  if (config.defaultSources) {
    roots.push(...defaultRoots({
      home: homeOf(env),
      platform: Deno.build.os,
      uid: Deno.uid(),
      env: {
        CLAUDE_CONFIG_DIR: env.CLAUDE_CONFIG_DIR,
        CLAUDE_CODE_TMPDIR: env.CLAUDE_CODE_TMPDIR,
        TMPDIR: env.TMPDIR,
        CODEX_HOME: env.CODEX_HOME,
        GEMINI_CLI_HOME: env.GEMINI_CLI_HOME,
        COPILOT_HOME: env.COPILOT_HOME,
        XDG_CONFIG_HOME: env.XDG_CONFIG_HOME,
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
  const roots = rootsOf(config, parts.env);
  // Decompressed copies a crashed earlier run left in the temp folder go now.
  await sweepCopyFolders().catch((error) =>
    log.warn("could not sweep stale copies", { error: String(error) })
  );
  const pool = new TailPool();
  const tracker = new AgentTracker({ roots, pool, log, runningWindowMs: config.runningWindowMs });
  // The history worker boots (loads its modules, opens its database) while the tracker lists.
  const history = await openHistory(config, parts.env, tracker, log);
  try {
    await tracker.start();
  } catch (error) {
    if (!("reason" in history)) await history.close();
    throw error;
  }
  if (!("reason" in history)) void history.start();
  const live = config.sessionState ? startLiveSources(tracker, config, parts.env, log) : null;
  const board = new JobBoard({
    scheduler: config.scheduler,
    intervalMs: config.schedulerIntervalMs,
    jobFilters: config.jobFilter,
    // Scheduler commands inherit the process environment; PATH decides which exist.
    env: parts.env.PATH === undefined ? {} : { PATH: parts.env.PATH },
    home: homeOf(parts.env),
    logger: (message) => log.warn(message),
    source: parts.jobSource,
  });
  // The first poll may be slow (or hang until its timeout): never hold up serving.
  board.start().catch((error) => log.error("scheduler failed to start", { error: String(error) }));

  const hub = new LiveHub({ agents: tracker.registry, pool, jobs: board, index: history });

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
      sources: roots.map((r) => r.path),
      board,
      history,
      live: hub,
    });
  try {
    server = Deno.serve({
      hostname: config.host,
      port: config.port,
      signal: abort.signal,
      onListen: ({ port }) => listening.resolve(port),
    }, (req) => app().fetch(req));
  } catch (error) {
    if (!("reason" in history)) await history.close();
    await live?.close();
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
      if (!("reason" in history)) await history.close();
      await live?.close();
      tracker.close();
      pool.close();
      await board.close();
      // The pool is closed: no tail reads a copy any more (and a slow stream
      // that outlives the grace period must not keep them on disk).
      await removeCopyFolder().catch((error) =>
        log.warn("could not remove copies", { error: String(error) })
      );
      abort.abort();
      closeAllStreams();
      await server.finished;
    },
  };
}

/**
 * Claude Code's own live state, read whatever transcripts are watched: it
 * holds none. Polls in the background; the first round never holds up serving.
 */
function startLiveSources(
  tracker: AgentTracker,
  config: Config,
  env: Environment,
  log: Logger,
): LiveSources {
  const live = new LiveSources({
    configDirs: config.liveStateDirs ?? claudeConfigDirs(homeOf(env), env.CLAUDE_CONFIG_DIR),
    run: createRunCommand(),
    log,
    path: env.PATH,
    onChange: (states) => tracker.registry.setLive(states),
  });
  live.start().catch((error) => log.warn("live state unavailable", { error: String(error) }));
  return live;
}

function displayHost(host: string): string {
  if (host === "0.0.0.0" || host === "127.0.0.1") return "127.0.0.1";
  return host.includes(":") ? `[${host}]` : host;
}

/**
 * The history index (search, cost, date picker), built in the background by
 * its own worker (started by the caller once the tracker has listed). When it
 * cannot run, the reason is what the history routes and the UI show; the live
 * views never depend on it.
 */
async function openHistory(
  config: Config,
  env: Environment,
  tracker: AgentTracker,
  log: Logger,
): Promise<HistoryIndex | { reason: string }> {
  if (!config.history) {
    return { reason: "turned off in the settings (--no-history, or history: false)" };
  }
  const home = homeOf(env);
  const dataDir = resolve(
    config.dataDir?.replace(/^~(?=$|\/)/, home) ??
      defaultDataDir({
        home,
        platform: Deno.build.os,
        env: { XDG_DATA_HOME: env.XDG_DATA_HOME },
      }),
  );
  const history = new HistoryIndex({
    registry: tracker.registry,
    dataDir,
    log,
    ...(await userPrices(dataDir, home, env, log)),
    codexTier: codexTier(`${env.CODEX_HOME ?? `${home}/.codex`}/config.toml`, log),
  });
  history.onAgentUsage((id, usage) => tracker.registry.setUsage(id, usage));
  log.info("history index", { dataDir });
  return history;
}

/** Codex's `service_tier`, read once at start-up; none (standard) when there is no config. */
function codexTier(path: string, log: Logger): string | undefined {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch {
    return undefined; // No Codex config: the standard tier.
  }
  const tier = codexServiceTier(text);
  if (tier !== undefined) log.info("Codex service tier", { tier, path });
  return tier;
}

/**
 * A user's `prices.json` (in the config folder, or beside the index) overrides
 * the list prices; a bad file is reported and ignored.
 */
async function userPrices(
  dataDir: string,
  home: string,
  env: Environment,
  log: Logger,
): Promise<{ prices?: PriceTable; pricesAsOf?: string }> {
  const configHome = env.XDG_CONFIG_HOME ?? `${home}/.config`;
  for (const path of [`${configHome}/tailboard/prices.json`, `${dataDir}/prices.json`]) {
    let text: string;
    try {
      text = Deno.readTextFileSync(path);
    } catch {
      continue; // No file there: the list prices stand.
    }
    try {
      const json = JSON.parse(text);
      // Loaded only for a prices file: it brings the price catalogue (megabytes
      // of this thread's heap), which otherwise only the history worker loads.
      const { loadPriceOverrides } = await import("../cost/prices.ts");
      const table = loadPriceOverrides(json);
      log.info("using price overrides", { path });
      return { prices: table, pricesAsOf: typeof json.asOf === "string" ? json.asOf : "" };
    } catch (error) {
      log.error("ignoring a bad prices file", { path, error: String(error) });
      return {};
    }
  }
  return {};
}
