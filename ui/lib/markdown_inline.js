/**
 * Inline Markdown for transcript text: code, strong, emphasis,
 * strikethrough, links, autolinks and bare URLs, as a plain tree of nodes.
 * Links keep only `http:`, `https:` and `mailto:` targets (`safeHref`).
 *
 * @typedef {{type: "text", text: string}
 *   | {type: "code", text: string}
 *   | {type: "strong" | "em" | "del", children: Inline[]}
 *   | {type: "link", href: string, children: Inline[]}
 *   | {type: "br"}} Inline
 */

/** How deep blocks and spans may nest before the rest is plain text. */
export const MAX_DEPTH = 12;
/** How far a link's label and target may reach: keeps `[[[[…` from going quadratic. */
const MAX_LABEL = 1000;
const MAX_URL = 2048;

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
