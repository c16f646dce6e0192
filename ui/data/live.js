/**
 * The page's side of the one live connection: `subscribe()` hands a spec to
 * the SharedWorker all tabs share (live_worker.js); where the browser has
 * none (or it fails to start), to the leader tab that holds the connection
 * for every tab (live_leader.js: BroadcastChannel and Web Locks); where it
 * lacks those too, to a connection of this tab's own. Views and stores never
 * open an EventSource themselves.
 *
 * @typedef {import("./live_link.js").LiveSpec} LiveSpec
 * @typedef {import("./live_link.js").LiveMessage} LiveMessage
 * @typedef {import("./live_link.js").LinkStatus} LinkStatus
 * @typedef {"connecting" | "live" | "reconnecting"} SubStatus
 * @typedef {object} Handlers
 * @property {(m: LiveMessage) => void} onMessage
 * @property {(s: SubStatus) => void} [onStatus] connecting until its first message, then the
 *   connection's own status
 * @property {number} [retryMs] after an error or end, subscribe again this much later
 */
import { signal } from "@preact/signals";
import { LiveLink } from "./live_link.js";
import { canLead, leaderTransport } from "./live_leader.js";

/** The connection's status, for the rail. */
export const liveStatus = signal(/** @type {LinkStatus} */ ("connecting"));
/**
 * How this tab is connected: `shared` (the SharedWorker's connection, one for every tab of
 * this browser), `leader` or `follower` (one tab holds it for all), or `tab` (its own).
 */
export const liveMode = signal(
  /** @type {"shared" | "leader" | "follower" | "tab" | null} */ (null),
);

/** @type {Map<string, {spec: LiveSpec, handlers: Handlers, seen: boolean}>} */
const subs = new Map();
let nextKey = 0;
/** @type {{sub(key: string, spec: LiveSpec, retryMs: number): void, unsub(key: string): void} | null} */
let transport = null;

/**
 * Follows `spec` until the returned function is called.
 * @param {LiveSpec} spec
 * @param {Handlers} handlers
 * @returns {() => void} unsubscribe
 */
export function subscribe(spec, handlers) {
  const link = connect();
  const key = String(++nextKey);
  subs.set(key, { spec, handlers, seen: false });
  handlers.onStatus?.("connecting");
  link.sub(key, spec, handlers.retryMs ?? 0);
  return () => {
    if (!subs.delete(key)) return;
    transport?.unsub(key);
  };
}

/**
 * Opens the connection (or joins the shared one) if it is not open yet. The page calls it
 * first thing (live_boot.js), so the connection comes up while the rest of the UI loads.
 */
export function connect() {
  return (transport ??= startTransport());
}

/** @param {string} key @param {LiveMessage} message */
function deliver(key, message) {
  const sub = subs.get(key);
  if (!sub) return;
  if (!sub.seen) {
    sub.seen = true;
    if (liveStatus.value === "live") sub.handlers.onStatus?.("live");
  }
  sub.handlers.onMessage(message);
}

/** @param {LinkStatus} status */
function setStatus(status) {
  if (liveStatus.value === status) return;
  liveStatus.value = status;
  for (const sub of subs.values()) {
    sub.handlers.onStatus?.(status === "live" && !sub.seen ? "connecting" : status);
  }
}

function startTransport() {
  // `sessionStorage["tailboard.live"] = "tab"` forces a connection per tab (and tests it).
  const forced = globalThis.sessionStorage?.getItem("tailboard.live") === "tab";
  if (!forced && typeof SharedWorker === "function") {
    try {
      return sharedTransport();
    } catch {
      // A browser that has SharedWorker but refuses this one: share through a leader tab.
    }
  }
  return forced ? tabTransport() : fallbackTransport();
}

/** A leader tab's connection where tabs can elect one, else this tab's own. */
function fallbackTransport() {
  if (!canLead()) return tabTransport();
  return leaderTransport({
    deliver,
    onStatus: setStatus,
    onRole: (role) => (liveMode.value = role),
  });
}

function tabTransport() {
  liveMode.value = "tab";
  const link = new LiveLink({ onStatus: setStatus });
  return {
    /** @param {string} key @param {LiveSpec} spec @param {number} retryMs */
    sub: (key, spec, retryMs) =>
      link.subscribe(key, spec, (message) => deliver(key, message), { retryMs }),
    /** @param {string} key */
    unsub: (key) => link.unsubscribe(key),
  };
}

function sharedTransport() {
  // Beside this module, at the same build's URL (assets.ts): a new build gets a new worker.
  const worker = new SharedWorker(new URL("./live_worker.js", import.meta.url), {
    type: "module",
    name: "tailboard-live",
  });
  const port = worker.port;
  liveMode.value = "shared";
  port.onmessage = (e) => {
    const m = e.data;
    if (m?.op === "msg") deliver(m.key, { t: m.t, d: m.d });
    else if (m?.op === "status") setStatus(m.status);
  };
  worker.onerror = () => {
    // The worker did not start: carry on without it.
    port.close();
    transport = fallbackTransport();
    for (const [key, sub] of subs) transport.sub(key, sub.spec, sub.handlers.retryMs ?? 0);
  };
  port.start();
  if (navigator.locks) {
    // Held while this tab lives: the worker learns of the tab's end when it gets the lock.
    const lock = `tailboard-tab-${crypto.randomUUID()}`;
    void navigator.locks.request(lock, () => {
      port.postMessage({ op: "hello", lock });
      return new Promise(() => {});
    });
  } else addEventListener("pagehide", () => port.postMessage({ op: "bye" }));
  return {
    /** @param {string} key @param {LiveSpec} spec @param {number} retryMs */
    sub: (key, spec, retryMs) => port.postMessage({ op: "sub", key, spec, retryMs }),
    /** @param {string} key */
    unsub: (key) => port.postMessage({ op: "unsub", key }),
  };
}
