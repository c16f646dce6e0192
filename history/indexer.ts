/**
 * The catch-up work of the history index, inside the history worker: every
 * transcript the agents list holds, read forward from where it was last read,
 * into the database (history/store.ts).
 *
 * One pass at start-up (newest agents first), then one small pass per change
 * the daemon reports. Reads are 64 KiB chunks (history/read.ts); writes are
 * batched transactions. The worker has its own event loop, so this never
 * delays a live view; it still yields every few milliseconds so queries
 * (which share this thread with it) are answered promptly.
 */
import { setImmediate } from "node:timers";
import type { Logger } from "../core/log.ts";
import { LineSplitter } from "../files/lines.ts";
import { readAtSync } from "../files/positional.ts";
import { isCorruption } from "./db.ts";
import { IndexUnavailableError } from "./errors.ts";
import { type IndexProgress, progressOf, Throttle } from "./progress.ts";
import type { AgentNote } from "./protocol.ts";
import { UsageReader } from "../cost/reader.ts";
import { addLines, HEAD_BYTES, headOf, sameFile, tagAt } from "./read.ts";
import { compressedChanged, isZst, readCompressed } from "./compressed.ts";
import type { IndexerEvents, IndexerOptions } from "./indexer_types.ts";
import type { AgentUsageTotals } from "./rollups.ts";
import type { HistoryStore } from "./store.ts";
import type { AgentInfo, Batch } from "./batch.ts";

/** Progress events at most this often (plus one on every state change). */
const PROGRESS_EVERY_MS = 100;
/** How long live appends wait before the index reads them (they batch meanwhile). */
const LIVE_DELAY_MS = 200;
/** A known agent's new title or project waits this long to be written with others. */
const META_DELAY_MS = 500;

export class Indexer {
  #store: HistoryStore;
  #log: Logger;
  #events: IndexerEvents;
  #chunkBytes: number;
  #batchBytes: number;
  #sliceMs: number;
  /** The agents list as the daemon reported it, by path, newest first at start. */
  #agents = new Map<string, AgentNote>();
  /** Latest timestamp (ms) read per file: lines without one sort just after it. */
  #lastMs = new Map<string, number>();
  /** Per file: what its earlier lines said that later ones bill by (Codex's model). */
  #readers = new Map<string, UsageReader>();
  #codexTier: string | undefined;
  #urgent = new Set<string>();
  #backlog = new Set<string>();
  #batch: Batch;
  #announced = new Set<string>();
  #failed = new Set<string>();
  #state: IndexProgress["state"] = "building";
  #progress: Throttle;
  #metaTimer: ReturnType<typeof setTimeout> | undefined;
  #soonTimer: ReturnType<typeof setTimeout> | undefined;
  #pass: Promise<void> | null = null;
  #idleWaiters: (() => void)[] = [];
  #started = false;
  #closed = false;
  /** Bumped by a rebuild: work begun on the old database stops. */
  #generation = 0;
  #sliceStart = 0;
  #readBytes = 0;

  constructor(store: HistoryStore, log: Logger, events: IndexerEvents, options: IndexerOptions) {
    this.#store = store;
    this.#log = log;
    this.#events = events;
    this.#chunkBytes = options.chunkBytes ?? 64 * 1024;
    this.#batchBytes = options.batchBytes ?? 1024 * 1024;
    this.#sliceMs = options.sliceMs ?? 8;
    this.#codexTier = options.codexTier;
    this.#progress = new Throttle(PROGRESS_EVERY_MS, () => events.progress(this.progress()));
    this.#batch = store.batch();
  }

