/**
 * Cost through the history index: Codex rollouts and Claude modifiers priced
 * as the counter prices them, per model, and Claude Code's own running total
 * kept beside the estimate, never in it.
 */

import assert from "node:assert/strict";
import { agentIdOf } from "../../agents/agent.ts";
import { AgentRegistry } from "../../agents/registry.ts";
import { silentLogger } from "../../core/log.ts";
import { UsageCounter } from "../../cost/usage.ts";
import { scanRoots } from "../../files/scan.ts";
import { HistoryIndex } from "../../history/index.ts";
import { parseLine } from "../../transcript/line.ts";

const FIXTURES = new URL("../fixtures/cost/", import.meta.url);
const CLAUDE = "claude-2.1-modifiers.jsonl";
const CODEX = "codex-0.150-rollout.jsonl";

async function withIndex(
  fn: (index: HistoryIndex, ids: { claude: string; codex: string }) => Promise<void>,
  options: { codexTier?: string } = {},
): Promise<void> {
  const tmp = await Deno.makeTempDir({ prefix: "tailboard-cost-index-" });
  try {
    const project = `${tmp}/projects/-Users-dev-shop`;
    const codex = `${tmp}/codex/2026/09/14`;
    await Deno.mkdir(project, { recursive: true });
    await Deno.mkdir(codex, { recursive: true });
    await Deno.copyFile(new URL(CLAUDE, FIXTURES), `${project}/${CLAUDE}`);
    await Deno.copyFile(new URL(CODEX, FIXTURES), `${codex}/rollout-${CODEX}`);
    const registry = new AgentRegistry();
    const { files } = await scanRoots([
      { path: `${tmp}/projects`, kind: "claude-projects" },
      { path: `${tmp}/codex`, kind: "watch" },
    ]);
    for (const file of files) registry.upsert(file);
    const index = new HistoryIndex({
      registry,
      dataDir: `${tmp}/data`,
      log: silentLogger,
      ...options,
    });
    try {
      await index.start();
      await fn(index, {
        claude: agentIdOf(`${project}/${CLAUDE}`),
        codex: agentIdOf(`${codex}/rollout-${CODEX}`),
      });
    } finally {
      await index.close();
    }
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
}

async function counted(name: string) {
  const counter = new UsageCounter();
  for (const line of (await Deno.readTextFile(new URL(name, FIXTURES))).split("\n")) {
    if (line) counter.add(parseLine(line).event, name);
  }
  return counter.totals();
}

Deno.test("the index prices Codex and Claude responses as the counter does", async () => {
  const claude = await counted(CLAUDE);
  const codex = await counted(CODEX);
  await withIndex(async (index, ids) => {
    const c = (await index.agentUsage(ids.claude))!;
    assert.equal(c.tokens, claude.tokens);
    assert.equal(c.usd, null, "the fast Sonnet line has no price");
    assert.ok(Math.abs(c.pricedUsd - claude.pricedUsd) < 1e-9);
    const x = (await index.agentUsage(ids.codex))!;
    assert.equal(x.tokens, codex.tokens);
    assert.ok(Math.abs(x.usd! - 0.9130736) < 1e-9, `codex ${x.usd}`);
  });
});

Deno.test("Claude Code's own total is kept beside the estimate, never added", async () => {
  await withIndex(async (index, ids) => {
    const usage = (await index.agentUsage(ids.claude))!;
    assert.equal(usage.reportedUsd, 1.8456);
    assert.equal((await index.agentUsage(ids.codex))!.reportedUsd, null);
    const byAgent = await index.usage("2026-01-01", "2026-12-31", "agent");
    const row = byAgent.rows.find((r) => r.key === ids.claude)!;
    assert.equal(row.reportedUsd, 1.8456);
    // The totals are tailboard's estimate alone.
    const priced = byAgent.rows.reduce((n, r) => n + r.pricedUsd, 0);
    assert.ok(Math.abs(byAgent.totals.pricedUsd - priced) < 1e-9);
  });
});

Deno.test("usage by model: Claude and Codex models side by side", async () => {
  await withIndex(async (index) => {
    const { rows, totals } = await index.usage("2026-01-01", "2026-12-31", "model");
    const byKey = new Map(rows.map((r) => [r.key, r]));
    assert.deepEqual([...byKey.keys()].sort(), [
      "claude-fable-5",
      "claude-opus-4-6",
      "claude-opus-4-8",
      "claude-sonnet-4-6",
      "gpt-5.4-mini",
      "gpt-5.5",
    ]);
    // gpt-5.5: 0.042336 + 0.059656 + 0.8005; the fast Sonnet line leaves Sonnet 4.6 unknown.
    assert.ok(Math.abs(byKey.get("gpt-5.5")!.usd! - 0.902492) < 1e-9);
    assert.equal(byKey.get("claude-sonnet-4-6")!.usd, null);
    assert.equal(byKey.get("claude-sonnet-4-6")!.unpricedTokens, 1052);
    const day = (await index.usage("2026-01-01", "2026-12-31", "project")).totals;
    assert.equal(totals.tokens, day.tokens);
  });
});

Deno.test("the configured Codex tier prices rollouts that do not say theirs", async () => {
  await withIndex(async (index, ids) => {
    // Every gpt-5.5 response at Fast mode's 2.5×, except the long one (Fast mode
    // excludes long context); gpt-5.4-mini's own thread settings already say fast.
    const usd = (await index.agentUsage(ids.codex))!.usd!;
    const expected = (0.042336 + 0.059656) * 2.5 + 0.8005 + 0.0105816;
    assert.ok(Math.abs(usd - expected) < 1e-9, `${usd} ≠ ${expected}`);
    assert.equal(index.priceSource().codexTier, "fast");
  }, { codexTier: "fast" });
});

Deno.test("a Codex rollout read on after a restart keeps the model its earlier lines named", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "tailboard-cost-resume-" });
  try {
    const dir = `${tmp}/codex/2026/09/14`;
    await Deno.mkdir(dir, { recursive: true });
    const path = `${dir}/rollout-${CODEX}`;
    const lines = (await Deno.readTextFile(new URL(CODEX, FIXTURES))).split("\n").filter(Boolean);
    // Up to the second response; the third (gpt-5.5, long context) comes after a restart,
    // with no turn_context of its own before it.
    const cut = lines.findIndex((l) => l.includes('"input_tokens":301000'));
    await Deno.writeTextFile(path, lines.slice(0, cut).join("\n") + "\n");
    const open = async () => {
      const registry = new AgentRegistry();
      const { files } = await scanRoots([{ path: `${tmp}/codex`, kind: "watch" }]);
      for (const file of files) registry.upsert(file);
      const index = new HistoryIndex({ registry, dataDir: `${tmp}/data`, log: silentLogger });
      await index.start();
      return index;
    };
    let index = await open();
    await index.close();
    await Deno.writeTextFile(path, lines.slice(cut).join("\n") + "\n", { append: true });
    index = await open();
    try {
      const usage = (await index.agentUsage(agentIdOf(path)))!;
      // The whole file's cost, as if read in one go: 0.042336 + 0.059656 + 0.8005 + 0.0105816.
      assert.ok(Math.abs(usage.usd! - 0.9130736) < 1e-9, `${usage.usd}`);
      assert.ok(index.readBytes > 0, "the appended lines were read");
    } finally {
      await index.close();
    }
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
