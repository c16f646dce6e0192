/**
 * Edits as diffs: Claude's Edit/MultiEdit/Write, Copilot's and Gemini's edit
 * tools, and Codex's `apply_patch` (one diff per file). Old and new line
 * numbers sit in their own gutters. An edit whose result is an error was not
 * applied, and says so above its diff.
 *
 * @typedef {import("../feed/model.js").Item} Item
 * @typedef {import("./parts.js").CardContext} CardContext
 * @typedef {import("../lib/diff.js").DiffRow} DiffRow
 * @typedef {import("../lib/patch.js").FilePatch} FilePatch
 */
import { html } from "../lib/html.js";
import { diffLines, diffStat, foldContext, rowsFromPatch } from "../lib/diff.js";
import { parseApplyPatch, parseUnifiedDiff } from "../lib/patch.js";
import { DIFF_PREVIEW_ROWS, MAX_OUTPUT_LINES, Output, resultText } from "./parts.js";

/**
 * The per-file patches a call carries, if it is a patch tool or its result
 * is a unified diff (Copilot): null otherwise.
 * @param {Item} item
 * @returns {FilePatch[] | null}
 */
export function patchesOf(item) {
  const b = item.block ?? {};
  if (String(b.name).toLowerCase() === "apply_patch") {
    const text = typeof b.input?.input === "string"
      ? b.input.input
      : typeof b.input?.patch === "string"
      ? b.input.patch
      : "";
    return text ? parseApplyPatch(text) : null;
  }
  const r = item.result?.event?.result;
  if (r?.type === "diff" && typeof r.diff === "string") {
    const files = parseUnifiedDiff(r.diff);
    return files.some((f) => f.rows.length > 0) ? files : null;
  }
  return null;
}

/**
 * @param {{item: Item, edits: {oldText: string, newText: string}[], expanded: boolean, toggle: () => void,
 *   ctx: CardContext}} props
 */
export function EditBody({ item, edits, expanded, toggle }) {
  const r = item.result?.event?.result;
  /** @type {DiffRow[]} */
  let rows;
  if (r?.type === "edit" && Array.isArray(r.patch) && r.patch.length > 0) {
    rows = rowsFromPatch(r.patch);
  } else {
    rows = [];
    for (const [k, e] of edits.entries()) {
      if (k > 0) rows.push({ op: "gap", skipped: 0 });
      rows.push(...foldContext(diffLines(e.oldText, e.newText)));
    }
  }
  return html`
    <div class="card-body">
      <${Failed} item=${item} expanded=${expanded} toggle=${toggle} />
      <${Diff} rows=${rows} expanded=${expanded} toggle=${toggle} failed=${failedEdit(item)} />
    </div>
  `;
}

/** @param {{item: Item, patches: FilePatch[], expanded: boolean, toggle: () => void}} props */
export function PatchBody({ item, patches, expanded, toggle }) {
  const failed = failedEdit(item);
  return html`<div class="card-body">
    <${Failed} item=${item} expanded=${expanded} toggle=${toggle} />
    ${
    patches.map((file, k) =>
      html`<div key=${k} class="patch-file">
        <div class="patch-path"><span class=${`chip op-${file.op}`}>${OP_WORDS[file.op]}</span>
          <code>${file.path}</code>${
        file.to && html`
          → <code>${file.to}</code>
        `
      }</div>
        ${
        file.rows.length > 0 &&
        html`<${Diff} rows=${file.rows} expanded=${expanded} toggle=${toggle} failed=${failed} />`
      }
      </div>`
    )
  }
  </div>`;
}

const OP_WORDS = { add: "added", update: "updated", delete: "deleted", move: "moved" };

/** An edit with an error result was not applied. @param {Item} item */
function failedEdit(item) {
  return !!item.result?.block?.isError;
}

/** @param {{item: Item, expanded: boolean, toggle: () => void}} props */
function Failed({ item, expanded, toggle }) {
  if (!failedEdit(item) || !item.result) return null;
  const text = resultText(item.result);
  return html`<div class="edit-failed" role="note">
    <strong>Edit failed: not applied.</strong>
    ${
    text.trim() &&
    html`
      <${Output} text=${text} expanded=${expanded} onToggle=${toggle} error=${true}
        max=${3} />
    `
  }
  </div>`;
}

/** @param {{rows: DiffRow[], expanded: boolean, toggle: () => void, failed?: boolean}} props */
function Diff({ rows, expanded, toggle, failed = false }) {
  const { added, removed } = diffStat(rows);
  const shown = expanded ? rows.slice(0, MAX_OUTPUT_LINES) : rows.slice(0, DIFF_PREVIEW_ROWS);
  const label = `${failed ? "Diff not applied" : "Diff"}: ${added} added, ${removed} removed`;
  return html`
    <div class=${`diff ${failed ? "not-applied" : ""}`} role="table" aria-label=${label}>
      ${shown.map((row, k) => diffRow(row, k))}
    </div>
    <div class="diff-foot">
      <span class="stat"><span class="add">+${added}</span> <span class="del">−${removed}</span></span>
      ${rows.length > DIFF_PREVIEW_ROWS &&
        html`
          <button type="button" class="more" onClick=${toggle}
            aria-expanded=${expanded}>${expanded
              ? "show less"
              : `show all ${rows.length} lines`}</button>
        `}
    </div>
  `;
}

/**
 * One diff row: the old line number, the new one, the sign, the text.
 * @param {DiffRow} row
 * @param {number} k
 */
function diffRow(row, k) {
  if (row.op === "gap") {
    return html`<div key=${k} class="dl gap" role="row"><span role="cell">${
      row.skipped > 0 ? `⋯ ${row.skipped} unchanged line${row.skipped === 1 ? "" : "s"}` : "⋯"
    }</span></div>`;
  }
  const cls = row.op === "+" ? "add" : row.op === "-" ? "del" : "ctx";
  return html`<div key=${k} class=${`dl ${cls}`} role="row">
    <span class="ln old" role="cell" aria-label="old line">${row.oldNo ?? ""}</span><span
      class="ln new" role="cell" aria-label="new line">${row.newNo ?? ""}</span><span class="sign"
      role="cell" aria-label=${row.op === "+" ? "added" : row.op === "-" ? "removed" : undefined}>${
    row.op === " " ? "" : row.op === "-" ? "−" : "+"
  }</span><span class="tx" role="cell">${row.text}</span>
  </div>`;
}
