/**
 * What every simulated agent shares: pauses that stop on abort, appending
 * lines, clocks in the past, and terminal colours.
 */
import type { ClaudeLines } from "./claude_lines.ts";

/** The simulated user's home, as the transcripts say it. */
export const HOME = "/Users/dev";

/** A pause that rejects when the demo stops. */
export type Pause = (ms: number) => Promise<void>;

/** A Claude Code session being written. */
export interface Session {
  lines: ClaudeLines;
  path: string;
}

export async function append(path: string, ...lines: string[]): Promise<void> {
  await Deno.writeTextFile(path, lines.join(""), { append: true });
}

/** A clock that starts `minutesAgo` in the past and moves a few seconds per line. */
export function pastClock(minutesAgo: number): () => Date {
  let t = Date.now() - minutesAgo * 60_000;
  return () => new Date(t += 2000 + Math.floor(Math.random() * 9000));
}

/** A file as `Read` shows it: numbered lines. */
export function numbered(source: string): string {
  return source.split("\n").map((l, i) => `${String(i + 1).padStart(6)}\t${l}`).join("\n");
}

export const GREEN = "\x1b[32m";
export const YELLOW = "\x1b[33m";
export const RED = "\x1b[31m";
export const GREY = "\x1b[38;5;245m";
export const BOLD = "\x1b[1m";
export const RESET = "\x1b[0m";

/** Resolves after `ms`, or rejects as soon as `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
