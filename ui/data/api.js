/**
 * Talking to the daemon: JSON fetches, and the agents list and feeds on the
 * page's one live connection (live.js), which resumes each from its own
 * cursor after a dropped connection, so nothing is lost or repeated.
 *
 * @typedef {import("../lib/agent_tree.js").Agent} Agent
 * @typedef {"connecting" | "live" | "reconnecting" | "ended"} StreamStatus
 */

import { subscribe } from "./live.js";

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

/**
 * Follows the agents list on the live connection.
 * @param {{
 *   onSnapshot: (agents: Agent[]) => void,
 *   onUpsert: (agent: Agent) => void,
 *   onRemove: (id: string) => void,
 *   onStatus: (s: StreamStatus) => void,
 * }} handlers
 * @returns {() => void} close
 */
export function followAgents(handlers) {
  return subscribe({ kind: "agents" }, {
    onMessage: ({ t, d }) => {
      if (t === "snapshot") handlers.onSnapshot(d.agents ?? []);
      else if (t === "upsert") handlers.onUpsert(d);
      else if (t === "remove") handlers.onRemove(d);
    },
    onStatus: handlers.onStatus,
  });
}

/**
 * Follows one agent's events on the live connection: the newest `tail` first,
 * then live ones, resumed from the last cursor after a dropped connection.
 * Ends for good when the file is deleted or the agent is unknown.
 * @param {string} agentId
 * @param {{tail?: number, onEvents: (events: any[]) => void, onStatus: (s: StreamStatus) => void}} options
 * @returns {() => void} close
 */
export function followEvents(agentId, { tail = 300, onEvents, onStatus }) {
  let ended = false;
  return subscribe({ kind: "agent", id: agentId, tail }, {
    onMessage: ({ t, d }) => {
      if (t === "events") onEvents(d);
      else if (t === "end" || t === "error") {
        ended = true;
        onStatus("ended");
      }
    },
    onStatus: (s) => {
      if (!ended) onStatus(s);
    },
  });
}
