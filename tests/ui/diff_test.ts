import assert from "node:assert/strict";
import { diffLines, diffStat, foldContext, rowsFromPatch } from "../../ui/lib/diff.js";

const ops = (rows: { op: string; text?: string }[]) => rows.map((r) => `${r.op}${r.text ?? ""}`);

Deno.test("diffLines() marks changed lines between shared ones", () => {
  const rows = diffLines("a\nb\nc\nd\n", "a\nB\nc\nd\ne\n");
  assert.deepEqual(ops(rows), [" a", "-b", "+B", " c", " d", "+e"]);
  assert.deepEqual(rows.map((r) => [r.oldNo, r.newNo]), [[1, 1], [2, null], [null, 2], [3, 3], [
    4,
    4,
  ], [null, 5]]);
});

Deno.test("diffLines() handles empty sides and numbers from firstLine", () => {
  assert.deepEqual(ops(diffLines("", "x\ny")), ["+x", "+y"]);
  assert.deepEqual(ops(diffLines("x\ny", "")), ["-x", "-y"]);
  assert.equal(diffLines("a", "b", 40)[0]?.oldNo, 40);
});

Deno.test("diffLines() finds a minimal diff in the middle of a large file", () => {
  const base = Array.from({ length: 3000 }, (_, i) => `line ${i}`);
  const changed = base.slice();
  changed.splice(1500, 1, "changed", "added");
  const rows = diffLines(base.join("\n"), changed.join("\n"));
  assert.deepEqual(diffStat(rows), { added: 2, removed: 1 });
});

Deno.test("diffLines() gives up gracefully on huge rewrites", () => {
  const a = Array.from({ length: 3000 }, (_, i) => `a${i}`).join("\n");
  const b = Array.from({ length: 3000 }, (_, i) => `b${i}`).join("\n");
  // How fast is bench/pure.ts's to judge.
  const rows = diffLines(a, b);
  assert.deepEqual(diffStat(rows), { added: 3000, removed: 3000 });
});

Deno.test("foldContext() keeps three lines around changes", () => {
  const a = Array.from({ length: 20 }, (_, i) => `l${i}`);
  const b = a.slice();
  b[10] = "X";
  const folded = foldContext(diffLines(a.join("\n"), b.join("\n")));
  assert.deepEqual(ops(folded).map((s) => s.replace(/^gap.*/, "gap")), [
    "gap",
    " l7",
    " l8",
    " l9",
    "-l10",
    "+X",
    " l11",
    " l12",
    " l13",
    "gap",
  ]);
  assert.deepEqual(folded[0], { op: "gap", skipped: 7 });
});

Deno.test("rowsFromPatch() numbers lines from Claude Code's structured patch", () => {
  const rows = rowsFromPatch([
    { oldStart: 3, oldLines: 2, newStart: 3, newLines: 2, lines: [" keep", "-old", "+new"] },
    {
      oldStart: 10,
      oldLines: 1,
      newStart: 10,
      newLines: 1,
      lines: ["-x", "+y", "\\ No newline at end of file"],
    },
  ]);
  assert.deepEqual(rows, [
    { op: " ", text: "keep", oldNo: 3, newNo: 3 },
    { op: "-", text: "old", oldNo: 4, newNo: null },
    { op: "+", text: "new", oldNo: null, newNo: 4 },
    { op: "gap", skipped: 5 },
    { op: "-", text: "x", oldNo: 10, newNo: null },
    { op: "+", text: "y", oldNo: null, newNo: 10 },
  ]);
});
