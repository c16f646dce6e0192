import type { SourceKind } from "../files/classify.ts";

/** One watched file, as the agents list shows it. */
export interface Agent {
  /** Opaque and stable across restarts; never a path. */
  id: string;
  path: string;
  source: SourceKind;
  project: string;
  title: string;
  /** `running` while the file changed within the running window. */
  state: "running" | "idle";
  /**
   * Finer than `state`, read from the newest lines: `working` while a tool call
   * waits for its result or the model has the turn, `waiting` once an
   * assistant turn ended and the user has the word.
   */
  activity: "working" | "waiting" | null;
  /** Epoch ms of the last change to the file's bytes. */
  mtime: number;
  size: number;
  parentId: string | null;
  /** Tokens and list-price cost so far, once the history index has read the file. */
  usage: AgentUsage | null;
}

/** An agent's tokens, each API response counted once, and its estimated cost. */
export interface AgentUsage {
  /** Estimated USD at list prices; null when a model's price is unknown. */
  usd: number | null;
  tokens: number;
  input: number;
  output: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
  /**
   * Claude Code's own running total for the session (its `cost-state` line),
   * shown beside `usd` as a cross-check and never added to it; null or absent
   * when the transcript has none.
   */
  reportedUsd?: number | null;
}

/**
 * A stable opaque id for a path: 64 bits of FNV-1a, in hex. Ids survive a
 * restart (bookmarks keep working) and say nothing about the path.
 */
export function agentIdOf(path: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x01000193) ^ (h1 >>> 13);
  }
  return (h1 >>> 0).toString(16).padStart(8, "0") + (h2 >>> 0).toString(16).padStart(8, "0");
}
