/**
 * A small Markdown parser for transcript text. It returns a plain tree of
 * nodes (no HTML strings anywhere), which `markdown_view.js` turns into
 * Preact vnodes. Raw HTML in the source is never interpreted: `<script>` is
 * just text here. Links keep only `http:`, `https:` and `mailto:` targets.
 *
 * Supported: ATX headings, paragraphs (single newlines are line breaks, as in
 * chat transcripts), fenced code, block quotes, nested lists, task list
 * items, GFM tables, thematic breaks, inline code, strong, emphasis,
 * strikethrough, links, autolinks and bare URLs.
 *
 * @typedef {{type: "text", text: string}
 *   | {type: "code", text: string}
 *   | {type: "strong" | "em" | "del", children: Inline[]}
 *   | {type: "link", href: string, children: Inline[]}
 *   | {type: "br"}} Inline
 * @typedef {{type: "heading", level: number, children: Inline[]}
 *   | {type: "paragraph", children: Inline[]}
 *   | {type: "code", lang: string, text: string}
 *   | {type: "quote", children: Block[]}
 *   | {type: "list", ordered: boolean, start: number, items: ListItem[]}
 *   | {type: "table", align: ("left" | "center" | "right" | null)[], head: Inline[][], rows: Inline[][][]}
 *   | {type: "hr"}} Block
 * @typedef {{checked: boolean | null, children: Block[]}} ListItem
 */

/** Beyond this many characters, text is shown as one plain block: parsing stays cheap. */
export const MAX_MARKDOWN_CHARS = 100_000;
/** How far a link's label and target may reach: keeps `[[[[…` from going quadratic. */
const MAX_LABEL = 1000;
const MAX_URL = 2048;
const MAX_DEPTH = 12;

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

/**
 * Returns the href when it is safe to put in a link, else null.
 * @param {string} url
 * @returns {string | null}
 */
