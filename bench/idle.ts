/**
 * Idle CPU with many idle transcripts: N files last written a day ago, a
 * daemon watching them, nobody connected. Reads the daemon's CPU time from
 * /proc (Linux) over a window, after the first full listing has settled.
 * The target is at most 0.5 % of one core with 5,000 files. `--history`
 * runs it with the history index on (in a temp data folder), measured once
 * the index is ready.
 *
 *   deno run -A bench/idle.ts [--files 5000] [--seconds 30] [--history] [--json]
 */
import { parseArgs } from "node:util";
import { daemonUrl, spawnServe } from "./_daemon.ts";

const { values: flags } = parseArgs({
  args: Deno.args,
  options: {
    files: { type: "string", default: "5000" },
    seconds: { type: "string", default: "30" },
    json: { type: "boolean", default: false },
    history: { type: "boolean", default: false },
  },
});
const files = Number(flags.files);
const seconds = Number(flags.seconds);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const dir = await Deno.makeTempDir({ prefix: "tailboard-idle-" });
const dayAgo = new Date(Date.now() - 24 * 3600 * 1000);
for (let i = 0; i < files; i++) {
  // Spread over folders as projects are, 100 sessions each.
  const folder = `${dir}/p${Math.floor(i / 100)}`;
  if (i % 100 === 0) await Deno.mkdir(folder);
  const path = `${folder}/${crypto.randomUUID()}.jsonl`;
  await Deno.writeTextFile(
    path,
    JSON.stringify({ type: "user", message: { role: "user", content: `session ${i}` } }) + "\n",
  );
  await Deno.utime(path, dayAgo, dayAgo);
}

const dataDir = `${dir}-data`;
const daemon = spawnServe(dir, { history: flags.history ? dataDir : undefined });

/** User + system CPU seconds of a process, from /proc/<pid>/stat. */
function cpuSeconds(pid: number): number {
  const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // utime and stime are fields 14 and 15 (1-based), in clock ticks (100 per second on Linux).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

try {
  const base = await daemonUrl(daemon.stdout);
  const deadline = Date.now() + 120_000;
  let listed = 0;
  while (Date.now() < deadline) {
    listed = (await (await fetch(`${base}api/agents`)).json()).agents.length;
    if (listed >= files) break;
    await sleep(500);
  }
  while (flags.history && Date.now() < deadline + 600_000) {
    const status = await (await fetch(`${base}api/index/status`)).json();
    if (status.state !== "building") break;
    await sleep(1000);
  }
  // Let start-up work (titles, the first full scans) finish before measuring.
  await sleep(10_000);
  const cpu0 = cpuSeconds(daemon.pid);
  const t0 = performance.now();
  await sleep(seconds * 1000);
  const cpu = cpuSeconds(daemon.pid) - cpu0;
  const wall = (performance.now() - t0) / 1000;
  const result = {
    files,
    listed,
    history: flags.history,
    seconds: Math.round(wall),
    cpuSeconds: Math.round(cpu * 100) / 100,
    cpuPercent: Math.round((cpu / wall) * 10000) / 100,
    target: 0.5,
  };
  console.log(flags.json ? JSON.stringify(result) : result);
} finally {
  daemon.kill("SIGTERM");
  await daemon.status;
  await Deno.remove(dir, { recursive: true });
  await Deno.remove(dataDir, { recursive: true }).catch(() => {});
}
