/**
 * The history index as the daemon's thread sees it: a handle on the history
 * worker (history/worker.ts), which holds the database and does every read,
 * write and query. This side follows the agents list and forwards what the
 * index needs of each change; queries are messages answered by the worker.
 * Nothing here touches SQLite or reads a transcript.
 */
import { Worker } from "node:worker_threads";
import type { Agent } from "../agents/agent.ts";
import type { AgentChange, AgentRegistry } from "../agents/registry.ts";
import { PRICE_SOURCE } from "../cost/price_source.ts";
import type { PriceTable } from "../cost/prices.ts";
import type { Logger } from "../core/log.ts";
import { isDay } from "./days.ts";
import { IndexUnavailableError } from "./errors.ts";
import type {
  AgentNote,
  Answers,
  FromWorker,
  IndexOff,
  IndexProgress,
  Query,
  ToWorker,
} from "./protocol.ts";
import type { AgentUsageTotals, DayAgent, UsageBy, UsageRow, UsageTotals } from "./rollups.ts";
import { QueryError, type SearchOptions, type SearchResult } from "./search.ts";

export { IndexUnavailableError };
export type { IndexOff, IndexProgress };

export interface HistoryIndexOptions {
  registry: AgentRegistry;
  /** The folder holding `history.db` (created if missing). */
  dataDir: string;
  log: Logger;
  /** The user's prices, over the list prices. @default none (cost/prices.ts) */
  prices?: PriceTable;
  /** The `asOf` of the user's prices file, "" when it gives none. */
  pricesAsOf?: string;
  /** Codex's configured service tier, for rollouts that do not say theirs. @default standard */
  codexTier?: string;
  /** Bytes read per chunk (the lines of one chunk are alive at once). @default 64 KiB */
  chunkBytes?: number;
  /** Transcript bytes per write transaction. @default 1 MiB */
  batchBytes?: number;
  /** How long the index works before letting queries in. @default 8 ms */
  sliceMs?: number;
}

/** Where the prices come from: the catalogue, the user's overrides, Codex's tier. */
export interface PriceSource {
  name: string;
  version: string;
  asOf: string;
  /** The user's `prices.json`, when one is in use (`asOf` as it says, or null). */
  overrides: { asOf: string | null } | null;
  /** Codex's configured service tier; null for the standard one. */
  codexTier: string | null;
}

/**
 * The history worker's young generation, in MB. V8's default lets it grow to
 * 64 MB under the indexer's allocation rate (parsing every line, pricing every
 * response), and keeps it: on a first start over 100 MB that was the largest
 * part of the process's peak (bench/history_start.ts). What the indexer
 * allocates dies young (see Indexer's chunk size and history/batch.ts), so a
 * small nursery costs only more, shorter scavenges on the worker's own thread.
 * Not smaller: with 4 MB, V8 fell into promoting every survivor in about half
 * the runs (95 MB promoted over 100 MB read, against 3 MB with 8).
 */
const WORKER_YOUNG_MB = 8;

export type ProgressListener = (progress: IndexProgress | IndexOff) => void;
export type AgentUsageListener = (agentId: string, usage: AgentUsageTotals) => void;

