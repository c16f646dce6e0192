/**
 * `deno task bench`: measures tailboard side by side with the seed's Flask
 * dashboard and the limitref inotify tail, through the shared harness
 * (`../shared/bench/run-baseline.sh`), then prints its table and how
 * tailboard stands against the targets of the core issue.
 *
 *   deno task bench                 # REPS=3, every test (about 10+ minutes)
 *   deno task bench --quick         # REPS=1, latency flush100 idle100 fan500
 *   deno task bench --out DIR       # keep results in DIR (default /tmp/tailboard-bench-<time>)
 *   deno task bench --in-place      # run the working tree itself, not a snapshot of it
 *   REPS=5 TESTS="latency fan2000" deno task bench   # the harness's own knobs win
 *
 * The daemon runs from a copy of the working tree taken at the start (OUTDIR/src),
 * so every server start in one run measures the same code even while others
 * keep editing the checkout.
 *
 * Needs node, bash, curl and ss; python3 with Flask for the seed column (this
 * installs Flask when it can, and measures the other two when it cannot).
 */
import { parseArgs } from "node:util";
import { fileURLToPath as fromFileUrl } from "node:url";
import { COLD, type Result, summary } from "./targets.ts";

const SHARED_BENCH = fromFileUrl(new URL("../../shared/bench/", import.meta.url));
const SEED_DIR = fromFileUrl(new URL("../../shared/peers/seed-flask/", import.meta.url));
const REPO = fromFileUrl(new URL("../", import.meta.url)).replace(/\/$/, "");
const QUICK_TESTS = "latency flush100 idle100 fan500";
/** Not 8787: a developer's own `deno task start` is likely listening there. */
const DEFAULT_PROJECT_PORT = "18787";
/** The ports run-baseline.sh gives the seed and limitref (fixed in the script). */
const PEER_PORTS = { seed: 5055, limitref: 5056 } as const;

