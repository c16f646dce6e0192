import assert from "node:assert/strict";
import { parseApplyPatch, parseUnifiedDiff } from "../../ui/lib/patch.js";

Deno.test("parseApplyPatch() reads every file of a Codex apply_patch envelope", () => {
  const files = parseApplyPatch([
    "*** Begin Patch",
    "*** Add File: myapp/hoge.py",
    "+print(1+1)",
    "+",
    "*** Update File: src/cart.ts",
    "@@ function total",
    " const a = 1;",
    "-  return x;",
    "+  return round(x);",
    "@@",
    "-old",
    "+new",
    "*** Delete File: old.txt",
    "*** Update File: a.ts",
    "*** Move to: b.ts",
    "*** End Patch",
  ].join("\n"));
  assert.deepEqual(files.map((f) => [f.path, f.op]), [
    ["myapp/hoge.py", "add"],
    ["src/cart.ts", "update"],
    ["old.txt", "delete"],
    ["a.ts", "move"],
  ]);
  assert.deepEqual(files[0]!.rows, [
    { op: "+", text: "print(1+1)", oldNo: null, newNo: 1 },
    { op: "+", text: "", oldNo: null, newNo: 2 },
  ]);
  assert.deepEqual(files[1]!.rows.map((r) => r.op), [" ", "-", "+", "gap", "-", "+"]);
  assert.equal(files[3]!.to, "b.ts");
});

Deno.test("parseUnifiedDiff() numbers old and new lines from the hunk headers", () => {
  const [file, ...rest] = parseUnifiedDiff([
    "",
    "diff --git a/home/ada/api/src/health.ts b/home/ada/api/src/health.ts",
    "index 0000000..0000000 100644",
    "--- a/home/ada/api/src/health.ts",
    "+++ b/home/ada/api/src/health.ts",
    "@@ -3,3 +3,3 @@",
    " export function health(req, res) {",
    "-  res.json({ ok: true });",
    "+  res.json({ ok: true, version: pkg.version });",
    " }",
    "@@ -20,2 +20,3 @@",
    " a",
    "+b",
    " c",
  ].join("\n"));
  assert.equal(rest.length, 0);
  assert.equal(file!.path, "home/ada/api/src/health.ts");
  assert.deepEqual(file!.rows.slice(0, 4), [
    { op: " ", text: "export function health(req, res) {", oldNo: 3, newNo: 3 },
    { op: "-", text: "  res.json({ ok: true });", oldNo: 4, newNo: null },
    { op: "+", text: "  res.json({ ok: true, version: pkg.version });", oldNo: null, newNo: 4 },
    { op: " ", text: "}", oldNo: 5, newNo: 5 },
  ]);
  assert.deepEqual(file!.rows[4], { op: "gap", skipped: 14 });
  assert.deepEqual(file!.rows[6], { op: "+", text: "b", oldNo: null, newNo: 21 });
});

Deno.test("parseUnifiedDiff() marks created files", () => {
  const [file] = parseUnifiedDiff("--- /dev/null\n+++ b/new.txt\n@@ -0,0 +1,2 @@\n+a\n+b\n");
  assert.equal(file!.path, "new.txt");
  assert.equal(file!.op, "add");
  assert.deepEqual(file!.rows.map((r) => r.op === "gap" ? "gap" : r.newNo), [1, 2]);
});
