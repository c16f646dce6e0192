/**
 * The newest lines of one job log, ready to show: plain lines as ANSI-styled
 * spans, Claude Code JSONL lines as the feed's typed items (the same
 * `FeedModel` the agent feed uses, so tool calls pair with their results).
 * A log may mix both: every line is parsed on its own by the server.
 *
 * Pure and DOM-free. Keeps at most twice `limit` events, so a job that runs
 * for days costs the same as one that just started.
 *
 * @typedef {import("../feed/model.js").Item} Item
 * @typedef {import("../lib/ansi.js").AnsiSpan} AnsiSpan
 * @typedef {{key: string, item: Item, spans?: AnsiSpan[]}} LogEntry
 *   one line to show; `spans` is set for plain text (`item.kind === "log"`)
 */
import { FeedModel } from "../feed/model.js";
import { parseAnsi, PLAIN } from "../lib/ansi.js";

export class LogBuffer {
  /** Bumped on every change, for views that re-render on it. */
  rev = 0;
  #limit;
  /** @type {any[]} the events the model holds, oldest first */
  #events = [];
  #model = new FeedModel();
  /** @type {Map<number, AnsiSpan[]>} styled spans of each plain line, by cursor */
  #spans = new Map();
  /** The ANSI attributes in force after the newest plain line. */
  #ansi = PLAIN;
  #last = -1;

  /** @param {number} [limit] how many lines to show. @default 80 */
  constructor(limit = 80) {
    this.#limit = limit;
  }

  /**
   * Adds newer events (oldest first). Repeats (cursor at or before the newest
   * seen) are dropped; a truncated or replaced file starts the buffer over.
   * @param {any[]} events
   * @returns {boolean} whether anything changed
   */
  append(events) {
    /** @type {any[]} */
    const added = [];
    for (const event of events) {
      if (event.kind === "file") {
        if (event.change !== "deleted") this.#clear();
        this.#last = -1;
      } else {
        if (typeof event.cursor !== "number" || event.cursor <= this.#last) continue;
        this.#last = event.cursor;
        if (event.kind === "text") {
          const { spans, state } = parseAnsi(String(event.text ?? ""), this.#ansi);
          this.#ansi = state;
          this.#spans.set(event.cursor, spans);
        }
      }
      this.#events.push(event);
      added.push(event);
    }
    if (added.length === 0) return false;
    if (this.#events.length > 2 * this.#limit) {
      // Rebuild from the newest lines (a result whose call fell off shows on its own).
      this.#events = this.#events.slice(-this.#limit);
      const kept = new Set(this.#events.map((e) => e.cursor));
      for (const cursor of this.#spans.keys()) if (!kept.has(cursor)) this.#spans.delete(cursor);
      this.#model = new FeedModel();
      this.#model.append(this.#events);
    } else {
      this.#model.append(added);
    }
    this.rev++;
    return true;
  }

  /** Forgets everything (the log is about to be sent again from its newest lines). */
  reset() {
    this.#clear();
    this.#last = -1;
    this.rev++;
  }

  /**
   * The newest `limit` lines to show, oldest first.
   * @returns {LogEntry[]}
   */
  entries() {
    return this.#model.items.slice(-this.#limit).map((item) =>
      item.kind === "log"
        ? { key: item.key, item, spans: this.#spans.get(item.event.cursor) ?? [] }
        : { key: item.key, item }
    );
  }

  /** How many lines are shown. */
  get size() {
    return Math.min(this.#model.items.length, this.#limit);
  }

  #clear() {
    this.#events = [];
    this.#spans.clear();
    this.#ansi = PLAIN;
    this.#model = new FeedModel();
  }
}
