/**
 * Renders the tree from `markdown.js` as Preact vnodes. Text only ever
 * becomes text nodes; the only attribute taken from a transcript is a link's
 * href, and `safeHref` has already limited it to http(s) and mailto.
 *
 * @typedef {import("../lib/markdown.js").Block} Block
 * @typedef {import("../lib/markdown.js").Inline} Inline
 */
import { html } from "../lib/html.js";
import { parseMarkdown } from "../lib/markdown.js";

/** Parsed trees of recently shown texts: windowing re-mounts cards often. */
const cache = new Map();
const CACHE_SIZE = 400;

/** @param {string} text */
function parsed(text) {
  let blocks = cache.get(text);
  if (blocks) {
    cache.delete(text);
  } else {
    blocks = parseMarkdown(text);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value);
  }
  cache.set(text, blocks);
  return blocks;
}

/**
 * @param {{text: string, class?: string}} props
 */
export function Markdown({ text, class: cls = "" }) {
  return html`<div class=${`md ${cls}`}>${parsed(text).map(block)}</div>`;
}

/**
 * @param {Block} b
 * @param {number} k
 * @returns {any}
 */
function block(b, k) {
  switch (b.type) {
    case "heading": {
      // Headings inside a card stay small; h1 in a transcript is not a page title.
      const Tag = `h${Math.min(6, b.level + 2)}`;
      return html`<${Tag} key=${k}>${b.children.map(inline)}</${Tag}>`;
    }
    case "paragraph":
      return html`<p key=${k}>${b.children.map(inline)}</p>`;
    case "code":
      return html`<pre key=${k} class="code" data-lang=${
        b.lang || undefined
      }><code>${b.text}</code></pre>`;
    case "quote":
      return html`<blockquote key=${k}>${b.children.map(block)}</blockquote>`;
    case "hr":
      return html`<hr key=${k} />`;
    case "list": {
      const items = b.items.map((item, i) =>
        html`<li key=${i} class=${item.checked === null ? undefined : "task"}>${
          item.checked === null
            ? null
            : html`<span class=${`check ${item.checked ? "on" : ""}`} aria-label=${
              item.checked ? "done" : "to do"
            }>${item.checked ? "✓" : ""}</span>`
        }${item.children.map(tight)}</li>`
      );
      return b.ordered
        ? html`<ol key=${k} start=${b.start === 1 ? undefined : b.start}>${items}</ol>`
        : html`<ul key=${k}>${items}</ul>`;
    }
    case "table":
      return html`
        <div key=${k} class="table-wrap">
          <table>
            <thead>
              <tr>${b.head.map((cell, i) =>
                html`<th key=${i} style=${alignStyle(b.align[i])}>${cell.map(inline)}</th>`
              )}</tr>
            </thead>
            <tbody>${b.rows.map((row, r) =>
              html`<tr key=${r}>${
                row.map((cell, i) =>
                  html`<td key=${i} style=${alignStyle(b.align[i])}>${cell.map(inline)}</td>`
                )
              }</tr>`
            )}</tbody>
          </table>
        </div>
      `;
  }
}

/** List items render a lone paragraph without its margins. @param {Block} b @param {number} k */
function tight(b, k) {
  return b.type === "paragraph"
    ? html`<span key=${k} class="li-p">${b.children.map(inline)}</span>`
    : block(b, k);
}

/** @param {"left" | "center" | "right" | null | undefined} a */
function alignStyle(a) {
  return a ? `text-align:${a}` : undefined;
}

/**
 * @param {Inline} n
 * @param {number} k
 * @returns {any}
 */
function inline(n, k) {
  switch (n.type) {
    case "text":
      return n.text;
    case "br":
      return html`<br key=${k} />`;
    case "code":
      return html`<code key=${k}>${n.text}</code>`;
    case "strong":
      return html`<strong key=${k}>${n.children.map(inline)}</strong>`;
    case "em":
      return html`<em key=${k}>${n.children.map(inline)}</em>`;
    case "del":
      return html`<del key=${k}>${n.children.map(inline)}</del>`;
    case "link":
      return html`
        <a key=${k} href=${n.href} target="_blank"
          rel="noopener noreferrer nofollow">${n.children.map(inline)}</a>
      `;
  }
}
