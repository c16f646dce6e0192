/**
 * A small Markdown parser for transcript text: the blocks here, the inline
 * spans in `markdown_inline.js`. It returns a plain tree of
 * nodes (no HTML strings anywhere), which `markdown_view.js` turns into
 * Preact vnodes. Raw HTML in the source is never interpreted: `<script>` is
 * just text here. Links keep only `http:`, `https:` and `mailto:` targets.
 *
 * Supported: ATX headings, paragraphs (single newlines are line breaks, as in
 * chat transcripts), fenced code, block quotes, nested lists, task list
 * items, GFM tables, thematic breaks, inline code, strong, emphasis,
 * strikethrough, links, autolinks and bare URLs.
 *
 * @typedef {import("./markdown_inline.js").Inline} Inline
 * @typedef {{type: "heading", level: number, children: Inline[]}
 *   | {type: "paragraph", children: Inline[]}
 *   | {type: "code", lang: string, text: string}
 *   | {type: "quote", children: Block[]}
 *   | {type: "list", ordered: boolean, start: number, items: ListItem[]}
 *   | {type: "table", align: ("left" | "center" | "right" | null)[], head: Inline[][], rows: Inline[][][]}
 *   | {type: "hr"}} Block
 * @typedef {{checked: boolean | null, children: Block[]}} ListItem
 */

import { MAX_DEPTH, parseInline } from "./markdown_inline.js";

export { inlineText, parseInline, safeHref } from "./markdown_inline.js";

/** Beyond this many characters, text is shown as one plain block: parsing stays cheap. */
export const MAX_MARKDOWN_CHARS = 100_000;

/**
 * Parses Markdown into blocks.
 * @param {string} source
 * @returns {Block[]}
 */
export function parseMarkdown(source) {
  if (source.length > MAX_MARKDOWN_CHARS) {
    return [{ type: "code", lang: "", text: source }];
  }
  return parseBlocks(source.replace(/\r\n?/g, "\n").split("\n"), 0);
}

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^`\s]*)[^`]*$/;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const HR = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const QUOTE = /^ {0,3}> ?/;
const LIST_ITEM = /^( {0,3})([-*+]|\d{1,9}[.)])([ \t]+|$)/;
const TABLE_DIVIDER = /^ {0,3}\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;

/**
 * @param {string[]} lines
 * @param {number} depth
 * @returns {Block[]}
 */
function parseBlocks(lines, depth) {
  /** @type {Block[]} */
  const blocks = [];
  if (depth > MAX_DEPTH) {
    const text = lines.join("\n").trim();
    if (text) blocks.push({ type: "paragraph", children: [{ type: "text", text }] });
    return blocks;
  }
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? "";
    if (line.trim() === "") {
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const marker = fence[1] ?? "```";
      const indent = line.length - line.trimStart().length;
      const body = [];
      i++;
      while (i < lines.length) {
        const l = lines[i] ?? "";
        const t = l.trim();
        if (t.startsWith(marker) && t.replaceAll(marker[0] ?? "`", "") === "") break;
        body.push(stripIndent(l, indent));
        i++;
      }
      i++; // closing fence, or past the end
      blocks.push({ type: "code", lang: fence[2] ?? "", text: body.join("\n") });
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      blocks.push({
        type: "heading",
        level: (heading[1] ?? "#").length,
        children: parseInline(heading[2] ?? "", depth),
      });
      i++;
      continue;
    }
    if (HR.test(line)) {
      blocks.push({ type: "hr" });
      i++;
      continue;
    }
    if (QUOTE.test(line)) {
      const body = [];
      while (i < lines.length && QUOTE.test(lines[i] ?? "")) {
        body.push((lines[i] ?? "").replace(QUOTE, ""));
        i++;
      }
      blocks.push({ type: "quote", children: parseBlocks(body, depth + 1) });
      continue;
    }
    if (LIST_ITEM.test(line)) {
      i = parseList(lines, i, blocks, depth);
      continue;
    }
    if (
      line.includes("|") && TABLE_DIVIDER.test(lines[i + 1] ?? "") &&
      (lines[i + 1] ?? "").includes("-")
    ) {
      i = parseTable(lines, i, blocks, depth);
      continue;
    }
    const para = [];
    while (i < lines.length) {
      const l = lines[i] ?? "";
      if (l.trim() === "" || (para.length > 0 && startsBlock(l, lines[i + 1]))) break;
      para.push(l.trim());
      i++;
    }
    blocks.push({ type: "paragraph", children: parseInline(para.join("\n"), depth) });
  }
  return blocks;
}

/**
 * @param {string} line
 * @param {string | undefined} next
 */
function startsBlock(line, next) {
  return FENCE.test(line) || HEADING.test(line) || HR.test(line) || QUOTE.test(line) ||
    LIST_ITEM.test(line) ||
    (line.includes("|") && next !== undefined && next.includes("-") && TABLE_DIVIDER.test(next));
}

