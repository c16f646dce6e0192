/**
 * The page: status rail, pinned sidebar, and the main pane for the current
 * URL. Wires the agents stream into state, the router into history, and the
 * keyboard into whichever feed is open.
 */
import { render } from "preact";
import { useEffect } from "preact/hooks";
import { batch, signal } from "@preact/signals";
import { html } from "./lib/html.js";
import {
  agents,
  agentsLoaded,
  agentsStatus,
  filter,
  helpOpen,
  now,
  order,
  route,
  selectedAgent,
} from "./data/state.js";
import { followAgents } from "./data/api.js";
import { agentPath, parseRoute } from "./lib/route.js";
import { Rail } from "./views/rail.js";
import { FILTER_ID, Sidebar } from "./views/sidebar.js";
import { Feed } from "./feed/feed.js";
import { Help } from "./views/help.js";
import { startJobs } from "./data/jobs.js";
import { JOB_FILTER_ID, SchedulerView } from "./views/scheduler.js";
import { SessionsView } from "./views/sessions.js";
import {
  BoardView,
  focusedFeed,
  stepPane,
  toggleZoom,
  WatchOnBoard,
  zoomedPane,
} from "./views/board.js";
import { HistoryView } from "./views/history.js";
import { focusSearch, SEARCH_INPUT_ID, SearchView } from "./views/search.js";
import { followIndex } from "./data/index_status.js";
import { installKeys } from "./lib/keys.js";
import { projectLabel, sourceLabel } from "./lib/agent_tree.js";
import { formatBytes } from "./lib/size.js";
import { shortAge } from "./lib/time.js";
import { formatCost, formatTokens, formatUsd, usageTitle } from "./lib/usage.js";
import { Home } from "./views/home.js";
import { reasonWords, statusLine, statusOf } from "./lib/status.js";
import { startAttention } from "./data/attention.js";
import { startNotifications } from "./data/notify.js";

/** The open feed, for the keyboard and the header's controls. */
const activeFeed = signal(/** @type {import("./feed/feed.js").FeedController | null} */ (null));

/** Goes to a URL inside the app without reloading. @param {string} url */
export function navigate(url) {
  const u = new URL(url, location.href);
  if (u.pathname + u.hash === location.pathname + location.hash) return;
  history.pushState(null, "", u.pathname + u.search + u.hash);
  route.value = parseRoute(u.pathname, u.hash);
}

function startRouter() {
  route.value = parseRoute(location.pathname, location.hash);
  addEventListener("popstate", () => {
    route.value = parseRoute(location.pathname, location.hash);
  });
  // Same-origin links to app routes navigate in place; everything else is a normal link.
  document.addEventListener("click", (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) {
      return;
    }
    const a = e.target instanceof Element ? e.target.closest("a[href]") : null;
    if (!(a instanceof HTMLAnchorElement) || a.target || a.origin !== location.origin) return;
    const path = a.pathname;
    if (
      path !== "/" && !path.startsWith("/agents/") &&
      !/^\/(sessions|board|scheduler|history|search)\/?$/.test(path)
    ) {
      return;
    }
    if (path === location.pathname && a.hash) return; // in-page anchors are handled by the feed
    e.preventDefault();
    navigate(a.href);
  });
}

/** How often an agent's growing size and times reach the page, at most. */
const AGENT_TICK_MS = 250;

function startAgents() {
  /** @type {Map<string, any>} */
  let pending = new Map();
  /** @type {Set<string>} */
  let removed = new Set();
  let raf = 0;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  // Upserts come in bursts (every write of every running agent): apply once per frame, and
  // an upsert that only moves an agent's size and times at most every AGENT_TICK_MS (each
  // redraws the sidebar and the board; on a busy board that was a fifth of its frames).
  const flush = () => {
    raf = 0;
    clearTimeout(timer);
    timer = undefined;
    const next = new Map(agents.value);
    for (const id of removed) next.delete(id);
    for (const [id, a] of pending) next.set(id, a);
    pending = new Map();
    removed = new Set();
    agents.value = next;
  };
  const schedule = (soon = true) => {
    if (raf) return;
    if (soon) raf = requestAnimationFrame(flush);
    else {timer ??= setTimeout(() => {
        if (!raf) raf = requestAnimationFrame(flush);
      }, AGENT_TICK_MS);}
  };
  followAgents({
    onSnapshot: (list) => {
      cancelAnimationFrame(raf);
      raf = 0;
      clearTimeout(timer);
      timer = undefined;
      pending = new Map();
      removed = new Set();
      batch(() => {
        agents.value = new Map(list.map((a) => [a.id, a]));
        agentsLoaded.value = true;
      });
    },
    onUpsert: (a) => {
      removed.delete(a.id);
      pending.set(a.id, a);
      const was = agents.value.get(a.id);
      const [before, after] = [was && statusOf(was), statusOf(a)];
      schedule(
        !was || !before || before.kind !== after.kind || before.reason !== after.reason ||
          was.title !== a.title,
      );
    },
    onRemove: (id) => {
      pending.delete(id);
      removed.add(id);
      schedule();
    },
    onStatus: (s) => {
      agentsStatus.value = s === "ended" ? "reconnecting" : s;
    },
  });
}