export function safeHref(url) {
  const trimmed = url.trim();
  // Control characters and whitespace inside a scheme can smuggle `java\nscript:`.
  // deno-lint-ignore no-control-regex
  if (/[\u0000-\u001f\u007f\s]/.test(trimmed)) return null;
  return /^(https?:\/\/|mailto:)/i.test(trimmed) ? trimmed : null;
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

const ESCAPABLE = /[!-/:-@[-`{-~]/;
const AUTOLINK = /^<((?:https?:\/\/|mailto:)[^\s<>]+)>/i;
const BARE_URL = /^https?:\/\/[^\s<>"'`]+/i;

/**
 * Parses inline Markdown.
 * @param {string} s
 * @param {number} depth
 * @returns {Inline[]}
 */
export function parseInline(s, depth = 0) {
  /** @type {Inline[]} */
  const out = [];
  let buf = "";
  const flush = () => {
    if (buf) out.push({ type: "text", text: buf });
    buf = "";
  };
  if (depth > MAX_DEPTH) return s ? [{ type: "text", text: s }] : [];
  /** @type {Map<string, number>} marker → a position from which no closer exists */
  const noCloser = new Map();
  let i = 0;
  while (i < s.length) {
    const c = s[i] ?? "";
    if (c === "\\" && i + 1 < s.length && ESCAPABLE.test(s[i + 1] ?? "")) {
      buf += s[i + 1];
      i += 2;
      continue;
    }
    if (c === "\n") {
      flush();
      out.push({ type: "br" });
      i++;
      continue;
    }
    if (c === "`") {
      let n = 1;
      while (s[i + n] === "`") n++;
      const fence = "`".repeat(n);
      let close = s.indexOf(fence, i + n);
      while (close !== -1 && s[close + n] === "`") {
        let skip = close;
        while (s[skip] === "`") skip++;
        close = s.indexOf(fence, skip);
      }
      if (close === -1) {
        buf += fence;
        i += n;
        continue;
      }
      let code = s.slice(i + n, close).replace(/\n/g, " ");
      if (code.length > 2 && code.startsWith(" ") && code.endsWith(" ") && code.trim()) {
        code = code.slice(1, -1);
      }
      flush();
      out.push({ type: "code", text: code });
      i = close + n;
      continue;
    }
    if (c === "[") {
      const link = matchLink(s, i);
      if (link) {
        flush();
        const children = parseInline(link.label, depth + 1);
        const href = safeHref(link.url);
        if (href) out.push({ type: "link", href, children });
        else out.push(...children, { type: "text", text: ` (${link.url})` });
        i = link.end;
        continue;
      }
    }
    if (c === "<") {
      const m = AUTOLINK.exec(s.slice(i, i + 2048));
      if (m) {
        flush();
        const url = m[1] ?? "";
        out.push({ type: "link", href: url, children: [{ type: "text", text: url }] });
        i += m[0].length;
        continue;
      }
    }
    if ((c === "h" || c === "H") && !/[\p{L}\p{N}]/u.test(s[i - 1] ?? "")) {
      const m = BARE_URL.exec(s.slice(i, i + 2048));
      if (m) {
        const url = trimUrl(m[0]);
        flush();
        out.push({ type: "link", href: url, children: [{ type: "text", text: url }] });
        i += url.length;
        continue;
      }
    }
    if (c === "*" || c === "_" || c === "~") {
      const span = matchEmphasis(s, i, depth, noCloser);
      if (span) {
        flush();
        out.push(span.node);
        i = span.end;
        continue;
      }
      // Consume the whole run so `**` does not retry as two `*`.
      let n = 1;
      while (s[i + n] === c) n++;
      buf += s.slice(i, i + n);
      i += n;
      continue;
    }
    buf += c;
    i++;
  }
  flush();
  return out;
}

/**
 * `[label](url "title")` starting at `i`, or null.
 * @param {string} s
 * @param {number} i
 */
function matchLink(s, i) {
  let depth = 0;
  let k = i;
  const labelEnd = Math.min(s.length, i + MAX_LABEL);
  for (; k < labelEnd; k++) {
    const c = s[k];
    if (c === "\\") {
      k++;
      continue;
    }
    if (c === "`") {
      const close = s.indexOf("`", k + 1);
      if (close !== -1) k = close;
      continue;
    }
    if (c === "[") depth++;
    else if (c === "]" && --depth === 0) break;
    else if (c === "\n" && s[k + 1] === "\n") return null;
  }
  if (k >= labelEnd || s[k + 1] !== "(") return null;
  let parens = 0;
  let j = k + 2;
  const urlEnd = Math.min(s.length, j + MAX_URL);
  for (; j < urlEnd; j++) {
    const c = s[j];
    if (c === "(") parens++;
    else if (c === ")") {
      if (parens === 0) break;
      parens--;
    } else if (c === "\n") return null;
  }
  if (j >= urlEnd) return null;
  const inner = s.slice(k + 2, j).trim();
  const url = /^<[^>]*>/.test(inner)
    ? inner.slice(1, inner.indexOf(">"))
    : inner.split(/[ \t]+/)[0] ?? "";
  return { label: s.slice(i + 1, k), url, end: j + 1 };
}

/**
 * Strong, emphasis or strikethrough starting at `i`, or null.
 * @param {string} s
 * @param {number} i
 * @param {number} depth
 * @param {Map<string, number>} noCloser where earlier searches found no closer: later ones need not look again
 * @returns {{node: Inline, end: number} | null}
 */
function matchEmphasis(s, i, depth, noCloser) {
  const c = s[i] ?? "";
  let run = 1;
  while (s[i + run] === c) run++;
  const prev = s[i - 1] ?? " ";
  const after = s[i + run] ?? " ";
  if (/\s/.test(after)) return null;
  // `snake_case_names` stay literal.
  if (c === "_" && /[\p{L}\p{N}]/u.test(prev)) return null;
  // The closing run must match the opening one: `**a**`, `*a*`, `***a***`, `~~a~~`.
  const n = c === "~" ? (run === 2 ? 2 : 0) : run <= 3 ? run : 0;
  if (n > 0) {
    const marker = c.repeat(n);
    let from = i + n;
    if (from >= (noCloser.get(marker) ?? Infinity)) return null;
    while (from < s.length) {
      const close = s.indexOf(marker, from);
      if (close === -1) {
        noCloser.set(marker, Math.min(noCloser.get(marker) ?? Infinity, i + n));
        break;
      }
      if (close === i + n) break;
      const before = s[close - 1] ?? " ";
      const next = s[close + n] ?? " ";
      const ok = !/\s/.test(before) && next !== c && s[close - 1] !== c &&
        !(c === "_" && /[\p{L}\p{N}]/u.test(next));
      if (ok) {
        const inner = s.slice(i + n, close);
        if (inner.includes("\n\n")) break;
        const children = parseInline(inner, depth + 1);
        /** @type {Inline} */
        let node;
        if (c === "~") node = { type: "del", children };
        else if (n === 3) node = { type: "strong", children: [{ type: "em", children }] };
        else node = { type: n === 2 ? "strong" : "em", children };
        return { node, end: close + n };
      }
      from = close + 1;
    }
  }
  return null;
}

/**
 * Drops trailing punctuation a sentence put after a URL, keeping balanced parens.
 * @param {string} url
 */
function trimUrl(url) {
  let u = url;
  while (/[.,;:!?*_~]$/.test(u)) u = u.slice(0, -1);
  while (u.endsWith(")") && count(u, "(") < count(u, ")")) u = u.slice(0, -1);
  return u;
}

/**
 * @param {string} s
 * @param {string} ch
 */
function count(s, ch) {
  let n = 0;
  for (const c of s) if (c === ch) n++;
  return n;
}

/**
 * The plain text of inline nodes, for previews and copy.
 * @param {Inline[]} nodes
 * @returns {string}
 */
export function inlineText(nodes) {
  return nodes.map((n) => {
    if (n.type === "text" || n.type === "code") return n.text;
    if (n.type === "br") return "\n";
    return inlineText(n.children);
  }).join("");
}
