/**
 * Cross-check against the reference peer, ccusage from npm, pinned at 20.0.24
 * (20.0.26 ships no linux-x64 binary). Both read the corpus's Claude
 * transcripts laid out as a Claude config dir (ccusage reads
 * `CLAUDE_CONFIG_DIR`); tokens must match exactly, per day and per model, and
 * cost within 0.5 % wherever tailboard has a price.
 *
 * The command is `ccusage claude daily --json --offline --mode calculate
 * --timezone UTC --breakdown`. In ccusage 20 the bare `daily` is a report over
 * every agent CLI it finds under $HOME (Codex, OpenCode, ...), with no
 * `--mode`; `claude daily` reads only the Claude dir. `--offline` prices from
 * the LiteLLM table bundled in the package (no network), `--mode calculate`
 * prices from tokens even where a line carries `costUSD`, and UTC days match
 * the ISO timestamps tailboard groups by.
 *
 * The first run downloads ccusage through npx (a few seconds); later runs use
 * npm's cache. Skipped, with a warning, only when `npx` is not on PATH.
 */

import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import type { ParsedEvent } from "../../core/event.ts";
import { parseLine } from "../../transcript/line.ts";
import { costOf } from "../../cost/cost.ts";
import { totalTokens, UsageCounter, type UsageRecord } from "../../cost/usage.ts";
import { claudeTranscripts } from "../_harness/corpus.ts";

const CCUSAGE = "ccusage@20.0.24";
/** Plenty for a cached run (under a second) and for the first download. */
const TIMEOUT_MS = 300_000;

/** ccusage's per-day JSON, as far as this test reads it. */
interface CcusageTokens {
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
}
interface CcusageModel extends CcusageTokens {
  modelName: string;
  cost: number;
}
interface CcusageDay extends CcusageTokens {
  date: string;
  totalCost: number;
  modelBreakdowns: CcusageModel[];
}
interface CcusageReport {
  daily: CcusageDay[];
  totals: CcusageTokens & { totalCost: number; totalTokens: number };
}