/** @param {number} delta */
function stepAgent(delta) {
  const ids = order.value;
  if (ids.length === 0) return;
  const r = route.value;
  const at = r.view === "agent" ? ids.indexOf(r.agentId) : -1;
  const next = at < 0 ? (delta > 0 ? 0 : ids.length - 1) : (at + delta + ids.length) % ids.length;
  const id = ids[next];
  if (id) navigate(agentPath(id));
  // Keep the sidebar row in view.
  requestAnimationFrame(() => {
    const row = document.querySelector(".agent-row[aria-current=page]");
    row?.scrollIntoView({ block: "nearest" });
  });
}

function startKeys() {
  // On the board the focused pane's feed takes the feed keys, and ]/[ move between panes.
  const board = () => route.value.view === "board";
  const feed = () => (board() ? focusedFeed() : activeFeed.value);
  installKeys({
    nextCard: () => feed()?.move(1),
    prevCard: () => feed()?.move(-1),
    nextAgent: () => (board() ? stepPane(1) : stepAgent(1)),
    prevAgent: () => (board() ? stepPane(-1) : stepAgent(-1)),
    toggleCard: () => feed()?.toggleSelected(),
    top: () => feed()?.top(),
    bottom: () => feed()?.bottom(),
    toggleFollow: () => feed()?.toggleFollow(),
    zoom: () => board() && toggleZoom(),
    filter: () => {
      const view = route.value.view;
      const input = document.getElementById(
        view === "scheduler" ? JOB_FILTER_ID : view === "search" ? SEARCH_INPUT_ID : FILTER_ID,
      );
      if (input instanceof HTMLInputElement) {
        input.focus();
        input.select();
      }
    },
    help: () => (helpOpen.value = !helpOpen.value),
    escape: () => {
      if (helpOpen.value) helpOpen.value = false;
      else if (board() && zoomedPane.value) zoomedPane.value = null;
      else if (
        document.activeElement instanceof HTMLElement && document.activeElement.id === FILTER_ID
      ) {
        if (filter.value) filter.value = "";
        else document.activeElement.blur();
      } else if (activeFeed.value?.selected.value) {
        activeFeed.value.selected.value = null;
        if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
      }
    },
  });
  // Ctrl/Cmd-K opens search from anywhere, even from a text field (keys.js leaves modifiers alone).
  document.addEventListener("keydown", (e) => {
    if (e.defaultPrevented || e.isComposing || e.altKey || e.shiftKey) return;
    if (!(e.ctrlKey || e.metaKey) || e.key.toLowerCase() !== "k") return;
    e.preventDefault();
    helpOpen.value = false;
    if (route.value.view === "search") focusSearch();
    else navigate("/search");
  });
}

function App() {
  const r = route.value;
  return html`
    <a class="skip" href="#main">Skip to the feed</a>
    <${Rail} />
    <div class="frame">
      <${Sidebar} />
      <main id="main" class="main" tabindex="-1">
        ${r.view === "agent"
          ? html`<${AgentView} key=${r.agentId} agentId=${r.agentId} cursor=${r.cursor} />`
          : null}
        ${r.view === "home" ? html`<${Home} />` : null}
        ${r.view === "sessions" ? html`<${SessionsView} />` : null}
        ${r.view === "board" ? html`<${BoardView} />` : null}
        ${r.view === "scheduler" ? html`<${SchedulerView} />` : null}
        ${r.view === "history" ? html`<${HistoryView} />` : null}
        ${r.view === "search" ? html`<${SearchView} />` : null}
        ${r.view === "unknown" ? html`<${NotFound} path=${r.path} />` : null}
      </main>
    </div>
    <${Help} />
  `;
}

