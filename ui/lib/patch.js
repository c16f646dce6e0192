/**
 * Tool inputs and results that carry patches, as diff rows per file: Codex's
 * `apply_patch` envelope (`*** Begin Patch` … `*** End Patch`) and unified
 * diffs (`diff --git`, `---`/`+++` and numbered hunk headers) such as Copilot's edit
 * results. Pure.
 *
 * @typedef {import("./diff.js").DiffRow} DiffRow
 * @typedef {{path: string, op: "add" | "update" | "delete" | "move", to?: string, rows: DiffRow[]}} FilePatch
 */

/**
 * Parses an `apply_patch` envelope. Its hunks locate changes by context, not
 * by line numbers, so only added files get numbers (from 1).
 * @param {string} text
 * @returns {FilePatch[]}
 */
export function parseApplyPatch(text) {
  /** @type {FilePatch[]} */
  const files = [];
  /** @type {FilePatch | null} */
  let file = null;
  let addNo = 1;
  for (const line of text.split("\n")) {
    const header = /^\*\*\* (Add|Update|Delete) File: (.+)$/.exec(line);
    if (header) {
      const op = /** @type {"add" | "update" | "delete"} */ ((header[1] ?? "").toLowerCase());
      file = { path: (header[2] ?? "").trim(), op, rows: [] };
      files.push(file);
      addNo = 1;
      continue;
    }
    if (!file) continue;
    const move = /^\*\*\* Move to: (.+)$/.exec(line);
    if (move) {
      file.op = "move";
      file.to = (move[1] ?? "").trim();
      continue;
    }
    if (line.startsWith("*** ")) continue; // End Patch, End of File
    if (line.startsWith("@@")) {
      if (file.rows.length > 0) file.rows.push({ op: "gap", skipped: 0 });
      continue;
    }
    const op = line[0];
    const text = line.slice(1);
    if (op === "+") {
      file.rows.push({ op: "+", text, oldNo: null, newNo: file.op === "add" ? addNo++ : null });
    } else if (op === "-") file.rows.push({ op: "-", text, oldNo: null, newNo: null });
    else if (op === " ") file.rows.push({ op: " ", text, oldNo: null, newNo: null });
  }
  return files;
}

/**
 * Parses a unified diff, numbering old and new lines from its hunk headers.
 * @param {string} text
 * @returns {FilePatch[]}
 */
export function parseUnifiedDiff(text) {
  /** @type {FilePatch[]} */
  const files = [];
  /** @type {FilePatch | null} */
  let file = null;
  let oldNo = 0;
  let newNo = 0;
  let inHunk = false;
  /** @param {string} path */
  const start = (path) => {
    /** @type {FilePatch} */
    const created = { path, op: "update", rows: [] };
    file = created;
    files.push(created);
    inHunk = false;
    return created;
  };
  for (const line of text.split("\n")) {
    const git = /^diff --git a\/(.+?) b\/(.+)$/.exec(line);
    if (git) {
      start(git[2] ?? "");
      continue;
    }
    if (!inHunk && line.startsWith("--- ")) {
      const path = line.slice(4).replace(/^a\//, "").replace(/\t.*$/, "");
      const current = file ?? start(path === "/dev/null" ? "" : path);
      if (path === "/dev/null") current.op = "add";
      continue;
    }
    if (!inHunk && line.startsWith("+++ ")) {
      const path = line.slice(4).replace(/^b\//, "").replace(/\t.*$/, "");
      const current = file ?? start("");
      if (path === "/dev/null") current.op = "delete";
      else if (!current.path) current.path = path;
      continue;
    }
    const hunk = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line);
    if (hunk) {
      const current = file ?? start("");
      if (current.rows.length > 0) {
        const skipped = Number(hunk[1]) - oldNo;
        current.rows.push({ op: "gap", skipped: skipped > 0 ? skipped : 0 });
      }
      oldNo = Number(hunk[1]);
      newNo = Number(hunk[2]);
      inHunk = true;
      continue;
    }
    if (!file || !inHunk) continue;
    const rows = /** @type {FilePatch} */ (file).rows;
    const op = line[0];
    const text = line.slice(1);
    if (op === "+") rows.push({ op: "+", text, oldNo: null, newNo: newNo++ });
    else if (op === "-") rows.push({ op: "-", text, oldNo: oldNo++, newNo: null });
    else if (op === " ") rows.push({ op: " ", text, oldNo: oldNo++, newNo: newNo++ });
    else if (line.startsWith("diff ")) inHunk = false;
  }
  return files.filter((f) => f.path || f.rows.length > 0);
}
