/**
 * The history index: every transcript the agents list knows, read forward
 * from where it was last read, into the SQLite database (history/db.ts).
 *
 * One background pass at start-up (newest agents first) and then one small
 * pass per change the registry reports. Reads are 1 MiB chunks through the
 * same LineSplitter and parseLine the live tail uses, so cursors are the live
 * API's cursors; writes are batched transactions. Everything runs on the
 * daemon's thread between awaits, in slices of a few milliseconds, so live
 * views are never queued behind the index.
 */
import type { Agent } from "../agents/agent.ts";
import type { AgentChange, AgentRegistry } from "../agents/registry.ts";
import { PRICE_SOURCE } from "../cost/list_prices.ts";
import { NO_OVERRIDES, type PriceTable } from "../cost/prices.ts";
import { UsageReader } from "../cost/reader.ts";
import { setImmediate } from "node:timers";
import { parseLine } from "../transcript/line.ts";
import type { Logger } from "../core/log.ts";
import { type Line, LineSplitter } from "../files/lines.ts";
import { readAt } from "../files/positional.ts";
import { isCorruption, openHistoryDb, setAside } from "./db.ts";
import { isDay, timeZone } from "./days.ts";
import { searchRowOf } from "./extract.ts";
import {
  agentsOnDay,
  type AgentUsageTotals,
  allAgentUsage,
  type DayAgent,
  usageBetween,
  type UsageBy,
  type UsageRow,
  type UsageTotals,
} from "./rollups.ts";
import { search, type SearchOptions, type SearchResult } from "./search.ts";
import { type AgentInfo, Batch, type FileState, HistoryWriter } from "./writer.ts";

export interface HistoryIndexOptions {
  registry: AgentRegistry;
  /** The folder holding `history.db` (created if missing). */
  dataDir: string;
  log: Logger;
  /** The user's prices, over the list prices. @default none (cost/prices.ts) */
  prices?: PriceTable;
  /** Codex's configured service tier, for rollouts that do not say theirs. @default standard */
  codexTier?: string;
  /** The `asOf` of the user's prices file, "" when it gives none; absent without one. */
  pricesAsOf?: string;
  /** Bytes read per chunk. @default 1 MiB */
  chunkBytes?: number;
  /** Transcript bytes per write transaction. @default 1 MiB */
  batchBytes?: number;
  /** How long the index works before letting other tasks run. @default 8 ms */
  sliceMs?: number;
}

export interface IndexProgress {
  /** `building` during the start-up pass (and a rebuild); `ready` once caught up. */
  state: "building" | "ready";
  /** Files read up to the size last seen, of all the agents list holds. */
  files: number;
  filesTotal: number;
  bytes: number;
  bytesTotal: number;
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

export type ProgressListener = (progress: IndexProgress) => void;
export type AgentUsageListener = (agentId: string, usage: AgentUsageTotals) => void;

/** Thrown by queries while a corrupt database is being replaced (HTTP 503). */
export class IndexUnavailableError extends Error {}

/** Bytes hashed from a file's start to recognise it again (see `head` in history/db.ts). */
const HEAD_BYTES = 1024;
/** Progress events at most this often (plus one on every state change). */
const PROGRESS_EVERY_MS = 100;
/** How long live appends wait before the index reads them (they batch meanwhile). */
const LIVE_DELAY_MS = 200;
/** A database that keeps turning up corrupt is not rebuilt forever. */
const MAX_REBUILDS = 3;

export class HistoryIndex {
  #o: Required<Omit<HistoryIndexOptions, "prices" | "codexTier" | "pricesAsOf">>;
  #pricesAsOf: string | undefined;
  #codexTier: string | undefined;
  /** Per agent file: what its earlier lines said that later ones bill by (Codex's model). */
  #readers = new Map<string, UsageReader>();
  #registry: AgentRegistry;
  #log: Logger;
  #prices: PriceTable;
  #writer: HistoryWriter;
  #dbPath: string;
  /** What is stored for each file, updated as batches commit. */
  #files = new Map<string, FileState>();
  /** Agents' title/project/source as stored, to skip writes that change nothing. */
  #stored = new Map<string, AgentInfo>();
  /** Size the agents list reports for each file: the progress totals. */
  #sizes = new Map<string, number>();
  /** Latest timestamp (ms) read per file: lines without one sort just after it. */
  #lastMs = new Map<string, number>();
  #urgent = new Set<string>();
  #backlog = new Set<string>();
  #batch = new Batch();
  #metaTimer: ReturnType<typeof setTimeout> | undefined;
  #soonTimer: ReturnType<typeof setTimeout> | undefined;
  #announced = new Set<string>();
  #state: IndexProgress["state"] = "building";
  #progressListeners = new Set<ProgressListener>();
  #usageListeners = new Set<AgentUsageListener>();
  #lastProgress = 0;
  #progressTimer: ReturnType<typeof setTimeout> | undefined;
  #worker: Promise<void> | null = null;
  #idleWaiters: (() => void)[] = [];
  #readyWaiters: (() => void)[] = [];
  #unsubscribe: (() => void) | null = null;
  #started = false;
  #closed = false;
  /** Bumped by a rebuild: work begun on the old database stops. */
  #generation = 0;
  #rebuilds = 0;
  #sliceStart = 0;
  #failed = new Set<string>();
  #readBytes = 0;

