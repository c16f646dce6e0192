/**
 * The browser UI, embedded in the module graph: text imports put every byte
 * the page needs into `deno run` and `deno compile` alike, so nothing is read
 * from disk at run time and the daemon works from any folder, offline.
 *
 * The vendor files are the npm packages' own ESM builds. They, and the UI's
 * modules, import each other by bare names (`preact`, `@preact/signals-core`).
 * An import map would need an inline script, which the daemon's CSP
 * (`script-src 'self'`) rightly blocks, so the bare names are resolved to the
 * `/vendor/` paths here, as the files are embedded. The sources keep the bare
 * names, so Deno (through deno.json's imports) can import them in tests.
 */
import indexHtmlText from "./index.html" with { type: "text" };
import stylesCss from "./styles.css" with { type: "text" };
import jobsCss from "./jobs.css" with { type: "text" };
import historyCss from "./history.css" with { type: "text" };
import agentTreeJs from "./agent_tree.js" with { type: "text" };
import ansiJs from "./ansi.js" with { type: "text" };
import apiJs from "./api.js" with { type: "text" };
import appJs from "./app.js" with { type: "text" };
import cardsJs from "./cards.js" with { type: "text" };
import daysJs from "./days.js" with { type: "text" };
import diffJs from "./diff.js" with { type: "text" };
import feedJs from "./feed.js" with { type: "text" };
import feedModelJs from "./feed_model.js" with { type: "text" };
import helpJs from "./help.js" with { type: "text" };
import historyApiJs from "./history_api.js" with { type: "text" };
import historyViewJs from "./history_view.js" with { type: "text" };
import indexStatusJs from "./index_status.js" with { type: "text" };
import jobTableJs from "./job_table.js" with { type: "text" };
import jobsJs from "./jobs.js" with { type: "text" };
import logBufferJs from "./log_buffer.js" with { type: "text" };
import htmlJs from "./html.js" with { type: "text" };
import keysJs from "./keys.js" with { type: "text" };
import markdownJs from "./markdown.js" with { type: "text" };
import markdownViewJs from "./markdown_view.js" with { type: "text" };
import railJs from "./rail.js" with { type: "text" };
import routeJs from "./route.js" with { type: "text" };
import schedulerViewJs from "./scheduler_view.js" with { type: "text" };
import searchViewJs from "./search_view.js" with { type: "text" };
import sessionsViewJs from "./sessions_view.js" with { type: "text" };
import sidebarJs from "./sidebar.js" with { type: "text" };
import sizeJs from "./size.js" with { type: "text" };
import stateJs from "./state.js" with { type: "text" };
import timeJs from "./time.js" with { type: "text" };
import toolsJs from "./tools.js" with { type: "text" };
import usageJs from "./usage.js" with { type: "text" };
import viewNavJs from "./view_nav.js" with { type: "text" };
import windowJs from "./window.js" with { type: "text" };
import preactJs from "npm:preact@10.29.8" with { type: "text" };
import preactHooksJs from "npm:preact@10.29.8/hooks" with { type: "text" };
import htmJs from "npm:htm@3.1.1" with { type: "text" };
import signalsJs from "npm:@preact/signals@2.11.4" with { type: "text" };
import signalsCoreJs from "npm:@preact/signals-core@1.14.5" with { type: "text" };

/** One file the server hands out as is. */
export interface Asset {
  body: string;
  /** The Content-Type header value. */
  type: string;
}

const JS = "text/javascript; charset=utf-8";

/** Where the browser finds each bare module name the UI and its libraries use. */
export const VENDOR_PATHS: Readonly<Record<string, string>> = {
  "preact": "/vendor/preact.js",
  "preact/hooks": "/vendor/preact-hooks.js",
  "htm": "/vendor/htm.js",
  "@preact/signals": "/vendor/signals.js",
  "@preact/signals-core": "/vendor/signals-core.js",
};

/**
 * Points static imports of the bare names in {@link VENDOR_PATHS} at their
 * `/vendor/` URLs; any other specifier is left alone.
 */
