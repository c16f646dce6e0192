/**
 * The layer rules script, fed small trees with one broken rule each: it must
 * fail, naming the file and the import.
 */
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { checkLayers, formatViolation, type Violation } from "../../.ci/layers.ts";
import { importsOf, usesOf } from "../../.ci/imports.ts";

/** A temp tree of `files` (path → text), removed when disposed. */
async function tree(files: Record<string, string>): Promise<AsyncDisposable & { root: string }> {
  const root = await Deno.makeTempDir({ prefix: "tailboard-layers-" });
  for (const [path, text] of Object.entries(files)) {
    await Deno.mkdir(join(root, dirname(path)), { recursive: true });
    await Deno.writeTextFile(join(root, path), text);
  }
  return {
    root,
    [Symbol.asyncDispose]: () => Deno.remove(root, { recursive: true }),
  };
}

/** A tree that keeps every rule; each test adds one file that breaks one. */
const GOOD = {
  "core/event.ts": "export interface Event { kind: string }\n",
  "transcript/parse.ts":
    'import type { Event } from "../core/event.ts";\nexport const parse = (t: string): Event => ({ kind: t });\n',
  "files/tail.ts":
    'import { parse } from "../transcript/parse.ts";\nexport const tail = () => parse(Deno.cwd());\n',
  "server/app.ts": 'import { tail } from "../files/tail.ts";\nexport const app = tail;\n',
  "cli/run.ts": 'import { app } from "../server/app.ts";\nexport const run = app;\n',
  "ui/view.js":
    '/** @typedef {import("../core/event.ts").Event} Event */\nimport { h } from "preact";\nexport const view = h;\n',
  "main.ts": 'import { run } from "./cli/run.ts";\nrun(Deno.args, Deno.env.toObject());\n',
};

function lines(violations: Violation[]): string {
  return violations.map(formatViolation).join("\n");
}

Deno.test("checkLayers() passes a tree that keeps every rule", async () => {
  await using t = await tree(GOOD);
  assert.deepEqual(await checkLayers(t.root), []);
});

Deno.test("checkLayers() names a transcript/ file that imports server/", async () => {
  await using t = await tree({
    ...GOOD,
    "transcript/parse.ts": 'import "../server/app.ts";\n' + GOOD["transcript/parse.ts"],
  });
  const found = lines(await checkLayers(t.root));
  assert.match(found, /transcript\/parse\.ts: import "\.\.\/server\/app\.ts"/);
  assert.match(found, /nothing below server\/ imports server\/ or cli\//);
  assert.match(found, /are pure: they import only each other/);
  assert.match(found, /no import cycles between folders/);
});

Deno.test("checkLayers() names a ui/ file that imports a server module", async (t) => {
  await t.step("a runtime import", async () => {
    await using t = await tree({
      ...GOOD,
      "ui/bad.js": 'import { app } from "../server/app.ts";\n',
    });
    const found = lines(await checkLayers(t.root));
    assert.match(found, /ui\/bad\.js: import "\.\.\/server\/app\.ts"/);
    assert.match(found, /ui\/ imports no server module/);
  });
  await t.step("a JSDoc type from outside core/", async () => {
    await using t = await tree({
      ...GOOD,
      "ui/bad.js": '/** @typedef {import("../files/tail.ts").X} X */\nexport {};\n',
    });
    assert.match(lines(await checkLayers(t.root)), /ui\/bad\.js: import "\.\.\/files\/tail\.ts"/);
  });
  await t.step("a runtime import from core/", async () => {
    await using t = await tree({ ...GOOD, "ui/bad.js": 'import { x } from "../core/event.ts";\n' });
    assert.match(lines(await checkLayers(t.root)), /ui\/bad\.js: import "\.\.\/core\/event\.ts"/);
  });
});

Deno.test("checkLayers() names a pure file that calls Deno", async () => {
  await using t = await tree({
    ...GOOD,
    "core/read.ts": "export const read = () => Deno.readTextFileSync('/etc/hosts');\n",
  });
  const found = await checkLayers(t.root);
  assert.equal(found.length, 1, lines(found));
  assert.match(found[0]!.file, /^core\/read\.ts:1$/);
  assert.match(found[0]!.what, /Deno/);
  assert.match(found[0]!.rule, /no Deno I\/O/);
});

Deno.test("checkLayers() names imports of main.ts, server/ → cli/, and env reads", async () => {
  await using t = await tree({
    ...GOOD,
    "cli/boot.ts": 'import "../main.ts";\n',
    "server/daemon.ts": 'import type { X } from "../cli/run.ts";\nexport type Y = X;\n',
    "files/roots.ts": 'export const home = Deno.env.get("HOME");\n',
  });
  const found = lines(await checkLayers(t.root));
  assert.match(
    found,
    /cli\/boot\.ts: import "\.\.\/main\.ts"\n {4}breaks: nothing imports main\.ts/,
  );
  assert.match(found, /server\/daemon\.ts: import "\.\.\/cli\/run\.ts"\n {4}breaks: server\/ does/);
  assert.match(found, /files\/roots\.ts: Deno\.env\n {4}breaks: only main\.ts reads/);
});

Deno.test("checkLayers() names every arrow of a cycle between folders", async () => {
  await using t = await tree({
    ...GOOD,
    "core/back.ts": 'import { tail } from "../files/tail.ts";\nexport const back = tail;\n',
  });
  const found = (await checkLayers(t.root)).filter((v) => v.rule.includes("cycles"));
  assert.deepEqual(found.map((v) => v.file).sort(), [
    "core/back.ts",
    "files/tail.ts",
    "transcript/parse.ts",
  ]);
  assert.match(found[0]!.rule, /core → files → transcript → core/);
});

Deno.test("importsOf() reads code, not strings, and JSDoc types as type-only", () => {
  const source = [
    'import { a } from "./a.ts";',
    'import type { B } from "./b.ts";',
    'export { c } from "./c.ts";',
    'export type { D } from "./d.ts";',
    'import "./e.ts";',
    'import f from "./f.css" with { type: "text" };',
    'const g = await import("./g.ts");',
    '/** @typedef {import("./h.ts").H} H */',
    '// import { x } from "./commented.ts";',
    "const fixture = 'import \"./in_a_string.ts\"';",
    'const template = `import { y } from "./in_a_template.ts" ${fixture}`;',
    'const quote = /"/g; import { i } from "./after_a_regex.ts";',
  ].join("\n");
  assert.deepEqual(importsOf(source), [
    { spec: "./a.ts", typeOnly: false },
    { spec: "./b.ts", typeOnly: true },
    { spec: "./c.ts", typeOnly: false },
    { spec: "./d.ts", typeOnly: true },
    { spec: "./f.css", typeOnly: false },
    { spec: "./after_a_regex.ts", typeOnly: false },
    { spec: "./e.ts", typeOnly: false },
    { spec: "./g.ts", typeOnly: false },
    { spec: "./h.ts", typeOnly: true },
  ]);
});

Deno.test("usesOf() finds Deno.env in code, not in comments or strings", () => {
  assert.deepEqual(usesOf('// Deno.env\nconst s = "Deno.args";', ["Deno.env", "Deno.args"]), []);
  assert.deepEqual(usesOf("const h = Deno.env.get('HOME');", ["Deno.env", "Deno.args"]), [
    "Deno.env",
  ]);
});
