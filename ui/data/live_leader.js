/**
 * Tabs sharing one live connection where there is no SharedWorker: the tab
 * that holds a Web Lock (`tailboard-live-leader`) is the leader; it holds the
 * connection (live_link.js) and relays the other tabs' subscriptions over a
 * BroadcastChannel. Every other tab waits in the lock's queue, so when the
 * leader closes, the browser hands the lock, and with it the connection, to
 * the next tab. That tab says so, and every tab subscribes again from where
 * each of its subscriptions stood (live_resume.js): nothing lost, nothing
 * shown twice.
 *
 * A follower holds a lock of its own while it lives; the leader asks for it
 * and gets it the moment the follower is gone, then drops its subscriptions.
 *
 * On the channel (every tab hears every message; `tab` says whose it is):
 * follower → leader `{op: "hello", tab}`, `{op: "sub", tab, key, spec,
 * retryMs, after, cursor}`, `{op: "unsub", tab, key}`; leader → followers
 * `{op: "leader"}` (subscribe again), `{op: "status", status}`,
 * `{op: "msg", tab, key, message}`.
 *
 * @typedef {import("./live_link.js").LiveSpec} LiveSpec
 * @typedef {import("./live_link.js").LiveMessage} LiveMessage
 * @typedef {import("./live_link.js").LinkStatus} LinkStatus
 * @typedef {{spec: LiveSpec, retryMs: number, resume: Resume}} Own
 */
import { LiveLink } from "./live_link.js";
import { Resume } from "./live_resume.js";

const CHANNEL = "tailboard-live";
const LEADER_LOCK = "tailboard-live-leader";
const tabLock = (/** @type {string} */ tab) => `tailboard-live-tab-${tab}`;

/**
 * Whether this browser can elect a leader tab.
 * @returns {boolean}
 */
export function canLead() {
  return typeof BroadcastChannel === "function" && !!globalThis.navigator?.locks;
}

/**
 * This tab's side of the shared connection.
 * @param {{deliver: (key: string, m: LiveMessage) => void, onStatus: (s: LinkStatus) => void,
 *   onRole: (role: "leader" | "follower") => void}} hooks
 */
export function leaderTransport({ deliver, onStatus, onRole }) {
  const tab = crypto.randomUUID();
  const channel = new BroadcastChannel(CHANNEL);
  /** This tab's own subscriptions, by key. @type {Map<string, Own>} */
  const own = new Map();
  /** The connection, while this tab leads. @type {LiveLink | null} */
  let link = null;
  /** The other tabs' keys this leader holds for them. @type {Map<string, Set<string>>} */
  const others = new Map();

  /** Resolves once this tab holds its own lock; a leader told of it before would get it at once. */
  /** @type {Promise<void>} */
  const held = new Promise((resolve) => {
    void navigator.locks.request(tabLock(tab), () => {
      resolve();
      return new Promise(() => {}); // held while the tab lives
    });
  });
  /** @param {unknown} m */
  const post = (m) => void held.then(() => channel.postMessage(m));

  /** @param {string} key @param {LiveMessage} message */
  const take = (key, message) => {
    const sub = own.get(key);
    const fresh = sub?.resume.take(message);
    if (fresh) deliver(key, fresh);
  };

  /** @param {string} key @param {Own} sub */
  const send = (key, sub) => {
    if (link) {
      link.subscribe(`${tab}/${key}`, sub.spec, (m) => take(key, m), {
        retryMs: sub.retryMs,
        after: sub.resume.after,
        cursor: sub.resume.cursor,
      });
    } else {
      post({
        op: "sub",
        tab,
        key,
        spec: sub.spec,
        retryMs: sub.retryMs,
        after: sub.resume.after,
        cursor: sub.resume.cursor,
      });
    }
  };

  /** Drops what a follower tab that is gone held. @param {string} other */
  const forget = (other) => {
    const keys = others.get(other);
    if (!keys) return;
    others.delete(other);
    for (const key of keys) link?.unsubscribe(`${other}/${key}`);
  };

  /** @param {any} m */
  const onLeaderMessage = (m) => {
    if (m.op === "hello") post({ op: "status", status: link?.status ?? "connecting" });
    else if (m.op === "sub" && typeof m.tab === "string" && typeof m.key === "string") {
      let keys = others.get(m.tab);
      if (!keys) {
        keys = new Set();
        others.set(m.tab, keys);
        // Granted once that tab, which holds it while it lives, is gone.
        void navigator.locks.request(tabLock(m.tab), () => forget(m.tab));
      }
      keys.add(m.key);
      const { tab: other, key } = m;
      link?.subscribe(
        `${other}/${key}`,
        m.spec,
        (message) => post({ op: "msg", tab: other, key, message }),
        {
          retryMs: Number(m.retryMs) || 0,
          after: typeof m.after === "string" ? m.after : null,
          cursor: typeof m.cursor === "number" ? m.cursor : -1,
        },
      );
    } else if (m.op === "unsub" && typeof m.tab === "string") {
      others.get(m.tab)?.delete(m.key);
      link?.unsubscribe(`${m.tab}/${m.key}`);
    }
  };

  /** @param {any} m */
  const onFollowerMessage = (m) => {
    if (m.op === "msg" && m.tab === tab) take(m.key, m.message);
    else if (m.op === "status") onStatus(m.status);
    else if (m.op === "leader") {
      // A new leader holds nothing yet: every subscription goes again, from where it stood.
      for (const [key, sub] of own) send(key, sub);
    }
  };

  channel.onmessage = (e) => {
    const m = e.data;
    if (!m || typeof m !== "object") return;
    if (link) onLeaderMessage(m);
    else onFollowerMessage(m);
  };

  const lead = () => {
    link = new LiveLink({
      onStatus: (status) => {
        onStatus(status);
        post({ op: "status", status });
      },
    });
    onRole("leader");
    for (const [key, sub] of own) send(key, sub);
    post({ op: "leader" });
    // Held until this tab closes; then the next tab in the queue leads.
    return new Promise(() => {});
  };

  onRole("follower");
  void navigator.locks.request(LEADER_LOCK, lead);
  post({ op: "hello", tab });

  return {
    /** @param {string} key @param {LiveSpec} spec @param {number} retryMs */
    sub(key, spec, retryMs) {
      const sub = { spec, retryMs, resume: new Resume() };
      own.set(key, sub);
      send(key, sub);
    },
    /** @param {string} key */
    unsub(key) {
      if (!own.delete(key)) return;
      if (link) link.unsubscribe(`${tab}/${key}`);
      else post({ op: "unsub", tab, key });
    },
  };
}
