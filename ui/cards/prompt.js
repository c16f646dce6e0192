/** A prompt (the human's, or a subagent's from its parent): plain pre-wrapped text, never Markdown. */
/**
 * @typedef {import("../feed/model.js").Item} Item
 * @typedef {import("./parts.js").CardContext} CardContext
 */
import { html } from "../lib/html.js";
import { HeadEnd, LessButton, TEXT_PREVIEW_LINES } from "./parts.js";
import { LinePages, pagedSource } from "./line_pages.js";

/** @param {{item: Item, expanded: boolean, ctx: CardContext}} props */
export function UserCard({ item, expanded, ctx }) {
  const e = item.event;
  const text = item.block?.type === "text" ? item.block.text : e.text ?? "";
  const images = (e.blocks ?? []).filter((/** @type {any} */ b) => b.type === "image").length;
  // A subagent's prompt comes from the agent that started it, never from you.
  const who = e.sidechain === true
    ? html`<span class="who" title="The prompt its parent agent gave this subagent">Task prompt</span>`
    : html`<span class="who">You</span>`;
  return html`
    <div class=${`card k-user${e.sidechain === true ? " from-agent" : ""}`}>
      <div class="card-head">${who}<${HeadEnd} item=${item} ctx=${ctx} /></div>
      <div class="card-body prompt">
          <${LongText} text=${text} expanded=${expanded} onToggle=${() => ctx.toggle(item.key)}
            truncated=${!!e.truncated} loading=${ctx.loading(e.cursor)}
            paged=${pagedSource(ctx.agentId, e)} />
          ${images > 0 &&
            html`<span class="chip">${images === 1 ? "1 image" : `${images} images`}</span>`}
        </div>
    </div>
  `;
}

/**
 * Plain pre-wrapped text (prompts are what the human typed: no Markdown); one
 * too big for one answer (`paged`) shows whole as written, page by page.
 * @param {{text: string, expanded: boolean, onToggle: () => void, truncated?: boolean, loading?: boolean,
 *   paged?: import("./line_pages.js").PagedSource | null}} props
 */
function LongText({ text, expanded, onToggle, truncated = false, loading = false, paged = null }) {
  if (expanded && paged) {
    return html`
      <${LinePages} source=${paged} />
      <${LessButton} onToggle=${onToggle} />
    `;
  }
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
