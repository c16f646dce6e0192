import { FileTail, type FileTailOptions } from "./file_tail.ts";

export interface TailPoolOptions extends FileTailOptions {
  /**
   * How often open tails are stat-polled besides watch events: macOS FSEvents
   * can stay silent while a long-open file is appended to.
   * @default 250
   */
  pollMs?: number;
}

/**
 * One `FileTail` per file however many streams read it, opened on first use
 * and closed when the last stream lets go, so nothing leaks when browsers
 * leave.
 */
export class TailPool {
  #tails = new Map<string, { tail: FileTail; users: number; opening: Promise<void> }>();
  #options: TailPoolOptions;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(options: TailPoolOptions = {}) {
    this.#options = options;
  }

  /** The opened tail for `path`; pair every call with `release(path)`. */
  async acquire(path: string): Promise<FileTail> {
    let slot = this.#tails.get(path);
    if (!slot || slot.tail.ended) {
      const tail = new FileTail(path, this.#options);
      slot = { tail, users: 0, opening: tail.open() };
      this.#tails.set(path, slot);
      this.#startPolling();
    }
    slot.users++;
    try {
      await slot.opening;
    } catch (error) {
      this.release(path, slot.tail);
      throw error;
    }
    return slot.tail;
  }

  release(path: string, tail: FileTail): void {
    const slot = this.#tails.get(path);
    if (!slot || slot.tail !== tail) return;
    if (--slot.users > 0) return;
    this.#tails.delete(path);
    slot.tail.close();
    if (this.#tails.size === 0) this.#stopPolling();
  }

  /** A watch event named `path`: read it now, no debounce. */
  poke(path: string): void {
    const slot = this.#tails.get(path);
    if (slot) slot.opening.then(() => slot.tail.check()).catch(() => {});
  }

  /** The OS dropped events: every open tail re-checks. */
  pokeAll(): void {
    for (const path of this.#tails.keys()) this.poke(path);
  }

  get openCount(): number {
    return this.#tails.size;
  }

  #startPolling(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => this.pokeAll(), this.#options.pollMs ?? 250);
  }

  #stopPolling(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  close(): void {
    this.#stopPolling();
    for (const slot of this.#tails.values()) slot.tail.close();
    this.#tails.clear();
  }
}
