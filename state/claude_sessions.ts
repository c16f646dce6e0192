/**
 * Claude Code's session registry: one `sessions/<pid>.json` per running
 * `claude`, with its session id and `status` (`busy`, `idle`, `shell`,
 * reportedly `waiting`). It holds no transcript, so it is read whatever
 * sources are watched; a file whose pid is gone or reused is a session that
 * ended without cleaning up after itself.
 */
import type { LiveState } from "../agents/status.ts";
import type { RunCommand } from "../scheduler/run_command.ts";
import { epochMs, normaliseStatus } from "./live_status.ts";
import { processStart, sameProcess } from "./process_start.ts";

/** One `sessions/<pid>.json`, as far as tailboard uses it. */
export interface SessionFile {
  pid: number;
  sessionId: string;
  status?: LiveState["status"];
  procStart?: unknown;
  /** `statusUpdatedAt`, else `updatedAt`, epoch ms. */
  since?: number;
}

/** Parses one session file; null for anything that is not one. Pure. */
export function parseSessionFile(
  text: string,
  onUnknown: (word: string) => void,
): SessionFile | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null; // Half-written, or not ours: the next read will tell.
  }
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return null;
  const o = raw as Record<string, unknown>;
  if (typeof o.pid !== "number" || typeof o.sessionId !== "string" || !o.sessionId) return null;
  return {
    pid: o.pid,
    sessionId: o.sessionId,
    status: normaliseStatus(o.status, onUnknown),
    procStart: o.procStart,
    since: epochMs(o.statusUpdatedAt) ?? epochMs(o.updatedAt),
  };
}

/**
 * Reads every `sessions/*.json` under the config folders and checks each pid:
 * live sessions by session id. A missing folder is no sessions.
 */
export async function readSessions(
  configDirs: readonly string[],
  run: RunCommand,
  onUnknown: (word: string) => void,
): Promise<Map<string, LiveState>> {
  const live = new Map<string, LiveState>();
  for (const dir of configDirs) {
    let names: string[];
    try {
      names = [];
      for await (const e of Deno.readDir(`${dir}/sessions`)) {
        if (e.isFile && e.name.endsWith(".json")) names.push(e.name);
      }
    } catch {
      continue; // No registry there (an older Claude Code, or none at all).
    }
    for (const name of names) {
      let text: string;
      try {
        text = await Deno.readTextFile(`${dir}/sessions/${name}`);
      } catch {
        continue; // Removed between the listing and the read: the session ended.
      }
      const file = parseSessionFile(text, onUnknown);
      if (!file) continue;
      const start = await processStart(file.pid, run);
      const alive = start !== null && sameProcess(file.procStart, start);
      const known = live.get(file.sessionId);
      // The same session twice (a resumed one, a stale file): a live pid wins.
      if (known?.alive && !alive) continue;
      live.set(file.sessionId, {
        alive,
        status: file.status ?? "busy",
        since: file.since,
        source: "claude-sessions",
      });
    }
  }
  return live;
}
