import type { Logger } from "../core/log.ts";
import { locate, type Located, type Root } from "../files/roots.ts";
import { isWatchedName } from "../files/classify.ts";
import { describe, type FileEntry, realRoots, scanRoots, statEntry } from "../files/scan.ts";

/** How often a re-list stats every file, not just the active ones. */
const FULL_SCAN_MS = 60_000;
import { RootWatcher } from "../files/watch.ts";
import type { TailPool } from "../files/pool.ts";
import { readFacts, readMeta } from "./read_facts.ts";
import { AgentRegistry } from "./registry.ts";
import { type AgentFacts, mayHoldSidechains } from "./facts.ts";
import { SidechainReader } from "./sidechain_reader.ts";
import { runResult } from "./workflow.ts";

export interface TrackerOptions {
  roots: readonly Root[];
  pool: TailPool;
  log: Logger;
  /** @default 90_000 */
  runningWindowMs?: number;
  /**
   * Every root is listed again this often, a safety net for events the OS
   * never sent (folders created in a burst, FSEvents silence, overflow).
   * @default 5000
   */
  relistMs?: number;
  /** How often a changing file's title and activity are read again. @default 1000 */
  factsEveryMs?: number;
}

/**
 * Keeps the agents list in step with the disk: a stat-only scan at start,
 * watch events as hints (each one re-stats its path at once), a periodic
 * re-list, and file heads/tails read in the background for titles.
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
  #found = new Map<string, FileEntry>();
  #lastFullScan = 0;
  #pendingRemovals = new Set<ReturnType<typeof setTimeout>>();
  /** Each root's resolved folder: watch events name paths under it. */
  #realRoots = new Map<string, string>();
  /** Claude Code 1.0.x sessions' inline subagents, read whole once, then as they grow. */
  #sidechains = new Map<string, SidechainReader>();
  /** Workflow runs whose record said how they ended: their record is not read again. */
  #runsEnded = new Set<string>();

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
    this.#timers.push(setInterval(() => this.relist(), this.#options.relistMs ?? 5000));
    this.#timers.push(setInterval(() => this.registry.tick(), 1000));
    this.#timers.push(setInterval(() => this.#drainFacts(), this.#options.factsEveryMs ?? 1000));
  }

  /** Lists every root again: new files appear, vanished ones go, missing roots are retried. */
  async relist(): Promise<void> {
    if (this.#closed) return;
    // Listing folders is cheap; stat-ing thousands of idle transcripts every few
    // seconds is not. Idle files keep their last stat (watch events still
    // re-stat them at once); hot files and, once a minute, everything are
    // stat-ed again.
    const full = Date.now() - this.#lastFullScan >= FULL_SCAN_MS;
    const window = this.#options.runningWindowMs ?? 90_000;
    const now = Date.now();
    const reuse = full ? undefined : (path: string) => {
      const known = this.#found.get(path);
      return known && now - known.mtime > window ? known : undefined;
    };
    const { files, missing, errors } = await scanRoots(this.#options.roots, reuse);
    // A symlinked root may appear, or be re-pointed, at any time.
    this.#realRoots = await realRoots(this.#options.roots);
    if (full) this.#lastFullScan = now;
    const previous = this.#found;
    this.#found = new Map(files.map((f) => [f.path, f]));
    if (this.#closed) return;
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
    const seen = new Set<string>();
    const fresh: string[] = [];
    for (const entry of files) {
      seen.add(entry.realPath);
      // An idle file's reused stat is the very entry the registry has: nothing to redo.
      if (previous.get(entry.path) === entry && this.registry.has(entry.realPath)) continue;
      const before = this.registry.byPath(entry.realPath);
      const isNew = this.registry.upsert(entry);
      if (isNew) {
        fresh.push(entry.realPath);
        if (entry.metaPath) {
          readMeta(entry.metaPath).then((meta) => this.registry.setMeta(entry.realPath, meta));
        }
      } else if (before && before.size !== entry.size) this.#dirty.add(entry.realPath);
    }
    for (const path of this.registry.paths()) {
      if (seen.has(path)) continue;
      this.registry.remove(path);
      this.#sidechains.delete(path);
    }
    // A run's record is written when it ends; its journal may not change then.
    for (const entry of files) {
      if (entry.source === "claude-workflow" && !fresh.includes(entry.realPath)) {
        this.#readRunRecord(entry);
      }
    }
    // Newest first, so the agents a user looks at get their titles first.
    fresh.sort((a, b) => (this.#mtimeOf(b) - this.#mtimeOf(a)));
    for (const path of fresh) this.#dirty.add(path);
    this.#drainFacts();
    await this.#watcher.refresh();
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
      // A new folder: its files may have been written before the watch saw them.
      this.#statFolder(path);
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
      if (this.registry.remove(resolved)) this.#options.pool.poke(resolved);
      this.#sidechains.delete(resolved);
    }, 1000);
    this.#pendingRemovals.add(timer);
  }

  async #statFolder(path: string): Promise<void> {
    try {
      if ((await Deno.stat(path)).isDirectory) await this.relist();
    } catch {
      // Gone already: nothing to list.
    }
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
    for (const t of this.#timers) clearInterval(t);
    for (const t of this.#pendingRemovals) clearTimeout(t);
    this.#pendingRemovals.clear();
    this.#timers = [];
    this.#watcher.close();
  }
}
