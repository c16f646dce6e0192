/**
 * Line diffs for Edit / MultiEdit / Write cards. Pure.
 *
 * @typedef {{op: " " | "-" | "+", text: string, oldNo: number | null, newNo: number | null}} DiffLine
 * @typedef {{op: "gap", skipped: number}} DiffGap
 * @typedef {DiffLine | DiffGap} DiffRow
 */

/** Past this many edit steps the diff gives up and shows old removed, new added. */
const MAX_EDIT_DISTANCE = 2000;

/**
 * Diffs two texts line by line (Myers' O(ND) algorithm).
 * @param {string} oldText
 * @param {string} newText
 * @param {number} [firstLine] line number of the first line, when known
 * @returns {DiffLine[]}
 */
export function diffLines(oldText, newText, firstLine = 1) {
  const a = splitLines(oldText);
  const b = splitLines(newText);
  // Common prefix and suffix first: edits are usually small islands.
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (
    suf < a.length - pre && suf < b.length - pre &&
    a[a.length - 1 - suf] === b[b.length - 1 - suf]
  ) suf++;
  const midA = a.slice(pre, a.length - suf);
  const midB = b.slice(pre, b.length - suf);
  const ops = myers(midA, midB) ?? [
    ...midA.map(() => /** @type {"-"} */ ("-")),
    ...midB.map(() => /** @type {"+"} */ ("+")),
  ];
  /** @type {DiffLine[]} */
  const out = [];
  let oldNo = firstLine;
  let newNo = firstLine;
  for (let k = 0; k < pre; k++) {
    out.push({ op: " ", text: a[k] ?? "", oldNo: oldNo++, newNo: newNo++ });
  }
  let ia = 0;
  let ib = 0;
  for (const op of ops) {
    if (op === " ") {
      out.push({ op, text: midA[ia++] ?? "", oldNo: oldNo++, newNo: newNo++ });
      ib++;
    } else if (op === "-") out.push({ op, text: midA[ia++] ?? "", oldNo: oldNo++, newNo: null });
    else out.push({ op, text: midB[ib++] ?? "", oldNo: null, newNo: newNo++ });
  }
  for (let k = a.length - suf; k < a.length; k++) {
    out.push({ op: " ", text: a[k] ?? "", oldNo: oldNo++, newNo: newNo++ });
  }
  return out;
}

/**
 * @param {string[]} a
 * @param {string[]} b
 * @returns {(" " | "-" | "+")[] | null} null when the edit distance is too large
 */
function myers(a, b) {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, MAX_EDIT_DISTANCE);
  const offset = max + 1;
  /** @type {Int32Array[]} */
  const trace = [];
  const v = new Int32Array(2 * max + 3);
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && (v[offset + k - 1] ?? 0) < (v[offset + k + 1] ?? 0))
        ? (v[offset + k + 1] ?? 0)
        : (v[offset + k - 1] ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, offset, n, m, d);
    }
  }
  return null;
}

/**
 * @param {Int32Array[]} trace
 * @param {number} offset
 * @param {number} n
 * @param {number} m
 * @param {number} dEnd
 */
function backtrack(trace, offset, n, m, dEnd) {
  /** @type {(" " | "-" | "+")[]} */
  const ops = [];
  let x = n;
  let y = m;
  for (let d = dEnd; d > 0; d--) {
    const v = trace[d] ?? new Int32Array(0);
    const k = x - y;
    const prevK = k === -d || (k !== d && (v[offset + k - 1] ?? 0) < (v[offset + k + 1] ?? 0))
      ? k + 1
      : k - 1;
    const prevX = v[offset + prevK] ?? 0;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push(" ");
      x--;
      y--;
    }
    ops.push(x === prevX ? "+" : "-");
    x = prevX;
    y = prevY;
  }
  while (x > 0 && y > 0) {
    ops.push(" ");
    x--;
    y--;
  }
  return ops.reverse();
}

/**
 * Rows from the structured patch hunks Claude Code records for an Edit.
 * @param {{oldStart: number, oldLines?: number, newStart: number, newLines?: number, lines: string[]}[]} hunks
 * @returns {DiffRow[]}
 */
export function rowsFromPatch(hunks) {
  /** @type {DiffRow[]} */
  const rows = [];
  let lastOld = 0;
  for (const hunk of hunks) {
    if (rows.length > 0 && hunk.oldStart > lastOld) {
      rows.push({ op: "gap", skipped: hunk.oldStart - lastOld });
    }
    let oldNo = hunk.oldStart;
    let newNo = hunk.newStart;
    for (const line of hunk.lines) {
      const op = line[0];
      const text = line.slice(1);
      if (op === "-") rows.push({ op: "-", text, oldNo: oldNo++, newNo: null });
      else if (op === "+") rows.push({ op: "+", text, oldNo: null, newNo: newNo++ });
      else if (op === "\\") continue; // "\ No newline at end of file"
      else rows.push({ op: " ", text, oldNo: oldNo++, newNo: newNo++ });
    }
    lastOld = oldNo;
  }
  return rows;
}

/**
 * Folds long unchanged runs into gaps, keeping `context` lines around changes.
 * @param {DiffRow[]} rows
 * @param {number} [context]
 * @returns {DiffRow[]}
 */
export function foldContext(rows, context = 3) {
  /** @type {DiffRow[]} */
  const out = [];
  /** @type {DiffRow[]} */
  let run = [];
  const flushRun = (/** @type {boolean} */ atStart, /** @type {boolean} */ atEnd) => {
    const keepHead = atStart ? 0 : context;
    const keepTail = atEnd ? 0 : context;
    if (run.length > keepHead + keepTail + 1) {
      out.push(...run.slice(0, keepHead));
      out.push({ op: "gap", skipped: run.length - keepHead - keepTail });
      out.push(...run.slice(run.length - keepTail));
    } else out.push(...run);
    run = [];
  };
  let seenChange = false;
  for (const row of rows) {
    if (row.op === " ") run.push(row);
    else {
      flushRun(!seenChange, false);
      seenChange = true;
      out.push(row);
    }
  }
  flushRun(!seenChange, true);
  return seenChange ? out : rows;
}

/**
 * Counts added and removed lines.
 * @param {DiffRow[]} rows
 */
export function diffStat(rows) {
  let added = 0;
  let removed = 0;
  for (const r of rows) {
    if (r.op === "+") added++;
    else if (r.op === "-") removed++;
  }
  return { added, removed };
}

/** @param {string} text */
function splitLines(text) {
  if (text === "") return [];
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}
