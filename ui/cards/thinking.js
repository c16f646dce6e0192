/** Thinking: one line folded, the text as Markdown unfolded. */
/**
 * @typedef {import("../feed/model.js").Item} Item
 * @typedef {import("./parts.js").CardContext} CardContext
 */
import { html } from "../lib/html.js";
import { Markdown } from "./markdown_view.js";
import { HeadEnd } from "./parts.js";
import { LinePages, pagedSource } from "./line_pages.js";

/** @param {{item: Item, expanded: boolean, ctx: CardContext}} props */
export function ThinkingCard({ item, expanded, ctx }) {
  const b = item.block ?? {};
  const redacted = b.type === "redacted_thinking";
  const text = redacted ? "" : b.text ?? "";
  const preview = text.replace(/\s+/g, " ").trim().slice(0, 160);
  const paged = pagedSource(ctx.agentId, item.event);
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
        ${paged
          ? html`<${LinePages} source=${paged} />`
          : html`<${Markdown} text=${text} class="thinking-text" />`}
      </div>
    `
  }
  </div>`;
}