export function resolveImports(source: string): string {
  return source.replace(
    /(\bfrom\s*|\bimport\s*)(["'])([^"'\n]+)\2/g,
    (match, keyword: string, quote: string, name: string) => {
      const path = VENDOR_PATHS[name];
      return path ? `${keyword}${quote}${path}${quote}` : match;
    },
  );
}

/** Our own module, with its imports resolved. */
function ui(source: string): string {
  return resolveImports(source);
}

/**
 * A vendored package file: imports resolved, and its source-map comment
 * dropped (the maps are not served, so browsers would ask for them in vain).
 */
function vendor(source: string): string {
  return resolveImports(source.replace(/\n?\/\/# sourceMappingURL=\S*\s*$/, "\n"));
}
const CSS = "text/css; charset=utf-8";

/** The page for `/`, `/agents/*`, `/sessions`, `/scheduler`, `/history` and `/search`. */
export const indexHtml: string = indexHtmlText;

/** The UI's scripts, styles and vendored libraries, keyed by URL path. */
export const assets: ReadonlyMap<string, Asset> = new Map<string, Asset>([
  ["/ui/styles.css", { body: stylesCss, type: CSS }],
  ["/ui/jobs.css", { body: jobsCss, type: CSS }],
  ["/ui/history.css", { body: historyCss, type: CSS }],
  ["/ui/agent_tree.js", { body: ui(agentTreeJs), type: JS }],
  ["/ui/ansi.js", { body: ui(ansiJs), type: JS }],
  ["/ui/api.js", { body: ui(apiJs), type: JS }],
  ["/ui/app.js", { body: ui(appJs), type: JS }],
  ["/ui/cards.js", { body: ui(cardsJs), type: JS }],
  ["/ui/days.js", { body: ui(daysJs), type: JS }],
  ["/ui/diff.js", { body: ui(diffJs), type: JS }],
  ["/ui/feed.js", { body: ui(feedJs), type: JS }],
  ["/ui/feed_model.js", { body: ui(feedModelJs), type: JS }],
  ["/ui/help.js", { body: ui(helpJs), type: JS }],
  ["/ui/history_api.js", { body: ui(historyApiJs), type: JS }],
  ["/ui/history_view.js", { body: ui(historyViewJs), type: JS }],
  ["/ui/index_status.js", { body: ui(indexStatusJs), type: JS }],
  ["/ui/job_table.js", { body: ui(jobTableJs), type: JS }],
  ["/ui/jobs.js", { body: ui(jobsJs), type: JS }],
  ["/ui/log_buffer.js", { body: ui(logBufferJs), type: JS }],
  ["/ui/html.js", { body: ui(htmlJs), type: JS }],
  ["/ui/keys.js", { body: ui(keysJs), type: JS }],
  ["/ui/markdown.js", { body: ui(markdownJs), type: JS }],
  ["/ui/markdown_view.js", { body: ui(markdownViewJs), type: JS }],
  ["/ui/rail.js", { body: ui(railJs), type: JS }],
  ["/ui/route.js", { body: ui(routeJs), type: JS }],
  ["/ui/scheduler_view.js", { body: ui(schedulerViewJs), type: JS }],
  ["/ui/search_view.js", { body: ui(searchViewJs), type: JS }],
  ["/ui/sessions_view.js", { body: ui(sessionsViewJs), type: JS }],
  ["/ui/sidebar.js", { body: ui(sidebarJs), type: JS }],
  ["/ui/size.js", { body: ui(sizeJs), type: JS }],
  ["/ui/state.js", { body: ui(stateJs), type: JS }],
  ["/ui/time.js", { body: ui(timeJs), type: JS }],
  ["/ui/tools.js", { body: ui(toolsJs), type: JS }],
  ["/ui/usage.js", { body: ui(usageJs), type: JS }],
  ["/ui/view_nav.js", { body: ui(viewNavJs), type: JS }],
  ["/ui/window.js", { body: ui(windowJs), type: JS }],
  ["/vendor/preact.js", { body: vendor(preactJs), type: JS }],
  ["/vendor/preact-hooks.js", { body: vendor(preactHooksJs), type: JS }],
  ["/vendor/htm.js", { body: vendor(htmJs), type: JS }],
  ["/vendor/signals.js", { body: vendor(signalsJs), type: JS }],
  ["/vendor/signals-core.js", { body: vendor(signalsCoreJs), type: JS }],
]);
