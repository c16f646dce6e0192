import type { Logger } from "../core/log.ts";
import { locate, type Located, type Root } from "../files/roots.ts";
import { isWatchedName } from "../files/classify.ts";
import {
  describe,
  type FileEntry,
  realRoots,
  scanFolder,
  type ScanResult,
  scanRoots,
  statEntry,
} from "../files/scan.ts";
import { RootWatcher } from "../files/watch.ts";
import type { TailPool } from "../files/pool.ts";
import { readFacts, readMeta } from "./read_facts.ts";
import { AgentRegistry } from "./registry.ts";
import { type AgentFacts, mayHoldSidechains } from "./facts.ts";
import { SidechainReader } from "./sidechain_reader.ts";
import { runResult } from "./workflow.ts";

/**
 * A full listing may take this share of wall time at most: one that took
 * 300 ms waits 300 s for the next (never less than `auditMs`, never more than
 * `AUDIT_MAX_MS`), so the safety net's cost stays flat however many files
 * there are.
 */
const AUDIT_BUDGET = 1 / 1000;
const AUDIT_MAX_MS = 600_000;

export interface TrackerOptions {
  roots: readonly Root[];
  pool: TailPool;
  log: Logger;
  /** @default 90_000 */
  runningWindowMs?: number;
  /**
   * How often running files are stat-ed again (FSEvents can stay silent while
   * a long-open file grows), missing roots looked for and watchers checked.
   * Idle files are not touched: their watch events re-stat them.
   * @default 5000
   */
  relistMs?: number;
  /**
   * The least time between two full listings of every root with a stat of
   * every file: a safety net for events the OS never sent (a missed event,
   * FSEvents silence). It waits longer when a listing is slow (`AUDIT_BUDGET`).
   * @default 60_000
   */
  auditMs?: number;
  /** How often a changing file's title and activity are read again. @default 1000 */
  factsEveryMs?: number;
}

/**
 * Keeps the agents list in step with the disk: a stat-only scan at start,
 * watch events as hints (each one re-stats its path at once, a new folder is
 * listed), running files re-stat-ed every few seconds, a full listing now and
 * then as a safety net, and file heads/tails read in the background for
 * titles. Between listings the work is proportional to what changes, not to
 * how many files there are.
 */
export class AgentTracker {
  readonly registry: AgentRegistry;
  #options: TrackerOptions;
  #watcher: RootWatcher;
  #timers: ReturnType<typeof setInterval>[] = [];
  #missingLogged = new Set<string>();
  #errorsLogged = new Set<string>();
  #dirty = new Set<string>();
  #factsRunning = false;
  #lastFacts = new Map<string, number>();
  #closed = false;
  #statting = new Map<string, boolean>();
  /** Every file found, by the path the scan names it with. */
  #found = new Map<string, FileEntry>();
  /** The found files changed within the running window: stat-ed again every `relistMs`. */
  #hot = new Set<string>();
  /** Every folder that holds or held a found file: a vanished one takes its files with it. */
  #folders = new Set<string>();
  #missing: Root[] = [];
  #polling = false;
  #auditing: Promise<void> | null = null;
  /** Stats taken by watch events while a listing runs: newer than the listing's own. */
  #newer = new Map<string, FileEntry>();
  #auditTimer: ReturnType<typeof setTimeout> | undefined;
  #pendingRemovals = new Set<ReturnType<typeof setTimeout>>();
  /** Each root's resolved folder: watch events name paths under it. */
  #realRoots = new Map<string, string>();
  /** Claude Code 1.0.x sessions' inline subagents, read whole once, then as they grow. */
  #sidechains = new Map<string, SidechainReader>();
  /** Workflow runs whose record said how they ended: their record is not read again. */
  #runsEnded = new Set<string>();
  /** Found workflow runs not known to have ended, by found path: their record is read on each poll. */
  #runs = new Set<string>();