/** @param {{agentId: string, cursor: number | null}} props */
function AgentView({ agentId, cursor }) {
  const agent = selectedAgent.value;
  const loaded = agentsLoaded.value;
  useEffect(() => {
    document.title = agent ? `${agent.title} · tailboard` : "tailboard";
  }, [agent?.title]);
  if (loaded && !agent) {
    return html`
      <div class="empty-state">
        <h1>This agent is gone</h1>
        <p>Its transcript was deleted or is no longer watched.</p>
        <p><a href="/">Back to all agents</a></p>
      </div>
    `;
  }
  return html`
    <section class="agent-view" aria-labelledby="agent-title">
      <${AgentHeader} agentId=${agentId} />
      <${Feed} agentId=${agentId} cursor=${cursor} size=${agent?.size ?? null} label=${`Events of ${
        agent?.title ?? "agent"
      }`}
        onController=${(/** @type {any} */ c) => (activeFeed.value = c)} />
    </section>
  `;
}

/** @param {{agentId: string}} props */
function AgentHeader({ agentId }) {
  const a = agents.value.get(agentId);
  const parent = a?.parentId ? agents.value.get(a.parentId) : null;
  return html`
    <header class="agent-head">
      <div class="agent-head-main">
        <h1 id="agent-title" title=${a?.title}>${a?.title ?? "…"}</h1>
        <div class="agent-sub">
            ${a &&
              html`<span class=${`dot status-${statusOf(a).kind}`} aria-hidden="true"></span>
          <span class=${`agent-status status-${statusOf(a).kind}`} title=${
                statusOf(a).error ??
                  reasonWords(statusOf(a))
              }>${statusLine(statusOf(a), now.value)}</span>
          <span class="sep">·</span><span>${sourceLabel(a.source)}</span>
          <span class="sep">·</span><span title=${a.project}>${projectLabel(a.project)}</span>
          <span class="sep">·</span><span>${formatBytes(a.size)}</span>
          ${
                a.usage && html`
                  <span class="sep">·</span><span class="agent-cost"
                    title=${usageTitle(a.usage)}>${formatCost(a.usage)} · ${formatTokens(
                      a.usage.tokens,
                    )} tokens${typeof a.usage.reportedUsd === "number"
                      ? html`
                        <span class="dim">(Claude Code: ${formatUsd(
                          a.usage.reportedUsd,
                        )})</span>
                      `
                      : ""}</span>
                `
              }
          <span class="sep">·</span><span>active ${shortAge(a.mtime, now.value)}${
                shortAge(a.mtime, now.value) === "now" ? "" : " ago"
              }</span>`}
            ${parent &&
              html`<span class="sep">·</span><a href=${agentPath(parent.id)}>↑ ${parent.title}</a>`}
          </div>
      </div>
      <${FeedControls} />
    </header>
  `;
}

/** Follow toggle and stream status for the open feed. */
function FeedControls() {
  const ctl = activeFeed.value;
  if (!ctl) return null;
  const follow = ctl.follow.value;
  const status = ctl.status.value;
  return html`<div class="feed-controls">
    ${
    // When the whole daemon is away the rail says so; this is for one feed's own stream.
    status === "reconnecting" && agentsStatus.value === "live" &&
    html`<span class="conn" role="status">reconnecting…</span>`}
    ${status === "ended" && html`<span class="conn dim" role="status">ended</span>`}
    <${WatchOnBoard} agentId=${ctl.agentId} />
    <button type="button" class=${`btn follow ${follow ? "on" : ""}`} aria-pressed=${follow}
      onClick=${() => ctl.toggleFollow()} title="Follow new events (f)">
      <span class="follow-dot" aria-hidden="true"></span>${follow ? "Following" : "Follow"}
    </button>
  </div>`;
}

/** @param {{path: string}} props */
function NotFound({ path }) {
  return html`
    <div class="empty-state">
      <h1>Nothing here</h1>
      <p><code>${path}</code> is not a tailboard page.</p>
      <p><a href="/">Back to all agents</a></p>
    </div>
  `;
}

// A handle for benchmarks and curious developers (devtools): `tailboard.feed.model.items.length`.
Object.defineProperty(globalThis, "tailboard", {
  value: Object.freeze({
    get feed() {
      return activeFeed.value;
    },
    agents,
  }),
});

startRouter();
startAgents();
startJobs();
followIndex();
startKeys();
startAttention();
startNotifications();
setInterval(() => (now.value = Date.now()), 1000);
render(html`<${App} />`, /** @type {HTMLElement} */ (document.getElementById("app")));
