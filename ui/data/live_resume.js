/**
 * Where one subscription stands, kept by the tab it belongs to: the newest
 * event's cursor and the server's resume token. When the connection that
 * carries it moves to another tab (a leader tab closed, see live_leader.js),
 * the new one starts from here; and a message of the old connection that
 * arrives late is cut down to what is new, so nothing shows twice.
 * Pure: no DOM, no timers.
 *
 * @typedef {import("./live_link.js").LiveMessage} LiveMessage
 */

export class Resume {
  /** The newest event's cursor in the file's current generation, -1 before any. */
  cursor = -1;
  /** The resume token of the newest event (the server's `id`), null before any. */
  /** @type {string | null} */
  after = null;

  /**
   * What of `message` is new to this subscription, or null when nothing is.
   * The same rule as LiveLink's own: a file marker other than `deleted` starts
   * the cursors over; `error` and `end` mean the server let go of it.
   * @param {LiveMessage} message
   * @returns {LiveMessage | null}
   */
  take(message) {
    if (message.t === "events") {
      const fresh = [];
      for (const event of message.d ?? []) {
        if (event?.kind === "file") {
          if (event.change !== "deleted") this.cursor = -1;
        } else if (typeof event?.cursor === "number") {
          if (event.cursor <= this.cursor) continue;
          this.cursor = event.cursor;
        }
        fresh.push(event);
      }
      if (fresh.length === 0) return null; // a late repeat: its token is no newer either
      if (typeof message.id === "string") this.after = message.id;
      return { ...message, d: fresh };
    }
    if (message.t === "error" || message.t === "end") {
      this.cursor = -1;
      this.after = null;
    }
    return message;
  }
}
