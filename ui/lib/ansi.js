/**
 * ANSI colours in plain logs: SGR escape sequences become styled spans as
 * plain data (`{text, class, style}`) that the view turns into `<span>`s, so
 * log text only ever reaches the DOM as text nodes, never as markup.
 *
 * Handles the 16 named colours (as classes, themed in jobs.css), the 256-colour
 * palette and truecolor (as inline colours), bold, dim, italic, underline,
 * inverse, hidden, strikethrough and every reset. Every other escape sequence
 * (cursor moves, erases, OSC titles and hyperlinks) and stray control
 * characters are dropped. A carriage return keeps what a terminal would show
 * last: the text after it. Pure, DOM-free.
 *
 * @typedef {{index: number} | {rgb: string}} AnsiColor a palette index 0–15, or `#rrggbb`
 * @typedef {object} AnsiState the SGR attributes in force
 * @property {AnsiColor | null} fg
 * @property {AnsiColor | null} bg
 * @property {boolean} bold
 * @property {boolean} dim
 * @property {boolean} italic
 * @property {boolean} underline
 * @property {boolean} inverse
 * @property {boolean} hidden
 * @property {boolean} strike
 * @typedef {{text: string, class?: string, style?: string}} AnsiSpan
 */

/** No attributes: what `ESC[0m` restores. Frozen, so it can be shared. */
export const PLAIN = Object.freeze(
  /** @type {AnsiState} */ ({
    fg: null,
    bg: null,
    bold: false,
    dim: false,
    italic: false,
    underline: false,
    inverse: false,
    hidden: false,
    strike: false,
  }),
);

/**
 * Escape sequences, as ECMA-48 shapes them: CSI (`ESC [` or the 8-bit
 * `\x9b`, parameters, intermediates, a final byte), OSC (`ESC ]` … BEL or
 * `ESC \`), the other string commands (DCS, SOS, PM, APC) and two-byte
 * escapes. A sequence cut off at the end of a line (the server clamps long
 * lines) is matched by the `$` alternatives and dropped too.
 */
const ESCAPE = new RegExp(
  [
    String.raw`(?:\x1b\[|\x9b)([0-?]*)[ -/]*([@-~]|$)`,
    String.raw`\x1b\][^\x07\x1b]*(?:\x07|\x1b\\|$)`,
    String.raw`\x1b[PX^_][^\x1b]*(?:\x1b\\|$)`,
    String.raw`\x1b[ -/]*[0-~]?`,
  ].join("|"),
  "g",
);

/** C0 and C1 controls a log line should not carry, except tab (and CR, handled apart). */
// deno-lint-ignore no-control-regex -- matching control characters is the point
const CONTROL = /[\x00-\x08\x0a-\x0c\x0e-\x1f\x7f-\x9f]/g;

/**
 * Splits one line of terminal output into styled spans.
 * @param {string} line
 * @param {AnsiState} [from] the attributes in force where the line starts (a
 *   colour set on one line and reset on a later one spans both)
 * @returns {{spans: AnsiSpan[], state: AnsiState}} the spans, and the
 *   attributes in force at the end of the line, for the next one
 */
export function parseAnsi(line, from = PLAIN) {
  /** @type {AnsiSpan[]} */
  let spans = [];
  let state = from;
  let at = 0;
  let overwrite = false;
  const push = (/** @type {string} */ raw) => {
    const parts = raw.split("\r");
    for (let k = 0; k < parts.length; k++) {
      // A carriage return goes back to the start: the next text replaces the line
      // (a terminal would keep the tail of a longer old line; logs rarely rely on that).
      if (k > 0) overwrite = true;
      const text = (parts[k] ?? "").replace(CONTROL, "");
      if (!text) continue;
      if (overwrite) {
        spans = [];
        overwrite = false;
      }
      const look = spanLook(state);
      const last = spans[spans.length - 1];
      if (last && last.class === look.class && last.style === look.style) last.text += text;
      else spans.push({ text, ...look });
    }
  };
  for (const m of line.matchAll(ESCAPE)) {
    push(line.slice(at, m.index));
    at = m.index + m[0].length;
    if (m[2] === "m") state = applySgr(state, m[1] ?? "");
  }
  push(line.slice(at));
  return { spans, state };
}

/**
 * The text of a line without any escape sequence or control character.
 * @param {string} line
 */
export function stripAnsi(line) {
  return parseAnsi(line).spans.map((s) => s.text).join("");
}

/**
 * Applies one SGR parameter string (`1;38;5;208`, `38:2::255:0:0`, ``) to `state`.
 * @param {AnsiState} state
 * @param {string} params
 * @returns {AnsiState} a new state (the argument is never changed)
 */
export function applySgr(state, params) {
  const next = { ...state };
  // Private-mode parameters (`<`, `=`, `>`, `?` first) are not SGR.
  if (/^[<=>?]/.test(params)) return state;
  const list = params === "" ? [""] : params.split(";");
  for (let i = 0; i < list.length; i++) {
    const param = /** @type {string} */ (list[i]);
    // Colon sub-parameters (ITU T.416): `38:5:n`, `38:2:[id]:r:g:b`, `4:3`.
    const sub = param.split(":");
    const code = sub[0] === "" ? 0 : Number(sub[0]);
    if (!Number.isInteger(code)) continue;
    if (code === 38 || code === 48 || code === 58) {
      let color = null;
      if (sub.length > 1) color = extendedColor(sub.slice(1).map(Number), true);
      else {
        const rest = list.slice(i + 1).map(Number);
        color = extendedColor(rest, false);
        i += color ? color.used : skipOf(rest);
      }
      if (color && code === 38) next.fg = color.color;
      if (color && code === 48) next.bg = color.color;
      // 58 is the underline colour: parsed so its numbers are not read as SGR codes.
      continue;
    }
    applyCode(next, code, sub);
  }
  return next;
}

