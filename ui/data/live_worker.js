/**
 * The SharedWorker every tailboard tab of this browser shares: it holds the
 * one live connection (live_link.js) and hands each tab the messages of its
 * own subscriptions, so six tabs cost one stream, not six times six.
 *
 * A closing tab sends nothing reliable, so each tab holds a Web Lock for as
 * long as it lives; the worker asks for the same lock, gets it the moment the
 * tab is gone, and drops that tab's subscriptions (the server then lets go of
 * their tails). When the last tab goes, the browser ends the worker and with
 * it the stream.
 *
 * Tab → worker: `{op: "hello", lock}`, `{op: "sub", key, spec, retryMs}`,
 * `{op: "unsub", key}`, `{op: "bye"}`. Worker → tab: `{op: "msg", key, t, d}`,
 * `{op: "status", status}`.
 */
import { LiveLink } from "./live_link.js";

/** @type {Set<MessagePort>} */
const ports = new Set();
/** @type {WeakMap<MessagePort, {id: number, keys: Set<string>}>} */
const tabs = new WeakMap();
let nextTab = 0;

const link = new LiveLink({
  onStatus: (status) => {
    for (const port of ports) port.postMessage({ op: "status", status });
  },
});

/** @param {MessagePort} port */
function forget(port) {
  const tab = tabs.get(port);
  if (!tab || !ports.delete(port)) return;
  for (const key of tab.keys) link.unsubscribe(`${tab.id}/${key}`);
  tab.keys.clear();
  port.close();
}

addEventListener("connect", (connect) => {
  const port = /** @type {MessagePort} */ (/** @type {MessageEvent} */ (connect).ports[0]);
  const tab = { id: ++nextTab, keys: new Set() };
  tabs.set(port, tab);
  ports.add(port);
  port.onmessage = (e) => {
    const m = e.data;
    if (m?.op === "sub") {
      tab.keys.add(m.key);
      link.subscribe(
        `${tab.id}/${m.key}`,
        m.spec,
        (message) => port.postMessage({ op: "msg", key: m.key, t: message.t, d: message.d }),
        { retryMs: m.retryMs ?? 0 },
      );
    } else if (m?.op === "unsub") {
      tab.keys.delete(m.key);
      link.unsubscribe(`${tab.id}/${m.key}`);
    } else if (m?.op === "hello" && typeof m.lock === "string" && navigator.locks) {
      // Granted only once the tab, which holds it while it lives, is gone.
      void navigator.locks.request(m.lock, () => forget(port));
    } else if (m?.op === "bye") forget(port);
  };
  port.start();
  port.postMessage({ op: "status", status: link.status });
});
