/**
 * Writes what the indexer read into the database, one transaction per batch
 * (history/batch.ts): searchable lines, usage records (each API response
 * once), agent facts and each file's new offset together, so a crash never
 * leaves rows without the offset that says they are there (or the reverse).
 */
import type { DatabaseSync, StatementSync } from "node:sqlite";
import { costOf } from "../cost/cost.ts";
import type { PriceTable } from "../cost/prices.ts";
import { totalTokens, type UsageRecord } from "../cost/usage.ts";
import type { AgentInfo, Batch, FileState, PendingEvent } from "./batch.ts";
import { localDay } from "./days.ts";
import { agentSums, agentTotalsOf, type AgentUsageTotals, type Sums } from "./rollups.ts";

/**
 * Event ids are `timestamp ms * ID_SLOTS + n`: ordered by time, so a search
 * walks rowids backwards for newest-first pages, and a day is an id range.
 * Ids stay below 2^53 (safe JS numbers) until the year 2248.
 */
export const ID_SLOTS = 1024;

/** The open transaction's own state: event slots taken, day sums to add, agents touched. */
interface Open {
  slots: Map<number, number>;
  days: Map<string, { day: string; agentId: string; sums: Sums }>;
  touched: Set<string>;
}

/** Prepared statements over one open database. */
export class HistoryWriter {
  readonly db: DatabaseSync;
  #prices: PriceTable;
  #insEvent: StatementSync;
  #insFts: StatementSync;
  #selUsage: StatementSync;
  #insUsage: StatementSync;
  #mtime: StatementSync;
  #upAgent: StatementSync;
  #upFile: StatementSync;
  #upDay: StatementSync;
  #upCostState: StatementSync;
  #selCostState: StatementSync;
  /** Agents' usage sums, kept by delta as rows change so totals never need a re-scan. */
  #sums = new Map<string, Sums>();
  /** The transaction rows are being added to, or null. */
  #open: Open | null = null;
  /** Per agent: the row of each upsert-log record, so a rewritten record is found once. */
  #records = new Map<string, Map<string, number>>();
  #delEvent: StatementSync[];

