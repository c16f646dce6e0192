/**
 * Agent statuses in the user's words, grouped and ordered for the overview,
 * the sidebar and the tab title. Pure: agents in, words and lists out.
 *
 * @typedef {import("../../core/api.ts").Agent} Agent
 * @typedef {import("../../core/api.ts").AgentStatus} AgentStatus
 * @typedef {import("../../core/api.ts").StatusKind} StatusKind
 */

/** Display order: what needs a person first, what is quiet last. */
export const KINDS = /** @type {const} */ (["needs-you", "working", "failed", "done", "idle"]);

/** A heading and a one-line meaning per kind, for groups and the legend. */
export const KIND_WORDS = {
  "needs-you": { label: "Needs you", meaning: "waits for your answer, approval or next prompt" },
  working: { label: "Working", meaning: "a tool runs or the model has the turn" },
  failed: { label: "Failed", meaning: "an API error, an error result, or the process died" },
  done: { label: "Done", meaning: "a subagent, background task or one-shot run finished" },
  idle: { label: "Idle", meaning: "nothing for a long time, or ended cleanly" },
};

/** @type {Record<AgentStatus["reason"], string>} */
const REASONS = {
  tool: "running a tool",
  turn: "thinking",
  output: "printing output",
  permission: "waiting for permission",
  question: "asking you a question",
  plan: "waiting for plan approval",
  prompt: "waiting for your next prompt",
  "api-error": "API error",
  "error-result": "ended with an error",
  died: "process died mid-turn",
  "task-failed": "task failed",
  killed: "task was killed",
  exit: "exited non-zero",
  finished: "finished",
  quiet: "quiet",
  ended: "ended",
};

/**
 * The status when an agent has one, else one read from the older fields (a
 * daemon from before statuses).
 * @param {Agent} a
 * @returns {AgentStatus}
 */
export function statusOf(a) {
  if (a.status) return a.status;
  const working = a.state === "running";
  return {
    kind: working ? (a.activity === "waiting" ? "needs-you" : "working") : "idle",
    reason: working ? (a.activity === "waiting" ? "prompt" : "turn") : "quiet",
    since: a.mtime,
    source: "transcript",
  };
}

/** @param {AgentStatus} s */
export function reasonWords(s) {
  return REASONS[s.reason] ?? s.reason;
}

/**
 * "asking you a question · 4 min": the reason and for how long.
 * @param {AgentStatus} s
 * @param {number} now
 */
export function statusLine(s, now) {
  return `${reasonWords(s)} · ${forHowLong(s.since, now)}`;
}

/**
 * How long since `since`, in the largest unit that fits.
 * @param {number} since
 * @param {number} now
 */
export function forHowLong(since, now) {
  const s = Math.max(0, Math.floor((now - since) / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} days`;
}

/**
 * The overview's groups, in {@link KINDS} order: the longest-waiting agent
 * first in needs-you and failed (it has waited most), the newest first elsewhere.
 * @param {Iterable<Agent>} agents
 * @returns {{kind: StatusKind, agents: Agent[]}[]}
 */
export function groupByStatus(agents) {
  /** @type {Map<StatusKind, Agent[]>} */
  const by = new Map(KINDS.map((k) => [k, []]));
  for (const a of agents) by.get(statusOf(a).kind)?.push(a);
  return KINDS.map((kind) => {
    const list = by.get(kind) ?? [];
    const oldestFirst = kind === "needs-you" || kind === "failed";
    list.sort((a, b) => {
      const d = statusOf(a).since - statusOf(b).since;
      return (oldestFirst ? d : -d) || a.id.localeCompare(b.id);
    });
    return { kind, agents: list };
  });
}

/**
 * How many agents need you.
 * @param {Iterable<Agent>} agents
 */
export function needsYouCount(agents) {
  let n = 0;
  for (const a of agents) if (statusOf(a).kind === "needs-you") n++;
  return n;
}

/**
 * The tab title: `(2) tailboard` while two agents need you.
 * @param {number} count
 * @param {string} [base]
 */
export function titleWithCount(count, base = "tailboard") {
  return count > 0 ? `(${count}) ${base}` : base;
}

/**
 * A stable sort key for the sidebar: by status, then the agent's own start
 * (its id breaks ties), never by the latest append, so rows only move when
 * an agent's status changes.
 * @param {Agent} a
 */
export function statusRank(a) {
  return KINDS.indexOf(statusOf(a).kind);
}

/**
 * The favicon: tailboard's mark, with a red count badge while agents need you.
 * A data: URL (the page's CSP allows data: images).
 * @param {number} count
 */
export function faviconHref(count) {
  const mark = "<rect width='16' height='16' rx='4' fill='%2314b8a6'/>" +
    "<path d='M4 5h8M4 8h8M4 11h5' stroke='%23042f2e' stroke-width='1.6' stroke-linecap='round'/>";
  const label = count > 9 ? "9+" : String(count);
  const badge = count > 0
    ? "<circle cx='11.5' cy='4.5' r='4.5' fill='%23ef4444'/>" +
      `<text x='11.5' y='7.4' font-size='${
        label.length > 1 ? 5.5 : 7.5
      }' font-family='sans-serif' font-weight='700' text-anchor='middle' fill='white'>${label}</text>`
    : "";
  return `data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'>${mark}${badge}</svg>`;
}
