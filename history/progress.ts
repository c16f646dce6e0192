/**
 * The index's progress: how many of the files the agents list holds have been
 * read up to the size last seen, and a throttle so a busy build reports it at
 * most every so often (and at once on every state change).
 */
import type { IndexProgress } from "./protocol.ts";
import type { FileState } from "./batch.ts";

export type { IndexProgress };

/** Progress over `sizes` (path → size the agents list reports) given what is stored. */
export function progressOf(
  state: IndexProgress["state"],
  sizes: Iterable<[string, number]>,
  files: Map<string, FileState>,
): IndexProgress {
  let count = 0;
  let total = 0;
  let bytes = 0;
  let bytesTotal = 0;
  for (const [path, size] of sizes) {
    total++;
    bytesTotal += size;
    const stored = files.get(path);
    if (stored && stored.size >= size) {
      count++;
      bytes += size;
    } else {
      bytes += Math.min(stored?.offset ?? 0, size);
    }
  }
  return { state, files: count, filesTotal: total, bytes, bytesTotal };
}

/** Calls `emit` at most every `everyMs`, the last request winning; `now` skips the wait. */
export class Throttle {
  #everyMs: number;
  #emit: () => void;
  #last = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(everyMs: number, emit: () => void) {
    this.#everyMs = everyMs;
    this.#emit = emit;
  }

  request(now: boolean): void {
    const wait = this.#everyMs - (Date.now() - this.#last);
    if (!now && wait > 0) {
      this.#timer ??= setTimeout(() => {
        this.#timer = undefined;
        this.request(true);
      }, wait);
      return;
    }
    this.stop();
    this.#last = Date.now();
    this.#emit();
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
