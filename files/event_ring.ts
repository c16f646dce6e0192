import type { EncodedEvent } from "../transcript/encode.ts";

/**
 * A file's recent events in memory, across its generations: when the file is
 * rotated, truncated or rewritten, the old generation's last events stay
 * behind the marker that starts the new one. A stream resuming from an event
 * of the old generation then gets the lines it missed, the marker and the new
 * file, with nothing lost, where a disk read could only offer the new file.
 */
export class EventRing {
  #events: EncodedEvent[] = [];
  #size: number;
  /** Index of the current generation's first event (just after its marker). */
  #start = 0;

  constructor(size: number) {
    this.#size = size;
  }

  push(event: EncodedEvent): void {
    this.#events.push(event);
    const over = this.#events.length - this.#size;
    if (over > 0) {
      this.#events.splice(0, over);
      this.#start = Math.max(0, this.#start - over);
    }
  }

  /** Starts a new generation with its marker. */
  restart(marker: EncodedEvent): void {
    this.push(marker);
    this.#start = this.#events.length;
  }

  /** The current generation's events, oldest first. */
  get current(): readonly EncodedEvent[] {
    return this.#start === 0 ? this.#events : this.#events.slice(this.#start);
  }

  /**
   * Every event after the one whose SSE id is `id`, markers and newer
   * generations included; null when `id` is no longer (or never was) here.
   */
  after(id: string): EncodedEvent[] | null {
    for (let i = this.#events.length - 1; i >= 0; i--) {
      if (this.#events[i]!.id === id) return this.#events.slice(i + 1);
    }
    return null;
  }
}
