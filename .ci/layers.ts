/**
 * The layer rules of tailboard's folders, checked on the source text (part of
 * `deno task check`). Each broken rule prints the file, the import and the
 * rule, so a newcomer sees which arrow runs the wrong way:
 *
 * - `core/`, `transcript/`, `cost/` and `scheduler/parse/` are pure: they
 *   import only each other and npm libraries, and they type-check with a DOM + ESNext library
 *   and no Deno namespace, so any `Deno.*` call there fails to compile;
 * - nothing below `server/` imports `server/` or `cli/`, and `server/` does
 *   not import `cli/` (settings come from `core/settings.ts`);
 * - nothing imports `main.ts`, and only `main.ts` reads `Deno.args` and
 *   `Deno.env` (bench/ and .ci/ are programs of their own);
 * - `ui/` imports no server module: only its own files, its npm libraries,
 *   and types from `core/` (JSDoc `import("…")` or `import type`);
 * - no import cycles between top-level folders.
 *
 * Usage: `deno run --allow-read --allow-run --allow-write --allow-env .ci/layers.ts [ROOT]`
 */
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { importsOf, usesOf } from "./imports.ts";

/** One broken rule. */
export interface Violation {
  /** Repository-relative path of the offending file. */
  file: string;
  /** The import specifier (or the `Deno.*` use) that breaks the rule. */
  what: string;
  rule: string;
}

/** Folders whose code is pure: no I/O, no Deno namespace. */
export const PURE = ["core", "transcript", "cost", "scheduler/parse"];
/** Top-level folders allowed to import `server/` and `cli/`. */
const ABOVE_SERVER = new Set(["server", "cli", "main.ts", "tests", "bench", ".ci"]);
/** Programs of their own, which may read their arguments and environment. */
const OWN_PROGRAMS = new Set(["main.ts", "tests", "bench", ".ci"]);
const SKIP = new Set([".git", "node_modules", "test-artifacts", "dist", "fixtures"]);
const SOURCE = /\.(ts|js|mjs|tsx|jsx)$/;

/** A source file and its imports, resolved to repository-relative paths. */
interface Module {
  file: string;
  imports: { spec: string; target: string | null; typeOnly: boolean }[];
}

/** Every source file under `root`, with its imports. */
export async function readModules(root: string): Promise<Module[]> {
  const modules: Module[] = [];
  const walk = async (dir: string) => {
    for await (const entry of Deno.readDir(join(root, dir))) {
      const path = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory && !SKIP.has(entry.name)) await walk(path);
      else if (entry.isFile && SOURCE.test(entry.name)) {
        const text = await Deno.readTextFile(join(root, path));
        modules.push({
          file: path,
          imports: importsOf(text).map((i) => ({
            ...i,
            target: i.spec.startsWith(".")
              ? relative(root, resolve(root, dirname(path), i.spec)).replaceAll("\\", "/")
              : null,
          })),
        });
      }
    }
  };
  await walk("");
  return modules.sort((a, b) => a.file.localeCompare(b.file));
}

/** `scheduler/parse/x.ts` → `scheduler`; `main.ts` → `main.ts`. */
function topOf(file: string): string {
  return file.split("/")[0]!;
}

function isPure(file: string): boolean {
  return PURE.some((dir) => file.startsWith(`${dir}/`));
}

/** The import rules, from the source text alone. */
export function checkImports(modules: Module[]): Violation[] {
  const out: Violation[] = [];
  for (const { file, imports } of modules) {
    const top = topOf(file);
    for (const { spec, target, typeOnly } of imports) {
      const to = target === null ? null : topOf(target);
      const say = (rule: string) => out.push({ file, what: `import "${spec}"`, rule });
      if (target === "main.ts") say("nothing imports main.ts");
      const library = target === null && !/^(node|jsr|https?|file):/.test(spec);
      if (isPure(file) && !library && (target === null || !isPure(target))) {
        say(`${PURE.join("/, ")}/ are pure: they import only each other and npm libraries`);
      }
      if (!ABOVE_SERVER.has(top) && (to === "server" || to === "cli")) {
        say("nothing below server/ imports server/ or cli/");
      }
      if (top === "server" && to === "cli") {
        say("server/ does not import cli/ (settings come from core/settings.ts)");
      }
      if (top === "ui" && to !== "ui") {
        const typesFromCore = to === "core" && typeOnly;
        if (!typesFromCore && !library) {
          say("ui/ imports no server module; it shares types only through core/ (type-only)");
        }
      }
    }
  }
  return out.concat(checkCycles(modules));
}

/** Deno.args and Deno.env outside the programs' entry points. */
export async function checkProcessReads(root: string, modules: Module[]): Promise<Violation[]> {
  const out: Violation[] = [];
  for (const { file } of modules) {
    if (OWN_PROGRAMS.has(topOf(file))) continue;
    for (
      const use of usesOf(await Deno.readTextFile(join(root, file)), ["Deno.args", "Deno.env"])
    ) {
      out.push({
        file,
        what: use,
        rule: "only main.ts reads Deno.args and Deno.env: pass values down",
      });
    }
  }
  return out;
}

/** Import cycles between top-level folders, each with one import per arrow. */
export function checkCycles(modules: Module[]): Violation[] {
  /** from folder → to folder → the first import that makes the arrow */
  const edges = new Map<string, Map<string, { file: string; spec: string }>>();
  for (const { file, imports } of modules) {
    const from = topOf(file);
    for (const { spec, target } of imports) {
      if (target === null) continue;
      const to = topOf(target);
      if (to === from) continue;
      const out = edges.get(from) ?? new Map();
      if (!out.has(to)) out.set(to, { file, spec });
      edges.set(from, out);
    }
  }
  const violations: Violation[] = [];
  for (const component of stronglyConnected(edges)) {
    if (component.length < 2) continue;
    const cycle = cycleWithin(component, edges);
    const arrows = cycle.map((from, i) => {
      const to = cycle[(i + 1) % cycle.length]!;
      const why = edges.get(from)!.get(to)!;
      return { from, to, ...why };
    });
    const path = [...cycle, cycle[0]].join(" → ");
    for (const arrow of arrows) {
      violations.push({
        file: arrow.file,
        what: `import "${arrow.spec}"`,
        rule: `no import cycles between folders: ${path}`,
      });
    }
  }
  return violations;
}

