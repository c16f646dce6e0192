/**
 * The feed's typed, colour-coded cards: one component per item kind (see
 * `feed_model.js`). Transcript text only ever reaches the DOM as text nodes
 * (Preact escapes them) or through `Markdown`, which builds elements itself.
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
import { Component } from "preact";
import { useState } from "preact/hooks";
import { html } from "../lib/html.js";
import { Markdown } from "./markdown_view.js";
import { agents, now } from "../data/state.js";
import { absoluteTime, duration, parseTs, stamp } from "../lib/time.js";
import { diffLines, diffStat, foldContext, rowsFromPatch } from "../lib/diff.js";
import { editsOf, findSubagent, isShellTool, isSubagentTool, keyInput } from "./tools.js";
import { agentPath } from "../lib/route.js";
import { formatBytes } from "../lib/size.js";
import { turnNote } from "../lib/usage.js";

/** Lines of a tool result shown before "show all". */
const PREVIEW_LINES = 8;
/** Lines of assistant or user text shown before "show all". */
const TEXT_PREVIEW_LINES = 40;
/** Diff rows shown before "show all". */
const DIFF_PREVIEW_ROWS = 14;
/** Even expanded, a single output stops here (the copy button has everything). */
const MAX_OUTPUT_LINES = 5000;

/**
 * One feed card. Re-renders only when its item, revision or UI state changes.
 * @extends {Component<{item: Item, rev: number, expanded: boolean, ctx: CardContext}>}
 */
export class Card extends Component {
  /**
   * @override
   * @param {{item: Item, rev: number, expanded: boolean}} next
   */
  shouldComponentUpdate(next) {
    const p = this.props;
    return next.item !== p.item || next.rev !== p.rev || next.expanded !== p.expanded;
  }

  render() {
    const { item, expanded, ctx } = this.props;
    const props = { item, expanded, ctx };
    switch (item.kind) {
      case "user":
        return html`<${UserCard} ...${props} />`;
      case "text":
        return html`<${TextCard} ...${props} />`;
      case "thinking":
        return html`<${ThinkingCard} ...${props} />`;
      case "tool":
        return html`<${ToolCard} ...${props} />`;
      case "result":
        return html`<${ResultCard} ...${props} />`;
      case "log":
        return html`<${LogLine} ...${props} />`;
      case "marker":
        return html`<${Marker} ...${props} />`;
      default:
        return html`<${QuietCard} ...${props} />`;
    }
  }
}

/**
 * A short label for screen readers and the row's aria-label.
 * @param {Item} item
 */
