/** What the history indexer (history/indexer.ts) is given, and what it tells the daemon. */
import type { IndexProgress } from "./progress.ts";
import type { AgentUsageTotals } from "./rollups.ts";

export interface IndexerOptions {
  /**
   * Bytes read per chunk. Small, so a chunk's lines die young: with 256 KiB
   * they outlived the worker's young generation and piled up in its old one
   * (bench/history_start.ts: +30 MB). @default 64 KiB
   */
  chunkBytes?: number;
  /** Transcript bytes per write transaction. @default 1 MiB */
  batchBytes?: number;
  /** How long the index works before letting queries in. @default 8 ms */
  sliceMs?: number;
  /** Codex's configured service tier, for rollouts that do not say theirs. @default standard */
  codexTier?: string;
}

/** What the indexer tells the daemon. */
export interface IndexerEvents {
  progress(progress: IndexProgress): void;
  /** The start-up pass (or a rebuild) is done. */
  ready(progress: IndexProgress): void;
  usage(agentId: string, usage: AgentUsageTotals): void;
  /** The database cannot be used any more: history is off until restart. */
  off(reason: string): void;
}
