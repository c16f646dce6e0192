/**
 * The page switcher at the top of the sidebar: agents, scheduled runs (the
 * agent jobs' live logs, at `/sessions`),
 * the scheduler table; then history (a day's agents and cost) and search.
 * Counts come from the live signals.
 */
import { html } from "../lib/html.js";
import { route, workingCount } from "../data/state.js";
import { jobsLoaded, jobsSummary, sessionJobs } from "../data/jobs.js";

/** `⌘K` on a Mac, `Ctrl K` elsewhere: the search shortcut as this keyboard says it. */
const SEARCH_KEY = typeof navigator !== "undefined" && /Mac|iP(hone|ad)/.test(navigator.platform)
  ? "⌘K"
  : "Ctrl K";

export function ViewNav() {
  const view = route.value.view;
  const sessionsRunning = sessionJobs.value.filter((job) => job.state === "running").length;
  const summary = jobsSummary.value;
  return html`
    <div class="view-nav" role="navigation" aria-label="Pages">
      <a href="/" aria-current=${view === "home" || view === "agent" ? "page" : undefined}>
        Agents${workingCount.value > 0 &&
          html`<span class="count live">${workingCount.value}</span>`}
      </a>
      <a href="/board" aria-current=${view === "board" ? "page" : undefined}
        title="Several agents' feeds side by side, live">Board</a>
      <a href="/sessions" aria-current=${view === "sessions" ? "page" : undefined}
        title="Scheduled runs: the live logs of your scheduled agent jobs">
        Job runs${sessionsRunning > 0 &&
          html`<span class="count live">${sessionsRunning}</span>`}
      </a>
      <a href="/scheduler" aria-current=${view === "scheduler" ? "page" : undefined}>
        Scheduler${jobsLoaded.value && summary.total > 0 &&
          html`
            <span class=${`count ${summary.running ? "live" : ""}`}
              title=${`${summary.running} of ${summary.total} jobs running`}>${summary
                .running}/${summary.total}</span>
          `}
      </a>
      <a href="/history" class="nav-more" aria-current=${view === "history" ? "page" : undefined}>
        History
      </a>
      <a href="/search" class="nav-more" aria-current=${view === "search" ? "page" : undefined}
        title=${`Search every transcript (${SEARCH_KEY})`}>
        Search<kbd class="nav-key" aria-hidden="true">${SEARCH_KEY}</kbd>
      </a>
    </div>
  `;
}
