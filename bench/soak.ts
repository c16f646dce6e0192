/**
 * `deno task soak`: a fault-injection run against a real daemon. Writers
 * append numbered lines (some in two halves) and every few seconds rotate,
 * truncate, rewrite in place (same length) or delete and re-create their
 * file; readers follow the streams, some walking away and resuming with
 * `Last-Event-ID` across the changes. At the end it reports, per reader, the
 * lines lost and repeated. Exits 1 if any were.
 *
 *   deno task soak                      # 90 s, 3 writers, 4 readers each
 *   deno task soak --seconds 300 --writers 5 --readers 6 --seed 7
 *   deno task soak --json               # the figures as JSON
 *   deno task soak --away-ms 45000      # readers away past the 30 s a tail lingers
 */
import { parseArgs } from "node:util";
import { FAULT_KINDS, SoakWriter } from "./soak/writer.ts";
import { SoakReader } from "./soak/reader.ts";
import { daemonUrl, spawnServe } from "./_daemon.ts";

const { values: flags } = parseArgs({
  args: Deno.args,
  options: {
    seconds: { type: "string", default: "90" },
    writers: { type: "string", default: "3" },
    readers: { type: "string", default: "4" },
    "every-ms": { type: "string", default: "60" },
    "fault-every-ms": { type: "string", default: "4000" },
    seed: { type: "string", default: "1" },
    "away-ms": { type: "string", default: "4000" },
    json: { type: "boolean", default: false },
  },
});
const seconds = Number(flags.seconds);
const writerCount = Number(flags.writers);
const readersPerWriter = Number(flags.readers);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** mulberry32: a seeded random, so a failing run can be replayed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = seeded(Number(flags.seed));

const dir = await Deno.makeTempDir({ prefix: "tailboard-soak-" });
const daemon = spawnServe(dir, { stderr: "inherit" });

try {
  const base = await daemonUrl(daemon.stdout);
  const writers = Array.from(
    { length: writerCount },
    (_, i) =>
      new SoakWriter(`w${i}`, `${dir}/w${i}.jsonl`, {
        everyMs: Number(flags["every-ms"]),
        faultEveryMs: Number(flags["fault-every-ms"]),
        settleMs: 700,
        random,
      }),
  );
  for (const w of writers) await w.start(20);
  const ids = await agentIds(base, writers.map((w) => w.path));

  const readers: { reader: SoakReader; writer: SoakWriter; roams: boolean }[] = [];
  for (const w of writers) {
    for (let r = 0; r < readersPerWriter; r++) {
      const roams = r % 2 === 1;
      const reader = new SoakReader(
        `${w.name}.r${r}`,
        `${base}api/agents/${ids.get(w.path)}/events`,
        {
          leaveChance: roams ? 0.3 : 0,
          awayMs: Number(flags["away-ms"]),
          random,
        },
      );
      readers.push({ reader, writer: w, roams });
    }
  }
  const reading = readers.map(({ reader }) => reader.run());
  await sleep(500);
  const started = Date.now();
  const writing = writers.map((w) => w.run());
  const health = probeHealth(base);
  const progress = setInterval(() => {
    const got = readers.reduce((n, { reader }) => n + reader.seqs.length, 0);
    const written = writers.reduce((n, w) => n + w.written.length, 0);
    console.error(
      `soak: ${
        Math.round((Date.now() - started) / 1000)
      } s, ${written} lines written, ${got} delivered`,
    );
  }, 5000);
  await sleep(seconds * 1000);
  clearInterval(progress);
  for (const w of writers) w.stop();
  console.error("soak: stopping the writers");
  await Promise.all(writing);
  console.error("soak: writers stopped; waiting for the readers to catch up");
  const finals = new Map(
    await Promise.all(writers.map(async (w) => [w, await w.finish()] as const)),
  );
  for (const { reader } of readers) reader.settle();
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (readers.every(({ reader, writer }) => reader.seqs.includes(finals.get(writer)!))) break;
    await sleep(100);
  }
  console.error("soak: stopping the readers");
  for (const { reader } of readers) reader.stop();
  await Promise.all(reading);
  health.stop();
  console.error("soak: counting");
  report(readers, writers, Date.now() - started, await health.done);
} catch (error) {
  console.error(error);
  Deno.exitCode = 2;
} finally {
  daemon.kill("SIGTERM");
  const killer = setTimeout(() => daemon.kill("SIGKILL"), 5000);
  await daemon.status;
  clearTimeout(killer);
  await Deno.remove(dir, { recursive: true });
}

interface Row {
  reader: string;
  roams: boolean;
  expected: number;
  received: number;
  lost: number;
  duplicated: number;
  reconnects: number;
  faultsWhileAway: number;
  markers: Record<string, number>;
  /** Lost and repeated lines by the fault nearest them (in the writer's line order). */
  byFault: Record<string, { lost: number; duplicated: number }>;
}

/** The kind of the writer's fault nearest to line `seq`, or "none". */
function nearestFault(writer: SoakWriter, seq: number): string {
  let best: { kind: string; distance: number } = { kind: "none", distance: Infinity };
  for (const f of writer.faults) {
    const distance = Math.abs(f.seq - seq);
    if (distance < best.distance) best = { kind: f.kind, distance };
  }
  return best.kind;
}