/**
 * @param {string} line
 * @param {number} n
 */
function stripIndent(line, n) {
  let k = 0;
  while (k < n && line[k] === " ") k++;
  return line.slice(k);
}

/**
 * Parses a list starting at `start`, appends it to `out`, returns the next line index.
 * @param {string[]} lines
 * @param {number} start
 * @param {Block[]} out
 * @param {number} depth
 */
function parseList(lines, start, out, depth) {
  const first = LIST_ITEM.exec(lines[start] ?? "");
  if (!first) return start + 1;
  const ordered = /\d/.test(first[2] ?? "");
  const delimiter = (first[2] ?? "").slice(-1);
  /** @type {ListItem[]} */
  const items = [];
  let i = start;
  while (i < lines.length) {
    const m = LIST_ITEM.exec(lines[i] ?? "");
    if (!m) break;
    const isOrdered = /\d/.test(m[2] ?? "");
    if (isOrdered !== ordered || (m[2] ?? "").slice(-1) !== delimiter) break;
    const contentIndent = m[0].length === (lines[i] ?? "").length
      ? (m[1] ?? "").length + (m[2] ?? "").length + 1
      : m[0].length;
    const body = [(lines[i] ?? "").slice(m[0].length)];
    i++;
    // The item continues with indented lines, and blank lines followed by indented ones.
    while (i < lines.length) {
      const l = lines[i] ?? "";
      if (l.trim() === "") {
        const next = lines[i + 1] ?? "";
        if (next.trim() !== "" && indentOf(next) >= Math.min(contentIndent, 4)) {
          body.push("");
          i++;
          continue;
        }
        break;
      }
      if (
        indentOf(l) >= Math.min(contentIndent, 4) ||
        (indentOf(l) > 0 && LIST_ITEM.test(l.trimStart()))
      ) {
        body.push(stripIndent(l, contentIndent));
        i++;
        continue;
      }
      // Lazy continuation: a plain line right after item text belongs to it.
      if (!startsBlock(l, lines[i + 1]) && (body[body.length - 1] ?? "").trim() !== "") {
        body.push(l.trim());
        i++;
        continue;
      }
      break;
    }
    let checked = null;
    const task = /^\[([ xX])\][ \t]+/.exec(body[0] ?? "");
    if (task) {
      checked = task[1] !== " ";
      body[0] = (body[0] ?? "").slice(task[0].length);
    }
    items.push({ checked, children: parseBlocks(body, depth + 1) });
    // A blank line between items keeps the list going.
    if ((lines[i] ?? "").trim() === "" && LIST_ITEM.test(lines[i + 1] ?? "")) i++;
  }
  const startNumber = ordered ? parseInt(first[2] ?? "1", 10) : 1;
  out.push({ type: "list", ordered, start: startNumber, items });
  return i;
}

/** @param {string} line */
function indentOf(line) {
  let n = 0;
  for (const c of line) {
    if (c === " ") n++;
    else if (c === "\t") n += 4;
    else break;
  }
  return n;
}

/**
 * @param {string[]} lines
 * @param {number} start
 * @param {Block[]} out
 * @param {number} depth
 */
function parseTable(lines, start, out, depth) {
  const head = splitRow(lines[start] ?? "");
  const align = splitRow(lines[start + 1] ?? "").map((cell) => {
    const c = cell.trim();
    if (c.startsWith(":") && c.endsWith(":")) return "center";
    if (c.endsWith(":")) return "right";
    if (c.startsWith(":")) return "left";
    return null;
  });
  let i = start + 2;
  /** @type {Inline[][][]} */
  const rows = [];
  while (i < lines.length && (lines[i] ?? "").includes("|") && (lines[i] ?? "").trim() !== "") {
    const cells = splitRow(lines[i] ?? "");
    rows.push(head.map((_, k) => parseInline(cells[k] ?? "", depth)));
    i++;
  }
  out.push({
    type: "table",
    align: /** @type {("left" | "center" | "right" | null)[]} */ (head.map((_, k) =>
      align[k] ?? null
    )),
    head: head.map((cell) => parseInline(cell, depth)),
    rows,
  });
  return i;
}

/** @param {string} line */
function splitRow(line) {
  let s = line.trim();
  if (s.startsWith("|")) s = s.slice(1);
  if (s.endsWith("|") && !s.endsWith("\\|")) s = s.slice(0, -1);
  /** @type {string[]} */
  const cells = [];
  let cell = "";
  let inCode = false;
  for (let k = 0; k < s.length; k++) {
    const c = s[k];
    if (c === "\\" && s[k + 1] === "|") {
      cell += "|";
      k++;
    } else if (c === "`") {
      inCode = !inCode;
      cell += c;
    } else if (c === "|" && !inCode) {
      cells.push(cell.trim());
      cell = "";
    } else {
      cell += c;
    }
  }
  cells.push(cell.trim());
  return cells;
}
