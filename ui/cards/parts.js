/**
 * Pieces every card family uses: the header's time, copy button and turn
 * note, collapsible output and Markdown, and the words of a tool's result.
 *
 * @typedef {import("../feed/model.js").Item} Item
 * @typedef {{
 *   agentId: string,
 *   toggle: (key: string) => void,
 *   select: (item: Item, opts?: {hash?: boolean}) => void,
 *   subagentCalls: () => number,
 *   loading: (cursor: number) => boolean,
 *   turnUsage?: (messageId: string) => import("../lib/usage.js").RawUsage | undefined,
 * }} CardContext what a card may ask of its feed
 */
import { useState } from "preact/hooks";
import { html } from "../lib/html.js";
import { Markdown } from "./markdown_view.js";
import { now } from "../data/state.js";
import { absoluteTime, parseTs, stamp } from "../lib/time.js";
import { turnNote } from "../lib/usage.js";
import { LinePages } from "./line_pages.js";

/** Lines of a tool result shown before "show all". */
export const PREVIEW_LINES = 8;

/** Lines of assistant or user text shown before "show all". */
export const TEXT_PREVIEW_LINES = 40;

/** Diff rows shown before "show all". */
export const DIFF_PREVIEW_ROWS = 14;

/** Even expanded, a single output stops here (the copy button has everything). */
export const MAX_OUTPUT_LINES = 5000;

// Icons are inline SVG: symbol glyphs depend on the fonts a machine happens to have.
export const COPY_ICON = html`
  <svg class="icon" viewBox="0 0 16 16" aria-hidden="true">
    <rect x="5.5" y="5.5" width="8" height="8"
      rx="1.5" />
    <path d="M10.5 3.5v-.5a1.5 1.5 0 0 0-1.5-1.5H4A1.5 1.5 0 0 0 2.5 3v5A1.5 1.5 0 0 0 4 9.5h.5" />
  </svg>
`;

export const CHECK_ICON = html`
  <svg class="icon" viewBox="0 0 16 16" aria-hidden="true">
    <path d="M3 8.5l3.2 3L13 4.5" />
  </svg>
`;

/**
 * Relative time that ticks, absolute on hover; a link to the card itself.
 * A note given as a function is asked again at each hover (a turn's token
 * count grows as its later lines arrive, and the card does not re-render).
 * @param {{item: Item, ctx: CardContext, note?: string | (() => string)}} props
 */
