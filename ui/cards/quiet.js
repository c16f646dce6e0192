/** One-liners for bookkeeping lines, and plain log lines for task output. */
/**
 * @typedef {import("../feed/model.js").Item} Item
 * @typedef {import("./parts.js").CardContext} CardContext
 */
import { html } from "../lib/html.js";
import { Markdown } from "./markdown_view.js";
import { duration } from "../lib/time.js";
import { HeadEnd } from "./parts.js";

/**
 * What a one-liner says.
 * @param {Item} item
 * @returns {{tag: string, text: string, error: boolean}}
 */
export function quietLine(item) {
  const e = item.event ?? {};
  const first = (/** @type {string} */ s) => (s ?? "").trim();
  switch (e.kind) {
    case "system": {
      if (e.subtype === "compact_boundary") {
        return { tag: "compacted", text: first(e.text) || "conversation compacted", error: false };
      }
      if (e.subtype === "turn_duration" && typeof e.durationMs === "number") {
        return { tag: "turn", text: `took ${duration(e.durationMs)}`, error: false };
      }
      return {
        tag: e.subtype || "system",
        text: first(e.text),
        error: !!e.isError || e.level === "error",
      };
    }
    case "attachment":
      return {
        tag: e.hookName ? `hook ${e.hookName}` : (e.subtype || "attachment").replaceAll("_", " "),
        text: first(e.text) || (e.hookName ? e.subtype : ""),
        error: !!e.isError,
      };
    case "user": {
      if (e.isCompactSummary) return { tag: "summary", text: first(e.text), error: false };
      const injected = injectedLine(e.text ?? "");
      return injected ?? { tag: "meta prompt", text: first(e.text), error: false };
    }
    case "title":
      return {
        tag: (e.subtype || "title").replaceAll("-", " "),
        text: first(e.text),
        error: false,
      };
    case "progress":
      return { tag: `progress ${e.subtype ?? ""}`.trim(), text: first(e.text), error: false };
    case "other":
      return { tag: e.type || "other", text: first(e.text), error: false };
    case "codex":
      return injectedLine(e.text ?? "") ??
        { tag: e.subtype || e.entry || "codex", text: first(e.text), error: !!e.isError };
    case "assistant": {
      const b = item.block ?? {};
      const tag = b.type === "other" ? b.blockType : b.type ?? "assistant";
      return { tag, text: b.summary ?? b.title ?? b.mediaType ?? "", error: false };
    }
    default:
      return { tag: e.subtype || e.kind || "event", text: first(e.text), error: !!e.isError };
  }
}

/**
 * Slash-command echoes and CLI-injected context, in words.
 * @param {string} text
 * @returns {{tag: string, text: string, error: boolean} | null}
 */
function injectedLine(text) {
  const tag = (/** @type {string} */ name) => {
    const m = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(text);
    return m ? (m[1] ?? "").trim() : null;
  };
  const command = tag("command-name");
  if (command !== null) {
    const args = tag("command-args");
    return { tag: "command", text: `${command}${args ? ` ${args}` : ""}`, error: false };
  }
  const stdout = tag("local-command-stdout");
  if (stdout !== null) return { tag: "command output", text: stdout, error: false };
  const stderr = tag("local-command-stderr");
  if (stderr !== null) return { tag: "command error", text: stderr, error: true };
  if (/^\s*<environment_context>/.test(text)) {
    return {
      tag: "context",
      text: text.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim(),
      error: false,
    };
  }
  if (/^\s*<user_instructions>/.test(text)) {
    return {
      tag: "instructions",
      text: text.replace(/<\/?user_instructions>/g, "").trim(),
      error: false,
    };
  }
  if (/^\s*<system-reminder>/.test(text)) {
    return {
      tag: "reminder",
      text: text.replace(/<\/?system-reminder>/g, "").trim(),
      error: false,
    };
  }
  return null;
}

/** @param {{item: Item, expanded: boolean, ctx: CardContext}} props */
export function QuietCard({ item, expanded, ctx }) {
  const { tag, text, error } = quietLine(item);
  const oneLine = text.split("\n", 1)[0] ?? "";
  const more = text.length > oneLine.length || oneLine.length > 140;
  const summary = item.event?.kind === "user" && item.event?.isCompactSummary;
  return html`<div class=${`quiet ${error ? "is-error" : ""} ${expanded ? "open" : ""}`}>
    <div class="quiet-line">
      ${
    more
      ? html`<button type="button" class="disclosure" aria-expanded=${expanded} onClick=${() =>
        ctx.toggle(item.key)}>
            <span class="chev" aria-hidden="true">${
        expanded ? "▾" : "▸"
      }</span><span class="tag">${tag}</span>
            ${!expanded && html`<span class="q-text">${oneLine}</span>`}</button>`
      : html`<span class="tag">${tag}</span><span class="q-text">${oneLine}</span>`
  }
      <${HeadEnd} item=${item} ctx=${ctx} />
    </div>
    ${
    expanded && more &&
    (summary
      ? html`<${Markdown} text=${text} class="quiet-full" />`
      : html`<pre class="quiet-full">${text}</pre>`)
  }
  </div>`;
}

/** Plain task output: a monospace log line. @param {{item: Item}} props */
export function LogLine({ item }) {
  const e = item.event ?? {};
  return html`<div class=${`log ${e.malformed ? "malformed" : ""}`}>${
    e.malformed &&
    html`<span class="tag" title="This line looked like JSON but did not parse">malformed</span>`
  }<span class="log-text">${stripAnsi(e.text ?? "")}</span></div>`;
}

/**
 * Terminal escape sequences (colours, cursor moves) dropped from a log line:
 * shown as text they are noise.
 * @param {string} text
 */
export function stripAnsi(text) {
  return text.includes("\x1b") ? text.replace(ANSI, "") : text;
}

// CSI sequences (`ESC [ … final`) and OSC ones (`ESC ] … BEL` or `ESC \`), then any stray ESC.
// deno-lint-ignore no-control-regex
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b/g;