  /** A file's usage reader; one resuming mid-file learns Codex's model from the index. */
  #readerOf(agentId: string, path: string): UsageReader {
    let reader = this.#readers.get(path);
    if (reader === undefined) {
      reader = new UsageReader(agentId, this.#codexTier);
      if (this.#store.files.has(path)) reader.codexModel = this.#store.lastCodexModel(agentId);
      this.#readers.set(path, reader);
    }
    return reader;
  }

  /** Transcript bytes read since the worker started: 0 after a restart with nothing new. */
  get readBytes(): number {
    return this.#readBytes;
  }

  progress(): IndexProgress {
    const sizes = [...this.#agents.values()].map((a): [string, number] => [a.path, a.size]);
    return progressOf(this.#state, sizes, this.#store.files);
  }

  /** The whole agents list, newest first: starts the catch-up pass (once). */
  start(agents: AgentNote[]): void {
    if (this.#started || this.#closed) return;
    this.#started = true;
    for (const agent of agents) this.#agents.set(agent.path, agent);
    this.#queueAll();
    this.#kick();
  }

  upsert(agent: AgentNote): void {
    if (this.#closed || !this.#started) return;
    const before = this.#agents.get(agent.path)?.size;
    this.#agents.set(agent.path, agent);
    this.#noteMeta(agent);
    if (this.#needsWork(agent)) {
      // Still waiting its turn in the start-up pass: keep that (newest first) order.
      if (!this.#backlog.has(agent.path)) this.#urgent.add(agent.path);
      // Caught up: a live append is the tail's to deliver first. Index it a
      // moment later, in one batch with whatever else arrives meanwhile.
      if (this.#state === "ready") this.#kickSoon();
      else this.#kick();
    } else if (!this.#announced.has(agent.id) && this.#store.files.has(agent.path)) {
      try {
        const usage = this.agentUsage(agent.id);
        if (usage) this.#announce(agent.id, usage);
      } catch {
        // Unavailable while rebuilding: the rebuild announces it when its lines are read again.
      }
    }
    if (before !== agent.size) this.#progress.request(false);
  }

  /** The transcript is gone but its history stays searchable; it just leaves the totals. */
  remove(path: string): void {
    const agent = this.#agents.get(path);
    if (this.#closed || !agent) return;
    this.#agents.delete(path);
    // If the file comes back, the list makes a new agent for it with no totals: tell it again.
    this.#announced.delete(agent.id);
    this.#progress.request(false);
  }

  /** An agent's tokens and cost so far, or null before any of its usage is indexed. */
  agentUsage(agentId: string): AgentUsageTotals | null {
    return this.query(() => {
      const usage = this.#store.usageOf(agentId);
      return usage.tokens > 0 ? usage : null;
    });
  }

  /** Runs a query; corruption found by it starts a rebuild and reads as "unavailable". */
  query<T>(fn: () => T): T {
    if (this.#closed) throw new IndexUnavailableError("the history index is closed");
    try {
      return fn();
    } catch (error) {
      if (!isCorruption(error)) throw error;
      this.#recover(error);
      throw new IndexUnavailableError("the history index was corrupt and is being rebuilt");
    }
  }

  /** Resolves once nothing is queued or being read (tests, benchmarks). */
  idle(): Promise<void> {
    // Title changes wait a moment to be written together; do not wait for that here.
    if (!this.#batch.empty) this.#kick();
    if (!this.#pass && this.#urgent.size === 0 && this.#backlog.size === 0) {
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Finishes the chunk in hand, saves what was read, and closes the database. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#metaTimer);
    clearTimeout(this.#soonTimer);
    this.#progress.stop();
    await this.#pass;
    try {
      if (!this.#batch.empty) this.#store.commit(this.#batch);
    } catch (error) {
      this.#log.warn("could not save the last indexed lines", { error: _message(error) });
    }
    this.#store.close();
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }

  // ---- what needs reading ------------------------------------------------------

  #queueAll(): void {
    const up: string[] = [];
    for (const agent of this.#agents.values()) {
      this.#noteMeta(agent);
      if (this.#needsWork(agent)) this.#backlog.add(agent.path);
      else up.push(agent.id);
    }
    this.#state = this.#backlog.size > 0 ? "building" : "ready";
    // Agents already indexed get their totals now, from one query.
    const usage = this.#store.allUsage();
    for (const id of up) {
      const u = usage.get(id);
      if (u && u.tokens > 0) this.#announce(id, u);
    }
    this.#progress.request(true);
    if (this.#state === "ready") this.#events.ready(this.progress());
  }

  #needsWork(agent: AgentNote): boolean {
    const state = this.#store.files.get(agent.path);
    if (!state) return true;
    if (agent.ino !== null && state.ino !== null && agent.ino !== state.ino) return true;
    // Same size, bytes changed since: perhaps rewritten in place (the pass checks its tag).
    if (agent.size === state.size && agent.mtime !== state.mtime && state.tag) return true;
    // A listed size between offset and size is a stale stat, not a change.
    return agent.size > state.size || agent.size < state.offset;
  }

  /** Title, project or source changed: stored with the next write (or shortly, when idle). */
  #noteMeta(agent: AgentNote): void {
    const info = this.#infoOf(agent);
    const stored = this.#store.stored.get(agent.id);
    if (
      stored && stored.title === info.title && stored.project === info.project &&
      stored.source === info.source && stored.path === info.path
    ) return;
    this.#batch.agents.set(agent.id, info);
    // Only known agents need a timer: new ones are written with their first lines.
    if (stored && !this.#pass && this.#metaTimer === undefined) {
      this.#metaTimer = setTimeout(() => {
        this.#metaTimer = undefined;
        if (!this.#pass && !this.#closed) this.#kick();
      }, META_DELAY_MS);
    }
  }

  /**
   * What to store about an agent. Until the tracker has read a file's facts
   * the list only has a file-name title and a folder-name project; a stored
   * title from an earlier run is better than that, so it is kept.
   */
  #infoOf(agent: AgentNote): AgentInfo {
    const stored = this.#store.stored.get(agent.id);
    const known = !stored || agent.factsKnown;
    return {
      agentId: agent.id,
      path: agent.path,
      source: agent.source,
      project: known ? agent.project : stored.project,
      title: known ? agent.title : stored.title,
    };
  }

  // ---- the pass ------------------------------------------------------------------

  #kickSoon(): void {
    if (this.#soonTimer !== undefined || this.#closed) return;
    this.#soonTimer = setTimeout(() => {
      this.#soonTimer = undefined;
      this.#kick();
    }, LIVE_DELAY_MS);
  }

  #kick(): void {
    if (this.#pass || this.#closed) return;
    this.#pass = this.#drain().finally(() => {
      this.#pass = null;
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
        // A row failed to write: the batch undid itself (read again as after a failed commit).
        if (this.#batch.lost) this.#batch = this.#store.batch();
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
      const progress = this.progress();
      this.#log.info("history index ready", {
        files: progress.files,
        mb: Math.round(progress.bytes / 1e5) / 10,
      });
      this.#progress.request(true);
      this.#events.ready(progress);
    }
  }

  /** Reads one file forward from its stored offset (or from 0 if it was replaced). */
  async #indexFile(path: string, generation: number): Promise<void> {
    const agent = this.#agents.get(path);
    if (!agent) return; // gone from the list before its turn: nothing to read
    // Synchronous file calls: this thread serves no live view, and each async
    // call is a round trip through Deno's thread pool, which on a busy machine
    // waits for a core twice (measured: a third slower over 1 GB).
    let info: Deno.FileInfo;
    try {
      info = Deno.statSync(path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return;
      throw error;
    }
    if (isZst(path)) return await this.#indexCompressed(path, agent, info, generation);
    using file = Deno.openSync(path, { read: true });
    const ino = info.ino ?? null;
    // The batch in hand may already hold this file's newer, uncommitted progress.
    let state = this.#batch.files.get(path) ?? this.#store.files.get(path);
    const mtime = info.mtime?.getTime() ?? 0;
    let restart = !state ||
      (state.ino !== null && ino !== null && state.ino !== ino) ||
      info.size < state.offset;
    if (state && !restart && (info.size > state.size || mtime !== state.mtime)) {
      restart = !sameFile(file, ino, state);
    }
    if (state && !restart && info.size <= state.size) {
      // Nothing new. Touched but the same bytes: note the time, so it is not checked again.
      if (mtime !== state.mtime) this.#batch.files.set(path, { ...state, mtime });
      return;
    }
    if (generation !== this.#generation || this.#closed) return;
    if (state && restart) {
      // Truncated or replaced: forget what it said, then read it all again.
      this.#log.info("agent file was truncated or replaced; indexing it again", {
        path,
        size: info.size,
        indexed: state.offset,
      });
      this.#forget(path, agent.id);
      state = undefined;
    }
    const start = state?.offset ?? 0;
    const splitter = new LineSplitter(start);
    const buf = new Uint8Array(this.#chunkBytes);
    let lastMs = this.#lastMs.get(path) ?? info.mtime?.getTime() ?? 0;
    let head = state?.head ?? "";
    let pos = start;
    const end = info.size;
    while (pos < end) {
      const n = readAtSync(file, buf.subarray(0, Math.min(buf.length, end - pos)), pos);
      if (generation !== this.#generation || this.#closed) return;
      if (n <= 0) break;
      this.#readBytes += n;
      if (pos === 0) head = headOf(buf.subarray(0, Math.min(n, HEAD_BYTES)));
      pos += n;
      const lines = splitter.push(buf.subarray(0, n));
      this.#batch.mtimes.set(agent.id, mtime);
      lastMs = addLines(this.#batch, agent.id, lines, lastMs, this.#readerOf(agent.id, path));
      this.#lastMs.set(path, lastMs);
      this.#batch.sourceBytes += n;
      this.#batch.files.set(path, {
        path,
        agentId: agent.id,
        ino,
        // Until the end is reached, a restart must read on from `offset`.
        size: pos >= end ? end : splitter.offset,
        offset: splitter.offset,
        mtime,
        head,
        tag: tagAt(file, ino, splitter.offset),
      });
      if (!this.#batch.agents.has(agent.id)) {
        this.#batch.agents.set(agent.id, this.#infoOf(this.#agents.get(path) ?? agent));
      }
      if (this.#batch.sourceBytes >= this.#batchBytes) {
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

  /** A `.jsonl.zst` rollout: streamed whole, and again if it changes (history/compressed.ts). */
  async #indexCompressed(path: string, agent: AgentNote, info: Deno.FileInfo, generation: number) {
    const state = this.#batch.files.get(path) ?? this.#store.files.get(path);
    if (!compressedChanged(info, state)) return;
    if (state) this.#forget(path, agent.id);
    const usage = this.#readerOf(agent.id, path);
    await readCompressed(path, info, () => this.#batch, this.#infoOf(agent), usage, async (n) => {
      this.#readBytes += n;
      if (this.#batch.sourceBytes >= this.#batchBytes) this.#flush();
      await this.#yield();
      return generation === this.#generation && !this.#closed;
    });
  }

  #forget(path: string, agentId: string): void {
    this.#flush();
    if (this.#store.forget(path, agentId)) this.#announce(agentId, null);
    this.#lastMs.delete(path);
    this.#readers.delete(path);
  }

  /** Commits the batch in hand and tells the daemon what changed. */
  #flush(): void {
    const batch = this.#batch;
    if (batch.empty) return;
    this.#batch = this.#store.batch();
    const touched = this.#store.commit(batch);
    for (const id of touched) this.#announce(id, this.#store.usageOf(id));
    this.#progress.request(false);
  }

  /**
   * Lets queries in when this slice has used its time. setImmediate, not
   * setTimeout(0): Deno clamps nested zero timers to a few milliseconds each,
   * which over a thousand chunks would be seconds of idling.
   */
  async #yield(always = false): Promise<void> {
    // Once caught up, live work takes shorter turns: a query waiting behind it is latency.
    const slice = this.#state === "ready" ? Math.min(2, this.#sliceMs) : this.#sliceMs;
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

  /**
   * Sets the corrupt file aside and starts again on an empty one. Synchronous,
   * so no read in flight can interleave: when it resumes it sees the new
   * generation and drops what it read.
   */
  #recover(error: unknown): void {
    if (this.#closed) return;
    this.#generation++;
    try {
      this.#store.replace(error);
    } catch (fatal) {
      const reason = `the history index is unusable (${
        _message(fatal)
      }); search and history are off until restart`;
      this.#log.error(reason, { error: _message(fatal) });
      this.#closed = true;
      this.#progress.stop();
      for (const resolve of this.#idleWaiters.splice(0)) resolve();
      this.#events.off(reason);
      return;
    }
    this.#batch = this.#store.batch();
    this.#lastMs.clear();
    this.#readers.clear();
    this.#announced.clear();
    this.#urgent.clear();
    this.#backlog.clear();
    this.#queueAll();
    this.#kick();
  }

  #announce(agentId: string, usage: AgentUsageTotals | null): void {
    this.#announced.add(agentId);
    this.#events.usage(agentId, usage ?? this.#store.usageOf(agentId));
  }
}

function _take(set: Set<string>): string | undefined {
  for (const value of set) {
    set.delete(value);
    return value;
  }
  return undefined;
}

function _message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
