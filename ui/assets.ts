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
import stylesCss from "./styles/app.css" with { type: "text" };
import railCss from "./styles/rail.css" with { type: "text" };
import sidebarCss from "./styles/sidebar.css" with { type: "text" };
import feedCss from "./styles/feed.css" with { type: "text" };
import cardsCss from "./styles/cards.css" with { type: "text" };
import cardsTasksCss from "./styles/cards_tasks.css" with { type: "text" };
import markdownCss from "./styles/markdown.css" with { type: "text" };
import homeCss from "./styles/home.css" with { type: "text" };
import helpCss from "./styles/help.css" with { type: "text" };
import ansiCss from "./styles/ansi.css" with { type: "text" };
import jobsCss from "./styles/jobs.css" with { type: "text" };
import schedulerCss from "./styles/scheduler.css" with { type: "text" };
import sessionsCss from "./styles/sessions.css" with { type: "text" };
import historyCss from "./styles/history.css" with { type: "text" };
import historyChartCss from "./styles/history_chart.css" with { type: "text" };
import historyTablesCss from "./styles/history_tables.css" with { type: "text" };
import searchCss from "./styles/search.css" with { type: "text" };
import statusCss from "./styles/status.css" with { type: "text" };
import statusJs from "./lib/status.js" with { type: "text" };
import notifyRulesJs from "./lib/notify_rules.js" with { type: "text" };
import notifyJs from "./data/notify.js" with { type: "text" };
import attentionJs from "./data/attention.js" with { type: "text" };
import homeJs from "./views/home.js" with { type: "text" };
import legendJs from "./views/legend.js" with { type: "text" };
import notifyControlsJs from "./views/notify_controls.js" with { type: "text" };
import agentTreeJs from "./lib/agent_tree.js" with { type: "text" };
import ansiJs from "./lib/ansi.js" with { type: "text" };
import apiJs from "./data/api.js" with { type: "text" };
import appJs from "./app.js" with { type: "text" };
import cardsJs from "./cards/cards.js" with { type: "text" };
import cardPartsJs from "./cards/parts.js" with { type: "text" };
import cardPromptJs from "./cards/prompt.js" with { type: "text" };
import cardTextJs from "./cards/text.js" with { type: "text" };
import cardThinkingJs from "./cards/thinking.js" with { type: "text" };
import cardToolJs from "./cards/tool.js" with { type: "text" };
import cardEditJs from "./cards/edit.js" with { type: "text" };
import cardTaskJs from "./cards/task.js" with { type: "text" };
import cardPlanJs from "./cards/plan.js" with { type: "text" };
import cardQuietJs from "./cards/quiet.js" with { type: "text" };
import cardMarkerJs from "./cards/marker.js" with { type: "text" };
import cardLinePagesJs from "./cards/line_pages.js" with { type: "text" };
import daysJs from "./lib/days.js" with { type: "text" };
import diffJs from "./lib/diff.js" with { type: "text" };
import patchJs from "./lib/patch.js" with { type: "text" };
import feedJs from "./feed/feed.js" with { type: "text" };
import feedModelJs from "./feed/model.js" with { type: "text" };
import feedControllerJs from "./feed/controller.js" with { type: "text" };
import feedDerivedJs from "./feed/derived.js" with { type: "text" };
import feedHeightsJs from "./feed/heights.js" with { type: "text" };
import cardPropsJs from "./feed/card_props.js" with { type: "text" };
import frameJs from "./feed/frame.js" with { type: "text" };
import boardViewJs from "./views/board.js" with { type: "text" };
import boardCss from "./styles/board.css" with { type: "text" };
import helpJs from "./views/help.js" with { type: "text" };
import historyApiJs from "./data/history_api.js" with { type: "text" };
import historyViewJs from "./views/history.js" with { type: "text" };
import historyAgentsJs from "./views/history_agents.js" with { type: "text" };
import historyChartJs from "./views/history_chart.js" with { type: "text" };
import historyLoadJs from "./views/history_load.js" with { type: "text" };
import historyPickerJs from "./views/history_picker.js" with { type: "text" };
import historyRangeJs from "./views/history_range.js" with { type: "text" };
import historyTablesJs from "./views/history_tables.js" with { type: "text" };
import indexStatusJs from "./data/index_status.js" with { type: "text" };
import jobTableJs from "./views/job_table.js" with { type: "text" };
import jobsJs from "./data/jobs.js" with { type: "text" };
import logBufferJs from "./data/log_buffer.js" with { type: "text" };
import liveJs from "./data/live.js" with { type: "text" };
import liveLinkJs from "./data/live_link.js" with { type: "text" };
import liveLeaderJs from "./data/live_leader.js" with { type: "text" };
import liveBootJs from "./data/live_boot.js" with { type: "text" };
import liveResumeJs from "./data/live_resume.js" with { type: "text" };
import liveWorkerJs from "./data/live_worker.js" with { type: "text" };
import htmlJs from "./lib/html.js" with { type: "text" };
import keysJs from "./lib/keys.js" with { type: "text" };
import markdownJs from "./lib/markdown.js" with { type: "text" };
import markdownInlineJs from "./lib/markdown_inline.js" with { type: "text" };
import markdownViewJs from "./cards/markdown_view.js" with { type: "text" };
import railJs from "./views/rail.js" with { type: "text" };
import routeJs from "./lib/route.js" with { type: "text" };
import schedulerViewJs from "./views/scheduler.js" with { type: "text" };
import searchViewJs from "./views/search.js" with { type: "text" };
import sessionsViewJs from "./views/sessions.js" with { type: "text" };
import sidebarJs from "./views/sidebar.js" with { type: "text" };
import sizeJs from "./lib/size.js" with { type: "text" };
import stateJs from "./data/state.js" with { type: "text" };
import timeJs from "./lib/time.js" with { type: "text" };
import toolsJs from "./cards/tools.js" with { type: "text" };
import usageJs from "./lib/usage.js" with { type: "text" };
import viewNavJs from "./views/view_nav.js" with { type: "text" };
import windowJs from "./feed/window.js" with { type: "text" };
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
  /**
   * Served as never changing (its URL names this build's version), so the
   * browser keeps it and asks no more. @default false
   */
  immutable?: boolean;
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