  constructor(db: DatabaseSync, prices: PriceTable) {
    this.db = db;
    this.#prices = prices;
    this.#insEvent = db.prepare(
      "INSERT OR IGNORE INTO events (id, agent_id, cursor, ts, kind, text) VALUES (?, ?, ?, ?, ?, ?)",
    );
    this.#insFts = db.prepare("INSERT INTO events_fts (rowid, text) VALUES (?, ?)");
    this.#delEvent = [
      "INSERT INTO events_fts (events_fts, rowid, text) SELECT 'delete', id, text FROM events WHERE id = ?",
      "DELETE FROM events WHERE id = ?",
    ].map((sql) => db.prepare(sql));
    this.#selUsage = db.prepare(
      `SELECT agent_id, day, input, output, cache_write_5m AS cw5, cache_write_1h AS cw1,
        cache_read AS cr, usd FROM usage WHERE key = ?`,
    );
    this.#insUsage = db.prepare(
      `INSERT OR REPLACE INTO usage (key, agent_id, model, vendor, speed, geo, ts, day, input,
        output, cache_write_5m, cache_write_1h, cache_read, usd)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#upCostState = db.prepare(
      // The agent's row is written first in the same batch (its file's facts).
      "UPDATE agents SET reported_usd = ?, reported_models = ? WHERE agent_id = ?",
    );
    this.#selCostState = db.prepare("SELECT reported_usd AS usd FROM agents WHERE agent_id = ?");
    this.#mtime = db.prepare("SELECT mtime FROM files WHERE agent_id = ? LIMIT 1");
    this.#upAgent = db.prepare(
      `INSERT INTO agents (agent_id, path, source, project, title, first_ts, last_ts)
      VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (agent_id) DO UPDATE SET
        path = excluded.path, source = excluded.source, project = excluded.project,
        title = excluded.title,
        first_ts = CASE WHEN agents.first_ts IS NULL
          OR (excluded.first_ts IS NOT NULL AND excluded.first_ts < agents.first_ts)
          THEN excluded.first_ts ELSE agents.first_ts END,
        last_ts = CASE WHEN agents.last_ts IS NULL
          OR (excluded.last_ts IS NOT NULL AND excluded.last_ts > agents.last_ts)
          THEN excluded.last_ts ELSE agents.last_ts END`,
    );
    this.#upDay = db.prepare(
      `INSERT INTO usage_days (day, agent_id, input, output, cw5, cw1, cr, usd, unpriced)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (day, agent_id) DO UPDATE SET
        input = input + excluded.input, output = output + excluded.output,
        cw5 = cw5 + excluded.cw5, cw1 = cw1 + excluded.cw1, cr = cr + excluded.cr,
        usd = usd + excluded.usd, unpriced = unpriced + excluded.unpriced`,
    );
    this.#upFile = db.prepare(
      `INSERT OR REPLACE INTO files (path, agent_id, ino, size_indexed, offset, mtime, head, tag)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  /** One searchable line, into the open transaction (begun if need be). */
  addEvent(e: PendingEvent): void {
    const open = this.#begin();
    const ms = Number.isFinite(e.ms) && e.ms > 0 ? Math.floor(e.ms) : 0;
    let n = open.slots.get(ms) ?? 0;
    // Lines within one millisecond share its slots; a taken slot is skipped.
    while (
      this.#insEvent.run(ms * ID_SLOTS + n, e.agentId, e.cursor, e.ts, e.kind, e.text)
        .changes === 0
    ) n++;
    this.#insFts.run(ms * ID_SLOTS + n, e.text);
    open.slots.set(ms, n + 1);
    if (e.recordId !== undefined) this.#supersede(e.agentId, e.recordId, ms * ID_SLOTS + n);
  }

  /**
   * One usage record, into the open transaction: it replaces the stored row
   * of its key only if it counts more tokens (a later snapshot of the same
   * response), or as many from an older file (HistoryWriter.#olderFile).
   * `mtimes` are the files of the batch in hand, newer than the stored ones.
   */
  addUsage(record: UsageRecord, agentId: string, mtimes: ReadonlyMap<string, number>): void {
    const open = this.#begin();
    const seen = this.#selUsage.get(record.key) as
      | (Omit<Sums, "unpriced" | "usd"> & {
        agent_id: string;
        day: string | null;
        usd: number | null;
      })
      | undefined;
    if (seen) {
      const total = totalTokens(record);
      const before = seen.input + seen.output + seen.cw5 + seen.cw1 + seen.cr;
      const wins = total > before ||
        (total === before && seen.agent_id !== agentId &&
          this.#olderFile(agentId, seen.agent_id, mtimes));
      if (!wins) return;
      this.#adjust(this.#sums.get(seen.agent_id), seen, seen.usd, -1);
      this.#adjust(_day(open.days, seen.day ?? "", seen.agent_id), seen, seen.usd, -1);
      open.touched.add(seen.agent_id);
    }
    const { usd, day } = this.#putUsage(record, agentId);
    const tokens = {
      input: record.input,
      output: record.output,
      cw5: record.cacheWrite5m,
      cw1: record.cacheWrite1h,
      cr: record.cacheRead,
    };
    this.#adjust(this.#sums.get(agentId), tokens, usd, 1);
    this.#adjust(_day(open.days, day ?? "", agentId), tokens, usd, 1);
    open.touched.add(agentId);
  }

  /**
   * Writes the rest of a batch and commits the transaction its rows are in;
   * returns the agents whose usage changed.
   */
  write(batch: Batch): Set<string> {
    const open = this.#begin();
    try {
      for (const info of batch.agents.values()) {
        const a = batch.activity.get(info.agentId);
        this.#upAgent.run(
          info.agentId,
          info.path,
          info.source,
          info.project,
          info.title,
          a?.first ?? null,
          a?.last ?? null,
        );
      }
      for (const f of batch.files.values()) {
        this.#upFile.run(f.path, f.agentId, f.ino, f.size, f.offset, f.mtime, f.head, f.tag);
      }
      for (const { day, agentId, sums: d } of open.days.values()) {
        this.#upDay.run(day, agentId, d.input, d.output, d.cw5, d.cw1, d.cr, d.usd, d.unpriced);
      }
      for (const [agentId, state] of batch.costStates) {
        this.#upCostState.run(state.totalUsd, JSON.stringify(state.models), agentId);
        open.touched.add(agentId);
      }
      this.db.exec("COMMIT");
      this.#open = null;
    } catch (error) {
      this.rollback();
      throw error;
    }
    return open.touched;
  }

  /** Drops the open transaction, if any, and what was added in it. */
  rollback(): void {
    if (this.#open === null) return;
    this.#open = null;
    // Sums were adjusted, and upsert records noted, for rows that are not there after all.
    this.#sums.clear();
    this.#records.clear();
    try {
      this.db.exec("ROLLBACK");
    } catch {
      // The failed statement may have rolled back already (SQLite does on some errors).
    }
  }

  #begin(): Open {
    if (this.#open === null) {
      this.db.exec("BEGIN IMMEDIATE");
      this.#open = { slots: new Map(), days: new Map(), touched: new Set() };
    }
    return this.#open;
  }

  /**
   * Whether agent `a` owns a message both carry, over `b`: the one whose file
   * was last written earlier. A resumed session replays the earlier messages
   * (same ids, same timestamps) into a new file and goes on there, so the
   * original file stops changing first; a subagent's own file, too, ends
   * before its parent's. Known from the stat before any line is read, so the
   * owner is the same whichever file is read first. Equal keeps the stored one.
   */
  #olderFile(a: string, b: string, mtimes: ReadonlyMap<string, number>): boolean {
    const ma = mtimes.get(a) ?? (this.#mtime.get(a) as { mtime: number } | undefined)?.mtime;
    const mb = mtimes.get(b) ?? (this.#mtime.get(b) as { mtime: number } | undefined)?.mtime;
    return ma !== undefined && mb !== undefined && ma < mb;
  }

  /** An agent's totals: from the kept sums, or summed once from its rows. */
  usageOf(agentId: string): AgentUsageTotals {
    let sums = this.#sums.get(agentId);
    if (!sums) {
      sums = agentSums(this.db, agentId);
      this.#sums.set(agentId, sums);
    }
    const reported = this.#selCostState.get(agentId) as { usd: number } | undefined;
    return agentTotalsOf(sums, reported?.usd ?? null);
  }

  /** The model of an agent's latest Codex response: where reading resumes mid-rollout. */
  lastCodexModel(agentId: string): string {
    const row = this.db.prepare(
      `SELECT model FROM usage WHERE agent_id = ? AND key LIKE 'codex:%'
      ORDER BY ts DESC LIMIT 1`,
    ).get(agentId) as { model: string } | undefined;
    return row?.model ?? "";
  }

  /** Adds (or takes away) one response's tokens to sums; none kept yet is left to a later SUM. */
  #adjust(
    sums: Sums | undefined,
    t: Omit<Sums, "unpriced" | "usd">,
    usd: number | null,
    sign: 1 | -1,
  ): void {
    if (!sums) return;
    sums.input += sign * t.input;
    sums.output += sign * t.output;
    sums.cw5 += sign * t.cw5;
    sums.cw1 += sign * t.cw1;
    sums.cr += sign * t.cr;
    if (usd === null) sums.unpriced += sign * (t.input + t.output + t.cw5 + t.cw1 + t.cr);
    else sums.usd += sign * usd;
  }

  #putUsage(r: UsageRecord, agentId: string): { usd: number | null; day: string | null } {
    const usd = costOf(r, this.#prices);
    const day = localDay(r.ts);
    this.#insUsage.run(
      r.key,
      agentId,
      r.model,
      r.vendor,
      r.speed ?? null,
      r.geo ?? null,
      r.ts ?? null,
      day,
      r.input,
      r.output,
      r.cacheWrite5m,
      r.cacheWrite1h,
      r.cacheRead,
      usd,
    );
    return { usd, day };
  }

  /**
   * Gemini CLI rewrites a message under its id as it grows: the row of its
   * earlier copy goes. Kept in memory: a copy written across a restart stays.
   */
  #supersede(agentId: string, recordId: string, id: number): void {
    const rows = this.#records.get(agentId) ?? new Map<string, number>();
    this.#records.set(agentId, rows);
    const earlier = rows.get(recordId);
    if (earlier !== undefined) { for (const statement of this.#delEvent) statement.run(earlier); }
    rows.set(recordId, id);
  }

  /** Forgets everything read from a file (truncated or replaced); returns whether usage went. */
  forgetFile(path: string, agentId: string): boolean {
    let hadUsage = false;
    this.#sums.delete(agentId);
    this.#records.delete(agentId);
    this.#transaction(() => {
      this.db.prepare(
        `INSERT INTO events_fts (events_fts, rowid, text)
        SELECT 'delete', id, text FROM events WHERE agent_id = ?`,
      ).run(agentId);
      this.db.prepare("DELETE FROM events WHERE agent_id = ?").run(agentId);
      hadUsage = this.db.prepare("DELETE FROM usage WHERE agent_id = ?").run(agentId).changes > 0;
      this.db.prepare("DELETE FROM usage_days WHERE agent_id = ?").run(agentId);
      this.db.prepare(
        `UPDATE agents SET first_ts = NULL, last_ts = NULL, reported_usd = NULL,
        reported_models = NULL WHERE agent_id = ?`,
      ).run(agentId);
      this.db.prepare("DELETE FROM files WHERE path = ?").run(path);
    });
    return hadUsage;
  }

  loadFiles(): Map<string, FileState> {
    const rows = this.db.prepare(
      "SELECT path, agent_id, ino, size_indexed, offset, mtime, head, tag FROM files",
    ).all() as unknown as {
      path: string;
      agent_id: string;
      ino: number | null;
      size_indexed: number;
      offset: number;
      mtime: number;
      head: string;
      tag: string;
    }[];
    return new Map(rows.map((r) => [r.path, {
      path: r.path,
      agentId: r.agent_id,
      ino: r.ino,
      size: r.size_indexed,
      offset: r.offset,
      mtime: r.mtime,
      head: r.head,
      tag: r.tag,
    }]));
  }

  /** Title, project and source as last stored, to skip writes that change nothing. */
  loadAgents(): Map<string, AgentInfo> {
    const rows = this.db.prepare("SELECT agent_id, path, source, project, title FROM agents")
      .all() as unknown as {
        agent_id: string;
        path: string;
        source: string;
        project: string;
        title: string;
      }[];
    return new Map(rows.map((r) => [r.agent_id, {
      agentId: r.agent_id,
      path: r.path,
      source: r.source,
      project: r.project,
      title: r.title,
    }]));
  }

  meta(key: string): string | undefined {
    return (this.db.prepare("SELECT value FROM meta WHERE key = ?").get(key) as
      | { value: string }
      | undefined)?.value;
  }

  setMeta(key: string, value: string): void {
    this.db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)").run(key, value);
  }

  /** Prices changed (a new table or the user's file): every stored cost is computed again. */
  reprice(): number {
    const rows = this.db.prepare(
      `SELECT key, model, vendor, speed, geo, ts, input, output, cache_write_5m AS cacheWrite5m,
        cache_write_1h AS cacheWrite1h, cache_read AS cacheRead FROM usage`,
    ).all() as unknown as (Omit<UsageRecord, "speed" | "geo"> & {
      speed: string | null;
      geo: string | null;
    })[];
    const update = this.db.prepare("UPDATE usage SET usd = ? WHERE key = ?");
    this.#sums.clear();
    this.#transaction(() => {
      for (const { speed, geo, ...r } of rows) {
        const record: UsageRecord = { ...r, ts: r.ts ?? undefined };
        if (speed !== null) record.speed = speed;
        if (geo !== null) record.geo = geo;
        update.run(costOf(record, this.#prices), r.key);
      }
      this.#sumDays();
    });
    return rows.length;
  }

  /** The time zone changed: every stored day is computed again. */
  redate(): number {
    const rows = this.db.prepare("SELECT key, ts FROM usage").all() as unknown as {
      key: string;
      ts: string | null;
    }[];
    const update = this.db.prepare("UPDATE usage SET day = ? WHERE key = ?");
    this.#transaction(() => {
      for (const r of rows) update.run(localDay(r.ts), r.key);
      this.#sumDays();
    });
    return rows.length;
  }

  /** Recomputes `usage_days` from every usage row. */
  #sumDays(): void {
    this.db.exec("DELETE FROM usage_days");
    this.db.exec(
      `INSERT INTO usage_days (day, agent_id, input, output, cw5, cw1, cr, usd, unpriced)
      SELECT coalesce(day, ''), agent_id, sum(input), sum(output), sum(cache_write_5m),
        sum(cache_write_1h),
        sum(cache_read), coalesce(sum(usd), 0),
        coalesce(sum(CASE WHEN usd IS NULL
          THEN input + output + cache_write_5m + cache_write_1h + cache_read END), 0)
      FROM usage GROUP BY coalesce(day, ''), agent_id`,
    );
  }

  #transaction(fn: () => void): void {
    // Never inside a batch's transaction: the caller commits the batch first.
    if (this.#open !== null) throw new Error("a batch's transaction is open");
    this.db.exec("BEGIN IMMEDIATE");
    try {
      fn();
      this.db.exec("COMMIT");
    } catch (error) {
      // Sums were adjusted for rows that are not there after all.
      this.#sums.clear();
      try {
        this.db.exec("ROLLBACK");
      } catch {
        // The failed statement may have rolled back already (SQLite does on some errors).
      }
      throw error;
    }
  }
}

function _day(
  days: Map<string, { day: string; agentId: string; sums: Sums }>,
  day: string,
  agentId: string,
): Sums {
  const key = `${day}\u0000${agentId}`;
  let entry = days.get(key);
  if (!entry) {
    entry = {
      day,
      agentId,
      sums: { input: 0, output: 0, cw5: 0, cw1: 0, cr: 0, usd: 0, unpriced: 0 },
    };
    days.set(key, entry);
  }
  return entry.sums;
}
