/**
 * Claude Code's background jobs (`claude --bg`): `jobs/<id>/state.json`
 * holds the job's `state` and, where written, its session id; the last line
 * of `timeline.jsonl` stands in when the state file has none. The harness
 * writes these, and they are known to lag (anthropics/claude-code#87882), so
 * they count least of the live sources.
 */
import type { LiveState } from "../agents/status.ts";
import { epochMs, normaliseStatus } from "./live_status.ts";

/** One job's state file (and timeline's last line); null when it names no session. Pure. */
export function parseJob(
  stateText: string | null,
  lastTimelineLine: string | null,
  onUnknown: (word: string) => void,
): { sessionId: string; state: LiveState } | null {
  const state = _object(stateText) ?? {};
  const last = _object(lastTimelineLine) ?? {};
  const sessionId = _str(state.sessionId) ?? _str(state.session_id) ?? _str(last.sessionId);
  if (!sessionId) return null;
  const status = normaliseStatus(state.state, onUnknown) ??
    normaliseStatus(last.state ?? last.status, onUnknown);
  if (!status) return null;
  const since = epochMs(state.updatedAt) ?? epochMs(last.ts) ?? epochMs(last.timestamp);
  const live: LiveState = {
    alive: status !== "done" && status !== "stopped",
    status,
    source: "claude-jobs",
  };
  if (since !== undefined) live.since = since;
  return { sessionId, state: live };
}

/** Reads every job under the config folders. */
export async function readJobs(
  configDirs: readonly string[],
  onUnknown: (word: string) => void,
): Promise<Map<string, LiveState>> {
  const live = new Map<string, LiveState>();
  for (const dir of configDirs) {
    const jobs: string[] = [];
    try {
      for await (const e of Deno.readDir(`${dir}/jobs`)) if (e.isDirectory) jobs.push(e.name);
    } catch {
      continue; // No background jobs there.
    }
    for (const id of jobs) {
      const state = await _read(`${dir}/jobs/${id}/state.json`);
      const timeline = await _read(`${dir}/jobs/${id}/timeline.jsonl`);
      const lastLine = timeline?.trimEnd().split("\n").at(-1) ?? null;
      const job = parseJob(state, lastLine, onUnknown);
      if (job) live.set(job.sessionId, job.state);
    }
  }
  return live;
}

async function _read(path: string): Promise<string | null> {
  try {
    const file = await Deno.stat(path);
    // A timeline can grow long; only its end matters and a job's is small.
    if (file.size > 1024 * 1024) return null;
    return await Deno.readTextFile(path);
  } catch {
    return null;
  }
}

function _object(text: string | null): Record<string, unknown> | undefined {
  if (!text) return undefined;
  try {
    const v = JSON.parse(text);
    return v && typeof v === "object" && !Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

function _str(v: unknown): string | undefined {
  return typeof v === "string" && v ? v : undefined;
}