  constructor(options: TrackerOptions) {
    this.#options = options;
    this.registry = new AgentRegistry({ runningWindowMs: options.runningWindowMs });
    this.#watcher = new RootWatcher(options.roots, {
      onPaths: (paths) => this.#onPaths(paths),
      onRescan: () => {
        options.log.warn("file events overflowed; re-listing every source");
        options.pool.pokeAll();
        this.relist();
      },
      onError: (root, message) =>
        this.#logOnce(`watch:${root.path}`, "cannot watch source", {
          path: root.path,
          error: message,
        }),
    });
  }

  async start(): Promise<void> {
    await this.relist();
    this.#timers.push(setInterval(() => this.#poll(), this.#options.relistMs ?? 5000));
    this.#timers.push(setInterval(() => this.registry.tick(), 1000));
    this.#timers.push(setInterval(() => this.#drainFacts(), this.#options.factsEveryMs ?? 1000));
  }

  /**
   * Lists every root again and stats every file: new files appear, vanished
   * ones go, changed ones are updated, missing roots are retried. Only what
   * changed reaches the registry.
   */
  relist(): Promise<void> {
    this.#auditing ??= this.#audit().finally(() => {
      this.#auditing = null;
    });
    return this.#auditing;
  }

  async #audit(): Promise<void> {
    if (this.#closed) return;
    clearTimeout(this.#auditTimer);
    const began = performance.now();
    this.#newer.clear();
    const scan = await scanRoots(this.#options.roots);
    // A symlinked root may appear, or be re-pointed, at any time.
    this.#realRoots = await realRoots(this.#options.roots);
    if (this.#closed) return;
    this.#noteRoots(scan);
    const seen = new Set<string>();
    const previous = this.#found;
    this.#found = new Map();
    this.#hot.clear();
    const files = scan.files.map((f) => this.#newer.get(f.path) ?? f);
    this.#newer.clear();
    const fresh = this.#take(files, previous, seen);
    for (const path of this.registry.paths()) {
      if (seen.has(path)) continue;
      this.registry.remove(path);
      this.#sidechains.delete(path);
    }
    this.#titleFirst(fresh);
    await this.#watcher.refresh();
    if (this.#closed) return;
    const took = performance.now() - began;
    const wait = Math.min(
      AUDIT_MAX_MS,
      Math.max(this.#options.auditMs ?? 60_000, took / AUDIT_BUDGET),
    );
    this.#auditTimer = setTimeout(() => this.relist(), wait);
  }

  /**
   * Records scanned files; upserts those new or changed since `previous` (or
   * missing from the registry). Returns the new agents' paths.
   */
  #take(files: FileEntry[], previous: Map<string, FileEntry>, seen?: Set<string>): string[] {
    const fresh: string[] = [];
    const window = this.#options.runningWindowMs ?? 90_000;
    const now = Date.now();
    for (const entry of files) {
      const known = previous.get(entry.path);
      seen?.add(entry.realPath);
      this.#found.set(entry.path, entry);
      if (entry.source === "claude-workflow") this.#runs.add(entry.path);
      this.#folders.add(entry.path.slice(0, entry.path.lastIndexOf("/")));
      if (now - entry.mtime < window) this.#hot.add(entry.path);
      if (known && sameStat(known, entry) && this.registry.has(entry.realPath)) continue;
      const before = this.registry.byPath(entry.realPath);
      if (this.registry.upsert(entry)) {
        fresh.push(entry.realPath);
        if (entry.metaPath) {
          readMeta(entry.metaPath).then((meta) => this.registry.setMeta(entry.realPath, meta));
        }
      } else if (before && before.size !== entry.size) this.#dirty.add(entry.realPath);
    }
    return fresh;
  }

  /** Newest first, so the agents a user looks at get their titles first. */
  #titleFirst(fresh: string[]): void {
    fresh.sort((a, b) => (this.#mtimeOf(b) - this.#mtimeOf(a)));
    for (const path of fresh) this.#dirty.add(path);
    this.#drainFacts();
  }

  #noteRoots({ missing, errors }: ScanResult): void {
    this.#missing = missing;
    for (const root of missing) {
      if (!this.#missingLogged.has(root.path)) {
        this.#missingLogged.add(root.path);
        this.#options.log.info("source folder does not exist yet; watching for it", {
          path: root.path,
        });
      }
    }
    for (const root of this.#options.roots) {
      if (this.#missingLogged.has(root.path) && !missing.includes(root)) {
        this.#missingLogged.delete(root.path);
        this.#options.log.info("source folder appeared", { path: root.path });
      }
    }
    for (const { path, message } of errors) {
      this.#logOnce(`scan:${path}`, "cannot read source", { path, error: message });
    }
  }

  /**
   * The periodic round between listings: running files are stat-ed again, a
   * root that appeared is listed, watchers are checked. Idle files cost
   * nothing here.
   */
  async #poll(): Promise<void> {
    if (this.#polling || this.#closed || this.#auditing) return;
    this.#polling = true;
    try {
      this.#realRoots = await realRoots(this.#options.roots);
      if (this.#missing.some((root) => this.#realRoots.has(root.path))) {
        await this.relist();
        return;
      }
      const window = this.#options.runningWindowMs ?? 90_000;
      for (const path of [...this.#hot]) {
        const known = this.#found.get(path);
        if (!known || this.#closed) continue;
        const at = locate(path, this.#options.roots, this.#realRoots);
        const entry = at ? await statEntry(path, at.root) : null;
        if (this.#closed || this.#auditing) return;
        if (!entry) {
          this.#hot.delete(path);
          if (at) this.#removeLater(at);
          continue;
        }
        if (Date.now() - entry.mtime >= window) this.#hot.delete(path);
        if (!sameStat(known, entry)) this.#take([entry], this.#found);
      }
      // A run's record is written when it ends, and its journal may not change then.
      for (const path of this.#runs) {
        const entry = this.#found.get(path);
        if (entry && !this.#runsEnded.has(entry.realPath)) this.#readRunRecord(entry);
        else this.#runs.delete(path);
      }
      await this.#watcher.refresh();
    } finally {
      this.#polling = false;
    }
  }

  #mtimeOf(path: string): number {
    return this.registry.byPath(path)?.mtime ?? 0;
  }

  #onPaths(paths: string[]): void {
    for (const path of paths) {
      const at = locate(path, this.#options.roots, this.#realRoots);
      // Tails first: this is the latency path from append to browser. A tail
      // is keyed by its resolved path; an event may name either spelling.
      this.#options.pool.poke(path);
      if (at && at.resolved !== path) this.#options.pool.poke(at.resolved);
      if (at) this.#restat(at);
    }
  }

  /**
   * Re-stats one path named by a watch event, as the scan names it (so the
   * file's last stat is replaced, not shadowed); coalesces bursts per path.
   */
  #restat(at: Located): void {
    const { root, given: path } = at;
    if (this.#statting.has(path)) {
      this.#statting.set(path, true);
      return;
    }
    if (!isWatchedName(path.slice(path.lastIndexOf("/") + 1), root.kind)) {
      this.#statFolder(at);
      return;
    }
    this.#statting.set(path, false);
    statEntry(path, root).then((entry) => {
      if (this.#closed) return;
      if (!entry) {
        // Rotation renames the file away and recreates it: give it a moment.
        if (this.registry.byPath(at.resolved)) this.#removeLater(at);
        return;
      }
      this.#found.set(path, entry);
      if (entry.source === "claude-workflow") this.#runs.add(path);
      if (this.#auditing) this.#newer.set(path, entry);
      this.#folders.add(path.slice(0, path.lastIndexOf("/")));
      // Just written: stat-ed on every poll while it stays in the running window.
      this.#hot.add(path);
      const isNew = this.registry.upsert(entry);
      if (isNew && entry.metaPath) {
        readMeta(entry.metaPath).then((meta) => this.registry.setMeta(entry.realPath, meta));
      }
      this.#dirty.add(entry.realPath);
      // At once, not on the next tick: a question or a failure should show
      // as soon as it is written. A file read less than a second ago still
      // waits for the tick (the per-file interval).
      this.#drainFacts();
    }).finally(() => {
      const again = this.#statting.get(path);
      this.#statting.delete(path);
      if (again && !this.#closed) this.#restat(at);
    });
  }

  #removeLater({ root, given, resolved }: Located): void {
    const timer = setTimeout(async () => {
      this.#pendingRemovals.delete(timer);
      if (this.#closed || await statEntry(given, root)) return;
      this.#found.delete(given);
      this.#hot.delete(given);
      if (this.registry.remove(resolved)) this.#options.pool.poke(resolved);
      this.#sidechains.delete(resolved);
    }, 1000);
    this.#pendingRemovals.add(timer);
  }

  /**
   * A path that is no transcript changed: a new folder is listed (its files may
   * have been written before the watch saw them), a vanished one takes its
   * files with it (a folder moved away reports only itself).
   */
  async #statFolder(at: Located): Promise<void> {
    let isFolder: boolean | null;
    try {
      isFolder = (await Deno.stat(at.given)).isDirectory;
    } catch {
      isFolder = null;
    }
    if (this.#closed || isFolder === false) return;
    if (isFolder === null) {
      const inside = `${at.given}/`;
      if (![...this.#folders].some((f) => f === at.given || f.startsWith(inside))) return;
      for (const path of this.#found.keys()) {
        if (!path.startsWith(inside)) continue;
        const file = locate(path, this.#options.roots, this.#realRoots);
        if (file) this.#removeLater(file);
      }
      return;
    }
    const scan = await scanFolder(at.given, at.root);
    if (this.#closed) return;
    this.#titleFirst(this.#take(scan.files, this.#found));
  }

  /** Reads titles and activity for files that changed, each at most once per interval. */
  async #drainFacts(): Promise<void> {
    if (this.#factsRunning || this.#closed) return;
    this.#factsRunning = true;
    try {
      const every = this.#options.factsEveryMs ?? 1000;
      const now = Date.now();
      const due = [...this.#dirty].filter((p) => now - (this.#lastFacts.get(p) ?? 0) >= every);
      for (const p of due) this.#dirty.delete(p);
      let next = 0;
      const worker = async () => {
        while (next < due.length && !this.#closed) {
          const path = due[next++]!;
          const agent = this.registry.byPath(path);
          if (!agent) continue;
          this.#lastFacts.set(path, Date.now());
          try {
            const facts = await readFacts(path, agent.size);
            this.registry.setFacts(path, facts);
            await this.#readSidechains(path, facts);
          } catch (error) {
            if (!(error instanceof Deno.errors.NotFound)) {
              this.#logOnce(`facts:${path}`, "cannot read agent file", {
                path,
                error: describe(error),
              });
            }
          }
        }
      };
      await Promise.all([worker(), worker(), worker(), worker()]);
    } finally {
      this.#factsRunning = false;
    }
  }

  #readRunRecord(entry: FileEntry): void {
    if (!entry.metaPath || this.#runsEnded.has(entry.realPath)) return;
    readMeta(entry.metaPath).then((meta) => {
      if (runResult(meta)) this.#runsEnded.add(entry.realPath);
      if (meta) this.registry.setMeta(entry.realPath, meta);
    });
  }

  /** A 1.0.x session's subagents, from the lines it wrote since the last read. */
  async #readSidechains(path: string, facts: AgentFacts): Promise<void> {
    if (this.registry.byPath(path)?.source !== "claude-session" || !mayHoldSidechains(facts)) {
      return;
    }
    let reader = this.#sidechains.get(path);
    if (!reader) {
      reader = new SidechainReader(path);
      this.#sidechains.set(path, reader);
    }
    const agents = await reader.agents();
    if (this.#closed || this.#sidechains.get(path) !== reader) return;
    this.registry.setInline(path, agents, (root) => reader.viewOf(root));
  }

  #logOnce(key: string, message: string, fields: Record<string, unknown>): void {
    if (this.#errorsLogged.has(key)) return;
    this.#errorsLogged.add(key);
    this.#options.log.warn(message, fields);
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#auditTimer);
    for (const t of this.#timers) clearInterval(t);
    for (const t of this.#pendingRemovals) clearTimeout(t);
    this.#pendingRemovals.clear();
    this.#timers = [];
    this.#watcher.close();
  }
}

/** Whether a file is as it was: same bytes in the same place. */
function sameStat(a: FileEntry, b: FileEntry): boolean {
  return a.size === b.size && a.mtime === b.mtime && a.ino === b.ino && a.realPath === b.realPath &&
    a.source === b.source;
}
