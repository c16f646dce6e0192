/**
 * The messages between the daemon's thread and the history worker
 * (history/worker.ts). The daemon tells the worker what the agents list holds
 * and asks it questions; the worker answers, reports progress and usage, and
 * sends its log lines back so they go through the daemon's logger. Plain data
 * only: everything here crosses `postMessage` by structured clone.
 */
import type { PriceTable } from "../cost/prices.ts";
import type { LogLevel } from "../core/log.ts";
import type { AgentUsageTotals, DayAgent, UsageBy, UsageRow, UsageTotals } from "./rollups.ts";
import type { SearchOptions, SearchResult } from "./search.ts";

/** What the worker needs to know of one agent (a slice of agents/agent.ts's Agent). */
export interface AgentNote {
  id: string;
  path: string;
  source: string;
  project: string;
  title: string;
  size: number;
  /** Epoch ms of the last change to the file's bytes: a same-size rewrite changes only this. */
  mtime: number;
  ino: number | null;
  /** The tracker has read the file's own facts (title, cwd): its title beats a stored one. */
  factsKnown: boolean;
}

export interface WorkerSettings {
  dataDir: string;
  prices?: PriceTable;
  /** Codex's configured service tier (cost/codex_config.ts). */
  codexTier?: string;
  chunkBytes: number;
  batchBytes: number;
  sliceMs: number;
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

/** What the index reports when it keeps no history, and why (shown as is in the UI). */
export interface IndexOff {
  state: "off";
  reason: string;
  files: 0;
  filesTotal: 0;
  bytes: 0;
  bytesTotal: 0;
}

export type Query =
  | { kind: "search"; q: string; options: SearchOptions }
  | { kind: "agentsOn"; day: string }
  | { kind: "usage"; from: string; to: string; by: UsageBy }
  | { kind: "agentUsage"; agentId: string };

/** The answer type of each query kind. */
export interface Answers {
  search: SearchResult;
  agentsOn: DayAgent[];
  usage: { rows: UsageRow[]; totals: UsageTotals };
  agentUsage: AgentUsageTotals | null;
}

/**
 * Why a query failed: `query` is the user's to fix (400), `unavailable` is a
 * rebuild or an index that is off (503), `internal` is a bug (500).
 */
export type QueryFailure = { kind: "query" | "unavailable" | "internal"; message: string };

export type ToWorker =
  | { type: "open"; settings: WorkerSettings }
  /** The whole agents list, newest first: starts the catch-up pass. */
  | { type: "agents"; agents: AgentNote[] }
  | { type: "upsert"; agent: AgentNote }
  | { type: "remove"; path: string }
  | { type: "query"; id: number; query: Query }
  /** Answer once nothing is queued or being read. */
  | { type: "idle"; id: number }
  | { type: "close" };

export type FromWorker =
  | { type: "progress"; progress: IndexProgress }
  /** The start-up pass (or a rebuild) is done. */
  | { type: "ready"; progress: IndexProgress; readBytes: number }
  | { type: "usage"; agentId: string; usage: AgentUsageTotals }
  | { type: "answer"; id: number; value: unknown }
  | { type: "failed"; id: number; failure: QueryFailure }
  | { type: "idle"; id: number; progress: IndexProgress; readBytes: number }
  | { type: "log"; level: LogLevel; message: string; fields: Record<string, unknown> }
  /** The index cannot run (a foreign file, an unusable folder…): history is off. */
  | { type: "off"; reason: string }
  | { type: "closed" };
