import assert from "node:assert/strict";
import { locate, type Root } from "../../files/roots.ts";

const roots: Root[] = [
  { path: "/Users/ada/.claude/projects", kind: "claude-projects" },
  { path: "/Users/ada/notes", kind: "watch" },
  { path: "/Users/ada/notes/deep", kind: "watch" },
];
// ~/.claude is a link to /Volumes/data/claude.
const real = new Map([
  ["/Users/ada/.claude/projects", "/Volumes/data/claude/projects"],
  ["/Users/ada/notes", "/Users/ada/notes"],
]);

Deno.test("locate() places a path under its root in both spellings", async (t) => {
  await t.step("named under the resolved folder, as FSEvents names it", () => {
    assert.deepEqual(locate("/Volumes/data/claude/projects/-p/s.jsonl", roots, real), {
      root: roots[0],
      given: "/Users/ada/.claude/projects/-p/s.jsonl",
      resolved: "/Volumes/data/claude/projects/-p/s.jsonl",
    });
  });
  await t.step("named under the root as configured", () => {
    assert.deepEqual(locate("/Users/ada/.claude/projects/-p/s.jsonl", roots, real), {
      root: roots[0],
      given: "/Users/ada/.claude/projects/-p/s.jsonl",
      resolved: "/Volumes/data/claude/projects/-p/s.jsonl",
    });
  });
  await t.step("the root folder itself", () => {
    assert.equal(locate("/Volumes/data/claude/projects", roots, real)?.given, roots[0]!.path);
  });
  await t.step("the deepest root wins", () => {
    assert.equal(locate("/Users/ada/notes/deep/a.jsonl", roots, real)?.root, roots[2]);
  });
  await t.step("a root not resolved yet matches as configured", () => {
    assert.equal(locate("/Users/ada/notes/deep/x", roots, new Map())?.root, roots[2]);
  });
  await t.step("a sibling with the same prefix is not under the root", () => {
    assert.equal(locate("/Volumes/data/claude/projects-old/s.jsonl", roots, real), undefined);
    assert.equal(locate("/Users/ada/notesbook/a.jsonl", roots, real), undefined);
  });
});
