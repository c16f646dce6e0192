/**
 * `/board`: two to six agents' feeds side by side, all live on the page's one
 * connection. `?agents=ID,ID,…` picks them and keeps the pick in the URL;
 * without it the board shows the agents that are working or need you
 * (topped up with the most recently active, so there are at least two).
 *
 * Each pane is a whole feed with its own follow mode. The focused pane takes
 * the feed keys (j/k, o, g/G, f); `]`/`[` (or J/K) move between panes and `z`
 * opens the focused pane full size (Esc or `z` again brings the others back).
 *
 * @typedef {import("../../core/api.ts").Agent} Agent
 * @typedef {import("../feed/controller.js").FeedController} FeedController
 */
import { Component } from "preact";
import { useEffect } from "preact/hooks";
import { signal } from "@preact/signals";
import { html } from "../lib/html.js";
import { agents, agentsLoaded, now } from "../data/state.js";
import { Feed } from "../feed/feed.js";
import { statusLine, statusOf } from "../lib/status.js";
import { projectLabel } from "../lib/agent_tree.js";
import { agentPath } from "../lib/route.js";

export const MIN_PANES = 2;
export const MAX_PANES = 6;
/** Where the last board's pick is kept, for "watch on board". */
const LAST_PICK = "tailboard.board";

/** The pane that has the keyboard, by index. */
export const focusedPane = signal(0);
/** The pane open full size, or null. */
export const zoomedPane = signal(/** @type {string | null} */ (null));
/** Each pane's feed controller, by agent id. */
const controllers = signal(/** @type {Map<string, FeedController>} */ (new Map()));

/**
 * The ids `?agents=` names (known or not, in order, no repeats, at most six),
 * or null when the query names none.
 * @param {string} search `location.search`
 * @returns {string[] | null}
 */
export function pickedIds(search) {
  const raw = new URLSearchParams(search).get("agents");
  if (!raw) return null;
  const ids = [...new Set(raw.split(",").map((s) => s.trim()).filter(Boolean))];
  return ids.length > 0 ? ids.slice(0, MAX_PANES) : null;
}

/**
 * The board's default: agents working or needing you, those needing you
 * first, then the most recently active, so there are two to six.
 * @param {Iterable<Agent>} all
 * @returns {string[]}
 */
export function defaultIds(all) {
  const list = [...all].filter((a) => !a.parentId || statusOf(a).kind !== "idle");
  const rank = (/** @type {Agent} */ a) => {
    const kind = statusOf(a).kind;
    return kind === "needs-you" ? 0 : kind === "working" ? 1 : 2;
  };
  const sorted = list.sort((a, b) => rank(a) - rank(b) || b.mtime - a.mtime);
  const live = sorted.filter((a) => rank(a) < 2);
  const picked = live.length >= MIN_PANES ? live : sorted.slice(0, MIN_PANES);
  return picked.slice(0, MAX_PANES).map((a) => a.id);
}

/**
 * The URL of a board showing `ids`.
 * @param {string[]} ids
 */
export function boardPath(ids) {
  return ids.length > 0 ? `/board?agents=${ids.map(encodeURIComponent).join(",")}` : "/board";
}

/**
 * The board with this agent added to the last board's pick (the oldest pane
 * makes room when six are shown).
 * @param {string} agentId
 */
export function watchOnBoardPath(agentId) {
  let last = [];
  try {
    last = JSON.parse(localStorage.getItem(LAST_PICK) ?? "[]");
  } catch {
    // Nothing usable kept: the board starts from this agent.
  }
  const ids = [...(Array.isArray(last) ? last : []).filter((id) => id !== agentId), agentId];
  return boardPath(ids.slice(-MAX_PANES));
}

/** @param {string[]} ids */
function setPick(ids) {
  history.replaceState(history.state, "", boardPath(ids));
  picked.value = ids;
}
/** The pick from the URL, kept in step with it. */
const picked = signal(/** @type {string[] | null} */ (null));

export function BoardView() {
  useEffect(() => {
    document.title = "Board · tailboard";
    const read = () => (picked.value = pickedIds(location.search));
    read();
    addEventListener("popstate", read);
    return () => removeEventListener("popstate", read);
  }, []);
  const all = agents.value;
  const ids = picked.value ?? defaultIds(all.values());
  useEffect(() => {
    try {
      localStorage.setItem(LAST_PICK, JSON.stringify(ids));
    } catch {
      // Storage refused (private mode): "watch on board" starts afresh.
    }
    if (focusedPane.value >= ids.length) focusedPane.value = Math.max(0, ids.length - 1);
  }, [ids.join(",")]);
  const zoomed = zoomedPane.value;
  const shown = zoomed && ids.includes(zoomed) ? [zoomed] : ids;
  const others = [...all.values()].filter((a) => !ids.includes(a.id)).sort((a, b) =>
    b.mtime - a.mtime
  );
  return html`
    <section class="board" aria-labelledby="board-title">
      <header class="board-head">
        <h1 id="board-title">Board</h1>
        <span class="dim">${ids.length} ${ids.length === 1 ? "agent" : "agents"} side by side ·
          <kbd>]</kbd> <kbd>[</kbd> move · <kbd>z</kbd> full size</span>
        ${ids.length < MAX_PANES && others.length > 0 && html`
          <label class="board-add">
            <span class="sr-only">Add an agent to the board</span>
            <select onChange=${(/** @type {Event} */ e) => {
              const el = /** @type {HTMLSelectElement} */ (e.target);
              if (el.value) setPick([...ids, el.value]);
              el.value = "";
            }}>
              <option value="">+ add agent…</option>
              ${others.slice(0, 50).map((a) =>
                html`<option key=${a.id} value=${a.id}>${a.title || a.id} · ${
                  projectLabel(a.project)
                }</option>`
              )}
            </select>
          </label>
        `}
      </header>
      ${agentsLoaded.value && ids.length === 0 &&
        html`<p class="jobs-note">No agents yet: the board fills in as they start.</p>`}
      <div class=${`board-grid n${shown.length}`}>
        ${shown.map((id) =>
          html`<${Pane} key=${id} agentId=${id} index=${ids.indexOf(id)} ids=${ids} />`
        )}
      </div>
    </section>
  `;
}

