/**
 * How fast the pure parts are on inputs chosen to hurt them. These were
 * wall-clock asserts in the unit tests, where a loaded machine made them
 * flaky; the tests keep what the functions return, the speed is judged here.
 *
 *   deno run bench/pure.ts [--reps 5] [--json]
 *
 * Targets: a 50,000-item feed layout rebuilds in ≤ 20 ms; a 3,000-line
 * rewrite diffs (by giving up on the alignment) in ≤ 3 s; hostile markdown
 * parses in ≤ 2 s; a 20 MB line parses and clamps in ≤ 5 s. Each figure is
 * the best of `--reps` runs, so other load on the machine counts least.
 */
import { parseArgs } from "node:util";
import { clampEvent } from "../transcript/clamp.ts";
import { parseLine } from "../transcript/line.ts";
import { diffLines } from "../ui/lib/diff.js";
import { parseMarkdown } from "../ui/lib/markdown.js";
import { Layout } from "../ui/feed/window.js";

const { values: flags } = parseArgs({
  args: Deno.args,
  options: { reps: { type: "string", default: "5" }, json: { type: "boolean", default: false } },
});
const reps = Math.max(1, Number(flags.reps) || 5);

/** The best of `reps` timings of `fn`, in ms. */
function best(fn: () => void): number {
  let min = Infinity;
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    fn();
    min = Math.min(min, performance.now() - t);
  }
  return min;
}

const items = Array.from({ length: 50_000 }, (_, i) => ({ h: 20 + (i % 7) }));
const layout = new Layout((i: { h: number }) => i.h);
const a = Array.from({ length: 3000 }, (_, i) => `a${i}`).join("\n");
const b = Array.from({ length: 3000 }, (_, i) => `b${i}`).join("\n");
const hostile = "*a ".repeat(5000) + "[".repeat(5000) + "`".repeat(3000) + "_b".repeat(5000);
const huge = "L".repeat(10_000_000);
const hugeLine = JSON.stringify({
  type: "user",
  uuid: "big",
  message: {
    role: "user",
    content: [{ type: "tool_result", tool_use_id: "toolu_big", content: huge }],
  },
  toolUseResult: { stdout: huge, stderr: "", interrupted: false },
});

const results = [
  {
    name: "Layout.rebuild, 50,000 items",
    ms: best(() => layout.rebuild(items)),
    target: 20,
  },
  { name: "diffLines, 3,000-line rewrite", ms: best(() => diffLines(a, b)), target: 3000 },
  { name: "parseMarkdown, hostile input", ms: best(() => parseMarkdown(hostile)), target: 2000 },
  {
    name: "parseLine + clampEvent, 20 MB line",
    ms: best(() => clampEvent(parseLine(hugeLine).event)),
    target: 5000,
  },
];

if (flags.json) console.log(JSON.stringify(results));
else {
  for (const r of results) {
    const verdict = r.ms <= r.target ? "ok" : "OVER";
    console.log(
      `${r.name.padEnd(38)} ${r.ms.toFixed(1).padStart(8)} ms  (≤ ${r.target})  ${verdict}`,
    );
  }
}
