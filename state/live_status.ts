/**
 * The words Claude Code uses for a session's state, normalised. Pure.
 */
import type { LiveState } from "../agents/status.ts";

const KNOWN: Record<string, LiveState["status"]> = {
  // sessions/<pid>.json `status`
  busy: "busy",
  idle: "idle",
  waiting: "waiting",
  // A `!` shell command the user runs inside the session: it is at work.
  shell: "busy",
  // `claude agents --json` and jobs/<id>/state.json `state`
  working: "busy",
  blocked: "waiting",
  done: "done",
  stopped: "stopped",
};

/**
 * Maps a status word; an unknown one counts as busy (the safe guess: a new
 * word is more likely a new kind of work than an end), and `onUnknown` hears
 * of it so it can be logged once.
 */
export function normaliseStatus(
  word: unknown,
  onUnknown: (word: string) => void,
): LiveState["status"] | undefined {
  if (typeof word !== "string" || !word) return undefined;
  const known = KNOWN[word.toLowerCase()];
  if (known) return known;
  onUnknown(word);
  return "busy";
}

/** Epoch ms from a number (ms) or an ISO string; undefined otherwise. */
export function epochMs(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string") {
    const ms = Date.parse(value);
    if (Number.isFinite(ms)) return ms;
  }
  return undefined;
}
