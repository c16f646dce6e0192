/**
 * Which status changes deserve a browser notification. Pure: the statuses
 * seen before, the agents now, and the user's mutes in; the notifications to
 * raise out.
 *
 * @typedef {import("../../core/api.ts").Agent} Agent
 * @typedef {import("../../core/api.ts").StatusKind} StatusKind
 * @typedef {{muteAll: boolean, mutedProjects: string[]}} Mutes
 * @typedef {{agentId: string, title: string, body: string, kind: StatusKind}} Alert
 */
import { projectLabel } from "./agent_tree.js";
import { KIND_WORDS, reasonWords, statusOf } from "./status.js";

/** Moves to these kinds notify. */
const ALERTING = new Set(["needs-you", "failed", "done"]);

/**
 * A status older than this when first seen changed while the page was away
 * (a reconnect): it is not news, so it does not notify.
 */
export const FRESH_MS = 120_000;

/**
 * The notifications for one update. `seen` maps agent ids to the kind last
 * seen and is updated in place; an agent seen for the first time never
 * notifies, so opening the page (or a first snapshot) raises nothing.
 * @param {Map<string, StatusKind>} seen
 * @param {Iterable<Agent>} agents
 * @param {Mutes} mutes
 * @param {number} now
 * @returns {Alert[]}
 */
export function alertsFor(seen, agents, mutes, now) {
  /** @type {Alert[]} */
  const alerts = [];
  for (const a of agents) {
    const s = statusOf(a);
    const before = seen.get(a.id);
    seen.set(a.id, s.kind);
    if (before === undefined || before === s.kind || !ALERTING.has(s.kind)) continue;
    if (mutes.muteAll || mutes.mutedProjects.includes(a.project)) continue;
    if (now - s.since > FRESH_MS) continue;
    alerts.push({
      agentId: a.id,
      kind: s.kind,
      title: `${KIND_WORDS[s.kind].label}: ${a.title || "(untitled)"}`,
      body: `${projectLabel(a.project)} · ${reasonWords(s)}${s.error ? `\n${s.error}` : ""}`,
    });
  }
  return alerts;
}

/**
 * Forgets agents that are gone, so the map does not grow for ever.
 * @param {Map<string, StatusKind>} seen
 * @param {Set<string>} ids
 */
export function forgetGone(seen, ids) {
  for (const id of seen.keys()) if (!ids.has(id)) seen.delete(id);
}