/** The UI's files as they are in the source tree, keyed by URL path. */
const files: ReadonlyMap<string, Asset> = new Map<string, Asset>([
  ["/ui/styles/app.css", { body: stylesCss, type: CSS }],
  ["/ui/styles/rail.css", { body: railCss, type: CSS }],
  ["/ui/styles/sidebar.css", { body: sidebarCss, type: CSS }],
  ["/ui/styles/feed.css", { body: feedCss, type: CSS }],
  ["/ui/styles/cards.css", { body: cardsCss, type: CSS }],
  ["/ui/styles/cards_tasks.css", { body: cardsTasksCss, type: CSS }],
  ["/ui/styles/markdown.css", { body: markdownCss, type: CSS }],
  ["/ui/styles/home.css", { body: homeCss, type: CSS }],
  ["/ui/styles/help.css", { body: helpCss, type: CSS }],
  ["/ui/styles/ansi.css", { body: ansiCss, type: CSS }],
  ["/ui/styles/jobs.css", { body: jobsCss, type: CSS }],
  ["/ui/styles/scheduler.css", { body: schedulerCss, type: CSS }],
  ["/ui/styles/sessions.css", { body: sessionsCss, type: CSS }],
  ["/ui/styles/history.css", { body: historyCss, type: CSS }],
  ["/ui/styles/history_chart.css", { body: historyChartCss, type: CSS }],
  ["/ui/styles/history_tables.css", { body: historyTablesCss, type: CSS }],
  ["/ui/styles/search.css", { body: searchCss, type: CSS }],
  ["/ui/styles/status.css", { body: statusCss, type: CSS }],
  ["/ui/lib/status.js", { body: ui(statusJs), type: JS }],
  ["/ui/lib/notify_rules.js", { body: ui(notifyRulesJs), type: JS }],
  ["/ui/data/notify.js", { body: ui(notifyJs), type: JS }],
  ["/ui/data/attention.js", { body: ui(attentionJs), type: JS }],
  ["/ui/views/home.js", { body: ui(homeJs), type: JS }],
  ["/ui/views/legend.js", { body: ui(legendJs), type: JS }],
  ["/ui/views/notify_controls.js", { body: ui(notifyControlsJs), type: JS }],
  ["/ui/lib/agent_tree.js", { body: ui(agentTreeJs), type: JS }],
  ["/ui/lib/ansi.js", { body: ui(ansiJs), type: JS }],
  ["/ui/data/api.js", { body: ui(apiJs), type: JS }],
  ["/ui/app.js", { body: ui(appJs), type: JS }],
  ["/ui/cards/cards.js", { body: ui(cardsJs), type: JS }],
  ["/ui/cards/parts.js", { body: ui(cardPartsJs), type: JS }],
  ["/ui/cards/prompt.js", { body: ui(cardPromptJs), type: JS }],
  ["/ui/cards/text.js", { body: ui(cardTextJs), type: JS }],
  ["/ui/cards/thinking.js", { body: ui(cardThinkingJs), type: JS }],
  ["/ui/cards/tool.js", { body: ui(cardToolJs), type: JS }],
  ["/ui/cards/edit.js", { body: ui(cardEditJs), type: JS }],
  ["/ui/cards/task.js", { body: ui(cardTaskJs), type: JS }],
  ["/ui/cards/plan.js", { body: ui(cardPlanJs), type: JS }],
  ["/ui/cards/quiet.js", { body: ui(cardQuietJs), type: JS }],
  ["/ui/cards/marker.js", { body: ui(cardMarkerJs), type: JS }],
  ["/ui/cards/line_pages.js", { body: ui(cardLinePagesJs), type: JS }],
  ["/ui/lib/days.js", { body: ui(daysJs), type: JS }],
  ["/ui/lib/diff.js", { body: ui(diffJs), type: JS }],
  ["/ui/lib/patch.js", { body: ui(patchJs), type: JS }],
  ["/ui/feed/feed.js", { body: ui(feedJs), type: JS }],
  ["/ui/feed/model.js", { body: ui(feedModelJs), type: JS }],
  ["/ui/feed/controller.js", { body: ui(feedControllerJs), type: JS }],
  ["/ui/feed/derived.js", { body: ui(feedDerivedJs), type: JS }],
  ["/ui/feed/heights.js", { body: ui(feedHeightsJs), type: JS }],
  ["/ui/feed/card_props.js", { body: ui(cardPropsJs), type: JS }],
  ["/ui/feed/frame.js", { body: ui(frameJs), type: JS }],
  ["/ui/views/board.js", { body: ui(boardViewJs), type: JS }],
  ["/ui/styles/board.css", { body: boardCss, type: CSS }],
  ["/ui/views/help.js", { body: ui(helpJs), type: JS }],
  ["/ui/data/history_api.js", { body: ui(historyApiJs), type: JS }],
  ["/ui/views/history.js", { body: ui(historyViewJs), type: JS }],
  ["/ui/views/history_agents.js", { body: ui(historyAgentsJs), type: JS }],
  ["/ui/views/history_chart.js", { body: ui(historyChartJs), type: JS }],
  ["/ui/views/history_load.js", { body: ui(historyLoadJs), type: JS }],
  ["/ui/views/history_picker.js", { body: ui(historyPickerJs), type: JS }],
  ["/ui/views/history_range.js", { body: ui(historyRangeJs), type: JS }],
  ["/ui/views/history_tables.js", { body: ui(historyTablesJs), type: JS }],
  ["/ui/data/index_status.js", { body: ui(indexStatusJs), type: JS }],
  ["/ui/views/job_table.js", { body: ui(jobTableJs), type: JS }],
  ["/ui/data/jobs.js", { body: ui(jobsJs), type: JS }],
  ["/ui/data/log_buffer.js", { body: ui(logBufferJs), type: JS }],
  ["/ui/data/live.js", { body: ui(liveJs), type: JS }],
  ["/ui/data/live_link.js", { body: ui(liveLinkJs), type: JS }],
  ["/ui/data/live_leader.js", { body: ui(liveLeaderJs), type: JS }],
  ["/ui/data/live_boot.js", { body: ui(liveBootJs), type: JS }],
  ["/ui/data/live_resume.js", { body: ui(liveResumeJs), type: JS }],
  ["/ui/data/live_worker.js", { body: ui(liveWorkerJs), type: JS }],
  ["/ui/lib/html.js", { body: ui(htmlJs), type: JS }],
  ["/ui/lib/keys.js", { body: ui(keysJs), type: JS }],
  ["/ui/lib/markdown.js", { body: ui(markdownJs), type: JS }],
  ["/ui/lib/markdown_inline.js", { body: ui(markdownInlineJs), type: JS }],
  ["/ui/cards/markdown_view.js", { body: ui(markdownViewJs), type: JS }],
  ["/ui/views/rail.js", { body: ui(railJs), type: JS }],
  ["/ui/lib/route.js", { body: ui(routeJs), type: JS }],
  ["/ui/views/scheduler.js", { body: ui(schedulerViewJs), type: JS }],
  ["/ui/views/search.js", { body: ui(searchViewJs), type: JS }],
  ["/ui/views/sessions.js", { body: ui(sessionsViewJs), type: JS }],
  ["/ui/views/sidebar.js", { body: ui(sidebarJs), type: JS }],
  ["/ui/lib/size.js", { body: ui(sizeJs), type: JS }],
  ["/ui/data/state.js", { body: ui(stateJs), type: JS }],
  ["/ui/lib/time.js", { body: ui(timeJs), type: JS }],
  ["/ui/cards/tools.js", { body: ui(toolsJs), type: JS }],
  ["/ui/lib/usage.js", { body: ui(usageJs), type: JS }],
  ["/ui/views/view_nav.js", { body: ui(viewNavJs), type: JS }],
  ["/ui/feed/window.js", { body: ui(windowJs), type: JS }],
  ["/vendor/preact.js", { body: vendor(preactJs), type: JS }],
  ["/vendor/preact-hooks.js", { body: vendor(preactHooksJs), type: JS }],
  ["/vendor/htm.js", { body: vendor(htmJs), type: JS }],
  ["/vendor/signals.js", { body: vendor(signalsJs), type: JS }],
  ["/vendor/signals-core.js", { body: vendor(signalsCoreJs), type: JS }],
]);

