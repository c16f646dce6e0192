/**
 * Talking to the daemon: JSON fetches and the two SSE streams, with quiet
 * reconnects. EventSource resumes by itself with `Last-Event-ID` after a
 * dropped connection; when it gives up (an HTTP error, or the server was
 * away too long) we reopen with `?after=<last cursor>`, so nothing is lost
 * or repeated either way.
 *
 * @typedef {import("../lib/agent_tree.js").Agent} Agent
 * @typedef {"connecting" | "live" | "reconnecting" | "ended"} StreamStatus
 */

/**
 * @param {string} url
 * @returns {Promise<any>}
 */
export async function getJSON(url) {
  const res = await fetch(url, { headers: { accept: "application/json" } });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(body?.error ?? `${res.status} ${res.statusText}`);
  return body;
}

/** @param {string} id */
const agentUrl = (id) => `/api/agents/${encodeURIComponent(id)}`;

/**
 * Older events for scrolling back, oldest first.
 * @param {string} agentId
 * @param {number} before cursor
 * @param {number} [limit]
 * @returns {Promise<{events: any[], hasMore: boolean}>}
 */
export function fetchOlder(agentId, before, limit = 300) {
  return getJSON(`${agentUrl(agentId)}/events.json?before=${before}&limit=${limit}`);
}

/**
 * The full, unclamped event at `cursor` (for "show all" on a truncated one).
 * @param {string} agentId
 * @param {number} cursor
 * @returns {Promise<any>}
 */
export async function fetchLine(agentId, cursor) {
  return (await getJSON(`${agentUrl(agentId)}/line?cursor=${cursor}`)).event;
}

/** The longest wait between our own reconnect attempts. */
const MAX_BACKOFF_MS = 10_000;

/**
 * Follows `/api/agents/stream`.
 * @param {{
 *   onSnapshot: (agents: Agent[]) => void,
 *   onUpsert: (agent: Agent) => void,
 *   onRemove: (id: string) => void,
 *   onStatus: (s: StreamStatus) => void,
 * }} handlers
 * @returns {() => void} close
 */
export function followAgents(handlers) {
  return reconnecting(() => "/api/agents/stream", (es) => {
    es.addEventListener("snapshot", (e) => handlers.onSnapshot(JSON.parse(e.data).agents ?? []));
    es.addEventListener("upsert", (e) => handlers.onUpsert(JSON.parse(e.data).agent));
    es.addEventListener("remove", (e) => handlers.onRemove(JSON.parse(e.data).id));
  }, handlers.onStatus);
}

/**
 * Follows one agent's events: the newest `tail` first, then live ones.
 * Stops for good after a `file` event saying the file was deleted.
 * @param {string} agentId
 * @param {{tail?: number, onEvents: (events: any[]) => void, onStatus: (s: StreamStatus) => void}} options
 * @returns {() => void} close
 */
export function followEvents(agentId, { tail = 300, onEvents, onStatus }) {
  let last = -1;
  /** @type {() => void} */
  let close = () => {};
  close = reconnecting(
    () => `${agentUrl(agentId)}/events?` + (last >= 0 ? `after=${last}` : `tail=${tail}`),
    (es) => {
      es.onmessage = (e) => {
        const event = JSON.parse(e.data);
        if (typeof event.cursor === "number" && event.kind !== "file") last = event.cursor;
        onEvents([event]);
        if (event.kind === "file" && event.change === "deleted") {
          close();
          onStatus("ended");
        }
      };
    },
    onStatus,
  );
  return () => close();
}

/**
 * An EventSource that comes back after failures, reporting its status.
 * @param {() => string} url evaluated at each (re)open
 * @param {(es: EventSource) => void} wire adds the message listeners
 * @param {(s: StreamStatus) => void} onStatus
 * @returns {() => void} close
 */
function reconnecting(url, wire, onStatus) {
  /** @type {EventSource | null} */
  let es = null;
  let closed = false;
  let failures = 0;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  const open = () => {
    if (closed) return;
    es = new EventSource(url());
    wire(es);
    es.onopen = () => {
      failures = 0;
      onStatus("live");
    };
    es.onerror = () => {
      if (closed || !es) return;
      onStatus("reconnecting");
      // CONNECTING: the browser retries by itself, sending Last-Event-ID.
      if (es.readyState !== EventSource.CLOSED) return;
      es = null;
      const wait = Math.min(MAX_BACKOFF_MS, 500 * 2 ** failures++);
      timer = setTimeout(open, wait);
    };
  };
  onStatus("connecting");
  open();
  return () => {
    closed = true;
    clearTimeout(timer);
    es?.close();
    es = null;
  };
}
