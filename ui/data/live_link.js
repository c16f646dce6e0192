/**
 * The one live connection to the daemon (`/api/live`, see
 * server/routes/live.ts): one EventSource, and requests that add and drop
 * subscriptions on it. Runs wherever the browser lets it: in the SharedWorker
 * that all tabs share (live_worker.js), or in a tab of its own where there is
 * no SharedWorker (live.js). No DOM, no signals: plain callbacks.
 *
 * Each subscription keeps its own resume token (the `id` of its newest
 * `events` message: offset and file generation). When the stream drops, the next one
 * re-adds every subscription from its cursor; when one is re-added on a live
 * stream (a retry), it gets a new key on the wire, so a message of the old one
 * still in flight is never taken for the new one. Either way no event is lost
 * and none is delivered twice.
 *
 * @typedef {{kind: "agents" | "jobs" | "index"} |
 *   {kind: "agent", id: string, tail?: number} |
 *   {kind: "job-log", id: string, stream: "stdout" | "stderr", tail?: number}} LiveSpec
 * @typedef {{t: string, d: any, id?: string | null}} LiveMessage
 *   t: `events` (d: events, oldest first), `snapshot`, `upsert`, `remove`, `jobs`, `progress`,
 *   `error` (d: {status, error}: the subscription is gone) or `end` (its file was deleted);
 *   id: with `events`, the resume token of the newest event so far
 * @typedef {"connecting" | "live" | "reconnecting"} LinkStatus
 */

/** The longest wait between reconnects. */
const MAX_BACKOFF_MS = 10_000;

/**
 * @typedef {object} Sub
 * @property {LiveSpec} spec
 * @property {(m: LiveMessage) => void} onMessage
 * @property {number} cursor the newest event's cursor in the file's current generation, -1 before any
 * @property {string | null} after the resume token of the newest event (the server's `id`)
 * @property {number} retryMs after an error or end, add it again this much later (0: never)
 * @property {string | null} wire its key on the wire while subscribed
 * @property {ReturnType<typeof setTimeout> | undefined} timer
 */

export class LiveLink {
  /** @type {Map<string, Sub>} by the caller's key */
  #subs = new Map();
  /** @type {Map<string, string>} wire key → caller's key */
  #wire = new Map();
  #generation = 0;
  /** @type {EventSource | null} */
  #es = null;
  /** @type {string | null} */
  #conn = null;
  /** @type {Map<string, Sub>} */
  #toAdd = new Map();
  /** @type {Set<string>} wire keys */
  #toDrop = new Set();
  #flushQueued = false;
  #failures = 0;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  #timer;
  #closed = false;
  /** @type {LinkStatus} */
  status = "connecting";
  #url;
  #onStatus;

  /**
   * @param {{url?: string, onStatus?: (s: LinkStatus) => void}} [options]
   *   url: the stream's path. @default "/api/live"
   */
  constructor({ url = "/api/live", onStatus = () => {} } = {}) {
    this.#url = url;
    this.#onStatus = onStatus;
    this.#open();
  }

  /**
   * Follows `spec` under `key` (a key in use is replaced).
   * @param {string} key
   * @param {LiveSpec} spec
   * @param {(m: LiveMessage) => void} onMessage
   * @param {{retryMs?: number, after?: string | null, cursor?: number}} [options]
   *   retryMs: re-add after an error or end (@default 0); after and cursor: where a
   *   subscription that another connection held stopped (a leader tab's, see
   *   live_leader.js), so this one goes on from there
   */
  subscribe(key, spec, onMessage, { retryMs = 0, after = null, cursor = -1 } = {}) {
    this.unsubscribe(key);
    /** @type {Sub} */
    const sub = {
      spec,
      onMessage,
      cursor,
      after,
      retryMs,
      wire: null,
      timer: undefined,
    };
    this.#subs.set(key, sub);
    this.#add(key, sub);
  }

  /** @param {string} key */
  unsubscribe(key) {
    const sub = this.#subs.get(key);
    if (!sub) return;
    this.#subs.delete(key);
    clearTimeout(sub.timer);
    this.#detach(sub);
  }

  /** How many subscriptions are held (for tests and the worker's bookkeeping). */
  get size() {
    return this.#subs.size;
  }

