/**
 * `claude agents --json`: the CLI's own list of live sessions, with `state`
 * (working, blocked, done, stopped), `status` and, for a blocked one,
 * `waitingFor`. Asked at most every few seconds, with a timeout that kills it.
 */
import type { LiveState } from "../agents/status.ts";
import type { RunCommand } from "../scheduler/run_command.ts";
import { epochMs, normaliseStatus } from "./live_status.ts";

/** Parses the command's stdout; sessions by id. Pure; bad output is no sessions. */
export function parseClaudeAgents(
  stdout: string,
  onUnknown: (word: string) => void,
): Map<string, LiveState> {
  const live = new Map<string, LiveState>();
  let raw: unknown;
  try {
    raw = JSON.parse(stdout);
  } catch {
    return live;
  }
  const list = Array.isArray(raw)
    ? raw
    : raw && typeof raw === "object" && Array.isArray((raw as { agents?: unknown }).agents)
    ? (raw as { agents: unknown[] }).agents
    : [];
  for (const item of list) {
    if (!item || typeof item !== "object") continue;
    const o = item as Record<string, unknown>;
    if (typeof o.sessionId !== "string" || !o.sessionId) continue;
    const status = normaliseStatus(o.state, onUnknown) ?? normaliseStatus(o.status, onUnknown);
    if (!status) continue;
    const state: LiveState = {
      // It lists live sessions; a stopped one stays listed without a pid.
      alive: status !== "stopped",
      status,
      source: "claude-agents",
    };
    const since = epochMs(o.statusUpdatedAt) ?? epochMs(o.updatedAt);
    if (since !== undefined) state.since = since;
    if (typeof o.waitingFor === "string" && o.waitingFor) state.waitingFor = o.waitingFor;
    live.set(o.sessionId, state);
  }
  return live;
}

/** Runs `claude agents --json`; null when it fails, hangs or prints nonsense. */
export async function askClaudeAgents(
  run: RunCommand,
  claude: string,
  onUnknown: (word: string) => void,
  timeoutMs = 4000,
): Promise<Map<string, LiveState> | null> {
  try {
    const result = await run(claude, ["agents", "--json"], { timeoutMs });
    if (result.code !== 0) return null;
    const trimmed = result.stdout.trim();
    if (!trimmed.startsWith("[") && !trimmed.startsWith("{")) return null;
    return parseClaudeAgents(trimmed, onUnknown);
  } catch {
    // Missing, hung (killed) or unable to start: this source is quiet this round.
    return null;
  }
}
