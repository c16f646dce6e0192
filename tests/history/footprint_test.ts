/**
 * The daemon's thread keeps the index's weight off it: the indexer, the
 * writer and what they load are the history worker's, loaded there only. A
 * static import from the daemon's side (history/index.ts reaching into
 * indexer.ts for an error class, say) would bring them back onto the main
 * thread, and with them the price catalogue (megabytes of heap).
 */

import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

const ROOT = new URL("../../", import.meta.url);

interface Module {
  specifier: string;
  dependencies?: { code?: { specifier: string }; isDynamic?: boolean }[];
}

/** Every module main.ts reaches through static imports (the worker is started by URL, not imported). */
async function staticGraph(entry: string): Promise<Set<string>> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", entry],
    cwd: fileURLToPath(ROOT),
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  const { modules } = JSON.parse(new TextDecoder().decode(out.stdout)) as { modules: Module[] };
  const bySpecifier = new Map(modules.map((m) => [m.specifier, m]));
  const seen = new Set<string>();
  const stack = [new URL(entry, ROOT).href];
  while (stack.length > 0) {
    const specifier = stack.pop()!;
    if (seen.has(specifier)) continue;
    seen.add(specifier);
    for (const dep of bySpecifier.get(specifier)?.dependencies ?? []) {
      if (dep.code && !dep.isDynamic) stack.push(dep.code.specifier);
    }
  }
  return seen;
}

const HEAVY = ["history/indexer.ts", "history/writer.ts", "history/store.ts"];

Deno.test("the daemon's thread does not load the indexer or its database code", async () => {
  const graph = await staticGraph("main.ts");
  const names = [...graph].map((s) => s.replace(ROOT.href, ""));
  assert.ok(names.includes("history/index.ts"), "the daemon does start the index");
  for (const heavy of HEAVY) {
    assert.ok(!names.includes(heavy), `${heavy} is on the daemon's thread`);
  }
  // The worker itself does load them: the test would pass vacuously if it named the wrong files.
  const worker = [...await staticGraph("history/worker.ts")].map((s) => s.replace(ROOT.href, ""));
  for (const heavy of HEAVY) assert.ok(worker.includes(heavy), `${heavy} is not in the worker`);
});
