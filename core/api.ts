/**
 * The REST and SSE wire shapes the browser reads (besides transcript events,
 * in `event.ts`, and jobs, in `job.ts`). The server builds them, the UI
 * type-imports them from here, so both sides are checked against one
 * definition. Types only: no I/O, no runtime code.
 */

/** What kind of transcript a watched file is, from its path alone. */
export type SourceKind =
  | "claude-session"
  | "claude-subagent"
  | "claude-task"
  /** A workflow run (Claude Code 2.1.x): its `journal.jsonl`, with its agents nested under it. */
  | "claude-workflow"
  | "codex"
  | "gemini"
  | "copilot"
  | "file";

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
  /**
   * Epoch ms the agent started: its first line's timestamp, else when
   * tailboard first saw the file. Orders the sidebar without jumps.
   */
  startedAt: number;
  size: number;
  parentId: string | null;
  /** For a subagent: the id of the Task/Agent call that started it, when its meta file says. */
  toolUseId?: string;
  /**
   * True for a subagent Claude Code 1.0.x wrote inline into its session's
   * file: `path` is that file, and its feed shows only its own lines.
   */
  inline?: true;
  /** Tokens and list-price cost so far, once the history index has read the file. */
  usage: AgentUsage | null;
  /** Who needs you: see `agents/status.ts` for how its sources are fused. */
  status: AgentStatus;
}

export type StatusKind = "working" | "needs-you" | "failed" | "done" | "idle";

/**
 * An agent's status. It holds until something changes it: needs-you and
 * failed do not fade with the running window.
 */
export interface AgentStatus {
  kind: StatusKind;
  /**
   * Why: working `tool` | `turn` | `output`; needs-you `permission` |
   * `question` | `plan` | `prompt`; failed `api-error` | `error-result` |
   * `died` | `task-failed` | `killed` | `exit`; done `finished`; idle `quiet` |
   * `ended`.
   */
  reason:
    | "tool"
    | "turn"
    | "output"
    | "permission"
    | "question"
    | "plan"
    | "prompt"
    | "api-error"
    | "error-result"
    | "died"
    | "task-failed"
    | "killed"
    | "exit"
    | "finished"
    | "quiet"
    | "ended";
  /** Epoch ms since when this kind and reason hold. */
  since: number;
  /** Which source decided it. */
  source: "transcript" | "claude-sessions" | "claude-agents" | "claude-jobs" | "notification";
  /** The error line, for failed agents. */
  error?: string;
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
