/**
 * The typed events tailboard shows. One transcript line becomes exactly one
 * event, so an event's `cursor` (the byte offset just after its line) is both
 * its identity and the point a client resumes from.
 *
 * Everything here is plain data: it is JSON-serialised onto SSE streams as is.
 */

/** Token usage as Claude Code writes it on every assistant line. */
export interface Usage {
  input_tokens?: number;
  output_tokens?: number;
  cache_creation_input_tokens?: number;
  cache_read_input_tokens?: number;
  /** The 5-minute / 1-hour split of cache writes, where the transcript has it. */
  cache_creation?: { ephemeral_5m_input_tokens?: number; ephemeral_1h_input_tokens?: number };
  [key: string]: unknown;
}

/** One content block of a message, typed. Long strings may be cut to a preview. */
export type Block =
  | { type: "text"; text: string }
  | { type: "thinking"; text: string }
  | { type: "redacted_thinking" }
  | { type: "tool_use"; id: string; name: string; input: unknown }
  | {
    type: "tool_result";
    toolUseId: string;
    isError: boolean;
    /** Text parts of the result joined; images are counted, not inlined. */
    text: string;
    images: number;
  }
  | { type: "image"; mediaType?: string }
  | { type: "document"; title?: string }
  | { type: "other"; blockType: string; summary: string };

/**
 * A resume token, as every SSE `id:` of a file stream carries it:
 * `<offset>.<tag>`, where `offset` is the event's `cursor` and `tag` is 8 hex
 * digits naming the file's generation at that offset (inode, head hash and
 * the end of the line before it; see files/identity.ts). Send it back as
 * `Last-Event-ID` (EventSource does) or `?after=`: when the file was rotated,
 * truncated or rewritten since, the stream says so with a `file` marker and
 * starts the new file over, instead of skipping or repeating lines. A bare
 * `<offset>` still works, trusted as today's cursors were.
 *
 * Treat it as opaque; within one generation, `cursor` orders events.
 */
export type Cursor = string;

/** Fields every event has. */
export interface EventBase {
  /**
   * Byte offset just after the source line: orders events within one file
   * generation and fetches the full line (`/line?cursor=`). To resume, use the
   * SSE id ({@link Cursor}), which also names the generation. Set by the tail, not the parser.
   */
  cursor: number;
  /** Size of the source line in bytes (without its newline). */
  bytes: number;
  /** ISO timestamp from the line, when it has one. */
  ts?: string;
  /** The line's own `uuid`, when it has one. */
  uuid?: string;
  /** The `uuid` of the line this one follows, when it has one. */
  parentUuid?: string;
  /** True for Claude Code subagent lines (`isSidechain`). */
  sidechain?: boolean;
  /** Set when long strings in this event were cut; fetch the full line by cursor. */
  truncated?: boolean;
  /**
   * A record of an upsert log (Gemini CLI chats): a later line with the same
   * `recordId` replaces this one, and a `rewindTo` meta event can retract it.
   */
  recordId?: string;
}

/** A human's prompt (or an `isMeta` injected one, marked as such). */
export interface UserEvent extends EventBase {
  kind: "user";
  text: string;
  blocks: Block[];
  isMeta?: boolean;
  /** A compaction summary that Claude Code writes as a user line. */
  isCompactSummary?: boolean;
}

/** An assistant message line: text, thinking and tool calls. */
export interface AssistantEvent extends EventBase {
  kind: "assistant";
  blocks: Block[];
  model?: string;
  messageId?: string;
  requestId?: string;
  usage?: Usage;
  stopReason?: string;
  /** `<synthetic>` messages Claude Code makes up itself (errors, interrupts). */
  synthetic?: boolean;
  isApiError?: boolean;
}

/** A user line that carries tool results, paired to calls by `toolUseId`. */
export interface ToolResultEvent extends EventBase {
  kind: "tool_result";
  blocks: Block[];
  /** The structured `toolUseResult`: Bash stdout/stderr, Edit patches, Read slices. */
  result?: ToolUseResult;
  /** How long the tool ran, where the agent measured it (never guessed from timestamps). */
  durationMs?: number;
}

export type ToolUseResult =
  | {
    type: "bash";
    stdout: string;
    stderr: string;
    interrupted?: boolean;
    exitCode?: number;
    /** Set when the command went to the background (`run_in_background`): its task's id. */
    backgroundTaskId?: string;
    /** Where Claude Code spilled output too large to keep inline (`<session>/tool-results/…`). */
    persistedOutputPath?: string;
    persistedOutputSize?: number;
  }
  | {
    type: "edit";
    filePath: string;
    oldString?: string;
    newString?: string;
    /** Unified-diff hunks as Claude Code records them. */
    patch?: {
      oldStart: number;
      oldLines: number;
      newStart: number;
      newLines: number;
      lines: string[];
    }[];
  }
  | { type: "write"; filePath: string; content: string }
  | { type: "read"; filePath: string; startLine?: number; numLines?: number; totalLines?: number }
  | { type: "task"; agentId?: string; status?: string; usage?: Usage; totalTokens?: number }
  | { type: "text"; text: string }
  /** The user's answers to a question tool (AskUserQuestion), by question. */
  | { type: "answers"; answers: Record<string, string> }
  /** A unified diff of what the tool changed (Copilot's edits). */
  | { type: "diff"; diff: string }
  | { type: "other"; summary: string };

