import { FileTail, type FileTailOptions } from "./file_tail.ts";
import { readablePath } from "./readable.ts";
import { LineParser } from "./line_parser.ts";

export interface TailPoolOptions extends FileTailOptions {
  /**
   * How often open tails are stat-polled besides watch events: macOS FSEvents
   * can stay silent while a long-open file is appended to.
   * @default 250
   */
  pollMs?: number;
  /**
   * How long a tail stays open after its last stream lets go. A browser that
   * drops its connection (sleep, a network blip, a daemon busy for a moment)
   * comes back within this and finds in memory what the file said while it was
   * away, even when the file was rotated or rewritten meanwhile.
   * @default 30000
   */
  lingerMs?: number;
}

interface Slot {
  tail: FileTail;
  users: number;
  opening: Promise<void>;
  /** When a tail no stream uses is closed. */
  idleUntil: number;
}

/**
 * One `FileTail` per file however many streams read it, opened on first use
 * and closed a while after the last stream lets go, so nothing leaks when
 * browsers leave.
 */
export class TailPool {
  #tails = new Map<string, Slot>();
  #options: TailPoolOptions;
  #timer: ReturnType<typeof setInterval> | undefined;
  /** Huge lines of every tail and read-back are parsed here, off this thread. */
  readonly parser = new LineParser();

  constructor(options: TailPoolOptions = {}) {
    this.#options = { ...options, parser: this.parser };
  }

  /** The opened tail for `path`; pair every call with `release(path)`. */
  async acquire(path: string): Promise<FileTail> {
    // A compressed rollout or an old Gemini document is tailed through its copy (readable.ts).
    const readable = await readablePath(path);
    let slot = this.#tails.get(path);
    if (!slot || slot.tail.ended) {
      // A file deleted and created again continues the old one's memory, behind a marker.
      const tail = new FileTail(readable, this.#options, slot?.tail);
      slot = { tail, users: 0, opening: tail.open(), idleUntil: Infinity };
      this.#tails.set(path, slot);
      this.#startPolling();
    }
    slot.users++;
    slot.idleUntil = Infinity;
    try {
      await slot.opening;
    } catch (error) {
      // A tail that never opened holds nothing worth keeping: the next acquire tries afresh.
      slot.users--;
      if (this.#tails.get(path) === slot) this.#drop(path, slot);
      throw error;
    }
    return slot.tail;
  }

  release(path: string, tail: FileTail): void {
    const slot = this.#tails.get(path);
    if (!slot || slot.tail !== tail) return;
    if (--slot.users > 0) return;
    const linger = this.#options.lingerMs ?? 30_000;
    // An ended (deleted) tail lingers too: a new file at its path carries on its memory.
    if (linger > 0) {
      slot.idleUntil = Date.now() + linger;
      return;
    }
    this.#drop(path, slot);
  }

  #drop(path: string, slot: Slot): void {
    this.#tails.delete(path);
    slot.tail.close();
    if (this.#tails.size === 0) this.#stopPolling();
  }

  /** A watch event named `path`: read it now, no debounce. */
  poke(path: string): void {
    const slot = this.#tails.get(path);
    if (!slot) return;
    // A changed original is copied again first; the copy's rename reads as a rotation.
    const fresh = readablePath(path);
    Promise.all([slot.opening, fresh]).then(() => slot.tail.check()).catch(() => {});
  }

  /** The OS dropped events: every open tail re-checks. */
  pokeAll(): void {
    for (const path of this.#tails.keys()) this.poke(path);
  }

  /** Tails some stream is using. */
  get openCount(): number {
    let n = 0;
    for (const slot of this.#tails.values()) if (slot.users > 0) n++;
    return n;
  }

  #tick(): void {
    const now = Date.now();
    for (const [path, slot] of this.#tails) {
      if (slot.users === 0 && slot.idleUntil <= now) this.#drop(path, slot);
    }
    this.pokeAll();
  }

  #startPolling(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => this.#tick(), this.#options.pollMs ?? 250);
  }

  #stopPolling(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  close(): void {
    this.parser.close();
    this.#stopPolling();
    for (const slot of this.#tails.values()) slot.tail.close();
    this.#tails.clear();
  }
}
