/**
 * The history database: where it lives, its schema, and what happens when the
 * file on disk is not a database any more. Everything in it can be rebuilt
 * from the transcripts, so a corrupt or outdated file of tailboard's is set
 * aside and the index starts again rather than failing the daemon. A file
 * tailboard did not write is never opened for writing (history/owner.ts).
 */
import { DatabaseSync } from "node:sqlite";
import { mkdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "../core/log.ts";
import { APPLICATION_ID, isUnstampedOurs, ownerOfFile } from "./owner.ts";

/** Bumped whenever the tables change shape; an older file is rebuilt, not migrated. */
export const SCHEMA_VERSION = 2;

export const DB_FILE = "history.db";

export interface DataDirEnv {
  home: string;
  platform: "darwin" | "linux" | string;
  /** Process environment variables that matter here (`XDG_DATA_HOME`). */
  env: Record<string, string | undefined>;
}

/**
 * The platform's folder for tailboard's data: `~/Library/Application
 * Support/tailboard` on macOS, `$XDG_DATA_HOME/tailboard` or
 * `~/.local/share/tailboard` elsewhere.
 */
export function defaultDataDir({ home, platform, env }: DataDirEnv): string {
  if (platform === "darwin") return `${home}/Library/Application Support/tailboard`;
  // The XDG spec says a relative $XDG_DATA_HOME is invalid and must be ignored.
  const xdg = env.XDG_DATA_HOME?.trim();
  if (xdg && xdg.startsWith("/")) return `${xdg.replace(/\/+$/, "")}/tailboard`;
  return `${home}/.local/share/tailboard`;
}

/** Why the file was started afresh, when it was. */
export type FreshReason = "new" | "corrupt" | "schema";

export interface OpenedDb {
  db: DatabaseSync;
  path: string;
  /** Set when the database was (re)created empty and everything must be indexed. */
  fresh: FreshReason | null;
}

const SCHEMA = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
-- One row per transcript file: how far it has been read. 'offset' is just
-- after the last complete line indexed; 'head' is the file's first bytes (hex),
-- to notice a file replaced in place by one that merely grew past the offset.
CREATE TABLE files (
  path TEXT PRIMARY KEY,
  agent_id TEXT NOT NULL,
  ino INTEGER,
  size_indexed INTEGER NOT NULL,
  offset INTEGER NOT NULL,
  mtime INTEGER NOT NULL,
  head TEXT NOT NULL DEFAULT ''
);
CREATE INDEX files_by_agent ON files (agent_id);
CREATE TABLE agents (
  agent_id TEXT PRIMARY KEY,
  path TEXT NOT NULL,
  source TEXT NOT NULL,
  project TEXT NOT NULL,
  title TEXT NOT NULL,
  first_ts TEXT,
  last_ts TEXT,
  -- Claude Code's own running cost of the session (its latest 'cost-state'
  -- line) and its per-model figures as JSON: shown beside the estimate, never
  -- summed into it. Null when the file has none.
  reported_usd REAL,
  reported_models TEXT
) WITHOUT ROWID;
-- One row per API response (cost/usage.ts key): the replay of a message in
-- another file, or a later streaming snapshot of it, updates the row instead
-- of adding one. 'day' is the local day of 'ts' (meta 'tz' says which zone);
-- 'usd' is null when the model has no price. 'vendor', 'speed' and 'geo' are
-- what else the price depends on (cost/usage.ts UsageRecord), kept so a
-- change of prices can price every row again.
CREATE TABLE usage (
  key TEXT PRIMARY KEY,
  agent_id TEXT NOT NULL,
  model TEXT NOT NULL,
  vendor TEXT NOT NULL,
  speed TEXT,
  geo TEXT,
  ts TEXT,
  day TEXT,
  input INTEGER NOT NULL,
  output INTEGER NOT NULL,
  cache_write_5m INTEGER NOT NULL,
  cache_write_1h INTEGER NOT NULL,
  cache_read INTEGER NOT NULL,
  usd REAL
);
CREATE INDEX usage_by_agent ON usage (agent_id);
-- Per-model rollups read a range of days.
CREATE INDEX usage_by_day ON usage (day);
-- 'usage' summed per local day and agent, kept in step by every write (and
-- recomputed when prices or the time zone change): rollups over a year read
-- a few thousand rows, not every response; an agent's totals are its rows
-- here summed. 'day' is '' for responses without a timestamp. 'usd' sums the
-- priced rows, 'unpriced' counts the tokens of the others.
CREATE TABLE usage_days (
  day TEXT NOT NULL,
  agent_id TEXT NOT NULL,
  input INTEGER NOT NULL,
  output INTEGER NOT NULL,
  cw5 INTEGER NOT NULL,
  cw1 INTEGER NOT NULL,
  cr INTEGER NOT NULL,
  usd REAL NOT NULL,
  unpriced INTEGER NOT NULL,
  PRIMARY KEY (day, agent_id)
) WITHOUT ROWID;
CREATE INDEX usage_days_by_agent ON usage_days (agent_id);
-- Searchable lines. 'id' orders by time (timestamp ms * 1024 + n), so the
-- full-text index yields newest-first pages by walking rowids backwards
-- instead of sorting every match.
CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  agent_id TEXT NOT NULL,
  cursor INTEGER NOT NULL,
  ts TEXT,
  kind TEXT NOT NULL,
  text TEXT NOT NULL
);
CREATE INDEX events_by_agent ON events (agent_id, cursor);
CREATE VIRTUAL TABLE events_fts USING fts5 (
  text,
  content = 'events',
  content_rowid = 'id',
  columnsize = 0,
  tokenize = 'unicode61 remove_diacritics 2'
);
-- Merge segments two at a time (default four): each commit then does a little
-- merging, instead of now and then one long merge that stalls the event loop.
INSERT INTO events_fts (events_fts, rank) VALUES ('automerge', 2);
`;

/** `history.db` is another program's file: left as it is, and history is off. */
export class ForeignDbError extends Error {}

/**
 * Opens (or creates) `<dataDir>/history.db`, if tailboard wrote it (history/owner.ts).
 * A file of tailboard's that is not a readable database is renamed aside
 * (never deleted) and replaced by an empty one; one written by another schema
 * version is rebuilt. Throws ForeignDbError for a file tailboard did not
 * write, without touching it.
 */
export function openHistoryDb(dataDir: string, log: Logger): OpenedDb {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, DB_FILE);
  const owner = ownerOfFile(path);
  if (owner.kind === "foreign" || (owner.kind === "unstamped" && !isUnstampedOurs(path))) {
    const why = owner.kind === "foreign" ? owner.why : "it is another program's SQLite database";
    throw new ForeignDbError(
      `${path} was not written by tailboard (${why}); tailboard left it untouched and runs ` +
        `without history. Point --data-dir at another folder, or move that file away.`,
    );
  }
  const existed = owner.kind !== "absent" && owner.kind !== "empty";
  let db: DatabaseSync | undefined;
  try {
    db = _open(path, !existed);
    if (owner.kind === "unstamped") {
      // tailboard's own file from before the stamp: stamp it now, into the file itself.
      db.exec(`PRAGMA application_id = ${APPLICATION_ID}`);
      db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    const version = (db.prepare("PRAGMA user_version").get() as { user_version: number })
      .user_version;
    if (version === SCHEMA_VERSION) {
      // Touch every table once: a damaged schema or root page throws here.
      db.prepare("SELECT count(*) FROM meta").get();
      db.prepare("SELECT rowid FROM files LIMIT 1").get();
      db.prepare("SELECT rowid FROM events ORDER BY id DESC LIMIT 1").get();
      _addColumns(db);
      return { db, path, fresh: null };
    }
    if (version === 0 && !hasTables(db)) {
      _create(db);
      _addColumns(db);
      return { db, path, fresh: "new" };
    }
    db.close();
    db = undefined;
    log.info("history index was written by another version; rebuilding it", {
      path,
      version,
      expected: SCHEMA_VERSION,
    });
    // Ours (stamped), and only a cache of the transcripts: rebuilt in place.
    removeDb(path);
    const again = _open(path, true);
    _create(again);
    _addColumns(again);
    return { db: again, path, fresh: "schema" };
  } catch (error) {
    db?.close();
    if (!existed || !isCorruption(error)) throw error;
    setAside(path, log, error);
    const fresh = _open(path, true);
    _create(fresh);
    _addColumns(fresh);
    return { db: fresh, path, fresh: "corrupt" };
  }
}

/** True for SQLite's "not a database" and "malformed" errors (and their I/O cousins). */
export function isCorruption(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { errcode?: number }).errcode;
  // SQLITE_CORRUPT = 11, SQLITE_NOTADB = 26; extended codes keep the low byte.
  if (code !== undefined && ((code & 0xff) === 11 || (code & 0xff) === 26)) return true;
  return /file is not a database|malformed|corrupt/i.test(error.message);
}

/**
 * Renames a damaged database of tailboard's to `history.db.corrupt-<timestamp>`
 * (its WAL and shared-memory files with it), kept for a post-mortem, and logs
 * one line. Never deletes: a file that cannot be moved throws, and the index
 * stays off rather than destroy it.
 */
export function setAside(path: string, log: Logger, error: unknown): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const aside = `${path}.corrupt-${stamp}`;
  renameSync(path, aside);
  for (const suffix of ["-wal", "-shm"]) {
    try {
      renameSync(path + suffix, aside + suffix);
    } catch {
      // Usually not there (closed cleanly); a stale one left behind is only read with its own file.
    }
  }
  log.error("history index is corrupt; moved it aside and rebuilding from the transcripts", {
    path,
    movedTo: aside,
    error: error instanceof Error ? error.message : String(error),
  });
  return aside;
}

/** Deletes a database file of tailboard's own (stamped) and its WAL: a cache, rebuilt at once. */
export function removeDb(path: string): void {
  for (const suffix of ["", "-wal", "-shm"]) rmSync(path + suffix, { force: true });
}

/**
 * Opens a database of tailboard's; `stamp` for a new one. The stamp is set
 * before WAL is turned on, so it lands in the file's own header at once: in
 * WAL mode, page 1 changes stay in the `-wal` file until a checkpoint, and
 * the next start reads ownership from the main file (history/owner.ts).
 */
function _open(path: string, stamp: boolean): DatabaseSync {
  const db = new DatabaseSync(path);
  try {
    if (stamp) db.exec(`PRAGMA application_id = ${APPLICATION_ID}`);
    // WAL: searches read while the indexer writes. NORMAL: a power cut may
    // lose the last commits, which the offsets then simply read again.
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA synchronous = NORMAL");
    db.exec("PRAGMA busy_timeout = 2000");
    // 2 MB of page cache: the OS caches the file too, and on a first start
    // the index's whole footprint counts (bench/history_start.ts: 8 MB kept
    // 6 MB more resident; 200 searches over a 1 GB index took the same CPU).
    db.exec("PRAGMA cache_size = -2000");
    db.exec("PRAGMA temp_store = MEMORY");
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

function _create(db: DatabaseSync): void {
  db.exec("BEGIN");
  db.exec(SCHEMA);
  db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
  db.exec("COMMIT");
}

/**
 * Columns added after a schema version shipped, added in place where missing:
 * old rows read as "not known yet", which costs nothing to rebuild.
 */
function _addColumns(db: DatabaseSync): void {
  const columns = db.prepare("PRAGMA table_info(files)").all() as { name: string }[];
  if (!columns.some((c) => c.name === "tag")) {
    // The generation tag of the offset (files/identity.ts); '' for rows from before it.
    db.exec("ALTER TABLE files ADD COLUMN tag TEXT NOT NULL DEFAULT ''");
  }
}

function hasTables(db: DatabaseSync): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master LIMIT 1").get() !== undefined;
}