export function cardLabel(item) {
  switch (item.kind) {
    case "user":
      return "Prompt";
    case "text":
      return "Assistant";
    case "thinking":
      return "Thinking";
    case "tool":
      return `Tool call ${item.block?.name ?? ""}`;
    case "result":
      return "Tool result";
    case "log":
      return "Output line";
    case "marker":
      return "File marker";
    default:
      return `${item.event?.kind ?? "event"} ${item.event?.subtype ?? item.event?.type ?? ""}`
        .trim();
  }
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

/* ---------- shared pieces ---------- */

// Icons are inline SVG: symbol glyphs depend on the fonts a machine happens to have.
const COPY_ICON = html`
  <svg class="icon" viewBox="0 0 16 16" aria-hidden="true">
    <rect x="5.5" y="5.5" width="8" height="8"
      rx="1.5" />
    <path d="M10.5 3.5v-.5a1.5 1.5 0 0 0-1.5-1.5H4A1.5 1.5 0 0 0 2.5 3v5A1.5 1.5 0 0 0 4 9.5h.5" />
  </svg>
`;
const CHECK_ICON = html`
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
function Stamp({ item, ctx, note }) {
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
function Age({ ms }) {
  return html`<time datetime=${new Date(ms).toISOString()}>${stamp(ms, now.value)}</time>`;
}

/** @param {{text: () => string}} props */
function CopyButton({ text }) {
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
function HeadEnd({ item, ctx, children, note }) {
  const e = item.event;
  const turn = note ?? (e?.kind === "assistant" ? () => modelNote(e, ctx) : undefined);
  return html`
    <span
      class="head-end">${children}<${Stamp} item=${item} ctx=${ctx} note=${turn} /><${CopyButton}
        text=${() => copyText(item)} /></span>
  `;
}

/**
 * Monospace output collapsed to a few lines, with "show all".
 * @param {{text: string, expanded: boolean, onToggle: () => void, error?: boolean,
 *   truncated?: boolean, loading?: boolean, max?: number, label?: string}} props
 */
function Output(
  {
    text,
    expanded,
    onToggle,
    error = false,
    truncated = false,
    loading = false,
    max = PREVIEW_LINES,
    label,
  },
) {
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

/**
 * Text shown through Markdown, cut to a few lines until expanded.
 * @param {{text: string, expanded: boolean, onToggle: () => void, truncated?: boolean, loading?: boolean,
 *   max?: number, cls?: string}} props
 */
function LongMarkdown(
  { text, expanded, onToggle, truncated = false, loading = false, max = TEXT_PREVIEW_LINES, cls },
) {
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

/* ---------- user and assistant ---------- */

/** @param {{item: Item, expanded: boolean, ctx: CardContext}} props */
function UserCard({ item, expanded, ctx }) {
  const e = item.event;
  const text = item.block?.type === "text" ? item.block.text : e.text ?? "";
  const images = (e.blocks ?? []).filter((/** @type {any} */ b) => b.type === "image").length;
  return html`
    <div class="card k-user">
      <div
        class="card-head"><span class="who">You</span><${HeadEnd} item=${item} ctx=${ctx} /></div>
      <div class="card-body prompt">
          <${LongText} text=${text} expanded=${expanded} onToggle=${() => ctx.toggle(item.key)}
            truncated=${!!e.truncated} loading=${ctx.loading(e.cursor)} />
          ${images > 0 &&
            html`<span class="chip">${images === 1 ? "1 image" : `${images} images`}</span>`}
        </div>
    </div>
  `;
}

/**
 * Plain pre-wrapped text (prompts are what the human typed: no Markdown).
 * @param {{text: string, expanded: boolean, onToggle: () => void, truncated?: boolean, loading?: boolean}} props
 */
function LongText({ text, expanded, onToggle, truncated = false, loading = false }) {
  const lines = text.split("\n");
  const long = lines.length > TEXT_PREVIEW_LINES || text.length > 4000;
  const shown = long && !expanded
    ? lines.slice(0, TEXT_PREVIEW_LINES).join("\n").slice(0, 4000)
    : text;
  return html`<div class=${`text ${long && !expanded ? "faded" : ""}`}>${shown}</div>${
    (long || truncated) &&
    html`
      <button type="button" class="more" onClick=${onToggle}
        aria-expanded=${expanded}>${loading
          ? "loading…"
          : expanded
          ? "show less"
          : "show all"}</button>
    `
  }`;
}

/** @param {{item: Item, expanded: boolean, ctx: CardContext}} props */
function TextCard({ item, expanded, ctx }) {
  const e = item.event;
  const bad = e.isApiError || e.synthetic;
  // Prose reads as a document: no header row; time and copy float beside the first line.
  return html`
    <div class=${`card k-text ${bad ? "is-error" : ""}`}>
      <div
        class="float-end">${bad &&
          html`<span class="who">Claude Code</span>`}<${HeadEnd} item=${item} ctx=${ctx} /></div>
      <${LongMarkdown} text=${item.block?.text ?? e.text ?? ""} expanded=${expanded}
        onToggle=${() => ctx.toggle(item.key)} truncated=${!!e.truncated} loading=${ctx.loading(
          e.cursor,
        )} />
    </div>
  `;
}

/**
 * Model and token use of the turn, for the time's hover title. Claude Code
 * repeats a message's usage on each of its lines, and early lines may hold
 * a streaming snapshot: the feed knows the turn's largest (its final) one.
 * @param {any} e
 * @param {CardContext} [ctx]
 */
function modelNote(e, ctx) {
  const parts = [];
  if (e.model) parts.push(shortModel(e.model));
  const tokens = turnNote((e.messageId && ctx?.turnUsage?.(e.messageId)) || e.usage);
  if (tokens) parts.push(`${tokens} (this turn)`);
  return parts.join("\n");
}

/** @param {number} n */
function compact(n) {
  return n < 1000
    ? String(n)
    : n < 10_000
    ? `${(n / 1000).toFixed(1)}k`
    : `${Math.round(n / 1000)}k`;
}

/** `claude-sonnet-4-5-20250929` → `sonnet-4-5`. @param {string} model */
function shortModel(model) {
  return model.replace(/^claude-/, "").replace(/-\d{8}$/, "");
}

/** @param {{item: Item, expanded: boolean, ctx: CardContext}} props */
function ThinkingCard({ item, expanded, ctx }) {
  const b = item.block ?? {};
  const redacted = b.type === "redacted_thinking";
  const text = redacted ? "" : b.text ?? "";
  const preview = text.replace(/\s+/g, " ").trim().slice(0, 160);
  return html`<div class=${`card k-thinking ${expanded ? "open" : ""}`}>
    <div class="card-head">
      <button type="button" class="disclosure" aria-expanded=${expanded} disabled=${redacted}
        onClick=${() => ctx.toggle(item.key)}>
        <span class="chev" aria-hidden="true">${expanded ? "▾" : "▸"}</span>
        <span class="who">Thinking</span>
        ${!expanded && html`<span class="preview">${redacted ? "redacted" : preview || "…"}</span>`}
      </button>
      <${HeadEnd} item=${item} ctx=${ctx} />
    </div>
    ${
    expanded && html`
      <div class="card-body">
        <${Markdown} text=${text} class="thinking-text" />
      </div>
    `
  }
  </div>`;
}

/* ---------- tools ---------- */

/**
 * @param {{event: any, block: any}} result
 * @returns {string}
 */
function resultText({ event, block }) {
  const r = event?.result;
  if (r?.type === "bash") return [r.stdout, r.stderr].filter(Boolean).join("\n");
  return block?.text ?? event?.text ?? "";
}

/** @param {Item} item */
function isErrorResult(item) {
  const res = item.result;
  if (!res) return false;
  if (res.block?.isError) return true;
  const r = res.event?.result;
  return r?.type === "bash" && typeof r.exitCode === "number" && r.exitCode !== 0;
}

/** @param {{item: Item, expanded: boolean, ctx: CardContext}} props */
function ToolCard({ item, expanded, ctx }) {
  const b = item.block ?? {};
  const name = String(b.name ?? "tool");
  const { detail, mono } = keyInput(name, b.input);
  const error = isErrorResult(item);
  const toggle = () => ctx.toggle(item.key);
  const lower = name.toLowerCase();
  let body;
  const edits = editsOf(name, b.input);
  if (edits) {
    body = html`
      <${EditBody} item=${item} edits=${edits} expanded=${expanded} toggle=${toggle}
        ctx=${ctx} />
    `;
  } else if (isSubagentTool(name)) {
    body = html`<${TaskBody} item=${item} expanded=${expanded} toggle=${toggle} ctx=${ctx} />`;
  } else if (lower === "todowrite") body = html`<${TodoBody} input=${b.input} />`;
  else {body = html`
      <${GenericBody} item=${item} expanded=${expanded} toggle=${toggle} ctx=${ctx}
        name=${lower} />
    `;}
  return html`
    <div class=${`card k-tool ${error ? "is-error" : ""}`}>
      <div class="card-head">
        <span class="tool-name">${name}</span>
        <span class=${`detail ${mono ? "mono" : ""}`} title=${detail}>${detail.split(
          "\n",
          1,
        )[0]}</span>
        <${HeadEnd} item=${item} ctx=${ctx}>
            <${CallStatus} item=${item} error=${error} ctx=${ctx} />
          </${HeadEnd}>
        </div>
        ${body}
        ${item.progress &&
          html`<div class="progress dim">${item.progress.count} progress ${
            item.progress.count === 1 ? "update" : "updates"
          }${
            item.progress.last?.text
              ? ` · ${item.progress.last.text.split("\n", 1)[0].slice(0, 120)}`
              : ""
          }</div>`}
      </div>
  `;
}

/**
 * ✓ / error / running… for a tool call. Reads the agents signal, so it alone
 * re-renders when the agent goes idle.
 * @param {{item: Item, error: boolean, ctx: CardContext}} props
 */
function CallStatus({ item, error, ctx }) {
  const res = item.result;
  if (res) {
    const r = res.event?.result;
    const started = parseTs(item.event?.ts);
    const ended = parseTs(res.event?.ts);
    const took = started !== null && ended !== null && ended >= started
      ? duration(ended - started)
      : "";
    if (error) {
      const code = r?.type === "bash" && typeof r.exitCode === "number" ? ` ${r.exitCode}` : "";
      return html`<span class="status err">${
        r?.interrupted ? "interrupted" : `error${code}`
      }</span>`;
    }
    return html`<span class="status ok" title="completed">✓${
      took && html`
        <span class="dim">${took}</span>
      `
    }</span>`;
  }
  const running = agents.value.get(ctx.agentId)?.state === "running";
  return running
    ? html`<span class="status run"><span class="spinner" aria-hidden="true"></span>running</span>`
    : html`<span class="status dim">no result</span>`;
}

/** @param {{item: Item, expanded: boolean, toggle: () => void, ctx: CardContext, name: string}} props */
function GenericBody({ item, expanded, toggle, ctx, name }) {
  const b = item.block ?? {};
  const res = item.result;
  const r = res?.event?.result;
  const parts = [];
  // Multi-line commands and unknown tools' inputs deserve to be seen in full.
  if (isShellTool(name)) {
    const { detail } = keyInput(name, b.input);
    const desc = b.input?.description;
    const where = b.input?.workdir ?? b.input?.cwd;
    if (typeof desc === "string" && desc) {
      parts.push(html`<div class="tool-desc dim">${desc}</div>`);
    }
    if (typeof where === "string" && where) {
      parts.push(html`<div class="tool-desc dim">in <code>${where}</code></div>`);
    }
    if (detail.includes("\n") || detail.length > 120) {
      parts.push(html`<pre class="cmd">${detail}</pre>`);
    }
  } else if (
    !KNOWN_INPUT.has(name) && b.input && typeof b.input === "object" &&
    Object.keys(b.input).length > 0
  ) {
    parts.push(html`
      <${Output} text=${JSON.stringify(b.input, null, 2)} expanded=${expanded} onToggle=${toggle}
        max=${4} label="Input" />
    `);
  }
  if (res) {
    const rEvent = res.event;
    const loading = ctx.loading(rEvent?.cursor);
    if (name === "read" && !expanded && r?.type === "read") {
      const range = r.numLines ? `${r.numLines} lines` : "";
      const total = r.totalLines ? ` of ${r.totalLines}` : "";
      parts.push(html`
        <button type="button" class="more summary" onClick=${toggle}
          aria-expanded="false">read ${range}${total} · show</button>
      `);
    } else if (r?.type === "bash") {
      if (r.stdout) {
        parts.push(html`
          <${Output} text=${r.stdout} expanded=${expanded} onToggle=${toggle}
            truncated=${!!rEvent.truncated} loading=${loading} label="Output" />
        `);
      }
      if (r.stderr) {
        parts.push(html`
          <${Output} text=${r.stderr} expanded=${expanded} onToggle=${toggle} error=${true}
            truncated=${!!rEvent.truncated} loading=${loading} label="Error output" />
        `);
      }
      if (!r.stdout && !r.stderr && res.block?.text) {
        parts.push(html`
          <${Output} text=${res.block.text} expanded=${expanded} onToggle=${toggle}
            error=${!!res.block.isError} truncated=${!!rEvent.truncated} loading=${loading} />
        `);
      }
    } else {
      const text = resultText(res);
      if (text.trim()) {
        parts.push(html`
          <${Output} text=${text} expanded=${expanded} onToggle=${toggle} error=${!!res.block
            ?.isError}
            truncated=${!!rEvent?.truncated} loading=${loading} label="Result" />
        `);
      }
      if (res.block?.images) {
        parts.push(html`<span class="chip">${res.block.images} image(s)</span>`);
      }
    }
  }
  return parts.length ? html`<div class="card-body">${parts}</div>` : null;
}

const KNOWN_INPUT = new Set(["read", "grep", "glob", "webfetch", "websearch", "notebookread"]);

/**
 * @param {{item: Item, edits: {oldText: string, newText: string}[], expanded: boolean, toggle: () => void,
 *   ctx: CardContext}} props
 */
function EditBody({ item, edits, expanded, toggle }) {
  const res = item.result;
  const r = res?.event?.result;
  /** @type {import("../lib/diff.js").DiffRow[]} */
  let rows;
  if (r?.type === "edit" && Array.isArray(r.patch) && r.patch.length > 0) {
    rows = rowsFromPatch(r.patch);
  } else {
    rows = [];
    for (const [k, e] of edits.entries()) {
      if (k > 0) rows.push({ op: "gap", skipped: 0 });
      rows.push(...foldContext(diffLines(e.oldText, e.newText)));
    }
  }
  const { added, removed } = diffStat(rows);
  const shown = expanded ? rows.slice(0, MAX_OUTPUT_LINES) : rows.slice(0, DIFF_PREVIEW_ROWS);
  const errorText = res?.block?.isError ? resultText(res) : "";
  return html`<div class="card-body">
    <div class="diff" role="table" aria-label=${`Diff: ${added} added, ${removed} removed`}>
      ${shown.map((row, k) => diffRow(row, k))}
    </div>
    <div class="diff-foot">
      <span class="stat"><span class="add">+${added}</span> <span class="del">−${removed}</span></span>
      ${
    rows.length > DIFF_PREVIEW_ROWS &&
    html`
      <button type="button" class="more" onClick=${toggle}
        aria-expanded=${expanded}>${expanded
          ? "show less"
          : `show all ${rows.length} lines`}</button>
    `
  }
    </div>
    ${
    errorText &&
    html`<${Output} text=${errorText} expanded=${expanded} onToggle=${toggle} error=${true} />`
  }
  </div>`;
}

/**
 * @param {import("../lib/diff.js").DiffRow} row
 * @param {number} k
 */
function diffRow(row, k) {
  if (row.op === "gap") {
    return html`<div key=${k} class="dl gap" role="row"><span role="cell">${
      row.skipped > 0 ? `⋯ ${row.skipped} unchanged line${row.skipped === 1 ? "" : "s"}` : "⋯"
    }</span></div>`;
  }
  const cls = row.op === "+" ? "add" : row.op === "-" ? "del" : "ctx";
  return html`<div key=${k} class=${`dl ${cls}`} role="row">
    <span class="ln" role="cell">${
    row.op === "+" ? row.newNo : row.oldNo ?? ""
  }</span><span class="sign" role="cell"
      aria-label=${row.op === "+" ? "added" : row.op === "-" ? "removed" : undefined}>${
    row.op === " " ? "" : row.op === "-" ? "−" : "+"
  }</span><span class="tx" role="cell">${row.text}</span>
  </div>`;
}

/** @param {{item: Item, expanded: boolean, toggle: () => void, ctx: CardContext}} props */
function TaskBody({ item, expanded, toggle, ctx }) {
  const b = item.block ?? {};
  const prompt = typeof b.input?.prompt === "string" ? b.input.prompt : "";
  const res = item.result;
  const r = res?.event?.result;
  return html`<div class="card-body">
    ${
    prompt && html`
      <${LongMarkdown} text=${prompt} expanded=${expanded} onToggle=${toggle} max=${4}
        cls="task-prompt" />
    `
  }
    <${SubagentLink} id=${b.id} input=${b.input} agentId=${
    r?.type === "task" ? r.agentId : undefined
  } ctx=${ctx} />
    ${
    res &&
    html`
      <div class="task-result">
        <${LongMarkdown} text=${resultText(res)} expanded=${expanded} onToggle=${toggle}
          max=${8} truncated=${!!res.event?.truncated} loading=${ctx.loading(res.event?.cursor)} />
      </div>
    `
  }
    ${
    r?.type === "task" && typeof r.totalTokens === "number" &&
    html`<div class="dim small">${compact(r.totalTokens)} tokens${
      r.status ? ` · ${r.status}` : ""
    }</div>`
  }
  </div>`;
}

/**
 * A link into the subagent's own feed, once the daemon knows that agent.
 * @param {{id?: string, input: unknown, agentId?: string, ctx: CardContext}} props
 */
function SubagentLink({ id, input, agentId, ctx }) {
  const child = findSubagent(
    { id, input, resultAgentId: agentId, callCount: ctx.subagentCalls() },
    ctx.agentId,
    agents.value.values(),
  );
  if (!child) return null;
  return html`<a class="subagent-link" href=${agentPath(child.id)}>
    <span class=${`dot ${child.state} ${child.activity ?? ""}`} aria-hidden="true"></span>
    <span>Open subagent feed</span><span class="dim">${child.title}</span>
    <span class="dim">${child.state === "running" ? "running" : formatBytes(child.size)}</span>
    <span aria-hidden="true">→</span>
  </a>`;
}

/** @param {{input: any}} props */
function TodoBody({ input }) {
  const todos = Array.isArray(input?.todos) ? input.todos : [];
  return html`
    <div class="card-body">
      <ul class="todos">${todos.map((/** @type {any} */ t, /** @type {number} */ k) =>
        typeof t !== "object" || t === null
          ? html`<li key=${k} class="todo"><span class="box"></span><span>${String(t)}</span></li>`
          : html`
            <li key=${k} class=${`todo ${t.status ?? ""}`}>
              <span class="box" aria-label=${t.status ?? "pending"}>${t.status === "completed"
                ? "✓"
                : t.status === "in_progress"
                ? "◐"
                : ""}</span>
              <span>${t.status === "in_progress" && t.activeForm
                ? t.activeForm
                : t.content ?? ""}</span>
            </li>
          `
      )}</ul>
    </div>
  `;
}

/** A result whose call is not loaded (scroll up to load it). @param {{item: Item, expanded: boolean, ctx: CardContext}} props */
function ResultCard({ item, expanded, ctx }) {
  const res = { event: item.event, block: item.block };
  const error = !!item.block?.isError;
  return html`
    <div class=${`card k-tool ${error ? "is-error" : ""}`}>
      <div
        class="card-head"><span class="tool-name">result</span><span class="detail dim">of an earlier call</span>
          <${HeadEnd} item=${item} ctx=${ctx} /></div>
      <div class="card-body">
        <${Output} text=${resultText(res)} expanded=${expanded} onToggle=${() =>
          ctx.toggle(item.key)}
          error=${error} truncated=${!!item.event?.truncated} loading=${ctx.loading(
            item.event?.cursor,
          )} />
      </div>
    </div>
  `;
}

/* ---------- quiet lines, logs, markers ---------- */

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
function QuietCard({ item, expanded, ctx }) {
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
function LogLine({ item }) {
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

/** @param {{item: Item}} props */
function Marker({ item }) {
  const e = item.event ?? {};
  const words = {
    truncated: "The file was truncated: showing it from the top",
    rotated: "The file was replaced: showing the new one",
    deleted: "The file was deleted: this agent has ended",
  };
  return html`
    <div class=${`marker ${e.change}`} role="separator">
      <span>${words[/** @type {"truncated" | "rotated" | "deleted"} */ (e.change)] ?? e.text ??
        "file changed"}</span>
    </div>
  `;
}
