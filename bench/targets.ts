/**
 * The targets of the core issue that \`deno task bench\` judges tailboard
 * against, and the markdown summary of a run's results. Pure: results in,
 * text out.
 */

/** One target of the core issue, judged on the project's results. */
export interface Target {
  test: string;
  label: string;
  /** The figure compared, from one result row; null when the row lacks it. */
  value(row: Result): number | null;
  unit: string;
  limit: number;
  /** "max": value must be ≤ limit; "min": value must be ≥ limit. */
  bound: "max" | "min";
}

export type Result = Record<string, unknown> & { server: string; test: string; rep: number };

/** A finite number, or null. */
export function num(x: unknown): number | null {
  return typeof x === "number" && Number.isFinite(x) ? x : null;
}
/** Share of (stream, line) pairs delivered, 0 when a stream failed to connect. */
const allLines = (r: Result): number | null => {
  const delivered = num(r.delivered);
  if (delivered === null) return null;
  return num(r.connected) === num(r.streams) && num(r.failed) === 0 && num(r.dropped) === 0
    ? delivered
    : Math.min(delivered, 0.9999);
};

export const COLD = "flush100-cold";

export const TARGETS: Target[] = [
  {
    test: "latency",
    label: "append → SSE p99",
    value: (r) => num(r.p99_ms),
    unit: "ms",
    limit: 10,
    bound: "max",
  },
  {
    test: "latency",
    label: "append → SSE lines received (of 60)",
    value: (r) => num(r.received),
    unit: "",
    limit: 60,
    bound: "min",
  },
  {
    test: "flush100",
    label: "100 MB open: first event",
    value: (r) => num(r.first_event_ms),
    unit: "ms",
    limit: 100,
    bound: "max",
  },
  {
    test: "flush100",
    label: "100 MB open: newest line",
    value: (r) => (r.timed_out === true ? Infinity : num(r.last_line_ms)),
    unit: "ms",
    limit: 150,
    bound: "max",
  },
  {
    test: "flush100",
    label: "100 MB open: server peak RSS (VmHWM)",
    value: (r) => num(r.hwm_mb),
    unit: "MB",
    limit: 150,
    bound: "max",
  },
  {
    test: COLD,
    label: "100 MB open on a first start (history index cold): first event",
    value: (r) => num(r.first_event_ms),
    unit: "ms",
    limit: 100,
    bound: "max",
  },
  {
    test: COLD,
    label: "100 MB open on a first start (history index cold): newest line",
    value: (r) => (r.timed_out === true ? Infinity : num(r.last_line_ms)),
    unit: "ms",
    limit: 150,
    bound: "max",
  },
  {
    test: COLD,
    label: "100 MB open on a first start (history index cold): peak RSS (VmHWM)",
    value: (r) => num(r.hwm_mb),
    unit: "MB",
    limit: 150,
    bound: "max",
  },
  {
    test: "idle100",
    label: "100 idle streams: server CPU",
    value: (r) => num(r.cpu_pct),
    unit: "%",
    limit: 0.5,
    bound: "max",
  },
  {
    test: "fan500",
    label: "500 streams: p99",
    value: (r) => num(r.p99_ms),
    unit: "ms",
    limit: 60,
    bound: "max",
  },
  {
    test: "fan500",
    label: "500 streams: share of lines delivered (all connected)",
    value: allLines,
    unit: "",
    limit: 1,
    bound: "min",
  },
  {
    test: "fan2000",
    label: "2000 streams: share of lines delivered (all connected)",
    value: allLines,
    unit: "",
    limit: 1,
    bound: "min",
  },
  {
    test: "fan2000",
    label: "2000 streams: max",
    value: (r) => num(r.max_ms),
    unit: "ms",
    limit: 200,
    bound: "max",
  },
];

/** The markdown summary: tailboard's median per target, its worst rep, and the peers. */
export function summary(results: readonly Result[]): string {
  const rows = [
    "| target | limit | tailboard median [worst] | reps within | verdict | seed | limitref |",
    "|---|---|---|---|---|---|---|",
  ];
  let missed = 0;
  for (const t of TARGETS) {
    const of = (server: string) =>
      results.filter((r) => r.server === server && r.test === t.test).map(t.value)
        .filter((v): v is number => v !== null);
    const mine = of("project");
    const limit = `${t.bound === "max" ? "≤" : "≥"} ${fmt(t.limit)} ${t.unit}`.trim();
    if (mine.length === 0) {
      const ran = results.some((r) => r.test === t.test);
      rows.push(`| ${t.label} | ${limit} | – | – | ${ran ? "NO DATA" : "not run"} | – | – |`);
      continue;
    }
    const ok = (v: number) => (t.bound === "max" ? v <= t.limit : v >= t.limit);
    const worst = t.bound === "max" ? Math.max(...mine) : Math.min(...mine);
    const m = median(mine);
    const pass = ok(m);
    if (!pass) missed++;
    const within = mine.filter(ok).length;
    const peer = (s: string) => {
      const v = of(s);
      return v.length ? `${fmt(median(v))} ${t.unit}`.trim() : "–";
    };
    rows.push(
      `| ${t.label} | ${limit} | ${
        `${fmt(m)} [${fmt(worst)}] ${t.unit}`.trim()
      } | ${within}/${mine.length} | ${pass ? "ok" : "MISSED"} | ${peer("seed")} | ${
        peer("limitref")
      } |`,
    );
  }
  rows.push("", missed ? `${missed} target(s) missed (by median).` : "Every measured target met.");
  return rows.join("\n");
}

/** Nearest-rank percentile (p in 0..1); 0 for no values. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * p) - 1)] ?? 0;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function fmt(x: number): string {
  if (!Number.isFinite(x)) return "timed out";
  if (Number.isInteger(x)) return String(x);
  if (Math.abs(x) >= 100) return x.toFixed(0);
  if (Math.abs(x) >= 10) return x.toFixed(1);
  return x.toFixed(2).replace(/\.?0+$/, "") || "0";
}