async function main(): Promise<void> {
  const flags = parseArgs({
    args: Deno.args,
    options: {
      quick: { type: "boolean" },
      "in-place": { type: "boolean" },
      out: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (flags.values.help) {
    console.log(
      "usage: deno task bench [--quick] [--out DIR] [--in-place]   (env: REPS, TESTS, SERVERS, PROJECT_PORT, DATA)",
    );
    return;
  }
  const quick = flags.values.quick ?? false;
  const reps = Deno.env.get("REPS") ?? (quick ? "1" : "3");
  const tests = Deno.env.get("TESTS") ?? (quick ? QUICK_TESTS : undefined);
  const out = flags.values.out ?? `/tmp/tailboard-bench-${stamp()}`;
  const projectPort = Deno.env.get("PROJECT_PORT") ?? DEFAULT_PROJECT_PORT;

  console.log("## preflight");
  for (const tool of ["bash", "node", "curl", "ss", "awk", "ps", "setsid"]) {
    if (!(await has(tool))) fatal(`'${tool}' is not on PATH; run-baseline.sh needs it`);
  }
  const seedOk = await ensureFlask();
  const { entry, help } = await projectEntry(flags.values["in-place"] ? null : `${out}/src`);
  await ensureFreePorts([
    ...(seedOk ? [PEER_PORTS.seed] : []),
    PEER_PORTS.limitref,
    Number(projectPort),
  ]);
  const servers = Deno.env.get("SERVERS") ??
    (seedOk ? "seed limitref project" : "limitref project");

  const projectCmd =
    `deno run -A ${entry} --port "$PORT" --no-default-sources --watch "$AGENT_DIR" --log-level warn`;
  const env: Record<string, string> = {
    PROJECT_CMD: projectCmd,
    PROJECT_EXT: "jsonl",
    PROJECT_PORT: projectPort,
    REPS: reps,
    SERVERS: servers,
  };
  if (tests) env.TESTS = tests;
  const isolated = await isolation(help, out);
  Object.assign(env, isolated);
  console.log(`servers: ${servers}; REPS=${reps}; TESTS=${tests ?? "(all)"}; results in ${out}`);
  console.log(`project: ${projectCmd}`);
  console.log("\n## run-baseline.sh");
  const load = watchLoad();
  const harness = new Deno.Command("bash", {
    args: [`${SHARED_BENCH}run-baseline.sh`, out],
    // Cleared, so a TAILBOARD_* setting in the caller's shell cannot change what is measured.
    clearEnv: true,
    env: { ...withoutTailboardSettings(Deno.env.toObject()), ...env },
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  // Progress lines pass through; the harness's own copy of the table is left
  // out, since it is printed below with the summary.
  for await (
    const line of harness.stdout.pipeThrough(new TextDecoderStream()).pipeThrough(lines())
  ) {
    if (!line.startsWith("|")) console.log(line);
  }
  const status = await harness.status;
  const daemonEnv = { ...withoutTailboardSettings(Deno.env.toObject()), ...isolated };
  const cold = status.success && (!tests || tests.split(/\s+/).includes("flush100"))
    ? await coldOpen(entry, help, daemonEnv, out, projectPort, Number(reps))
    : [];
  load.stop();

  let table = "";
  try {
    table = await Deno.readTextFile(`${out}/table.md`);
  } catch {
    // The harness stopped before writing its table; the summary says so below.
  }
  let results: Result[] = [];
  try {
    results = (await Deno.readTextFile(`${out}/results.jsonl`)).split("\n").filter(Boolean)
      .map((l) => JSON.parse(l));
  } catch {
    // No results at all: nothing to summarise.
  }
  console.log("\n## table (project = tailboard; median [min–max] over REPS)\n");
  console.log(table.trim() || "(no table: run-baseline.sh did not finish)");
  console.log("\n## tailboard vs targets\n");
  console.log(summary([...results, ...cold]));
  console.log(load.report());
  console.log(`\nraw results: ${out}/results.jsonl  server logs: ${out}/*.log`);
  if (!status.success) fatal(`run-baseline.sh exited with ${status.code}`);
}

/**
 * Opens the 100 MB transcript on a daemon's very first start, while its
 * history index is still reading the folder's 110 MB. The harness shares one
 * data folder across its server starts, so only its first start (a latency
 * test) pays for indexing; here every rep starts with an empty one.
 */
async function coldOpen(
  entry: string,
  help: string,
  env: Record<string, string>,
  out: string,
  port: string,
  reps: number,
): Promise<Result[]> {
  if (!help.includes("TAILBOARD_DATA_DIR")) return [];
  console.log(`\n## 100 MB open on a first start (empty history index), ${reps} rep(s)`);
  const src = `${Deno.env.get("DATA") ?? "/tmp/baseline-data"}/src`;
  const rows: Result[] = [];
  for (let rep = 1; rep <= reps; rep++) {
    const dir = `${out}/cold/agents`;
    const dataDir = `${out}/cold/data`;
    for (const d of [dir, dataDir]) await Deno.remove(d, { recursive: true }).catch(() => {});
    await Deno.mkdir(dir, { recursive: true });
    for (const f of ["big10", "big100", "idle"]) {
      await Deno.link(`${src}/${f}.output`, `${dir}/${f}.jsonl`)
        .catch(() => Deno.copyFile(`${src}/${f}.output`, `${dir}/${f}.jsonl`));
    }
    const args = ["run", "-A", entry, "--port", port, "--no-default-sources", "--watch", dir];
    const daemon = new Deno.Command("deno", {
      args: [...args, "--log-level", "warn"],
      clearEnv: true,
      env: { ...env, TAILBOARD_DATA_DIR: dataDir },
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
    try {
      const base = `http://127.0.0.1:${port}`;
      const listening = await until(async () => {
        const res = await fetch(`${base}/api/agents`);
        await res.body?.cancel();
        return res.ok;
      });
      if (!listening) {
        console.log(`cold #${rep}: the daemon did not come up`);
        continue;
      }
      const probe = await run("node", [
        `${SHARED_BENCH}tailprobe.mjs`,
        "flush",
        "--kind",
        "project",
        "--base",
        base,
        "--file",
        `${dir}/big100.jsonl`,
        "--timeout",
        "300000",
      ], 330_000);
      const last = probe.stdout.trim().split("\n").at(-1) ?? "";
      const flush = last.startsWith("{") ? JSON.parse(last) : { error: firstLine(probe.stderr) };
      // The index keeps reading after the stream is served: its peak counts too.
      await new Promise((r) => setTimeout(r, 5000));
      const row = { server: "project", test: COLD, rep, ...flush, hwm_mb: vmHwmMb(daemon.pid) };
      console.log(`project ${COLD} #${rep}: ${JSON.stringify(row)}`);
      rows.push(row);
    } finally {
      daemon.kill("SIGTERM");
      const killer = setTimeout(() => daemon.kill("SIGKILL"), 5000);
      await daemon.status;
      clearTimeout(killer);
    }
  }
  await Deno.remove(`${out}/cold`, { recursive: true }).catch(() => {});
  return rows;
}

/** Peak resident memory of a process, MB; null when it cannot be read. */
function vmHwmMb(pid: number): number | null {
  try {
    const kb = Deno.readTextFileSync(`/proc/${pid}/status`).match(/VmHWM:\s+(\d+)/)?.[1];
    return kb ? Math.round(Number(kb) / 102.4) / 10 : null;
  } catch {
    return null;
  }
}

/** Polls `ok` every 100 ms for up to 30 s; true once it holds. */
async function until(ok: () => Promise<boolean>): Promise<boolean> {
  for (let i = 0; i < 300; i++) {
    try {
      if (await ok()) return true;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/**
 * Samples the 1-minute load average while the harness runs. Server and probe
 * share this machine's cores, so other work running meanwhile (test suites,
 * browsers) shows up as tail latency: the summary says when that happened.
 */
function watchLoad(everyMs = 5000): { stop(): void; report(): string } {
  const cores = navigator.hardwareConcurrency;
  const samples: number[] = [];
  const sample = () => {
    try {
      samples.push(Number(Deno.readTextFileSync("/proc/loadavg").split(" ")[0]));
    } catch {
      // No /proc (not Linux): the run goes on without load figures.
    }
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop: () => clearInterval(timer),
    report: () => {
      if (samples.length === 0) return "load average: not available";
      const max = Math.max(...samples);
      const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
      // Server plus probe keep about one core busy; well beyond that, someone else is.
      const busy = max > cores * 1.5;
      return `load average (1 min) during the run: mean ${mean.toFixed(1)}, max ${
        max.toFixed(1)
      } on ${cores} cores${
        busy
          ? ` — WARNING: the machine was busy with other work; latency tails (p99, max) are inflated, re-run when it is idle`
          : ""
      }`;
    },
  };
}

/** Flask for the seed: present, or pip, or the Debian package. False when none works. */
async function ensureFlask(): Promise<boolean> {
  try {
    await Deno.stat(`${SEED_DIR}app.py`);
  } catch {
    console.log(`seed: ${SEED_DIR}app.py is missing; measuring limitref and tailboard only`);
    return false;
  }
  if (!(await has("python3"))) {
    console.log("seed: python3 is missing; measuring limitref and tailboard only");
    return false;
  }
  const importable = async () => (await run("python3", ["-c", "import flask"])).ok;
  if (await importable()) {
    console.log("seed: python3 + flask already importable");
    return true;
  }
  console.log("seed: flask is not importable; trying `pip install flask`");
  if (
    (await run("python3", ["-m", "pip", "install", "-q", "flask"], 180_000)).ok &&
    await importable()
  ) {
    console.log("seed: installed flask with pip");
    return true;
  }
  if (await has("apt-get")) {
    console.log("seed: pip failed; trying `apt-get install -y python3-flask`");
    let apt = await run("apt-get", ["install", "-y", "python3-flask"], 300_000);
    if (!apt.ok) {
      console.log("seed: apt-get install failed; running `apt-get update` once and retrying");
      await run("apt-get", ["update"], 300_000);
      apt = await run("apt-get", ["install", "-y", "python3-flask"], 300_000);
    }
    if (apt.ok && await importable()) {
      console.log("seed: installed the Debian package python3-flask with apt-get");
      return true;
    }
  }
  console.log(
    "seed: COULD NOT INSTALL FLASK; the seed column is skipped (limitref + tailboard only)",
  );
  return false;
}

/**
 * `main.ts` when its module graph loads (it imports `ui/assets.ts`, written
 * separately); otherwise `bench/serve.ts`, the same daemon with a stand-in UI.
 */
async function projectEntry(
  snapshotDir: string | null,
): Promise<{ entry: string; help: string }> {
  let root = REPO;
  let probe;
  // A checkout others are editing can be caught mid-change: try a few times.
  for (let attempt = 1;; attempt++) {
    if (snapshotDir) {
      await Deno.remove(snapshotDir, { recursive: true }).catch(() => {});
      root = await snapshot(snapshotDir);
    }
    console.log(`project: ${await describeTree()}; running ${root}`);
    probe = await run("deno", ["run", "-A", `${root}/main.ts`, "--help"], 120_000);
    if (probe.ok) {
      console.log("project: main.ts loads; benchmarking it");
      return { entry: `${root}/main.ts`, help: probe.stdout };
    }
    if (attempt === SNAPSHOT_ATTEMPTS) break;
    console.log(`project: main.ts does not load (${firstLine(probe.stderr)}); retrying in 30 s`);
    await new Promise((r) => setTimeout(r, 30_000));
  }
  const serve = `${root}/bench/serve.ts`;
  console.log(
    `project: main.ts does not load yet (${firstLine(probe.stderr)});\n` +
      `         benchmarking ${serve} instead: the same startDaemon() with a stand-in UI`,
  );
  const served = await run("deno", ["run", "-A", serve, "--help"], 120_000);
  if (!served.ok) fatal("bench/serve.ts does not load either: the daemon itself is broken");
  return { entry: serve, help: served.stdout };
}

/**
 * Settings that keep the measured daemon to itself: an empty config file (not
 * the user's `~/.config/tailboard/config.json`) and a data folder inside the
 * results (not the user's history index). Each is set only when the daemon's
 * `--help` names it, since a daemon refuses `TAILBOARD_*` names it does not know.
 */
async function isolation(help: string, out: string): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  if (help.includes("TAILBOARD_CONFIG")) {
    env.TAILBOARD_CONFIG = `${out}/tailboard-config.json`;
    await Deno.writeTextFile(env.TAILBOARD_CONFIG, "{}\n");
  }
  if (help.includes("TAILBOARD_DATA_DIR")) env.TAILBOARD_DATA_DIR = `${out}/tailboard-data`;
  if (Object.keys(env).length) {
    console.log(
      `project: isolated from your settings: ${
        Object.entries(env).map(([k, v]) => `${k}=${v}`).join(" ")
      }`,
    );
  }
  return env;
}

function withoutTailboardSettings(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith("TAILBOARD_")));
}

/** How often a main.ts that does not load is re-copied and tried again, 30 s apart. */
const SNAPSHOT_ATTEMPTS = 4;

/** What is left out of the snapshot: history, and bulky files no server reads. */
const NOT_SNAPSHOTTED = new Set([".git", "test-artifacts", "node_modules"]);

/**
 * Copies the working tree to `dest`. A file someone is halfway through
 * editing would otherwise break one server start in the middle of a long run
 * (the harness then stops), or mix two versions of the code in one table.
 */
async function snapshot(dest: string): Promise<string> {
  await Deno.mkdir(dest, { recursive: true });
  for await (const entry of Deno.readDir(REPO)) {
    if (NOT_SNAPSHOTTED.has(entry.name)) continue;
    const copied = await run("cp", ["-a", `${REPO}/${entry.name}`, `${dest}/`]);
    if (!copied.ok) fatal(`cannot copy ${entry.name} to ${dest}: ${firstLine(copied.stderr)}`);
  }
  return dest;
}

/** The commit the tree is at, and whether it has uncommitted changes. */
async function describeTree(): Promise<string> {
  const head = await run("git", ["-C", REPO, "rev-parse", "--short", "HEAD"]);
  if (!head.ok) return "not a git checkout";
  const status = await run("git", ["-C", REPO, "status", "--porcelain"]);
  const changed = status.stdout.split("\n").filter(Boolean).length;
  return `commit ${head.stdout.trim()}${changed ? ` + ${changed} uncommitted change(s)` : ""}`;
}

/** The harness checks readiness with curl: a stale server on its port would be measured instead. */
async function ensureFreePorts(ports: number[]): Promise<void> {
  for (const port of ports) {
    const r = await run("ss", ["-Hltn", `sport = :${port}`]);
    if (r.stdout.trim()) {
      fatal(`port ${port} is already in use; stop what listens there (or set PROJECT_PORT)`);
    }
  }
}

async function has(tool: string): Promise<boolean> {
  return (await run("bash", ["-c", `command -v ${tool}`])).ok;
}

async function run(
  cmd: string,
  args: string[],
  timeoutMs = 60_000,
): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  try {
    const out = await new Deno.Command(cmd, {
      args,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
      signal: AbortSignal.timeout(timeoutMs),
    }).output();
    const dec = new TextDecoder();
    return { ok: out.success, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
  } catch (error) {
    return {
      ok: false,
      stdout: "",
      stderr: error instanceof Error ? error.message : String(error),
    };
  }
}

/** Splits text into lines (without their `\n`). */
function lines(): TransformStream<string, string> {
  let rest = "";
  return new TransformStream({
    transform(chunk, controller) {
      const parts = (rest + chunk).split("\n");
      rest = parts.pop() ?? "";
      for (const part of parts) controller.enqueue(part);
    },
    flush(controller) {
      if (rest) controller.enqueue(rest);
    },
  });
}

function firstLine(text: string): string {
  return text.split("\n").find((l) => l.trim())?.trim().slice(0, 160) ?? "no output";
}

function stamp(): string {
  return new Date().toISOString().slice(0, 19).replace(/[-:]/g, "").replace("T", "-");
}

function fatal(message: string): never {
  console.error(`error: ${message}`);
  Deno.exit(1);
}

if (import.meta.main) await main();
