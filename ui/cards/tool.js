/**
 * A tool call and its result in one card: the call's key input in the
 * header, a body by kind of tool (edits, subagents, plans, questions, todos,
 * or output), and a status that shows a duration only where one was measured.
 */
/**
 * @typedef {import("../feed/model.js").Item} Item
 * @typedef {import("./parts.js").CardContext} CardContext
 */
import { html } from "../lib/html.js";
import { agents } from "../data/state.js";
import { duration, parseTs } from "../lib/time.js";
import { editsOf, isShellTool, isSubagentTool, keyInput } from "./tools.js";
import { HeadEnd, isErrorResult, Output, resultText } from "./parts.js";
import { EditBody, PatchBody, patchesOf } from "./edit.js";
import { RunLink, TaskBody } from "./task.js";
import { LinePages, pagedSource } from "./line_pages.js";
import { PlanBody, QuestionBody, TodoBody } from "./plan.js";

/** @param {{item: Item, expanded: boolean, ctx: CardContext}} props */
export function ToolCard({ item, expanded, ctx }) {
  const b = item.block ?? {};
  const name = String(b.name ?? "tool");
  const { detail, mono } = keyInput(name, b.input);
  const error = isErrorResult(item);
  const toggle = () => ctx.toggle(item.key);
  const lower = name.toLowerCase();
  let body;
  const patches = patchesOf(item);
  const edits = patches ? null : editsOf(name, b.input);
  if (patches) {
    body = html`
      <${PatchBody} item=${item} patches=${patches} expanded=${expanded}
        toggle=${toggle} />
    `;
  } else if (edits) {
    body = html`
      <${EditBody} item=${item} edits=${edits} expanded=${expanded} toggle=${toggle}
        ctx=${ctx} />
    `;
  } else if (isSubagentTool(name)) {
    body = html`<${TaskBody} item=${item} expanded=${expanded} toggle=${toggle} ctx=${ctx} />`;
  } else if (lower === "todowrite") body = html`<${TodoBody} input=${b.input} />`;
  else if (lower === "exitplanmode") {
    body = html`<${PlanBody} item=${item} expanded=${expanded} toggle=${toggle} />`;
  } else if (lower === "askuserquestion") {
    body = html`<${QuestionBody} item=${item} expanded=${expanded} toggle=${toggle} />`;
  } else {body = html`
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
        ${lower === "workflow" && html`<${RunLink} id=${b.id} />`}
        ${body}
        ${expanded && callPages(item, ctx)}
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
 * A call whose own line is too big for one answer (a Write of a huge file):
 * the line as written, page by page, once the card is open.
 * @param {Item} item
 * @param {CardContext} ctx
 */
function callPages(item, ctx) {
  const paged = pagedSource(ctx.agentId, item.event);
  return paged && html`
    <div class="card-body">
      <${LinePages} source=${paged} />
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
    const took = measured(item);
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
    parts.push(html`<${InputList} input=${b.input} expanded=${expanded} toggle=${toggle} />`);
  }
  if (res) {
    const rEvent = res.event;
    const loading = ctx.loading(rEvent?.cursor);
    // The spill (or the huge line) is shown once, in the first output below.
    const paged = pagedSource(ctx.agentId, rEvent);
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
            truncated=${!!rEvent.truncated} loading=${loading} label="Output" paged=${paged} />
        `);
      }
      if (r.stderr) {
        parts.push(html`
          <${Output} text=${r.stderr} expanded=${expanded} onToggle=${toggle} error=${true}
            truncated=${!!rEvent.truncated} loading=${loading} label="Error output"
            paged=${r.stdout || paged?.part === "spill" ? null : paged} />
        `);
      }
      if (!r.stdout && !r.stderr && res.block?.text) {
        parts.push(html`
          <${Output} text=${res.block.text} expanded=${expanded} onToggle=${toggle}
            error=${!!res.block.isError} truncated=${!!rEvent.truncated} loading=${loading}
            paged=${paged} />
        `);
      }
    } else {
      const text = resultText(res);
      if (text.trim()) {
        parts.push(html`
          <${Output} text=${text} expanded=${expanded} onToggle=${toggle} error=${!!res.block
            ?.isError}
            truncated=${!!rEvent?.truncated} loading=${loading} label="Result" paged=${paged} />
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

/** A result whose call is not loaded (scroll up to load it). @param {{item: Item, expanded: boolean, ctx: CardContext}} props */
export function ResultCard({ item, expanded, ctx }) {
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
          )} paged=${pagedSource(ctx.agentId, item.event)} />
      </div>
    </div>
  `;
}

/**
 * How long a call took, only where that was measured: the agent's own
 * timing, or the time between the call's line and its result's line when
 * those differ. Lines written in the same instant (a call and its result in
 * one message) measured nothing, and show no "0ms".
 * @param {Item} item
 */
function measured(item) {
  const own = item.result?.event?.durationMs;
  if (typeof own === "number" && own > 0) return duration(own);
  const started = parseTs(item.event?.ts);
  const ended = parseTs(item.result?.event?.ts);
  return started !== null && ended !== null && ended > started ? duration(ended - started) : "";
}

/** Past this many fields or characters, an input waits for "show all". */
const INPUT_PREVIEW = { fields: 6, chars: 400 };

/**
 * A tool's input as named fields, never as raw JSON: strings as written,
 * numbers and booleans as words, nested values compactly.
 * @param {{input: Record<string, unknown>, expanded: boolean, toggle: () => void}} props
 */
function InputList({ input, expanded, toggle }) {
  const entries = Object.entries(input);
  const shown = expanded ? entries : entries.slice(0, INPUT_PREVIEW.fields);
  let cut = entries.length > shown.length;
  const value = (/** @type {unknown} */ v) => {
    let text = typeof v === "string" ? v : v === null ? "null" : JSON.stringify(v) ?? String(v);
    if (!expanded && text.length > INPUT_PREVIEW.chars) {
      text = `${text.slice(0, INPUT_PREVIEW.chars)}…`;
      cut = true;
    }
    return text;
  };
  const rows = shown.map(([k, v]) =>
    html`
      <dt>${k}</dt>
      <dd>${value(v)}</dd>
    `
  );
  return html`<dl class="input-list" aria-label="Input">${rows}</dl>${
    (cut || expanded) &&
    html`
      <button type="button" class="more" onClick=${toggle}
        aria-expanded=${expanded}>${expanded ? "show less" : "show all"}</button>
    `
  }`;
}