export function Stamp({ item, ctx, note }) {
  const ms = parseTs(item.event?.ts);
  const cursor = item.event?.cursor;
  const title = () => {
    const extra = typeof note === "function" ? note() : note;
    return (ms === null ? `byte ${cursor}` : absoluteTime(ms)) + (extra ? `\n${extra}` : "");
  };
  /** @param {MouseEvent} e */
  const onClick = (e) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
    e.preventDefault();
    ctx.select(item, { hash: true });
  };
  return html`
    <a class="stamp" href=${`#${cursor}`} onClick=${onClick} title=${title()}
      onPointerEnter=${(/** @type {PointerEvent} */ e) => {
        /** @type {HTMLElement} */ (e.currentTarget).title = title();
      }}>${ms === null ? "" : html`<${Age} ms=${ms} />`}</a>
  `;
}

/** @param {{ms: number}} props */
export function Age({ ms }) {
  return html`<time datetime=${new Date(ms).toISOString()}>${stamp(ms, now.value)}</time>`;
}

/** @param {{text: () => string}} props */
export function CopyButton({ text }) {
  const [done, setDone] = useState(false);
  const onClick = async (/** @type {MouseEvent} */ e) => {
    e.stopPropagation();
    try {
      await navigator.clipboard.writeText(text());
      setDone(true);
      setTimeout(() => setDone(false), 1200);
    } catch {
      // No clipboard (insecure context or denied): nothing sensible to do but stay quiet.
    }
  };
  return html`
    <button type="button" class=${`icon-btn copy ${done ? "done" : ""}`} onClick=${onClick}
      aria-label=${done ? "Copied" : "Copy card text"} title="Copy">${done
        ? CHECK_ICON
        : COPY_ICON}</button>
  `;
}

/**
 * The right-hand side of a card header: extra status, time, copy. Every card
 * of an assistant turn has the turn's model and tokens in its time's title.
 * @param {{item: Item, ctx: CardContext, children?: any, note?: string | (() => string)}} props
 */
export function HeadEnd({ item, ctx, children, note }) {
  const e = item.event;
  const turn = note ?? (e?.kind === "assistant" ? () => modelNote(e, ctx) : undefined);
  return html`
    <span
      class="head-end">${children}<${Stamp} item=${item} ctx=${ctx} note=${turn} /><${CopyButton}
        text=${() => copyText(item)} /></span>
  `;
}

/**
 * Monospace output collapsed to a few lines, with "show all". Output too big
 * for one answer (`paged`, see line_pages.js) shows all of it page by page.
 * @param {{text: string, expanded: boolean, onToggle: () => void, error?: boolean,
 *   truncated?: boolean, loading?: boolean, max?: number, label?: string,
 *   paged?: import("./line_pages.js").PagedSource | null}} props
 */
export function Output(
  {
    text,
    expanded,
    onToggle,
    error = false,
    truncated = false,
    loading = false,
    max = PREVIEW_LINES,
    label,
    paged = null,
  },
) {
  if (expanded && paged) {
    return html`
      <div class="out-wrap">
        <${LinePages} source=${paged} error=${error} label=${label} />
        <${LessButton} onToggle=${onToggle} />
      </div>
    `;
  }
  const lines = text.replace(/\n+$/, "").split("\n");
  const limit = expanded ? MAX_OUTPUT_LINES : max;
  const shown = lines.length > limit ? lines.slice(0, limit) : lines;
  const more = lines.length > max || truncated;
  return html`<div class="out-wrap">
    <pre class=${`out ${error ? "err" : ""}`} aria-label=${label}>${shown.join("\n")}</pre>
    ${
    more &&
    html`
      <button type="button" class="more" onClick=${onToggle}
        aria-expanded=${expanded}>${loading
          ? "loading…"
          : expanded
          ? (lines.length > MAX_OUTPUT_LINES
            ? `showing ${MAX_OUTPUT_LINES} of ${lines.length} lines · less`
            : "show less")
          : `show all ${truncated ? "" : `${lines.length} lines`}`.trim()}</button>
    `
  }
  </div>`;
}

/** @param {{onToggle: () => void}} props */
export function LessButton({ onToggle }) {
  return html`
    <button type="button" class="more" onClick=${onToggle} aria-expanded="true">show less</button>
  `;
}

/**
 * Text shown through Markdown, cut to a few lines until expanded. A line too
 * big for one answer (`paged`) shows whole as written, page by page.
 * @param {{text: string, expanded: boolean, onToggle: () => void, truncated?: boolean, loading?: boolean,
 *   max?: number, cls?: string, paged?: import("./line_pages.js").PagedSource | null}} props
 */
export function LongMarkdown(
  {
    text,
    expanded,
    onToggle,
    truncated = false,
    loading = false,
    max = TEXT_PREVIEW_LINES,
    cls,
    paged = null,
  },
) {
  if (expanded && paged) {
    return html`
      <${LinePages} source=${paged} />
      <${LessButton} onToggle=${onToggle} />
    `;
  }
  const lines = text.split("\n");
  const long = lines.length > max;
  const shown = long && !expanded ? lines.slice(0, max).join("\n") : text;
  return html`<${Markdown} text=${shown} class=${`${cls ?? ""} ${
    long && !expanded ? "faded" : ""
  }`} />
    ${
    (long || truncated) &&
    html`
      <button type="button" class="more" onClick=${onToggle}
        aria-expanded=${expanded}>${loading
          ? "loading…"
          : expanded
          ? "show less"
          : long
          ? `show all ${lines.length} lines`
          : "show all"}</button>
    `
  }`;
}

/**
 * Model and token use of the turn, for the time's hover title. Claude Code
 * repeats a message's usage on each of its lines, and early lines may hold
 * a streaming snapshot: the feed knows the turn's largest (its final) one.
 * @param {any} e
 * @param {CardContext} [ctx]
 */
export function modelNote(e, ctx) {
  const parts = [];
  if (e.model) parts.push(shortModel(e.model));
  const tokens = turnNote((e.messageId && ctx?.turnUsage?.(e.messageId)) || e.usage);
  if (tokens) parts.push(`${tokens} (this turn)`);
  return parts.join("\n");
}

/** @param {number} n */
export function compact(n) {
  return n < 1000
    ? String(n)
    : n < 10_000
    ? `${(n / 1000).toFixed(1)}k`
    : `${Math.round(n / 1000)}k`;
}

/** `claude-sonnet-4-5-20250929` → `sonnet-4-5`. @param {string} model */
export function shortModel(model) {
  return model.replace(/^claude-/, "").replace(/-\d{8}$/, "");
}

/**
 * @param {{event: any, block: any}} result
 * @returns {string}
 */
export function resultText({ event, block }) {
  const r = event?.result;
  if (r?.type === "bash") return [r.stdout, r.stderr].filter(Boolean).join("\n");
  return block?.text ?? event?.text ?? "";
}

/** @param {Item} item */
export function isErrorResult(item) {
  const res = item.result;
  if (!res) return false;
  if (res.block?.isError) return true;
  const r = res.event?.result;
  return r?.type === "bash" && typeof r.exitCode === "number" && r.exitCode !== 0;
}

/**
 * The text the copy button puts on the clipboard.
 * @param {Item} item
 * @returns {string}
 */
export function copyText(item) {
  const e = item.event ?? {};
  switch (item.kind) {
    case "text":
    case "thinking":
      return item.block?.text ?? e.text ?? "";
    case "tool": {
      const b = item.block ?? {};
      const parts = [`${b.name}: ${JSON.stringify(b.input, null, 2)}`];
      if (item.result) parts.push(resultText(item.result));
      return parts.join("\n\n");
    }
    case "result":
      return resultText({ event: e, block: item.block });
    default:
      return e.text ?? "";
  }
}