/** index.html's stylesheets, in its order. */
const STYLESHEETS = [...indexHtmlText.matchAll(/<link rel="stylesheet" href="([^"]+)" \/>/g)]
  .map((m) => m[1]!);

/**
 * The page's stylesheets as one file, in index.html's order: sixteen
 * stylesheets were sixteen requests ahead of the modules on the page's six
 * connections, and scripts wait for them.
 */
const STYLES_PATH = "/ui/styles/all.css";

/** The files as served at their plain paths (for API users and old bookmarks of a file). */
const plain = new Map<string, Asset>([
  ...files,
  [STYLES_PATH, {
    body: STYLESHEETS.map((path) => `/* ${path} */\n${files.get(path)?.body ?? ""}`).join("\n"),
    type: CSS,
  }],
]);

/** This build's version: a hash of every file the UI serves. */
export const VERSION: string = fnv1a(
  [...plain].map(([path, a]) => `${path}\n${a.body}`).join("\n"),
);

/**
 * Where this build serves `path` for good: the page asks for its files at
 * these URLs, which change with every build, so a browser may keep them and,
 * opening the page again, asks for none of them (each used to be asked again,
 * about ninety requests ahead of the first card).
 */
export function versioned(path: string): string {
  return `/v/${VERSION}${path}`;
}