  constructor(options: HistoryIndexOptions) {
    this.#o = {
      registry: options.registry,
      dataDir: options.dataDir,
      log: options.log,
      chunkBytes: options.chunkBytes ?? 1024 * 1024,
      batchBytes: options.batchBytes ?? 1024 * 1024,
      sliceMs: options.sliceMs ?? 8,
    };
    this.#registry = options.registry;
    this.#log = options.log;
    this.#prices = options.prices ?? NO_OVERRIDES;
    this.#codexTier = options.codexTier;
    this.#pricesAsOf = options.prices ? options.pricesAsOf ?? "" : undefined;
    const { db, path, fresh } = openHistoryDb(options.dataDir, options.log);
    this.#dbPath = path;
    this.#writer = new HistoryWriter(db, this.#prices);
    if (fresh === "corrupt") this.#rebuilds++;
    this.#load();
  }

  /** Reads the stored offsets and settles stored costs and days with today's prices and zone. */
  #load(): void {
    this.#files = this.#writer.loadFiles();
    this.#stored = this.#writer.loadAgents();
    const prices = `${PRICE_SOURCE.name}@${PRICE_SOURCE.version} ${
      _hash(JSON.stringify(this.#prices))
    }`;
    if (this.#writer.meta("prices") !== prices) {
      if (this.#files.size > 0) {
        this.#log.info("prices changed; recomputing stored costs", {
          rows: this.#writer.reprice(),
        });
      }
      this.#writer.setMeta("prices", prices);
    }
    const zone = timeZone();
    if (this.#writer.meta("tz") !== zone) {
      if (this.#files.size > 0) {
        this.#log.info("time zone changed; recomputing days", {
          zone,
          rows: this.#writer.redate(),
        });
      }
      this.#writer.setMeta("tz", zone);
    }
  }

  /**
   * Starts indexing every agent the registry holds (call it once the tracker
   * has listed the sources) and follows the registry from then on. Resolves
   * when the start-up pass is done; never rejects (problems are logged).
   */
  start(): Promise<void> {
    if (!this.#started && !this.#closed) {
      this.#started = true;
      this.#unsubscribe = this.#registry.subscribe((change) => this.#onChange(change));
      this.#queueAll();
      this.#kick();
    }
    return this.#state === "ready" || this.#closed
      ? Promise.resolve()
      : new Promise((resolve) => this.#readyWaiters.push(resolve));
  }

  /** Resolves once nothing is queued or being read (tests, benchmarks). */
  idle(): Promise<void> {
    // Title changes wait a moment to be written together; do not wait for that here.
    if (!this.#batch.empty) this.#kick();
    if (!this.#worker && this.#urgent.size === 0 && this.#backlog.size === 0) {
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Transcript bytes read since this index was made: 0 after a restart with nothing new. */
  get readBytes(): number {
    return this.#readBytes;
  }

  progress(): IndexProgress {
    let files = 0;
    let bytes = 0;
    let bytesTotal = 0;
    for (const [path, size] of this.#sizes) {
      bytesTotal += size;
      const state = this.#files.get(path);
      if (state && state.size >= size) {
        files++;
        bytes += size;
      } else {
        bytes += Math.min(state?.offset ?? 0, size);
      }
    }
    return { state: this.#state, files, filesTotal: this.#sizes.size, bytes, bytesTotal };
  }

  /** Progress as it changes (at most every 100 ms, and on every state change). */
  subscribe(listener: ProgressListener): () => void {
    this.#progressListeners.add(listener);
    return () => this.#progressListeners.delete(listener);
  }

  /**
   * An agent's tokens and cost so far, or null before any of its usage is
   * indexed (or for an agent the index has never seen).
   */
  agentUsage(agentId: string): AgentUsageTotals | null {
    return this.#query(() => {
      const usage = this.#writer.usageOf(agentId);
      return usage.tokens > 0 ? usage : null;
    });
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

  search(q: string, options: SearchOptions = {}): SearchResult {
    return this.#query(() => search(this.#writer.db, q, options));
  }

  /** The agents active on a local day (`YYYY-MM-DD`), latest first. */
  agentsOn(day: string): DayAgent[] {
    if (!isDay(day)) throw new RangeError(`not a day: ${day}`);
    return this.#query(() => agentsOnDay(this.#writer.db, day));
  }

  /** Usage between two local days, both included. */
  /** Where prices come from and as of when, for the UI to say. */
  priceSource(): PriceSource {
    return {
      ...PRICE_SOURCE,
      overrides: this.#pricesAsOf === undefined ? null : { asOf: this.#pricesAsOf || null },
      codexTier: this.#codexTier ?? null,
    };
  }

  usage(from: string, to: string, by: UsageBy): { rows: UsageRow[]; totals: UsageTotals } {
    return this.#query(() => usageBetween(this.#writer.db, from, to, by));
  }

  /** Stops following the registry, finishes the chunk in hand, and closes the database. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#unsubscribe?.();
    clearTimeout(this.#metaTimer);
    clearTimeout(this.#soonTimer);
    this.#soonTimer = undefined;
    clearTimeout(this.#progressTimer);
    await this.#worker;
    try {
      if (!this.#batch.empty) this.#writer.write(this.#batch);
    } catch (error) {
      this.#log.warn("could not save the last indexed lines", { error: _message(error) });
    }
    try {
      this.#writer.db.close();
    } catch {
      // Already closed by a failed rebuild.
    }
    for (const resolve of this.#readyWaiters.splice(0)) resolve();
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }

  // ---- following the registry ------------------------------------------------

  #queueAll(): void {
    const up: string[] = [];
    // list() is newest first: the agents a user looks at become searchable first.
    for (const agent of this.#registry.list()) {
      this.#sizes.set(agent.path, agent.size);
      this.#noteMeta(agent);
      if (this.#needsWork(agent)) this.#backlog.add(agent.path);
      else up.push(agent.id);
    }
    this.#state = this.#backlog.size > 0 ? "building" : "ready";
    // Agents already indexed get their totals now, from one query.
    const usage = allAgentUsage(this.#writer.db);
    for (const id of up) {
      const u = usage.get(id);
      if (u && u.tokens > 0) this.#announce(id, u);
    }
    this.#emitProgress(true);
    if (this.#state === "ready") this.#settleReady();
  }

  #onChange(change: AgentChange): void {
    if (this.#closed) return;
    if (change.type === "remove") {
      // The transcript is gone but its history stays searchable; it just leaves the totals.
      for (const path of this.#sizes.keys()) {
        if (!this.#registry.has(path)) this.#sizes.delete(path);
      }
      this.#emitProgress(false);
      return;
    }
    const agent = change.agent;
    const before = this.#sizes.get(agent.path);
    this.#sizes.set(agent.path, agent.size);
    this.#noteMeta(agent);
    if (this.#needsWork(agent)) {
      // Still waiting its turn in the start-up pass: keep that (newest first) order.
      if (!this.#backlog.has(agent.path)) this.#urgent.add(agent.path);
      // Caught up: a live append is the tail's to deliver first. Index it a
      // moment later, in one batch with whatever else arrives meanwhile.
      if (this.#state === "ready") this.#kickSoon();
      else this.#kick();
    } else if (!this.#announced.has(agent.id) && this.#files.has(agent.path)) {
      try {
        const usage = this.agentUsage(agent.id);
        if (usage) this.#announce(agent.id, usage);
      } catch {
        // Unavailable while rebuilding: the rebuild announces it when its lines are read again.
      }
    }
    if (before !== agent.size) this.#emitProgress(false);
  }

  #needsWork(agent: Agent): boolean {
    const state = this.#files.get(agent.path);
    if (!state) return true;
    const ino = this.#registry.entryOf(agent.id)?.ino ?? null;
    if (ino !== null && state.ino !== null && ino !== state.ino) return true;
    // A registry size between offset and size is a stale stat, not a change.
    return agent.size > state.size || agent.size < state.offset;
  }

  /** Title, project or source changed: stored with the next write (or shortly, when idle). */
  #noteMeta(agent: Agent): void {
    const info = this.#infoOf(agent);
    const stored = this.#stored.get(agent.id);
    if (
      stored && stored.title === info.title && stored.project === info.project &&
      stored.source === info.source && stored.path === info.path
    ) return;
    this.#batch.agents.set(agent.id, info);
    // Only known agents need a timer: new ones are written with their first lines.
    if (stored && !this.#worker && this.#metaTimer === undefined) {
      this.#metaTimer = setTimeout(() => {
        this.#metaTimer = undefined;
        if (!this.#worker && !this.#closed) this.#kick();
      }, 500);
    }
  }

  // ---- the worker --------------------------------------------------------------

  #kickSoon(): void {
    if (this.#soonTimer !== undefined || this.#closed) return;
    this.#soonTimer = setTimeout(() => {
      this.#soonTimer = undefined;
      this.#kick();
    }, LIVE_DELAY_MS);
  }

  #kick(): void {
    if (this.#worker || this.#closed) return;
    this.#worker = this.#drain().finally(() => {
      this.#worker = null;
      if (this.#closed) return;
      if (this.#urgent.size > 0 || this.#backlog.size > 0) this.#kick();
      else for (const resolve of this.#idleWaiters.splice(0)) resolve();
    });
  }

  async #drain(): Promise<void> {
    this.#sliceStart = performance.now();
    while (!this.#closed) {
      const path = _take(this.#urgent) ?? _take(this.#backlog);
      if (path === undefined) break;
      const generation = this.#generation;
      try {
        await this.#indexFile(path, generation);
      } catch (error) {
        if (this.#handle(error)) continue;
        if (!this.#failed.has(path)) {
          this.#failed.add(path);
          this.#log.warn("cannot index agent file", { path, error: _message(error) });
        }
      }
    }
    if (this.#closed) return;
    try {
      this.#flush();
    } catch (error) {
      if (!this.#handle(error)) {
        this.#log.warn("cannot write the history index", { error: _message(error) });
      }
    }
    if (this.#state === "building" && this.#urgent.size === 0 && this.#backlog.size === 0) {
      this.#state = "ready";
      this.#log.info("history index ready", _summary(this.progress()));
      this.#emitProgress(true);
      this.#settleReady();
    }
  }

  /** Reads one file forward from its stored offset (or from 0 if it was replaced). */
  async #indexFile(path: string, generation: number): Promise<void> {
    const agent = this.#registry.byPath(path);
    if (!agent) return; // gone from the list before its turn: nothing to read
    let info: Deno.FileInfo;
    try {
      info = await Deno.stat(path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return;
      throw error;
    }
    using file = await Deno.open(path, { read: true });
    const ino = info.ino ?? null;
    // The batch in hand may already hold this file's newer, uncommitted progress.
    let state = this.#batch.files.get(path) ?? this.#files.get(path);
    let restart = !state ||
      (state.ino !== null && ino !== null && state.ino !== ino) ||
      info.size < state.offset;
    if (state && !restart && info.size > state.size) {
      restart = !(await this.#sameFile(file, state));
    }
    if (state && !restart && info.size <= state.size) return; // nothing new
    if (generation !== this.#generation || this.#closed) return;
    if (state && restart) {
      // Truncated or replaced: forget what it said, then read it all again.
      this.#log.info("agent file was truncated or replaced; indexing it again", {
        path,
        size: info.size,
        indexed: state.offset,
      });
      this.#flush();
      if (this.#writer.forgetFile(path, agent.id)) this.#announce(agent.id, null);
      this.#readers.delete(agent.id);
      this.#files.delete(path);
      this.#lastMs.delete(path);
      state = undefined;
    }
    const start = state?.offset ?? 0;
    const splitter = new LineSplitter(start);
    const buf = new Uint8Array(this.#o.chunkBytes);
    let lastMs = this.#lastMs.get(path) ?? info.mtime?.getTime() ?? 0;
    let head = state?.head ?? "";
    let pos = start;
    const end = info.size;
    while (pos < end) {
      const n = await readAt(file, buf.subarray(0, Math.min(buf.length, end - pos)), pos);
      if (generation !== this.#generation || this.#closed) return;
      if (n <= 0) break;
      this.#readBytes += n;
      if (pos === 0) head = _head(buf.subarray(0, Math.min(n, HEAD_BYTES)));
      pos += n;
      const lines = splitter.push(buf.subarray(0, n));
      lastMs = this.#addLines(agent, lines, lastMs);
      this.#lastMs.set(path, lastMs);
      this.#batch.sourceBytes += n;
      const current = this.#registry.byPath(path) ?? agent;
      this.#batch.files.set(path, {
        path,
        agentId: agent.id,
        ino,
        // Until the end is reached, a restart must read on from `offset`.
        size: pos >= end ? end : splitter.offset,
        offset: splitter.offset,
        mtime: info.mtime?.getTime() ?? 0,
        head,
      });
      if (!this.#batch.agents.has(agent.id)) {
        this.#batch.agents.set(agent.id, this.#infoOf(current));
      }
      if (this.#batch.sourceBytes >= this.#o.batchBytes) {
        // A commit is the longest step: give it a slice of its own.
        await this.#yield(true);
        if (generation !== this.#generation || this.#closed) return;
        this.#flush();
        await this.#yield(true);
      } else {
        await this.#yield();
      }
      if (generation !== this.#generation || this.#closed) return;
    }
  }

  /** Same inode and size grew: make sure it is the same file and `offset` is still a line end. */
  async #sameFile(file: Deno.FsFile, state: FileState): Promise<boolean> {
    if (state.offset > 0) {
      const one = new Uint8Array(1);
      if (await readAt(file, one, state.offset - 1) !== 1 || one[0] !== 0x0a) return false;
    }
    if (!state.head) return true;
    const length = Number(state.head.split(":")[0]);
    const buf = new Uint8Array(length);
    let got = 0;
    while (got < length) {
      const n = await readAt(file, buf.subarray(got), got);
      if (n <= 0) break;
      got += n;
    }
    return got === length && _head(buf) === state.head;
  }

  #addLines(agent: Agent, lines: Line[], lastMs: number): number {
    const batch = this.#batch;
    for (const line of lines) {
      if (line.bytes === 0) continue;
      const { event } = parseLine(line.text, line.bytes);
      let ts = event.ts ?? null;
      if (ts !== null) {
        const ms = Date.parse(ts);
        if (Number.isFinite(ms)) {
          lastMs = ms;
          batch.addActivity(agent.id, ts, ms);
        } else {
          ts = null; // "[trimmed]" and the like: not a time
        }
      }
      const row = searchRowOf(event);
      if (row) {
        batch.events.push({
          ms: lastMs,
          agentId: agent.id,
          cursor: line.end,
          ts,
          kind: row.kind,
          text: row.text,
        });
      }
      for (const usage of this.#readerOf(agent).read(event)) batch.addUsage(usage, agent.id);
      if (event.kind === "meta" && event.costState) batch.costStates.set(agent.id, event.costState);
    }
    return lastMs;
  }

  /** The agent file's usage reader; one resuming mid-file learns Codex's model from the index. */
  #readerOf(agent: Agent): UsageReader {
    let reader = this.#readers.get(agent.id);
    if (reader === undefined) {
      reader = new UsageReader(agent.id, this.#codexTier);
      if (this.#files.has(agent.path)) reader.codexModel = this.#writer.lastCodexModel(agent.id);
      this.#readers.set(agent.id, reader);
    }
    return reader;
  }

  /**
   * What to store about an agent. Until the tracker has read a file's facts
   * the registry only has a file-name title and a folder-name project; a
   * stored title from an earlier run is better than that, so it is kept.
   */
  #infoOf(agent: Agent): AgentInfo {
    const stored = this.#stored.get(agent.id);
    const facts = this.#registry.factsOf(agent.path);
    const known = !stored || (facts !== undefined && Object.keys(facts).length > 0);
    return {
      agentId: agent.id,
      path: agent.path,
      source: agent.source,
      project: known ? agent.project : stored.project,
      title: known ? agent.title : stored.title,
    };
  }

  /** Commits the batch in hand and tells listeners what changed. */
  #flush(): void {
    const batch = this.#batch;
    if (batch.empty) return;
    this.#batch = new Batch();
    const touched = this.#writer.write(batch);
    for (const [path, state] of batch.files) this.#files.set(path, state);
    for (const [id, info] of batch.agents) this.#stored.set(id, info);
    for (const id of touched) this.#announce(id, this.#writer.usageOf(id));
    this.#emitProgress(false);
  }

  /**
   * Lets other tasks run when this slice has used its time. setImmediate, not
   * setTimeout(0): Deno clamps nested zero timers to a few milliseconds each,
   * which over a thousand chunks would be seconds of idling.
   */
  async #yield(always = false): Promise<void> {
    // Once caught up, live work takes shorter turns: an append waiting behind
    // the index is latency a watching browser sees.
    const slice = this.#state === "ready" ? Math.min(2, this.#o.sliceMs) : this.#o.sliceMs;
    if (!always && performance.now() - this.#sliceStart < slice) return;
    await new Promise((resolve) => setImmediate(resolve));
    this.#sliceStart = performance.now();
  }

  // ---- corruption ----------------------------------------------------------------

  /** True when `error` was corruption and the index is rebuilding (the caller moves on). */
  #handle(error: unknown): boolean {
    if (!isCorruption(error)) return false;
    this.#recover(error);
    return true;
  }

  /** Runs a query; corruption found by it starts a rebuild and reads as "unavailable". */
  #query<T>(fn: () => T): T {
    if (this.#closed) throw new IndexUnavailableError("the history index is closed");
    try {
      return fn();
    } catch (error) {
      if (!isCorruption(error)) throw error;
      this.#recover(error);
      throw new IndexUnavailableError("the history index was corrupt and is being rebuilt");
    }
  }

  /**
   * Sets the corrupt file aside and starts again on an empty one. Synchronous,
   * so no read in flight can interleave: when it resumes it sees the new
   * generation and drops what it read.
   */
  #recover(error: unknown): void {
    if (this.#closed) return;
    this.#generation++;
    try {
      this.#writer.db.close();
    } catch {
      // Closing a broken database may fail too; the file is being set aside anyway.
    }
    this.#rebuilds++;
    try {
      if (this.#rebuilds > MAX_REBUILDS) {
        throw new Error(`corrupt ${this.#rebuilds} times since start: ${_message(error)}`);
      }
      setAside(this.#dbPath, this.#log, error);
      const { db } = openHistoryDb(this.#o.dataDir, this.#log);
      this.#writer = new HistoryWriter(db, this.#prices);
    } catch (fatal) {
      this.#log.error("history index is unusable; search and history are off until restart", {
        path: this.#dbPath,
        error: _message(fatal),
      });
      this.#closed = true;
      this.#unsubscribe?.();
      for (const resolve of this.#readyWaiters.splice(0)) resolve();
      return;
    }
    this.#batch = new Batch();
    this.#files.clear();
    this.#stored.clear();
    this.#lastMs.clear();
    this.#readers.clear();
    this.#announced.clear();
    this.#urgent.clear();
    this.#backlog.clear();
    this.#load();
    this.#queueAll();
    this.#kick();
  }

  // ---- telling listeners ----------------------------------------------------------

  #announce(agentId: string, usage: AgentUsageTotals | null): void {
    const totals = usage ?? this.#writer.usageOf(agentId);
    this.#announced.add(agentId);
    for (const listener of this.#usageListeners) listener(agentId, totals);
  }

  #emitProgress(now: boolean): void {
    if (this.#progressListeners.size === 0) return;
    const wait = PROGRESS_EVERY_MS - (Date.now() - this.#lastProgress);
    if (!now && wait > 0) {
      this.#progressTimer ??= setTimeout(() => {
        this.#progressTimer = undefined;
        this.#emitProgress(true);
      }, wait);
      return;
    }
    clearTimeout(this.#progressTimer);
    this.#progressTimer = undefined;
    this.#lastProgress = Date.now();
    const progress = this.progress();
    for (const listener of this.#progressListeners) listener(progress);
  }

  #settleReady(): void {
    for (const resolve of this.#readyWaiters.splice(0)) resolve();
  }
}

function _take(set: Set<string>): string | undefined {
  for (const value of set) {
    set.delete(value);
    return value;
  }
  return undefined;
}

/** `<length>:<hash>` of a file's first bytes: enough to tell two files apart, small to store. */
function _head(bytes: Uint8Array): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  for (let i = 0; i < bytes.length; i++) {
    h1 = Math.imul(h1 ^ bytes[i]!, 0x01000193);
    h2 = Math.imul(h2 ^ bytes[i]!, 0x5bd1e995) ^ (h2 >>> 15);
  }
  return `${bytes.length}:${(h1 >>> 0).toString(16)}${(h2 >>> 0).toString(16)}`;
}

function _hash(text: string): string {
  return _head(new TextEncoder().encode(text)).split(":")[1]!;
}

function _message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function _summary(p: IndexProgress): Record<string, unknown> {
  return { files: p.files, mb: Math.round(p.bytes / 1e5) / 10 };
}