async function hasNpx(): Promise<boolean> {
  try {
    const { success } = await new Deno.Command("npx", {
      args: ["--version"],
      stdout: "null",
      stderr: "null",
    }).output();
    return success;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

const NPX = await hasNpx();
if (!NPX) {
  console.warn(
    `ccusage_test: SKIPPED: \`npx\` is not on PATH, so the reference peer ${CCUSAGE} cannot run ` +
      "(install Node.js with npm to run this cross-check)",
  );
}

function events(text: string): ParsedEvent[] {
  return text.split("\n").filter((line) => line !== "").map((line) => parseLine(line).event);
}

/**
 * A line re-serialised the way Claude Code writes JSON: compact. ccusage
 * 20.0.24 silently skips a line written `"type": "assistant"`, with a space
 * after the colon (it pre-filters lines by their bytes before parsing; the
 * "verbatim" step below proves it). Only the hand-edited claude-code-log
 * fixture is spaced; lines that are not JSON stay as they are.
 */
function compact(line: string): string {
  try {
    return JSON.stringify(JSON.parse(line));
  } catch {
    return line;
  }
}

interface ClaudeDir extends AsyncDisposable {
  path: string;
  /** Relative path under `projects/` → the text written there. */
  files: Map<string, string>;
}

/**
 * A temp Claude config dir: `projects/corpus/` holds every Claude transcript
 * of the corpus (its own folders kept: subagent files sit under their
 * session), and `projects/corpus-resumed/` a second copy of one session, as
 * `claude --resume` replays the earlier messages into a new file.
 */
async function claudeDir(options: { compact: boolean; only?: string }): Promise<ClaudeDir> {
  const path = await Deno.makeTempDir({ prefix: "tailboard-ccusage-" });
  const files = new Map<string, string>();
  for (const [name, text] of await claudeTranscripts()) {
    if (options.only !== undefined && name !== options.only) continue;
    const written = options.compact ? text.split("\n").map(compact).join("\n") : text;
    files.set(join("corpus", name), written);
    if (name === "agtrace/7f2abd2d-7cfc-4447-9ddd-3ca8d14e02e9.jsonl") {
      files.set(join("corpus-resumed", "2b7e0c1a-resumed.jsonl"), written);
    }
  }
  for (const [name, text] of files) {
    const file = join(path, "projects", name);
    await Deno.mkdir(dirname(file), { recursive: true });
    await Deno.writeTextFile(file, text);
  }
  return {
    path,
    files,
    [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }),
  };
}

async function ccusage(configDir: string): Promise<CcusageReport> {
  const command = new Deno.Command("npx", {
    args: [
      "-y",
      CCUSAGE,
      "claude",
      "daily",
      "--json",
      "--offline",
      "--mode",
      "calculate",
      "--timezone",
      "UTC",
      "--breakdown",
    ],
    // Run from the temp dir so no ccusage config file of the checkout is picked up.
    cwd: configDir,
    env: { CLAUDE_CONFIG_DIR: configDir, NO_COLOR: "1", npm_config_update_notifier: "false" },
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const { success, code, stdout, stderr } = await command.output();
  const err = new TextDecoder().decode(stderr);
  assert.ok(success, `npx ${CCUSAGE} exited ${code}:\n${err}`);
  return JSON.parse(new TextDecoder().decode(stdout));
}

/** tailboard's side: the same files through one {@linkcode UsageCounter}. */
function count(dir: ClaudeDir): UsageRecord[] {
  const counter = new UsageCounter();
  for (const [name, text] of dir.files) {
    for (const event of events(text)) counter.add(event, name);
  }
  return counter.records();
}

/** The UTC day of a record, or null when its timestamp is not a date. */
function dayOf(record: UsageRecord): string | null {
  const ms = record.ts === undefined ? NaN : Date.parse(record.ts);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString().slice(0, 10);
}

interface Sum extends CcusageTokens {
  usd: number | null;
}

function addTo(sums: Map<string, Sum>, key: string, record: UsageRecord) {
  const sum = sums.get(key) ??
    { inputTokens: 0, outputTokens: 0, cacheCreationTokens: 0, cacheReadTokens: 0, usd: 0 };
  sum.inputTokens += record.input;
  sum.outputTokens += record.output;
  sum.cacheCreationTokens += record.cacheWrite5m + record.cacheWrite1h;
  sum.cacheReadTokens += record.cacheRead;
  const usd = costOf(record);
  sum.usd = sum.usd === null || usd === null ? null : sum.usd + usd;
  sums.set(key, sum);
}

function tokensOf(t: CcusageTokens): CcusageTokens {
  return {
    inputTokens: t.inputTokens,
    outputTokens: t.outputTokens,
    cacheCreationTokens: t.cacheCreationTokens,
    cacheReadTokens: t.cacheReadTokens,
  };
}

/** Within 0.5 % of ccusage's figure. */
function assertCostClose(ours: number, theirs: number, at: string) {
  const off = Math.abs(ours - theirs);
  assert.ok(
    off <= 0.005 * Math.abs(theirs) + 1e-12,
    `${at}: tailboard $${ours} vs ccusage $${theirs} (${(100 * off / theirs).toFixed(3)} % off)`,
  );
}

Deno.test({
  name: `tailboard's tokens and cost match ${CCUSAGE} on the corpus`,
  ignore: !NPX,
  async fn(t) {
    await using dir = await claudeDir({ compact: true });
    const report = await ccusage(dir.path);
    const records = count(dir);

    // Neither tool can date the catalogue's five "[trimmed for fixture]" lines; they
    // hold no tokens, so leaving them out of the days hides nothing.
    const undated = records.filter((r) => dayOf(r) === null);
    assert.equal(undated.reduce((n, r) => n + totalTokens(r), 0), 0, "undated records hold tokens");

    const byDay = new Map<string, Sum>();
    const byDayModel = new Map<string, Sum>();
    for (const record of records) {
      const day = dayOf(record);
      if (day === null) continue;
      addTo(byDay, day, record);
      addTo(byDayModel, `${day} ${record.model}`, record);
    }

    await t.step("tokens per day match exactly", () => {
      assert.deepEqual(
        report.daily.map((d) => [d.date, tokensOf(d)]),
        [...byDay].sort(([a], [b]) => a.localeCompare(b)).map(([day, sum]) => [day, tokensOf(sum)]),
      );
    });

    await t.step("tokens per day and model match exactly", () => {
      const theirs = report.daily.flatMap((d) =>
        d.modelBreakdowns.map((m) => [`${d.date} ${m.modelName}`, tokensOf(m)] as const)
      ).sort(([a], [b]) => a.localeCompare(b));
      const ours = [...byDayModel].map(([key, sum]) => [key, tokensOf(sum)] as const)
        .sort(([a], [b]) => a.localeCompare(b));
      assert.deepEqual(theirs, ours);
    });

    await t.step("total tokens match exactly, with the resumed copy counted once", () => {
      // By hand (tests/cost_test.ts): 1,628 in, 2,504 out, 17,856 cache writes, 196,772 reads.
      assert.deepEqual(tokensOf(report.totals), {
        inputTokens: 1628,
        outputTokens: 2504,
        cacheCreationTokens: 17856,
        cacheReadTokens: 196772,
      });
      assert.equal(report.totals.totalTokens, 218760);
      const ours = records.reduce((n, r) => n + totalTokens(r), 0);
      assert.equal(ours, report.totals.totalTokens);
    });

    await t.step("cost within 0.5 % wherever tailboard has a price", () => {
      let unpricedByUs = 0;
      for (const day of report.daily) {
        for (const model of day.modelBreakdowns) {
          const ours = byDayModel.get(`${day.date} ${model.modelName}`)?.usd ?? null;
          if (ours === null) {
            // A model tailboard's list prices lack shows its tokens with "price
            // unknown" rather than a guess; none in this corpus today.
            unpricedByUs += model.cost;
            continue;
          }
          // ccusage leaves out US-only inference (1.1× on Opus 4.6, Sonnet 4.6 and
          // later): the catalogue's Opus 5 line runs with `inference_geo: "us"`.
          const us = records.some((r) =>
            r.model === model.modelName && dayOf(r) === day.date && r.geo === "us"
          );
          assertCostClose(ours, model.cost * (us ? 1.1 : 1), `${day.date} ${model.modelName}`);
        }
      }
      assert.ok(unpricedByUs < 0.001, `ccusage priced $${unpricedByUs} that tailboard cannot`);
      // Both carry Anthropic's list prices for every model of the corpus (Sonnet
      // 4/4.5, Haiku 4.5, Claude 3 Sonnet, Opus 5): $0.1661836 from ccusage, and
      // $0.0000175 more from tailboard for the Opus 5 line's US-only inference.
      const ours = records.reduce((n, r) => n + (costOf(r) ?? 0), 0);
      assertCostClose(ours, report.totals.totalCost - unpricedByUs + 0.0000175, "total");
      assertCostClose(ours, 0.1662011, "total by hand");
    });
  },
});

Deno.test({
  name: `${CCUSAGE} skips spaced JSON lines, which is why the copies are compacted`,
  ignore: !NPX,
  async fn() {
    const only = "claude-code-log/edge_cases.jsonl";
    await using verbatim = await claudeDir({ compact: false, only });
    const report = await ccusage(verbatim.path);
    // The file's three `claude-3-sonnet-20240229` lines are spaced (`"type": "assistant"`);
    // its one compact line, `claude-sonnet-4` (168 in, 85 out), is all ccusage sees.
    assert.deepEqual(
      report.daily.flatMap((d) => d.modelBreakdowns.map((m) => m.modelName)),
      ["claude-sonnet-4"],
    );
    assert.equal(report.totals.inputTokens, 168);
    // tailboard reads all four: 320 + 168 in.
    assert.equal(count(verbatim).reduce((n, r) => n + r.input, 0), 488);
  },
});
