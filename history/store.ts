/**
 * The open history database and what the indexer keeps of it in memory: each
 * file's stored offset and each agent's stored title, project and source.
 * Commits batches, forgets replaced files, and swaps a corrupt file for an
 * empty one. Runs in the history worker.
 */
import type { DatabaseSync } from "node:sqlite";
import { PRICE_SOURCE } from "../cost/price_source.ts";
import type { PriceTable } from "../cost/prices.ts";
import type { Logger } from "../core/log.ts";
import { openHistoryDb, setAside } from "./db.ts";
import { timeZone } from "./days.ts";
import { hashOf } from "./read.ts";
import { type AgentUsageTotals, allAgentUsage } from "./rollups.ts";
import { type AgentInfo, Batch, type FileState } from "./batch.ts";
import { HistoryWriter } from "./writer.ts";

/** A database that keeps turning up corrupt is not rebuilt forever. */
const MAX_REBUILDS = 3;

export class HistoryStore {
  /** What is stored for each file, updated as batches commit. */
  files = new Map<string, FileState>();
  /** Agents' title/project/source as stored, to skip writes that change nothing. */
  stored = new Map<string, AgentInfo>();
  #writer: HistoryWriter;
  #dataDir: string;
  #path: string;
  #log: Logger;
  #prices: PriceTable;
  #rebuilds = 0;

  /** Opens the database; throws when it cannot (ForeignDbError for a file not ours). */
  constructor(dataDir: string, log: Logger, prices: PriceTable) {
    this.#dataDir = dataDir;
    this.#log = log;
    this.#prices = prices;
    const { db, path, fresh } = openHistoryDb(dataDir, log);
    this.#path = path;
    this.#writer = new HistoryWriter(db, prices);
    if (fresh === "corrupt") this.#rebuilds++;
    this.#load();
  }

  get db(): DatabaseSync {
    return this.#writer.db;
  }

  /** A new batch, its rows going into this database's next transaction. */
  batch(): Batch {
    return new Batch(this.#writer);
  }

  /** Writes a batch; returns the agents whose usage changed. */
  commit(batch: Batch): Set<string> {
    const touched = this.#writer.write(batch);
    for (const [path, state] of batch.files) this.files.set(path, state);
    for (const [id, info] of batch.agents) this.stored.set(id, info);
    return touched;
  }

  /** Forgets a truncated or replaced file's lines; returns whether usage went with them. */
  forget(path: string, agentId: string): boolean {
    const hadUsage = this.#writer.forgetFile(path, agentId);
    this.files.delete(path);
    return hadUsage;
  }

  usageOf(agentId: string): AgentUsageTotals {
    return this.#writer.usageOf(agentId);
  }

  /** The model of an agent's latest Codex response: where reading resumes mid-rollout. */
  lastCodexModel(agentId: string): string {
    return this.#writer.lastCodexModel(agentId);
  }

  allUsage(): Map<string, AgentUsageTotals> {
    return allAgentUsage(this.#writer.db);
  }

  /**
   * Sets the corrupt file aside and opens an empty one. Throws when that is
   * not possible, or after too many rebuilds: the caller turns history off.
   */
  replace(error: unknown): void {
    try {
      this.#writer.db.close();
    } catch {
      // Closing a broken database may fail too; the file is being set aside anyway.
    }
    this.#rebuilds++;
    if (this.#rebuilds > MAX_REBUILDS) {
      throw new Error(`corrupt ${this.#rebuilds} times since start: ${_message(error)}`);
    }
    setAside(this.#path, this.#log, error);
    const { db } = openHistoryDb(this.#dataDir, this.#log);
    this.#writer = new HistoryWriter(db, this.#prices);
    this.files.clear();
    this.stored.clear();
    this.#load();
  }

  close(): void {
    try {
      this.#writer.db.close();
    } catch {
      // Already closed by a failed rebuild.
    }
  }

  /** Reads the stored offsets and settles stored costs and days with today's prices and zone. */
  #load(): void {
    this.files = this.#writer.loadFiles();
    this.stored = this.#writer.loadAgents();
    const prices = `${PRICE_SOURCE.name}@${PRICE_SOURCE.version} ${
      hashOf(JSON.stringify(this.#prices))
    }`;
    if (this.#writer.meta("prices") !== prices) {
      if (this.files.size > 0) {
        this.#log.info("prices changed; recomputing stored costs", {
          rows: this.#writer.reprice(),
        });
      }
      this.#writer.setMeta("prices", prices);
    }
    const zone = timeZone();
    if (this.#writer.meta("tz") !== zone) {
      if (this.files.size > 0) {
        this.#log.info("time zone changed; recomputing days", {
          zone,
          rows: this.#writer.redate(),
        });
      }
      this.#writer.setMeta("tz", zone);
    }
  }
}

function _message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
