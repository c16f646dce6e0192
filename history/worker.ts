/**
 * The history worker: the index's database, its catch-up reads and its
 * queries all run here, on a thread of their own, so building, catching up
 * and checkpointing never hold up the thread that serves live streams. The
 * daemon talks to it through history/index.ts (messages: history/protocol.ts).
 *
 * Started as `new Worker(new URL("./worker.ts", import.meta.url))`, which puts
 * it in the module graph `deno compile` embeds. A `node:worker_threads`
 * worker, not a web one: only that kind takes V8 heap limits (see index.ts).
 */
import { parentPort } from "node:worker_threads";
import { NO_OVERRIDES } from "../cost/prices.ts";
import type { Logger, LogLevel } from "../core/log.ts";
import { isDay } from "./days.ts";
import { IndexUnavailableError } from "./errors.ts";
import { Indexer } from "./indexer.ts";
import type { FromWorker, Query, QueryFailure, ToWorker } from "./protocol.ts";
import { agentsOnDay, usageBetween } from "./rollups.ts";
import { QueryError, search } from "./search.ts";
import { ForeignDbError } from "./db.ts";
import { HistoryStore } from "./store.ts";

const port = parentPort!;
const post = (message: FromWorker) => port.postMessage(message);

/** Log lines go to the daemon's logger, which knows the level and where to write. */
const log: Logger = Object.fromEntries(
  (["debug", "info", "warn", "error"] as LogLevel[]).map((level) => [
    level,
    (message: string, fields: Record<string, unknown> = {}) =>
      post({ type: "log", level, message, fields }),
  ]),
) as unknown as Logger;

let store: HistoryStore | null = null;
let indexer: Indexer | null = null;
/** Why history is off, once it is: every query then answers with it. */
let offReason: string | null = null;

port.on("message", (message: ToWorker) => {
  switch (message.type) {
    case "open":
      return open(message.settings);
    case "agents":
      return indexer?.start(message.agents);
    case "upsert":
      return indexer?.upsert(message.agent);
    case "remove":
      return indexer?.remove(message.path);
    case "query":
      return answer(message.id, message.query);
    case "idle":
      return void idle(message.id);
    case "close":
      return void close();
  }
});

function open(settings: Extract<ToWorker, { type: "open" }>["settings"]): void {
  try {
    store = new HistoryStore(settings.dataDir, log, settings.prices ?? NO_OVERRIDES);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    turnOff(
      error instanceof ForeignDbError
        ? message
        : `cannot keep the history index in ${settings.dataDir}: ${message}`,
    );
    return;
  }
  indexer = new Indexer(store, log, {
    progress: (progress) => post({ type: "progress", progress }),
    ready: (progress) => post({ type: "ready", progress, readBytes: indexer?.readBytes ?? 0 }),
    usage: (agentId, usage) => post({ type: "usage", agentId, usage }),
    off: turnOff,
  }, settings);
}

function turnOff(reason: string): void {
  offReason = reason;
  indexer = null;
  post({ type: "off", reason });
}

function answer(id: number, query: Query): void {
  try {
    if (!indexer || !store) {
      throw new IndexUnavailableError(offReason ?? "the history index is not open");
    }
    post({ type: "answer", id, value: run(indexer, store, query) });
  } catch (error) {
    post({ type: "failed", id, failure: failureOf(error) });
  }
}

function run(indexer: Indexer, store: HistoryStore, query: Query): unknown {
  switch (query.kind) {
    case "search":
      return indexer.query(() => search(store.db, query.q, query.options));
    case "agentsOn":
      if (!isDay(query.day)) throw new QueryError(`not a day: ${query.day}`);
      return indexer.query(() => agentsOnDay(store.db, query.day));
    case "usage":
      return indexer.query(() => usageBetween(store.db, query.from, query.to, query.by));
    case "agentUsage":
      return indexer.agentUsage(query.agentId);
  }
}

function failureOf(error: unknown): QueryFailure {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof QueryError || error instanceof RangeError) {
    return { kind: "query", message };
  }
  if (error instanceof IndexUnavailableError) return { kind: "unavailable", message };
  return { kind: "internal", message };
}

async function idle(id: number): Promise<void> {
  await indexer?.idle();
  post({
    type: "idle",
    id,
    progress: indexer?.progress() ??
      { state: "ready", files: 0, filesTotal: 0, bytes: 0, bytesTotal: 0 },
    readBytes: indexer?.readBytes ?? 0,
  });
}

async function close(): Promise<void> {
  try {
    await indexer?.close();
  } finally {
    // The daemon ends this thread once it has this message.
    post({ type: "closed" });
  }
}