/** `system` entries: compact boundaries, turn durations, hook summaries, API errors. */
export interface SystemEvent extends EventBase {
  kind: "system";
  subtype: string;
  text: string;
  level?: string;
  /** Present on errors and refusals. */
  isError?: boolean;
  durationMs?: number;
}

/** `attachment` entries: hook results, queued commands, reminders and the like. */
export interface AttachmentEvent extends EventBase {
  kind: "attachment";
  subtype: string;
  text: string;
  isError?: boolean;
  hookName?: string;
}

/** `progress` entries; the UI folds them into the tool call `toolUseId` names. */
export interface ProgressEvent extends EventBase {
  kind: "progress";
  subtype: string;
  text: string;
  toolUseId?: string;
}

/** Session titles and summaries: `summary`, `custom-title`, `ai-title`, `agent-name`, `last-prompt`. */
export interface TitleEvent extends EventBase {
  kind: "title";
  subtype: string;
  text: string;
}

/**
 * Bookkeeping lines that matter little to a reader but are real: file-history
 * snapshots, queue operations, mode changes, worktree state, links.
 */
export interface MetaEvent extends EventBase {
  kind: "meta";
  subtype: string;
  text: string;
  /** `cost-state`: Claude Code's own running cost of the session. */
  costState?: CostState;
  /**
   * `rewind` (Gemini CLI's `{"$rewindTo": id}`): retracts the record `id` and
   * every record first written after it, up to this line. An id the file does
   * not hold retracts every record before this line, as Gemini CLI does.
   */
  rewindTo?: string;
  /**
   * The model the session runs on from here (Copilot's `session.model_change`
   * and `session.start`): what its messages, which name none, are billed as.
   */
  model?: string;
  /**
   * Tokens per model since the session last started (Copilot's
   * `session.shutdown` `modelMetrics`): the bill its messages leave out.
   */
  modelUsage?: ModelUsage[];
}

/** One model's token totals, as an agent reports them for a whole session. */
export interface ModelUsage {
  model: string;
  /** Every prompt token, cached reads and cache writes included. */
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

/**
 * Claude Code's own running total for a session (its `cost-state` lines,
 * rewritten as the session goes on): a cross-check, never part of a sum.
 */
export interface CostState {
  sessionId?: string;
  totalUsd: number;
  /** Per model, as Claude Code counts it. */
  models: Record<string, { usd: number; tokens: number }>;
}

/** A line that is not JSON: plain-text task output, or a malformed JSONL line. */
export interface TextEvent extends EventBase {
  kind: "text";
  text: string;
  /**
   * True when the line looked like JSON but is not a transcript record: it did
   * not parse, or it parsed to something other than a typed object (`42`, `[1]`).
   */
  malformed?: boolean;
}

/** Codex CLI rollout lines, typed in their own vocabulary. */
export interface CodexEvent extends EventBase {
  kind: "codex";
  /** `session_meta`, `turn_context`, `response_item`, `event_msg`, `compacted`, ... */
  entry: string;
  /** The payload's own type (`message`, `function_call`, `token_count`, ...). */
  subtype: string;
  role?: string;
  text: string;
  toolName?: string;
  callId?: string;
  isError?: boolean;
  /**
   * `token_count`: the session's cumulative token totals so far. Codex repeats
   * them (often twice per turn), so read the latest rather than summing.
   */
  tokens?: CodexTokens;
  /** `token_count`: the last response's own counts (`last_token_usage`). */
  lastTokens?: CodexTokens;
  /** `turn_context` and `thread_settings_applied`: the model the next responses run on. */
  model?: string;
  /** `thread_settings_applied`: the service tier ("default", "fast", "flex"). */
  serviceTier?: string;
  /** `session_meta` and `thread_settings_applied`: who serves the model ("openai", a custom id). */
  modelProvider?: string;
  /**
   * What Codex writes for its own UI beside the `response_item` that carries
   * the same prompt, reply or reasoning (`user_message`, `agent_message`,
   * `agent_reasoning`, `item_completed` messages): the feed shows the item once.
   */
  echo?: boolean;
}

/** Codex token counts. Input includes cached input and cache writes; output includes reasoning. */
export interface CodexTokens {
  input: number;
  cachedInput: number;
  /** `cache_write_input_tokens`, where the rollout has it. */
  cacheWrite?: number;
  output: number;
  reasoningOutput: number;
  total: number;
}

/** Markers the tail itself emits about the file, never parsed from a line. */
export interface FileEvent extends EventBase {
  kind: "file";
  /**
   * Every change but `deleted` starts the file over from the top (or its
   * newest lines, as `text` says): `truncated` (it shrank), `rotated` (a new
   * file took its path), `rewritten` (its bytes changed in place), `replaced`
   * (it is not the file a resuming stream left off in). `deleted` ends the stream.
   */
  change: "truncated" | "rotated" | "rewritten" | "replaced" | "deleted";
  text: string;
}

/** A JSON line of a type tailboard does not know yet: shown with a summary, never an error. */
export interface OtherEvent extends EventBase {
  kind: "other";
  type: string;
  text: string;
}

export type TailEvent =
  | UserEvent
  | AssistantEvent
  | ToolResultEvent
  | SystemEvent
  | AttachmentEvent
  | ProgressEvent
  | TitleEvent
  | MetaEvent
  | TextEvent
  | CodexEvent
  | FileEvent
  | OtherEvent;

export type EventKind = TailEvent["kind"];

/** What the parser returns: an event without the cursor, which only the tail knows. */
export type ParsedEvent = DistributiveOmit<TailEvent, "cursor">;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