function report(
  readers: { reader: SoakReader; writer: SoakWriter; roams: boolean }[],
  writers: SoakWriter[],
  ms: number,
  healthMs: number[],
): void {
  const rows: Row[] = readers.map(({ reader, writer, roams }) => {
    const first = reader.seqs[0] ?? Infinity;
    const expected = writer.written.filter((s) => s >= first);
    const got = new Set(reader.seqs);
    const markers: Record<string, number> = {};
    for (const m of reader.markers) markers[m] = (markers[m] ?? 0) + 1;
    const byFault: Row["byFault"] = {};
    const count = (seq: number, what: "lost" | "duplicated") => {
      const kind = nearestFault(writer, seq);
      byFault[kind] ??= { lost: 0, duplicated: 0 };
      byFault[kind][what]++;
    };
    for (const s of expected) if (!got.has(s)) count(s, "lost");
    const seen = new Set<number>();
    for (const s of reader.seqs) {
      if (seen.has(s)) count(s, "duplicated");
      seen.add(s);
    }
    return {
      reader: reader.name,
      roams,
      expected: expected.length,
      received: reader.seqs.length,
      lost: expected.filter((s) => !got.has(s)).length,
      duplicated: reader.seqs.length - got.size,
      reconnects: reader.reconnects,
      faultsWhileAway: writer.faults.filter((f) =>
        reader.away.some((a) => a.from <= f.at && f.at <= a.to)
      ).length,
      markers,
      byFault,
    };
  });
  const faults: Record<string, number> = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0]));
  for (const w of writers) for (const f of w.faults) faults[f.kind]!++;
  // Per fault kind: how many, how many while some reader was away, and the
  // lines lost and repeated nearest them, across every reader.
  const byFault = Object.fromEntries(
    [...FAULT_KINDS, "none"].map((k) => [k, { faults: 0, whileAway: 0, lost: 0, duplicated: 0 }]),
  ) as Record<string, { faults: number; whileAway: number; lost: number; duplicated: number }>;
  for (const w of writers) {
    for (const f of w.faults) {
      byFault[f.kind]!.faults++;
      const away = readers.filter(({ writer, reader }) =>
        writer === w && reader.away.some((a) =>
          a.from <= f.at && f.at <= a.to
        )
      ).length;
      byFault[f.kind]!.whileAway += away;
    }
  }
  for (const r of rows) {
    for (const [kind, n] of Object.entries(r.byFault)) {
      byFault[kind]!.lost += n.lost;
      byFault[kind]!.duplicated += n.duplicated;
    }
  }
  const sorted = [...healthMs].sort((a, b) => a - b);
  const summary = {
    seconds: Math.round(ms / 1000),
    writers: writers.length,
    readers: rows.length,
    linesWritten: writers.reduce((n, w) => n + w.written.length, 0),
    deliveries: rows.reduce((n, r) => n + r.received, 0),
    faults,
    lost: rows.reduce((n, r) => n + r.lost, 0),
    duplicated: rows.reduce((n, r) => n + r.duplicated, 0),
    reconnects: rows.reduce((n, r) => n + r.reconnects, 0),
    faultsWhileAway: rows.reduce((n, r) => n + r.faultsWhileAway, 0),
    byFault,
    healthP99Ms: sorted[Math.floor(sorted.length * 0.99)] ?? null,
    healthMaxMs: sorted.at(-1) ?? null,
  };
  if (flags.json) {
    console.log(JSON.stringify({ summary, rows }, null, 2));
  } else {
    console.log(
      "reader      roams  expected  received  lost  dup  reconnects  faults-away  markers",
    );
    for (const r of rows) {
      console.log(
        [
          r.reader.padEnd(10),
          String(r.roams).padEnd(5),
          String(r.expected).padStart(8),
          String(r.received).padStart(9),
          String(r.lost).padStart(5),
          String(r.duplicated).padStart(4),
          String(r.reconnects).padStart(11),
          String(r.faultsWhileAway).padStart(12),
          " " + Object.entries(r.markers).map(([k, v]) => `${k}:${v}`).join(" "),
        ].join(" "),
      );
    }
    console.log("fault      count  while-a-reader-was-away  lost  dup");
    for (const [kind, f] of Object.entries(byFault)) {
      console.log(
        [
          kind.padEnd(10),
          String(f.faults).padStart(5),
          String(f.whileAway).padStart(24),
          String(f.lost).padStart(5),
          String(f.duplicated).padStart(4),
        ].join(" "),
      );
    }
    console.log(JSON.stringify(summary));
  }
  if (summary.lost > 0 || summary.duplicated > 0) Deno.exitCode = 1;
}

async function agentIds(base: string, paths: string[]): Promise<Map<string, string>> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const { agents } = await (await fetch(`${base}api/agents`)).json();
    const ids = new Map<string, string>();
    for (const a of agents as { id: string; path: string }[]) {
      if (paths.includes(a.path)) ids.set(a.path, a.id);
    }
    if (ids.size === paths.length) return ids;
    await sleep(100);
  }
  throw new Error("the daemon did not list the soak's files");
}

/** Times /api/health twice a second while the soak runs. */
function probeHealth(base: string): { stop(): void; done: Promise<number[]> } {
  let stopped = false;
  const times: number[] = [];
  const done = (async () => {
    while (!stopped) {
      const t0 = performance.now();
      await (await fetch(`${base}api/health`)).body?.cancel();
      times.push(performance.now() - t0);
      await sleep(500);
    }
    return times;
  })();
  return { stop: () => (stopped = true), done };
}
