/** The assistant's prose, as Markdown. */
/**
 * @typedef {import("../feed/model.js").Item} Item
 * @typedef {import("./parts.js").CardContext} CardContext
 */
import { html } from "../lib/html.js";
import { HeadEnd, LongMarkdown } from "./parts.js";
import { pagedSource } from "./line_pages.js";

/** @param {{item: Item, expanded: boolean, ctx: CardContext}} props */
export function TextCard({ item, expanded, ctx }) {
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
        )} paged=${pagedSource(ctx.agentId, e)} />
    </div>
  `;
}
