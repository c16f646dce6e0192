/**
 * Module-level signals for what the server tells us and where the user is.
 * Components read them straight in templates, so only what depends on a
 * signal re-renders when it changes.
 *
 * @typedef {import("../lib/agent_tree.js").Agent} Agent
 * @typedef {import("../lib/route.js").Route} Route
 */
import { computed, signal } from "@preact/signals";
import { agentOrder, groupAgents } from "../lib/agent_tree.js";

/** Every agent the daemon knows, by id. Replaced (not mutated) on change. */
export const agents = signal(/** @type {Map<string, Agent>} */ (new Map()));
/** Whether the first agents snapshot has arrived. */
export const agentsLoaded = signal(false);
/** The agents stream: `connecting`, `live` or `reconnecting`. */
export const agentsStatus = signal(
  /** @type {"connecting" | "live" | "reconnecting"} */ ("connecting"),
);

/** @type {import("@preact/signals").Signal<Route>} */
export const route = signal(/** @type {Route} */ ({ view: "home" }));

/** The sidebar's filter text. */
export const filter = signal("");
/** Wall clock, ticking once a second: drives the rail clock and relative times. */
export const now = signal(Date.now());
/** Whether the keyboard help is open. */
export const helpOpen = signal(false);

/**
 * The scheduler's summary for the status rail, filled from the jobs stream
 * (jobs.js); null hides those rail items. `none` marks an error that only says
 * no scheduler exists here (`--scheduler auto` found none), not a failing one.
 * @type {import("@preact/signals").Signal<null | {
 *   nextFire: {label: string, at: number} | null, running: number, total: number, error?: string,
 *   none?: boolean }>}
 */
export const scheduler = signal(null);

export const groups = computed(() => groupAgents(agents.value.values(), filter.value));
export const order = computed(() => agentOrder(groups.value));
/**
 * Agents at work by their status, not by how recently their file changed: a
 * model thinking for a minute writes nothing and is still working, and an
 * agent that just asked a question wrote a line and is not.
 */
export const workingCount = computed(() => {
  let n = 0;
  for (const a of agents.value.values()) if (a.status.kind === "working") n++;
  return n;
});
export const selectedAgent = computed(() => {
  const r = route.value;
  return r.view === "agent" ? agents.value.get(r.agentId) ?? null : null;
});
