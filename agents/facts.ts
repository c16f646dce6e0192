/**
 * What an agent's own lines say about it: project, title, parent session and
 * whether it is working or waiting. Pure: lines in, facts out.
 */
import { type Format, parseLine } from "../transcript/line.ts";
import type { TailEvent } from "../core/event.ts";
import { type TurnFacts, TurnWalk } from "./turn.ts";
import { type BackgroundTasks, BackgroundWalk, type WorkflowCalls } from "./background.ts";

export interface AgentFacts {
  cwd?: string;
  sessionId?: string;
  agentId?: string;
  /** Which agent wrote the file, from its first line that says (content, not path). */
  format?: Format;
  /** The session that started this one (a Codex child thread's parent). */
  parentSessionId?: string;
  /** From a `custom-title`, `ai-title` or `summary` line (that order of trust). */
  title?: string;
  titleRank?: number;
  firstPrompt?: string;
  activity?: "working" | "waiting" | null;
  /** Epoch ms of the first line with a timestamp. */
  startedAt?: number;
  /** Where the turn stands, for the status model (`status.ts`). */
  turn?: TurnFacts;
  /** Background tasks this session started: task id → command. */
  backgroundTasks?: BackgroundTasks;
  /** Workflow runs this session launched: the run's task id → its `Workflow` call. */
  workflowCalls?: WorkflowCalls;
  /** The version of the agent that wrote the first line that says. */
  version?: string;
  /** True once a line marked `isSidechain` was seen: a subagent's line. */
  sidechainLines?: boolean;
  /** True once a line marked `isSidechain: false` was seen: a session's own line. */
  sessionLines?: boolean;
}

/**
 * Whether a session file may hold its subagents' lines inline (Claude Code
 * 1.0.x did; 2.0 moved them to files of their own), so it is worth reading
 * whole for them (agents/sidechain_reader.ts).
 */
export function mayHoldSidechains(facts: AgentFacts): boolean {
  return facts.format === "claude" && !facts.agentId &&
    (facts.sidechainLines === true || /^[01]\./.test(facts.version ?? ""));
}

const TITLE_RANK: Record<string, number> = { "custom-title": 3, "ai-title": 2, "summary": 1 };

/**
 * Folds lines, oldest first, into `facts`. Call it with the head of a file and
 * then with its tail: titles keep the most trusted (and newest) one, the first
 * prompt stays the first, activity follows the newest lines.
 */
export function foldFacts(lines: Iterable<string>, facts: AgentFacts = {}): AgentFacts {
  const pending = new Set<string>();
  let activity: AgentFacts["activity"] = facts.activity ?? null;
  const turn = new TurnWalk(facts.turn);
  const background = new BackgroundWalk(facts.backgroundTasks, facts.workflowCalls);
  for (const text of lines) {
    const parsed = parseLine(text);
    facts.cwd ??= parsed.cwd;
    facts.sessionId ??= parsed.sessionId;
    facts.agentId ??= parsed.agentId;
    facts.format ??= parsed.format;
    facts.parentSessionId ??= parsed.parentSessionId;
    facts.version ??= parsed.version;
    const event = parsed.event as TailEvent;
    if (event.sidechain === false) facts.sessionLines = true;
    else if (event.sidechain === true) {
      facts.sidechainLines = true;
      // A subagent's line in its session's file (1.0.x) is the subagent's
      // work, not the session's: it has facts of its own (sidechains.ts).
      if (facts.sessionLines) continue;
    }
    turn.step(event, text);
    background.step(event);
    if (facts.startedAt === undefined && event.ts) {
      const ts = Date.parse(event.ts);
      if (Number.isFinite(ts)) facts.startedAt = ts;
    }
    if (event.kind === "title") {
      const rank = TITLE_RANK[event.subtype] ?? 0;
      if (rank > 0 && rank >= (facts.titleRank ?? 0) && event.text.trim()) {
        facts.title = oneLine(event.text);
        facts.titleRank = rank;
      }
    } else if (event.kind === "user") {
      if (!facts.firstPrompt && isRealPrompt(event.text, event.isMeta, event.isCompactSummary)) {
        facts.firstPrompt = oneLine(event.text);
      }
      // A local slash command (`/exit`, `/clear`) is written as a user line
      // but hands the model nothing to do.
      if (!event.isMeta && !isLocalCommand(event.text)) activity = "working";
    } else if (event.kind === "assistant") {
      for (const block of event.blocks) {
        if (block.type === "tool_use") pending.add(block.id);
        // Gemini writes a call's result into the message that made the call.
        else if (block.type === "tool_result") pending.delete(block.toolUseId);
      }
      // A line of thinking alone (Codex reasoning, Claude's per-block lines) is mid-turn.
      const thinkingOnly = event.blocks.length > 0 &&
        event.blocks.every((b) => b.type === "thinking" || b.type === "redacted_thinking");
      activity = pending.size > 0 || event.stopReason === "tool_use" || thinkingOnly
        ? "working"
        : "waiting";
    } else if (event.kind === "tool_result") {
      for (const block of event.blocks) {
        if (block.type === "tool_result") pending.delete(block.toolUseId);
      }
      activity = "working";
    } else if (event.kind === "codex") {
      // Codex: `event_msg` user_message is the human's prompt; task_started and
      // task_complete bracket the model's turn.
      if (event.subtype === "user_message" && !facts.firstPrompt && event.text.trim()) {
        facts.firstPrompt = oneLine(event.text);
      }
      if (event.subtype === "task_started" || event.subtype === "user_message") {
        activity = "working";
      } else if (event.subtype === "task_complete" || event.subtype === "turn_aborted") {
        activity = "waiting";
      }
    } else if (
      event.kind === "system" &&
      (event.subtype === "turn_duration" || event.subtype === "stop_hook_summary")
    ) {
      activity = pending.size > 0 ? "working" : "waiting";
    }
  }
  facts.activity = activity;
  facts.turn = turn.done();
  facts.backgroundTasks = background.done();
  facts.workflowCalls = background.runs();
  return facts;
}

/** Prompts Claude Code injects itself (command wrappers, caveats) are not titles. */
function isRealPrompt(text: string, isMeta?: boolean, isCompactSummary?: boolean): boolean {
  const t = text.trim();
  return !isMeta && !isCompactSummary && t.length > 0 && !t.startsWith("<") &&
    !t.startsWith("Caveat:");
}

function isLocalCommand(text: string): boolean {
  const t = text.trimStart();
  return t.startsWith("<command-name>") || t.startsWith("<local-command") ||
    t.startsWith("<command-message>");
}

export function oneLine(text: string, max = 140): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
