/**
 * A daemon's first start over a folder of transcripts (100 MB by default),
 * with an empty data folder, so the history index reads everything while the
 * daemon serves: the peak RSS of the whole process (VmHWM, every thread), how
 * long until the index is ready, and how long `/api/health` takes meanwhile
 * (every request waits for the daemon's main thread: its lag, as a client
 * sees it). The newest events of the biggest file are opened at start, as a
 * browser would.
 *
 *   deno run --allow-all bench/history_start.ts                  # 100 MB: one 90 MB file, one 10 MB
 *   deno run --allow-all bench/history_start.ts --corpus DIR     # keep (and reuse) the files
 *   deno run --allow-all bench/history_start.ts --main PATH      # another tree's main.ts
 *   deno run --allow-all bench/history_start.ts --gen PATH       # gentranscript.mjs from elsewhere
 *
 * Linux only (reads /proc). Transcripts come from ../shared/bench/gentranscript.mjs (needs node).
 */
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { percentile } from "./targets.ts";

const args = parseArgs({
  args: Deno.args,
  options: {
    corpus: { type: "string" },
    main: { type: "string", default: fileURLToPath(new URL("../main.ts", import.meta.url)) },
    gen: {
      type: "string",
      default: fileURLToPath(new URL("../../shared/bench/gentranscript.mjs", import.meta.url)),
    },
    port: { type: "string", default: "18797" },
  },
});
const corpus = args.values.corpus ?? await Deno.makeTempDir({ prefix: "tailboard-hstart-" });
const dataDir = await Deno.makeTempDir({ prefix: "tailboard-hstart-data-" });
const base = `http://127.0.0.1:${args.values.port}`;
const FILES: [string, number][] = [["big.jsonl", 90], ["small.jsonl", 10]];

async function generate(): Promise<void> {
  await Deno.mkdir(corpus, { recursive: true });
  for (const [name, mb] of FILES) {
    const path = `${corpus}/${name}`;
    const have = await Deno.stat(path).catch(() => null);
    if (have && Math.abs(have.size / 1e6 - mb) < mb * 0.05) continue;
    console.log(`generating ${name} (${mb} MB) …`);
    const out = await new Deno.Command("node", {
      args: [args.values.gen, "--out", path, "--mb", String(mb), "--seed", String(mb)],
      stdout: "null",
    }).output();
    if (!out.success) throw new Error(`the generator failed for ${name}`);
  }
}

function status(pid: number, field: string): number | null {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(
      Deno.readTextFileSync(`/proc/${pid}/status`),
    );
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

async function json(path: string): Promise<Record<string, unknown> | null> {
  try {
    const res = await fetch(`${base}${path}`);
    return res.ok ? await res.json() : (await res.body?.cancel(), null);
  } catch {
    return null;
  }
}

await generate();
const daemon = new Deno.Command(Deno.execPath(), {
  args: [
    "run",
    "-A",
    args.values.main,
    "--port",
    args.values.port,
    "--no-default-sources",
    "--watch",
    corpus,
    "--data-dir",
    dataDir,
    "--log-level",
    "warn",
  ],
  stdin: "null",
  stdout: "null",
  stderr: "inherit",
}).spawn();
const t0 = performance.now();
try {
  let agents: { id: string; size: number }[] = [];
  for (let i = 0; i < 300 && agents.length < FILES.length; i++) {
    agents = ((await json("/api/agents"))?.agents as typeof agents | undefined) ?? [];
    if (agents.length < FILES.length) await new Promise((r) => setTimeout(r, 100));
  }
  if (agents.length < FILES.length) throw new Error("the daemon did not list the files");
  // Open the biggest file's newest events, as the page does, and read the first of them.
  const biggest = agents.reduce((a, b) => (b.size > a.size ? b : a));
  const stream = await fetch(`${base}/api/agents/${biggest.id}/events?tail=300`);
  const reader = stream.body!.getReader();
  await reader.read();

  const health: number[] = [];
  let ready = false;
  let readyMs = 0;
  let rssMax = 0;
  while (!ready && performance.now() - t0 < 600_000) {
    const t = performance.now();
    await (await fetch(`${base}/api/health`)).body?.cancel();
    health.push(performance.now() - t);
    rssMax = Math.max(rssMax, status(daemon.pid, "VmRSS") ?? 0);
    if (health.length % 10 === 0) {
      const s = await json("/api/index/status");
      if (s?.state === "ready") {
        ready = true;
        readyMs = performance.now() - t0;
      }
      if (s?.state === "off") throw new Error(`history is off: ${s.reason}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  await reader.cancel();
  // The index keeps a little work after ready (a last commit): let its peak show.
  await new Promise((r) => setTimeout(r, 2000));
  const hwm = status(daemon.pid, "VmHWM") ?? rssMax;
  const mb = (x: number) => `${(x / 2 ** 20).toFixed(0)} MiB`;
  console.log(`| measure | result |\n|---|---|`);
  console.log(`| main.ts | ${args.values.main} |`);
  console.log(`| start → index ready | ${(readyMs / 1000).toFixed(1)} s |`);
  console.log(`| peak RSS, whole process (VmHWM) | ${mb(hwm)} |`);
  console.log(
    `| GET /api/health while building | p50 ${percentile(health, 0.5).toFixed(1)} ms, p99 ${
      percentile(health, 0.99).toFixed(1)
    } ms, max ${percentile(health, 1).toFixed(1)} ms over ${health.length} |`,
  );
} finally {
  daemon.kill("SIGTERM");
  await daemon.status;
  await Deno.remove(dataDir, { recursive: true });
  if (args.values.corpus === undefined) await Deno.remove(corpus, { recursive: true });
}