/** Points a module's absolute imports (`/vendor/…`) at this build's copies; relative ones follow the importer. */
function pointAtVersion(source: string): string {
  return source.replace(
    /(\bfrom\s*|\bimport\s*)(["'])(\/[^"'\n]+)\2/g,
    (_, keyword: string, quote: string, path: string) =>
      `${keyword}${quote}${versioned(path)}${quote}`,
  );
}

/** The UI's scripts, styles and vendored libraries, keyed by URL path: plain and versioned. */
export const assets: ReadonlyMap<string, Asset> = new Map<string, Asset>([
  ...plain,
  ...[...plain].map(([path, asset]): [string, Asset] => [versioned(path), {
    body: asset.type === JS ? pointAtVersion(asset.body) : asset.body,
    type: asset.type,
    immutable: true,
  }]),
]);

function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, "0");
}

/** Every static import specifier of a module (after `resolveImports`). */
function importsOf(source: string): string[] {
  return [...source.matchAll(/(?:\bfrom\s*|\bimport\s*)(["'])([^"'\n]+)\1/g)].map((m) => m[2]!);
}

/**
 * The modules `entry` loads, directly or not, in the order a depth-first walk
 * meets them (`entry` itself excluded). Read from the embedded sources, so the
 * list cannot go stale when a module gains or drops an import.
 */
export function moduleGraph(entry: string, modules: ReadonlyMap<string, Asset> = assets): string[] {
  const seen = new Set<string>([entry]);
  const order: string[] = [];
  const visit = (path: string) => {
    for (const spec of importsOf(modules.get(path)?.body ?? "")) {
      if (!/^(\/|\.\.?\/)/.test(spec)) continue;
      const target = new URL(spec, `http://x${path}`).pathname;
      if (seen.has(target) || !modules.has(target)) continue;
      seen.add(target);
      order.push(target);
      visit(target);
    }
  };
  visit(entry);
  return order;
}

/** The page's scripts, in the order index.html runs them. */
const ENTRIES = [...indexHtmlText.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]!);

/**
 * Every module the page's scripts load, each once: the first script's graph
 * first (the live connection's boot), so the browser asks for what starts
 * the connection before the rest of the UI.
 */
export function preloads(entries: string[] = ENTRIES): string[] {
  return [...new Set(entries.flatMap((entry) => [entry, ...moduleGraph(entry)]))];
}

/**
 * The page for `/`, `/agents/*`, `/sessions`, `/board`, `/scheduler`,
 * `/history` and `/search`: one stylesheet, and a `modulepreload` hint for
 * every module its scripts load: the browser asks for all of them at once
 * instead of finding them one import at a time, about forty round trips deep.
 */
export const indexHtml: string = indexHtmlText
  .replace(
    /(\s*<link rel="stylesheet" href="[^"]+" \/>)+/,
    `\n    <link rel="stylesheet" href="${STYLES_PATH}" />`,
  )
  .replace(
    "<!-- modulepreload -->",
    preloads().map((path) => `<link rel="modulepreload" href="${path}" />`).join("\n    "),
  )
  .replace(
    /\b(href|src)="(\/(?:ui|vendor)\/[^"]+)"/g,
    (_, attr: string, path: string) => `${attr}="${versioned(path)}"`,
  );