/**
 * @param {AnsiState} s mutated
 * @param {number} code
 * @param {string[]} sub
 */
function applyCode(s, code, sub) {
  if (code === 0) Object.assign(s, PLAIN);
  else if (code === 1) s.bold = true;
  else if (code === 2) s.dim = true;
  else if (code === 3) s.italic = true;
  else if (code === 4) s.underline = sub[1] !== "0";
  else if (code === 5 || code === 6) return; // blink: never
  else if (code === 7) s.inverse = true;
  else if (code === 8) s.hidden = true;
  else if (code === 9) s.strike = true;
  else if (code === 21) s.underline = true; // double underline (or "not bold" on old terminals)
  else if (code === 22) s.bold = s.dim = false;
  else if (code === 23) s.italic = false;
  else if (code === 24) s.underline = false;
  else if (code === 27) s.inverse = false;
  else if (code === 28) s.hidden = false;
  else if (code === 29) s.strike = false;
  else if (code >= 30 && code <= 37) s.fg = { index: code - 30 };
  else if (code === 39) s.fg = null;
  else if (code >= 40 && code <= 47) s.bg = { index: code - 40 };
  else if (code === 49) s.bg = null;
  else if (code >= 90 && code <= 97) s.fg = { index: code - 90 + 8 };
  else if (code >= 100 && code <= 107) s.bg = { index: code - 100 + 8 };
}

/**
 * Reads `5;n` or `2;r;g;b` (after a 38 or 48). In the colon form a truecolor
 * may carry a colour-space id first (`2::r:g:b` or `2:id:r:g:b`).
 * @param {number[]} nums
 * @param {boolean} colon
 * @returns {{color: AnsiColor, used: number} | null}
 */
function extendedColor(nums, colon) {
  const kind = nums[0];
  if (kind === 5) {
    const n = nums[1];
    if (n === undefined || !Number.isInteger(n) || n < 0 || n > 255) return null;
    return { color: color256(n), used: 2 };
  }
  if (kind === 2) {
    let rgb = nums.slice(1, 4);
    if (colon && nums.length >= 5) rgb = nums.slice(2, 5);
    if (rgb.length < 3 || rgb.some((c) => !Number.isInteger(c) || c < 0 || c > 255)) return null;
    return { color: { rgb: hex(rgb) }, used: 4 };
  }
  return null;
}

/**
 * How many parameters a malformed extended colour swallows, so its numbers
 * are not taken as codes of their own (`38;5` alone, `38;2;300;0;0`).
 * @param {number[]} rest
 */
function skipOf(rest) {
  return rest[0] === 5 ? Math.min(2, rest.length) : rest[0] === 2 ? Math.min(4, rest.length) : 0;
}

/**
 * A 256-colour palette entry: 0–15 are the named colours, 16–231 the
 * 6×6×6 cube, 232–255 the grey ramp (xterm's values).
 * @param {number} n
 * @returns {AnsiColor}
 */
export function color256(n) {
  if (n < 16) return { index: n };
  if (n < 232) {
    const levels = [0, 95, 135, 175, 215, 255];
    const i = n - 16;
    return {
      rgb: hex([
        levels[Math.floor(i / 36)] ?? 0,
        levels[Math.floor(i / 6) % 6] ?? 0,
        levels[i % 6] ?? 0,
      ]),
    };
  }
  const grey = 8 + 10 * (n - 232);
  return { rgb: hex([grey, grey, grey]) };
}

/** @param {number[]} rgb */
function hex(rgb) {
  return "#" + rgb.map((c) => c.toString(16).padStart(2, "0")).join("");
}

/**
 * The class and inline style that show `state`. Named colours are classes
 * (`ansi-fg-1`), so the theme picks readable shades; the rest are inline.
 * @param {AnsiState} state
 * @returns {{class?: string, style?: string}}
 */
export function spanLook(state) {
  /** @type {string[]} */
  const classes = [];
  /** @type {string[]} */
  const style = [];
  let fg = state.fg;
  let bg = state.bg;
  let fgDefault = "";
  let bgDefault = "";
  if (state.inverse) {
    [fg, bg] = [bg, fg];
    // Inverse of the defaults: the page's text colour behind its background colour.
    if (!fg) fgDefault = "var(--ansi-inverse-fg, var(--bg))";
    if (!bg) bgDefault = "var(--ansi-inverse-bg, var(--text))";
  }
  if (fg && "index" in fg) classes.push(`ansi-fg-${fg.index}`);
  else if (fg) style.push(`color:${fg.rgb}`);
  else if (fgDefault) style.push(`color:${fgDefault}`);
  if (bg && "index" in bg) classes.push(`ansi-bg-${bg.index}`);
  else if (bg) style.push(`background-color:${bg.rgb}`);
  else if (bgDefault) style.push(`background-color:${bgDefault}`);
  if (state.bold) classes.push("ansi-bold");
  if (state.dim) classes.push("ansi-dim");
  if (state.italic) classes.push("ansi-italic");
  if (state.underline) classes.push("ansi-underline");
  if (state.strike) classes.push("ansi-strike");
  if (state.hidden) classes.push("ansi-hidden");
  /** @type {{class?: string, style?: string}} */
  const look = {};
  if (classes.length) look.class = classes.join(" ");
  if (style.length) look.style = style.join(";");
  return look;
}