export class HistoryIndex {
  #registry: AgentRegistry;
  #log: Logger;
  #worker: Worker;
  #progress: IndexProgress | IndexOff = {
    state: "building",
    files: 0,
    filesTotal: 0,
    bytes: 0,
    bytesTotal: 0,
  };
  #readBytes = 0;
  #nextId = 1;
  #pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  #idleWaiters = new Map<number, () => void>();
  #readyWaiters: (() => void)[] = [];
  #progressListeners = new Set<ProgressListener>();
  #usageListeners = new Set<AgentUsageListener>();
  /** The last note sent per path: changes the index does not care about are not sent. */
  #sent = new Map<string, string>();
  #pathOf = new Map<string, string>();
  #unsubscribe: (() => void) | null = null;
  #started = false;
  #closed = false;
  #ready = false;
  #exited = Promise.withResolvers<void>();
  #priceSource: PriceSource;

  /** Where prices come from and as of when, for the UI to say. */
  priceSource(): PriceSource {
    return this.#priceSource;
  }

  /** Starts the worker and opens the database there (a problem turns history off, see `progress`). */
  constructor(options: HistoryIndexOptions) {
    this.#priceSource = {
      ...PRICE_SOURCE,
      overrides: options.prices ? { asOf: options.pricesAsOf || null } : null,
      codexTier: options.codexTier ?? null,
    };
    this.#registry = options.registry;
    this.#log = options.log;
    this.#worker = new Worker(new URL("./worker.ts", import.meta.url), {
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB },
    });
    this.#worker.on("message", (message: FromWorker) => this.#onMessage(message));
    // Handled here, or the error is rethrown on this thread and the daemon exits.
    this.#worker.on("error", (error: Error) => {
      this.#turnOff(`the history worker failed: ${error.message}`);
      this.#exited.resolve();
    });
    this.#worker.on("exit", (code: number) => {
      if (!this.#closed) this.#turnOff(`the history worker stopped (exit code ${code})`);
      this.#exited.resolve();
    });
    this.#post({
      type: "open",
      settings: {
        dataDir: options.dataDir,
        prices: options.prices,
        codexTier: options.codexTier,
        chunkBytes: options.chunkBytes ?? 64 * 1024,
        batchBytes: options.batchBytes ?? 1024 * 1024,
        sliceMs: options.sliceMs ?? 8,
      },
    });
  }

  /**
   * Starts indexing every agent the registry holds (call it once the tracker
   * has listed the sources) and follows the registry from then on. Resolves
   * when the start-up pass is done (or history is off); never rejects.
   */
  start(): Promise<void> {
    if (!this.#started && !this.#closed) {
      this.#started = true;
      this.#unsubscribe = this.#registry.subscribe((change) => this.#onChange(change));
      // An inline subagent's lines are indexed with its session's file.
      const agents = this.#registry.list().filter((a) => !a.inline).map((a) => this.#noteOf(a));
      for (const note of agents) this.#remember(note);
      this.#post({ type: "agents", agents });
    }
    return this.#ready || this.#closed || this.#progress.state === "off"
      ? Promise.resolve()
      : new Promise((resolve) => this.#readyWaiters.push(resolve));
  }

  /** Resolves once the worker has nothing queued or being read (tests, benchmarks). */
  idle(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    const id = this.#nextId++;
    return new Promise((resolve) => {
      this.#idleWaiters.set(id, resolve);
      this.#post({ type: "idle", id });
    });
  }

  /** Transcript bytes read since this index was made, as of the last `idle()` or ready. */
  get readBytes(): number {
    return this.#readBytes;
  }

  /** The latest progress the worker reported, or `off` with the reason. */
  progress(): IndexProgress | IndexOff {
    return this.#progress;
  }

  /** Progress as it changes (at most every 100 ms, and on every state change). */
  subscribe(listener: ProgressListener): () => void {
    this.#progressListeners.add(listener);
    return () => this.#progressListeners.delete(listener);
  }

  /**
   * Called with an agent's new totals whenever they change, and once per
   * agent with usage when the index first knows it (so after a restart every
   * agent gets its totals without re-reading anything).
   */
  onAgentUsage(listener: AgentUsageListener): () => void {
    this.#usageListeners.add(listener);
    return () => this.#usageListeners.delete(listener);
  }

  /** An agent's tokens and cost so far, or null before any of its usage is indexed. */
  agentUsage(agentId: string): Promise<AgentUsageTotals | null> {
    return this.#ask({ kind: "agentUsage", agentId });
  }

  search(q: string, options: SearchOptions = {}): Promise<SearchResult> {
    return this.#ask({ kind: "search", q, options });
  }

  /** The agents active on a local day (`YYYY-MM-DD`), latest first. */
  agentsOn(day: string): Promise<DayAgent[]> {
    if (!isDay(day)) return Promise.reject(new RangeError(`not a day: ${day}`));
    return this.#ask({ kind: "agentsOn", day });
  }

  /** Usage between two local days, both included. */
  usage(from: string, to: string, by: UsageBy): Promise<{ rows: UsageRow[]; totals: UsageTotals }> {
    return this.#ask({ kind: "usage", from, to, by });
  }

  /** Stops following the registry; the worker saves what it read, closes the database and ends. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#unsubscribe?.();
    this.#post({ type: "close" });
    await this.#exited.promise;
    await this.#worker.terminate();
    this.#settleAll(new IndexUnavailableError("the history index is closed"));
  }

  // ---- talking to the worker ---------------------------------------------------

  #post(message: ToWorker): void {
    this.#worker.postMessage(message);
  }

  #ask<K extends Query["kind"]>(query: Extract<Query, { kind: K }>): Promise<Answers[K]> {
    if (this.#closed) {
      return Promise.reject(new IndexUnavailableError("the history index is closed"));
    }
    if (this.#progress.state === "off") {
      return Promise.reject(new IndexUnavailableError(this.#progress.reason));
    }
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.#post({ type: "query", id, query });
    });
  }

  #onMessage(message: FromWorker): void {
    switch (message.type) {
      case "progress":
        return this.#setProgress(message.progress);
      case "ready":
        this.#ready = true;
        this.#readBytes = message.readBytes;
        this.#setProgress(message.progress);
        for (const resolve of this.#readyWaiters.splice(0)) resolve();
        return;
      case "usage":
        for (const listener of this.#usageListeners) listener(message.agentId, message.usage);
        return;
      case "answer":
        this.#pending.get(message.id)?.resolve(message.value);
        this.#pending.delete(message.id);
        return;
      case "failed": {
        const { kind, message: text } = message.failure;
        this.#pending.get(message.id)?.reject(
          kind === "query"
            ? new QueryError(text)
            : kind === "unavailable"
            ? new IndexUnavailableError(text)
            : new Error(text),
        );
        this.#pending.delete(message.id);
        return;
      }
      case "idle":
        this.#readBytes = message.readBytes;
        if (this.#progress.state !== "off") this.#progress = message.progress;
        this.#idleWaiters.get(message.id)?.();
        this.#idleWaiters.delete(message.id);
        return;
      case "log":
        return this.#log[message.level](message.message, message.fields);
      case "off":
        return this.#turnOff(message.reason);
      case "closed":
        return this.#exited.resolve();
    }
  }

  #setProgress(progress: IndexProgress): void {
    if (this.#progress.state === "off") return;
    this.#progress = progress;
    for (const listener of this.#progressListeners) listener(progress);
  }

  /** History is off for good in this run: say why, and let nobody wait for it. */
  #turnOff(reason: string): void {
    if (this.#progress.state === "off") return;
    this.#log.warn("history is off", { reason });
    this.#progress = { state: "off", reason, files: 0, filesTotal: 0, bytes: 0, bytesTotal: 0 };
    for (const listener of this.#progressListeners) listener(this.#progress);
    this.#settleAll(new IndexUnavailableError(reason));
  }

  #settleAll(error: Error): void {
    for (const { reject } of this.#pending.values()) reject(error);
    this.#pending.clear();
    for (const resolve of this.#idleWaiters.values()) resolve();
    this.#idleWaiters.clear();
    for (const resolve of this.#readyWaiters.splice(0)) resolve();
  }

  // ---- following the registry ----------------------------------------------------

  #onChange(change: AgentChange): void {
    if (this.#closed) return;
    if (change.type === "remove") {
      const path = this.#pathOf.get(change.id);
      if (path === undefined || this.#registry.has(path)) return;
      this.#pathOf.delete(change.id);
      this.#sent.delete(path);
      this.#post({ type: "remove", path });
      return;
    }
    if (change.agent.inline) return;
    const note = this.#noteOf(change.agent);
    // Most changes (state, activity, usage coming back) mean nothing to the index.
    if (!this.#remember(note)) return;
    this.#post({ type: "upsert", agent: note });
  }

  /** Records the note as sent; false when it is the same as the last one. */
  #remember(note: AgentNote): boolean {
    const json = JSON.stringify(note);
    if (this.#sent.get(note.path) === json) return false;
    this.#sent.set(note.path, json);
    this.#pathOf.set(note.id, note.path);
    return true;
  }

  #noteOf(agent: Agent): AgentNote {
    const facts = this.#registry.factsOf(agent.path);
    return {
      id: agent.id,
      path: agent.path,
      source: agent.source,
      project: agent.project,
      title: agent.title,
      size: agent.size,
      mtime: agent.mtime,
      ino: this.#registry.entryOf(agent.id)?.ino ?? null,
      factsKnown: facts !== undefined && Object.keys(facts).length > 0,
    };
  }
}
