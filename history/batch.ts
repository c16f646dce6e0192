/**
 * What the indexer has read and not yet committed: the batch in hand. Rows
 * (searchable lines, usage records) go straight into the writer's open
 * transaction; the batch keeps only what is per agent and per file.
 */
import type { CostState } from "../core/event.ts";
import type { UsageRecord } from "../cost/usage.ts";
import type { SearchKind } from "./extract.ts";
import type { HistoryWriter } from "./writer.ts";

export interface PendingEvent {
  /** Epoch ms the line happened (its own timestamp, or the latest one before it). */
  ms: number;
  agentId: string;
  cursor: number;
  ts: string | null;
  kind: SearchKind;
  text: string;
  /** An upsert log's record (Gemini CLI): a later copy's row replaces this one's. */
  recordId?: string;
}

/** How far a file has been read, as stored in `files`. */
export interface FileState {
  path: string;
  agentId: string;
  ino: number | null;
  /** The file's size when last read to its end. */
  size: number;
  /** Just after the last complete line indexed. */
  offset: number;
  mtime: number;
  /** `<length>:<hash>` of the file's first bytes (up to 1 KiB): the same file, not a replacement. */
  head: string;
  /**
   * The generation tag of `offset` (files/identity.ts): the live tail's notion
   * of "the same file", so a rewrite in place is one to both. "" before it was kept.
   */
  tag: string;
}

export interface AgentInfo {
  agentId: string;
  path: string;
  source: string;
  project: string;
  title: string;
}

export interface Activity {
  first: string;
  firstMs: number;
  last: string;
  lastMs: number;
}

/**
 * What one transaction writes. Searchable lines and usage records go into the
 * open transaction as they are read (HistoryWriter.addEvent, addUsage): held
 * here until the commit, they outlived the worker's young generation and
 * piled up as garbage in its old one (bench/history_start.ts). What stays
 * here is small: per agent and per file, written by the commit.
 */
export class Batch {
  #writer: HistoryWriter;
  /** Lines and usage records already in the open transaction. */
  rows = 0;
  /** A row failed to write and the transaction was rolled back: this batch's progress is void. */
  lost = false;
  activity = new Map<string, Activity>();
  files = new Map<string, FileState>();
  agents = new Map<string, AgentInfo>();
  /** Each agent's latest Claude Code running total read in this batch. */
  costStates = new Map<string, CostState>();
  /** Each agent's file mtime as this batch read it: who owns a replayed response. */
  mtimes = new Map<string, number>();
  /** Transcript bytes this batch covers (decides when to commit). */
  sourceBytes = 0;

  constructor(writer: HistoryWriter) {
    this.#writer = writer;
  }

  get empty(): boolean {
    return this.rows === 0 && this.files.size === 0 && this.agents.size === 0 &&
      this.costStates.size === 0;
  }

  addEvent(event: PendingEvent): void {
    this.#row(() => this.#writer.addEvent(event));
  }

  addUsage(record: UsageRecord, agentId: string): void {
    this.#row(() => this.#writer.addUsage(record, agentId, this.mtimes));
  }

  addActivity(agentId: string, ts: string, ms: number): void {
    const a = this.activity.get(agentId);
    if (!a) {
      this.activity.set(agentId, { first: ts, firstMs: ms, last: ts, lastMs: ms });
      return;
    }
    if (ms < a.firstMs) [a.first, a.firstMs] = [ts, ms];
    if (ms > a.lastMs) [a.last, a.lastMs] = [ts, ms];
  }

  #row(write: () => void): void {
    try {
      write();
      this.rows++;
    } catch (error) {
      // The transaction is in doubt: undo it, and with it every row of this batch.
      this.lost = true;
      this.#writer.rollback();
      throw error;
    }
  }
}