/** Tarjan's algorithm: the folders that reach each other. */
function stronglyConnected(edges: Map<string, Map<string, unknown>>): string[][] {
  const nodes = new Set<string>(edges.keys());
  for (const out of edges.values()) for (const to of out.keys()) nodes.add(to);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const result: string[][] = [];
  let next = 0;
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      result.push(component.sort());
    }
  };
  for (const v of [...nodes].sort()) if (!index.has(v)) visit(v);
  return result;
}

/** One cycle through a strongly connected component (breadth-first, shortest from its first folder). */
function cycleWithin(component: string[], edges: Map<string, Map<string, unknown>>): string[] {
  const inside = new Set(component);
  const start = component[0]!;
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const v = queue.shift()!;
    for (const w of edges.get(v)?.keys() ?? []) {
      if (!inside.has(w)) continue;
      if (w === start) {
        const cycle = [v];
        while (cycle[0] !== start) cycle.unshift(previous.get(cycle[0]!)!);
        return cycle;
      }
      if (!previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return component;
}

/**
 * Type-checks the pure folders with a DOM + ESNext library only: the Deno
 * namespace does not exist there, so `Deno.readFile` and friends fail to
 * compile, naming the file and line.
 */
export async function checkPure(root: string): Promise<Violation[]> {
  const dirs = [];
  for (const dir of PURE) {
    try {
      if ((await Deno.stat(join(root, dir))).isDirectory) dirs.push(join(root, dir));
    } catch {
      // Not in this tree (a test's small tree): nothing to check there.
    }
  }
  if (!dirs.length) return [];
  const config = await Deno.makeTempFile({ prefix: "tailboard-pure-", suffix: ".json" });
  try {
    await Deno.writeTextFile(
      config,
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noUncheckedIndexedAccess: true,
          checkJs: true,
          lib: ["dom", "dom.iterable", "esnext"],
        },
        // The project's import map, so npm libraries resolve as in `deno check`.
        imports: await projectImports(root),
        lock: false,
      }),
    );
    const { success, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["check", "--quiet", "--config", config, ...dirs],
      cwd: root,
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (success) return [];
    const text = new TextDecoder().decode(stderr) + new TextDecoder().decode(stdout);
    return diagnostics(text, root);
  } finally {
    await Deno.remove(config).catch(() => {});
  }
}

/** deno.json's `imports`, or none. */
async function projectImports(root: string): Promise<Record<string, string>> {
  try {
    return JSON.parse(await Deno.readTextFile(join(root, "deno.json"))).imports ?? {};
  } catch {
    return {}; // No deno.json (a test's small tree): relative imports only.
  }
}

/**
 * `TS2304 [ERROR]: Cannot find name 'Deno'. … at file:///x/core/a.ts:3:1` →
 * one violation per pure file (its first error, and how many more). Errors in
 * files outside the pure folders only follow from a pure file's bad import,
 * which the import rules name already: they are counted, not listed.
 */
function diagnostics(text: string, root: string): Violation[] {
  const rule = `${PURE.join("/, ")}/ type-check with no Deno I/O (lib: dom, esnext)`;
  const byFile = new Map<string, { first: string; count: number }>();
  let elsewhere = 0;
  const found = /(TS\d+) \[ERROR\]: ([^\n]*)[\s\S]*?at (file:\/\/\S+?):(\d+):(\d+)/g;
  for (const m of text.matchAll(found)) {
    const file = relative(root, fileURLToPath(m[3]!)).replaceAll("\\", "/");
    if (!isPure(file)) {
      elsewhere++;
      continue;
    }
    const seen = byFile.get(file);
    if (seen) seen.count++;
    else byFile.set(file, { first: `${file}:${m[4]}\t${m[1]} ${m[2]}`, count: 1 });
  }
  const out: Violation[] = [...byFile.values()].map(({ first, count }) => {
    const [file, what] = first.split("\t") as [string, string];
    return { file, what: count > 1 ? `${what} (+${count - 1} more in this file)` : what, rule };
  });
  if (elsewhere) {
    out.push({
      file: "(files outside the pure folders)",
      what: `${elsewhere} type errors without the Deno namespace`,
      rule: `${rule}: a pure file imports them (see above)`,
    });
  }
  if (!out.length) out.push({ file: "(pure folders)", what: text.trim(), rule });
  return out;
}

/** All the rules over the tree at `root`. */
export async function checkLayers(root: string): Promise<Violation[]> {
  const modules = await readModules(root);
  return [
    ...checkImports(modules),
    ...await checkProcessReads(root, modules),
    ...await checkPure(root),
  ];
}

/** `file: import "x": rule`, one line per violation. */
export function formatViolation(v: Violation): string {
  return `${v.file}: ${v.what}\n    breaks: ${v.rule}`;
}

if (import.meta.main) {
  const root = resolve(Deno.args[0] ?? join(dirname(fileURLToPath(import.meta.url)), ".."));
  const violations = await checkLayers(root);
  if (violations.length) {
    console.error(`layers: ${violations.length} broken rule(s)`);
    for (const v of violations) console.error(formatViolation(v));
    Deno.exit(1);
  }
  console.log("layers: ok");
}
