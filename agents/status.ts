/**
 * Who needs you: one status per agent, fused from what its transcript says
 * and what the agent's own process reports about itself. Pure: facts in, a
 * status out; the caller keeps the previous one so `since` stays put while
 * nothing changes.
 *
 * Which source wins when they disagree, and why:
 * 1. A `<task-notification>` about a background task or agent is its final
 *    word: nothing after it can be newer.
 * 2. A pending `AskUserQuestion` or `ExitPlanMode` in a live (or unknown)
 *    session's transcript means needs-you, whatever the process says: Claude
 *    Code reports a session asking a question as `idle`
 *    (anthropics/claude-code#85192), and the transcript names the question.
 * 3. The process's own state (`claude agents --json`, then
 *    `sessions/<pid>.json`, then `jobs/<id>/state.json`) for whether it is
 *    busy, blocked, or gone: only the process knows a tool is still running
 *    after minutes of silence, or that it died.
 * 4. The transcript for everything else: how a turn ended (an API error, an
 *    error result, a question) and what a silent file last said.
 */
import type { SourceKind } from "../files/classify.ts";
import type { AgentStatus, StatusKind } from "./agent.ts";
import type { TurnFacts } from "./turn.ts";

/** A process's own report about a session, from one of the liveness sources. */
export interface LiveState {
  /** False once the pid is gone or belongs to another process now. */
  alive: boolean;
  /**
   * Normalised: `busy` (working; unknown values count as busy), `waiting`
   * (blocked on the user), `idle` (at the prompt), `done` or `stopped`.
   */
  status: "busy" | "waiting" | "idle" | "done" | "stopped";
  /** What a blocked session waits for (`claude agents --json` `waitingFor`). */
  waitingFor?: string;
  /** Epoch ms of the report's own timestamp. */
  since?: number;
  source: AgentStatus["source"];
}

export interface StatusInput {
  source: SourceKind;
  turn: TurnFacts | undefined;
  /** Epoch ms of the file's last change. */
  mtime: number;
  now: number;
  /** A file changed this recently counts as active. */
  runningWindowMs: number;
  /**
   * With no process to ask, statuses that hold (needs-you, failed, done) give
   * way to idle after this much silence: a session left at its prompt last
   * week does not need you now.
   */
  quietMs: number;
  live?: LiveState;
  /** A `<task-notification>` about this agent, from any transcript. */
  task?: { status: string; since?: number };
  previous?: AgentStatus;
}

/** The tools whose pending call means the agent waits for the user. */
const ASKS: Record<string, AgentStatus["reason"]> = {
  AskUserQuestion: "question",
  ExitPlanMode: "plan",
};

/** One agent's status. */
export function deriveStatus(input: StatusInput): AgentStatus {
  const draft = _draft(input);
  const prev = input.previous;
  if (prev && prev.kind === draft.kind && prev.reason === draft.reason) {
    return prev.source === draft.source && prev.error === draft.error
      ? prev
      : { ...draft, since: prev.since };
  }
  return draft;
}

type Draft = AgentStatus;

function _draft(input: StatusInput): Draft {
  const { turn, live, task, now, mtime } = input;
  const status = (
    kind: StatusKind,
    reason: AgentStatus["reason"],
    source: AgentStatus["source"],
    since?: number,
    error?: string,
  ): Draft => {
    const s: Draft = { kind, reason, since: since ?? now, source };
    if (error) s.error = error;
    return s;
  };
  const quiet = now - mtime >= input.quietMs;
  const active = now - mtime < input.runningWindowMs;

  if (task) {
    if (quiet && !live?.alive) return status("idle", "quiet", "notification", mtime);
    const failed = task.status === "failed" || task.status === "killed";
    return failed
      ? status(
        "failed",
        task.status === "killed" ? "killed" : "task-failed",
        "notification",
        task.since,
      )
      : status("done", "finished", "notification", task.since);
  }

  const asked = turn?.phase === "tool" ? turn.tools.map((t) => ASKS[t]).find(Boolean) : undefined;
  if (asked && live?.alive !== false && !(quiet && !live)) {
    return status("needs-you", asked, "transcript", turn?.since);
  }

  if (live) {
    if (!live.alive) {
      // The process is gone: mid-turn means it died there; anything else ended.
      if (turn?.phase === "api-error" || turn?.phase === "error-result") {
        if (!quiet) {
          return status("failed", _failReason(turn), "transcript", turn.since, turn.error);
        }
      } else if ((turn?.phase === "tool" && !asked) || turn?.phase === "model") {
        // (A question left unanswered was quit, not crashed.)
        if (!quiet) return status("failed", "died", live.source, live.since);
      }
      return status("idle", "ended", live.source, live.since);
    }
    switch (live.status) {
      case "busy":
        return status("working", turn?.phase === "tool" ? "tool" : "turn", live.source, live.since);
      case "waiting":
        return status("needs-you", _waitingReason(live.waitingFor, turn), live.source, live.since);
      case "done":
        return status("done", "finished", live.source, live.since);
      case "stopped":
        return status("idle", "ended", live.source, live.since);
      case "idle":
        // At the prompt. A tool call with no result while the process says it
        // is not busy is a tool waiting for its permission prompt.
        if (turn?.phase === "tool") {
          return status("needs-you", "permission", live.source, live.since);
        }
        if (turn?.phase === "api-error" || turn?.phase === "error-result") {
          return status("failed", _failReason(turn), "transcript", turn.since, turn.error);
        }
        return status("needs-you", "prompt", live.source, live.since ?? turn?.since);
    }
  }

  // No process to ask: the transcript alone, and silence ends everything.
  if (quiet) return status("idle", "quiet", "transcript", mtime);
  switch (turn?.phase) {
    case "api-error":
    case "error-result":
      return status("failed", _failReason(turn), "transcript", turn.since, turn.error);
    case "approval":
      return status("needs-you", "permission", "transcript", turn.since);
    case "result":
      return status("done", "finished", "transcript", turn.since);
    case "ended":
    case "aborted":
      // A subagent's turn ending is the subagent finishing; a session's is
      // the user's turn to speak.
      return input.source === "claude-subagent"
        ? status("done", "finished", "transcript", turn.since)
        : status("needs-you", "prompt", "transcript", turn.since);
    case "tool":
    case "model":
      return active
        ? status("working", turn.phase === "tool" ? "tool" : "turn", "transcript", turn.since)
        : status("idle", "quiet", "transcript", mtime);
    default:
      return active
        ? status("working", "output", "transcript", input.previous?.since)
        : status("idle", "quiet", "transcript", mtime);
  }
}

function _failReason(turn: TurnFacts): AgentStatus["reason"] {
  return turn.phase === "error-result" ? "error-result" : "api-error";
}

function _waitingReason(
  waitingFor: string | undefined,
  turn: TurnFacts | undefined,
): AgentStatus["reason"] {
  const w = (waitingFor ?? "").toLowerCase();
  if (w.includes("question") || w.includes("askuser")) return "question";
  if (w.includes("plan")) return "plan";
  if (w.includes("permission") || w.includes("approval")) return "permission";
  if (turn?.phase === "ended" || turn?.phase === "aborted") return "prompt";
  return "permission";
}