  close() {
    this.#closed = true;
    clearTimeout(this.#timer);
    for (const sub of this.#subs.values()) clearTimeout(sub.timer);
    this.#subs.clear();
    this.#es?.close();
    this.#es = null;
  }

  /* ---------- the wire ---------- */

  /** @param {string} key @param {Sub} sub */
  #add(key, sub) {
    this.#detach(sub);
    const wire = `${key}~${++this.#generation}`;
    sub.wire = wire;
    this.#wire.set(wire, key);
    this.#toAdd.set(wire, sub);
    this.#queueFlush();
  }

  /** @param {Sub} sub */
  #detach(sub) {
    const wire = sub.wire;
    if (!wire) return;
    sub.wire = null;
    this.#wire.delete(wire);
    if (!this.#toAdd.delete(wire)) this.#toDrop.add(wire);
    this.#queueFlush();
  }

  /** Changes made in one turn of the event loop go out as one request. */
  #queueFlush() {
    if (this.#flushQueued) return;
    this.#flushQueued = true;
    queueMicrotask(() => {
      this.#flushQueued = false;
      void this.#flush();
    });
  }

  async #flush() {
    const conn = this.#conn;
    if (!conn || (this.#toAdd.size === 0 && this.#toDrop.size === 0)) return;
    const add = [...this.#toAdd].map(([key, sub]) => ({
      key,
      ...sub.spec,
      ...(sub.after !== null ? { after: sub.after } : {}),
    }));
    const drop = [...this.#toDrop];
    this.#toAdd.clear();
    this.#toDrop.clear();
    try {
      const res = await fetch(`${this.#url}/${encodeURIComponent(conn)}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ add, drop }),
      });
      if (res.status === 404 && conn === this.#conn) this.#reopen(); // the stream is gone
      await res.body?.cancel();
    } catch {
      // The daemon is away: the stream notices too, and the next one re-adds everything.
    }
  }

  #open() {
    if (this.#closed) return;
    this.#conn = null;
    const es = new EventSource(this.#url);
    this.#es = es;
    es.addEventListener("hello", (e) => {
      this.#failures = 0;
      this.#conn = JSON.parse(/** @type {MessageEvent} */ (e).data).conn;
      // A new connection holds nothing yet: every subscription goes again, from its cursor.
      this.#toDrop.clear();
      this.#toAdd.clear();
      this.#wire.clear();
      for (const [key, sub] of this.#subs) if (sub.timer === undefined) this.#add(key, sub);
      this.#setStatus("live");
    });
    es.onmessage = (e) => this.#receive(e.data);
    es.onerror = () => {
      if (this.#closed || es !== this.#es) return;
      this.#conn = null;
      this.#setStatus("reconnecting");
      // CONNECTING: the browser retries by itself, and the new stream says hello.
      if (es.readyState === EventSource.CLOSED) this.#reopen();
    };
  }

  #reopen() {
    this.#es?.close();
    this.#es = null;
    this.#conn = null;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(
      () => this.#open(),
      Math.min(MAX_BACKOFF_MS, 500 * 2 ** this.#failures++),
    );
  }

  /** @param {LinkStatus} status */
  #setStatus(status) {
    if (this.status === status) return;
    this.status = status;
    this.#onStatus(status);
  }

  /** @param {string} data */
  #receive(data) {
    /** @type {{k: string, t: string, d: any, id?: string}} */
    let message;
    try {
      message = JSON.parse(data);
    } catch {
      return; // Not ours to understand.
    }
    const key = this.#wire.get(message.k);
    const sub = key === undefined ? undefined : this.#subs.get(key);
    // A key dropped or replaced: its messages still in flight are not for anyone.
    if (key === undefined || !sub || sub.wire !== message.k) return;
    if (message.t === "events") {
      const fresh = [];
      for (const event of message.d) {
        if (event.kind === "file") {
          // Truncated, rotated, rewritten or replaced: cursors count from 0 again.
          if (event.change !== "deleted") sub.cursor = -1;
        } else if (event.cursor <= sub.cursor) continue;
        else sub.cursor = event.cursor;
        fresh.push(event);
      }
      if (typeof message.id === "string") sub.after = message.id;
      if (fresh.length > 0) sub.onMessage({ t: "events", d: fresh, id: sub.after });
      return;
    }
    if (message.t === "error" || message.t === "end") {
      // The server let go of it. A retried one starts over from the newest lines.
      this.#wire.delete(message.k);
      sub.wire = null;
      sub.cursor = -1;
      sub.after = null;
      if (sub.retryMs > 0) {
        sub.timer = setTimeout(() => {
          sub.timer = undefined;
          if (this.#subs.get(key) === sub) this.#add(key, sub);
        }, sub.retryMs);
      }
    }
    sub.onMessage({ t: message.t, d: message.d });
  }
}
