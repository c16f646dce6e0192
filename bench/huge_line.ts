/**
 * A huge line arriving while other streams are live: one writer appends a
 * single 66 MB line to one transcript while another keeps appending small
 * lines to a second; a client follows both. Measures how long /api/health
 * takes while the big line is read and parsed, and the longest gap between
 * the small stream's deliveries meanwhile. Targets: health within 100 ms,
 * the other stream keeps delivering. Then the line is read back (a page
 * of events before it, `/line` as one clamped event, a 4 MiB page of it)
 * while /api/health is timed again.
 *
 *   deno run -A bench/huge_line.ts [--mb 66] [--json]
 */
import { parseArgs } from "node:util";
import { daemonUrl, spawnServe } from "./_daemon.ts";

const { values: flags } = parseArgs({
  args: Deno.args,
  options: { mb: { type: "string", default: "66" }, json: { type: "boolean", default: false } },
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const line = (text: string) =>
  JSON.stringify({
    type: "assistant",
    message: { role: "assistant", content: [{ type: "text", text }] },
  }) + "\n";

const dir = await Deno.makeTempDir({ prefix: "tailboard-huge-" });
const big = `${dir}/big.jsonl`;
const small = `${dir}/small.jsonl`;
await Deno.writeTextFile(big, line("start"));
await Deno.writeTextFile(small, line("s0"));

const daemon = spawnServe(dir);

try {
  const base = await daemonUrl(daemon.stdout);
  const ids = await agentIds(base, [big, small]);
  const bigStream = follow(`${base}api/agents/${ids.get(big)}/events`);
  const smallStream = follow(`${base}api/agents/${ids.get(small)}/events`);
  await sleep(1000);
  // Built before anything is timed: making 66 MB of JSON blocks this process
  // for a while, which would read as a gap in the small stream.
  const bytes = new TextEncoder().encode(line("x".repeat(Number(flags.mb) * 1024 * 1024)));

  // The small writer: a line every 20 ms, throughout.
  let writing = true;
  const smallWriter = (async () => {
    for (let i = 1; writing; i++) {
      await Deno.writeTextFile(small, line(`s${i}`), { append: true });
      await sleep(20);
    }
  })();
  const arriving = probeHealth(base);
  await sleep(1000);
  const gapsFrom = smallStream.arrivals.length;
  const t0 = performance.now();
  await Deno.writeFile(big, bytes, { append: true });
  await Deno.writeTextFile(big, line("after"), { append: true });
  while (!bigStream.texts.includes("after") && performance.now() - t0 < 120_000) await sleep(20);
  const bigMs = performance.now() - t0;
  await sleep(500);
  const health = await arriving.stop();
  writing = false;
  await smallWriter;

  // Reading it back: each of these reads the 66 MB line from disk again.
  const cursor = bigStream.ids[bigStream.texts.indexOf("xxxxxxxxxxxxxxxxxxxx")];
  const afterCursor = bigStream.ids[bigStream.texts.indexOf("after")]?.split(".")[0];
  const readingBack = probeHealth(base);
  await sleep(300);
  const t1 = performance.now();
  const agent = `${base}api/agents/${ids.get(big)}`;
  const page = await (await fetch(`${agent}/events.json?before=${afterCursor}&limit=3`)).json();
  const one = await (await fetch(`${agent}/line?cursor=${cursor}`)).text();
  const raw = await (await fetch(`${agent}/line?cursor=${cursor}&offset=0&limit=4194304`)).json();
  const readBackMs = performance.now() - t1;
  await sleep(300);
  const backHealth = (await readingBack.stop()).sort((a, b) => a - b);
  if (page.events?.length !== 3 || !one.includes('"truncated":true') || raw.text?.length < 4e6) {
    throw new Error("reading the huge line back did not answer as expected");
  }
  const arrivals = smallStream.arrivals.slice(gapsFrom);
  let maxGap = 0;
  for (let i = 1; i < arrivals.length; i++) {
    maxGap = Math.max(maxGap, arrivals[i]! - arrivals[i - 1]!);
  }
  const sorted = [...health].sort((a, b) => a - b);
  const result = {
    lineMB: Number(flags.mb),
    bigLineDeliveredMs: Math.round(bigMs),
    healthProbes: health.length,
    healthP50Ms: round(sorted[Math.floor(sorted.length / 2)]),
    healthP99Ms: round(sorted[Math.floor(sorted.length * 0.99)]),
    healthMaxMs: round(sorted.at(-1)),
    smallStreamDeliveries: arrivals.length,
    smallStreamMaxGapMs: Math.round(maxGap),
    readBackMs: Math.round(readBackMs),
    readBackHealthP99Ms: round(backHealth[Math.floor(backHealth.length * 0.99)]),
    readBackHealthMaxMs: round(backHealth.at(-1)),
    targetHealthMs: 100,
  };
  console.log(flags.json ? JSON.stringify(result) : result);
  bigStream.abort.abort();
  smallStream.abort.abort();
} finally {
  daemon.kill("SIGTERM");
  await daemon.status;
  await Deno.remove(dir, { recursive: true });
}

/** Times /api/health every 10 ms until stopped. */
function probeHealth(base: string): { stop(): Promise<number[]> } {
  const times: number[] = [];
  let probing = true;
  const done = (async () => {
    while (probing) {
      const t0 = performance.now();
      await (await fetch(`${base}api/health`)).body?.cancel();
      times.push(performance.now() - t0);
      await sleep(10);
    }
  })();
  return {
    stop: async () => {
      probing = false;
      await done;
      return times;
    },
  };
}

function round(n: number | undefined): number | null {
  return n === undefined ? null : Math.round(n * 10) / 10;
}

/** Follows a stream, noting each event's text and when each arrived. */
function follow(url: string) {
  const abort = new AbortController();
  const texts: string[] = [];
  const ids: string[] = [];
  const arrivals: number[] = [];
  (async () => {
    const res = await fetch(url, { signal: abort.signal });
    const reader = res.body!.getReader();
    abort.signal.addEventListener("abort", () => reader.cancel().catch(() => {}));
    const decoder = new TextDecoder();
    let buf = "";
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += decoder.decode(value, { stream: true });
      let cut;
      while ((cut = buf.indexOf("\n\n")) !== -1) {
        const fields = buf.slice(0, cut).split("\n");
        const data = fields.find((l) => l.startsWith("data: "));
        const id = fields.find((l) => l.startsWith("id: "))?.slice(4) ?? "";
        buf = buf.slice(cut + 2);
        if (!data) continue;
        const event = JSON.parse(data.slice(6));
        texts.push(event.blocks?.[0]?.text?.slice(0, 20) ?? "");
        ids.push(id);
        arrivals.push(performance.now());
      }
    }
  })().catch(() => {});
  return { abort, texts, ids, arrivals };
}

async function agentIds(base: string, paths: string[]): Promise<Map<string, string>> {
  while (true) {
    const { agents } = await (await fetch(`${base}api/agents`)).json();
    const ids = new Map<string, string>();
    for (const a of agents as { id: string; path: string }[]) {
      if (paths.includes(a.path)) ids.set(a.path, a.id);
    }
    if (ids.size === paths.length) return ids;
    await sleep(100);
  }
}