/** @param {{agentId: string, index: number, ids: string[]}} props */
function Pane({ agentId, index, ids }) {
  const agent = agents.value.get(agentId);
  const ctl = controllers.value.get(agentId);
  const focused = focusedPane.value === index;
  const zoomed = zoomedPane.value === agentId;
  const gone = agentsLoaded.value && !agent;
  const follow = ctl?.follow.value ?? true;
  const onController = (/** @type {FeedController | null} */ c) => {
    const next = new Map(controllers.value);
    if (c) next.set(agentId, c);
    else next.delete(agentId);
    controllers.value = next;
  };
  return html`
    <article class=${`pane ${focused ? "focused" : ""}`} data-agent=${agentId}
      aria-label=${`Feed of ${agent?.title ?? agentId}`}
      onFocusin=${() => (focusedPane.value = index)}
      onPointerdown=${() => (focusedPane.value = index)}>
      <header class="pane-head">
        ${agent &&
          html`<span class=${`dot status-${statusOf(agent).kind}`} aria-hidden="true"></span>`}
        <a class="pane-title" href=${agentPath(agentId)} title=${agent?.title}>${agent?.title ??
          (gone ? "(gone)" : "…")}</a>
        <span class="pane-status dim">${agent ? statusLine(statusOf(agent), now.value) : ""}</span>
        <button type="button" class=${`btn follow ${follow ? "on" : ""}`} aria-pressed=${follow}
          title="Follow new events in this pane (f)" onClick=${() => ctl?.toggleFollow()}>
          <span class="follow-dot" aria-hidden="true"></span>${follow ? "Following" : "Follow"}
        </button>
        <button type="button" class="icon-btn" aria-pressed=${zoomed}
          aria-label=${zoomed ? "Show all panes" : "Full size"}
          title=${zoomed ? "Show all panes (z)" : "Full size (z)"}
          onClick=${() => (zoomedPane.value = zoomed ? null : agentId)}>${zoomed
            ? "⤡"
            : "⤢"}</button>
        <button type="button" class="icon-btn" aria-label="Remove from the board"
          title="Remove from the board" onClick=${() => {
            if (zoomed) zoomedPane.value = null;
            setPick(ids.filter((id) => id !== agentId));
          }}>×</button>
      </header>
      ${gone ? html`<p class="feed-empty">This agent is gone.</p>` : html`
        <${PaneFeed} agentId=${agentId} size=${agent?.size ?? null}
          label=${`Events of ${agent?.title ?? "agent"}`} onController=${onController} />
      `}
    </article>
  `;
}

/**
 * A pane's feed, drawn again only when its props mean something new. The agent
 * list changes on every write of every agent (its size grows), which redraws
 * the board; without this each of those redrew every pane's whole feed, most of
 * the board's main-thread time. The feed follows its own events through its
 * controller's signals, and reads `size` only once it is known.
 * @extends {Component<{agentId: string, size: number | null, label: string,
 *   onController: (c: FeedController | null) => void}>}
 */
class PaneFeed extends Component {
  /**
   * @override
   * @param {any} next
   */
  shouldComponentUpdate(next) {
    const p = this.props;
    return next.agentId !== p.agentId || next.label !== p.label ||
      (next.size === null) !== (p.size === null);
  }
  render() {
    const { agentId, size, label, onController } = this.props;
    return html`
      <${Feed} agentId=${agentId} cursor=${null} size=${size} label=${label}
        onController=${onController} />
    `;
  }
}

/** The focused pane's feed (the keyboard's target on the board). */
export function focusedFeed() {
  const pane = document.querySelectorAll(".board .pane")[zoomedPane.value ? 0 : focusedPane.value];
  const id = pane instanceof HTMLElement ? pane.dataset.agent : undefined;
  return id ? controllers.value.get(id) ?? null : null;
}

/** Moves the keyboard to the next (+1) or previous (-1) pane. @param {number} delta */
export function stepPane(delta) {
  // A full-size pane is the only one drawn: moving on brings the others back first.
  zoomedPane.value = null;
  const n = (picked.value ?? defaultIds(agents.value.values())).length;
  if (n === 0) return;
  focusedPane.value = (focusedPane.value + delta + n) % n;
  requestAnimationFrame(() =>
    document.querySelectorAll(".board .pane")[focusedPane.value]?.scrollIntoView({
      block: "nearest",
    })
  );
}

/** Opens the focused pane full size, or brings the others back. */
export function toggleZoom() {
  if (zoomedPane.value) {
    zoomedPane.value = null;
    return;
  }
  const pane = document.querySelectorAll(".board .pane")[focusedPane.value];
  if (pane instanceof HTMLElement && pane.dataset.agent) zoomedPane.value = pane.dataset.agent;
}

/**
 * The "watch on board" action for an agent's header.
 * @param {{agentId: string}} props
 */
export function WatchOnBoard({ agentId }) {
  return html`
    <a class="btn" href=${watchOnBoardPath(agentId)}
      title="Watch this agent beside others on the board">Watch on board</a>
  `;
}
