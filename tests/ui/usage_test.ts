/**
 * The pure parts of cost, history and search in the UI: money and token
 * formats, a turn's raw usage, the chart's axis, calendar days, the history
 * page's range handling, search grouping and the as-you-type query.
 */
import assert from "node:assert/strict";
import {
  axisScale,
  costLabel,
  formatCost,
  formatTokens,
  formatUsd,
  formatUsdAxis,
  priceSourceNote,
  reportedNote,
  tokenParts,
  turnNote,
  turnUsage,
  usageTitle,
} from "../../ui/lib/usage.js";
import {
  addDays,
  dayOf,
  daysBetween,
  dayTitle,
  parseDay,
  rangeTitle,
  shortDay,
  weekStart,
} from "../../ui/lib/days.js";
import {
  chartBars,
  chartWindow,
  mergeDays,
  nearestActive,
  rangeFromSearch,
  searchForRange,
  sortAgents,
} from "../../ui/views/history_range.js";
import { asYouType, groupHits, kindLabel } from "../../ui/views/search.js";
import { bytePair, progressText } from "../../ui/data/index_status.js";

const usage = (o: Partial<Record<string, number | null>> = {}) => ({
  usd: 1.5,
  tokens: 0,
  input: 0,
  output: 0,
  cacheWrite5m: 0,
  cacheWrite1h: 0,
  cacheRead: 0,
  ...o,
});

Deno.test("formatUsd() shows cents, tiny costs as <$0.01, and never invents a price", () => {
  assert.deepEqual(
    [0, 0.001, 0.004, 0.005, 0.01, 1.234, 12.5, 1234.5].map(formatUsd),
    ["$0.00", "<$0.01", "<$0.01", "$0.01", "$0.01", "$1.23", "$12.50", "$1,234.50"],
  );
  assert.equal(formatUsd(null), "price unknown");
  assert.equal(formatUsd(undefined), "price unknown");
  assert.equal(formatUsd(Number.NaN), "price unknown");
});

Deno.test("formatCost() and costLabel() say when part of the tokens has no price", async (t) => {
  await t.step("a full price is the price", () => {
    assert.equal(formatCost({ usd: 2.5 }), "$2.50");
    assert.equal(costLabel(usage({ usd: 2.5, tokens: 9000 })), "$2.50");
  });
  await t.step("a partly priced total is a lower bound", () => {
    assert.equal(formatCost({ usd: null, pricedUsd: 2.5 }), "≥ $2.50");
  });
  await t.step("no price at all is said, and tight spots show tokens instead", () => {
    assert.equal(formatCost({ usd: null, pricedUsd: 0 }), "price unknown");
    assert.equal(costLabel(usage({ usd: null, tokens: 1_234_567 })), "1.23M tokens");
  });
});

Deno.test("formatTokens() keeps three significant digits", () => {
  assert.deepEqual(
    [0, 812, 999, 1000, 1234, 12_345, 123_456, 999_999, 1_234_567, 45_600_000, 2.1e9].map(
      formatTokens,
    ),
    ["0", "812", "999", "1k", "1.23k", "12.3k", "123k", "1M", "1.23M", "45.6M", "2.1B"],
  );
  assert.equal(formatTokens(-1), "–");
  assert.equal(formatTokens(undefined), "–");
});

Deno.test("turnUsage() reads Claude's raw usage, splitting cache writes when the line does", async (t) => {
  await t.step("without a split, cache writes are 5-minute ones", () => {
    assert.deepEqual(
      turnUsage({
        input_tokens: 3,
        output_tokens: 412,
        cache_creation_input_tokens: 2000,
        cache_read_input_tokens: 12_100,
      }),
      {
        input: 3,
        output: 412,
        cacheRead: 12_100,
        cacheWrite5m: 2000,
        cacheWrite1h: 0,
        tokens: 14_515,
      },
    );
  });
  await t.step("with a split, each bucket gets its own", () => {
    const u = turnUsage({
      input_tokens: 10,
      output_tokens: 5,
      cache_creation_input_tokens: 3000,
      cache_creation: { ephemeral_5m_input_tokens: 1000, ephemeral_1h_input_tokens: 2000 },
    });
    assert.equal(u?.cacheWrite5m, 1000);
    assert.equal(u?.cacheWrite1h, 2000);
    assert.equal(u?.tokens, 3015);
  });
  await t.step("nothing, or nonsense, is no usage", () => {
    assert.equal(turnUsage(null), null);
    assert.equal(turnUsage(undefined), null);
    assert.equal(turnNote({}), "");
  });
  await t.step("the hover note names every kind there is", () => {
    assert.equal(
      turnNote({ input_tokens: 3, output_tokens: 412, cache_read_input_tokens: 12_100 }),
      "12.5k tokens: 3 input · 412 output · 12.1k cache read",
    );
  });
});

Deno.test("usageTitle() says the cost is a list-price estimate and lists the tokens", () => {
  const u = usage({ usd: 1.23, tokens: 14_515, input: 3, output: 412, cacheRead: 14_100 });
  assert.equal(
    usageTitle(u),
    "$1.23, a list-price estimate\n14.5k tokens: 3 input · 412 output · 14.1k cache read",
  );
  assert.match(usageTitle(usage({ usd: null, tokens: 5, input: 5 })), /^Price unknown/);
  assert.match(
    usageTitle({ ...usage({ usd: null, tokens: 9, input: 9 }), pricedUsd: 0.5, unpricedTokens: 4 }),
    /\$0\.50 for the priced models[\s\S]*4 tokens from models with no known price/,
  );
  assert.deepEqual(tokenParts(usage({ output: 7 })), [["output", 7]]);
});

Deno.test("axisScale() picks a round top with 1, 2, 2.5 or 5 steps", () => {
  assert.deepEqual(axisScale(0), { top: 1, step: 0.25 });
  assert.deepEqual(axisScale(3.7), { top: 4, step: 1 });
  assert.deepEqual(axisScale(9.2), { top: 10, step: 2.5 });
  assert.deepEqual(axisScale(17), { top: 20, step: 5 });
  assert.deepEqual(axisScale(0.31), { top: 0.4, step: 0.1 });
  assert.deepEqual(axisScale(180), { top: 200, step: 50 });
  for (const max of [0.013, 0.9, 1, 42, 999, 12_345]) {
    const { top, step } = axisScale(max);
    assert.ok(top >= max && top < max * 2.6, `${max} → ${top}`);
    assert.ok(Math.abs(top / step - 4) < 1e-9);
  }
  assert.deepEqual([0, 0.025, 0.5, 2.5, 15, 1500, 20_000].map(formatUsdAxis), [
    "$0",
    "$0.025",
    "$0.50",
    "$2.50",
    "$15",
    "$1.5k",
    "$20k",
  ]);
});

Deno.test("days are local calendar dates that survive month, year and DST edges", () => {
  assert.equal(dayOf(new Date(2025, 11, 9, 23, 59)), "2025-12-09");
  assert.equal(addDays("2025-12-31", 1), "2026-01-01");
  assert.equal(addDays("2024-03-01", -1), "2024-02-29");
  assert.equal(addDays("2025-03-30", 1), "2025-03-31", "the European DST change");
  assert.equal(addDays("2025-11-02", 1), "2025-11-03", "the US DST change");
  assert.equal(parseDay("2026-02-30"), null);
  assert.equal(parseDay("2025-1-1"), null);
  assert.equal(parseDay("nonsense"), null);
  assert.deepEqual(daysBetween("2025-12-30", "2026-01-02"), [
    "2025-12-30",
    "2025-12-31",
    "2026-01-01",
    "2026-01-02",
  ]);
  assert.deepEqual(daysBetween("2025-12-02", "2025-12-01"), []);
  assert.equal(weekStart("2026-11-25"), "2026-11-23", "a Wednesday's week starts on Monday");
  assert.equal(weekStart("2026-11-23"), "2026-11-23");
  assert.equal(weekStart("2026-11-29"), "2026-11-23", "Sunday ends the week");
});

Deno.test("day titles read like a person would say them", () => {
  const today = "2026-11-25";
  assert.equal(dayTitle(today, today), "Today");
  assert.equal(dayTitle("2026-11-24", today), "Yesterday");
  assert.equal(dayTitle("2026-11-20", today), "Fri 20 Nov");
  assert.equal(dayTitle("2025-12-09", today), "Tue 9 Dec 2025");
  assert.equal(shortDay("2026-03-01", today), "1 Mar");
  assert.equal(rangeTitle("2026-11-23", "2026-11-25", today), "23 – 25 Nov");
  assert.equal(rangeTitle("2026-10-28", "2026-11-03", today), "28 Oct – 3 Nov");
  assert.equal(rangeTitle("2025-12-29", "2026-01-04", today), "29 Dec 2025 – 4 Jan");
});

Deno.test("the history page's range round-trips through the URL", () => {
  assert.deepEqual(rangeFromSearch("?day=2025-12-09"), { from: "2025-12-09", to: "2025-12-09" });
  assert.deepEqual(rangeFromSearch("?from=2026-11-23&to=2026-11-25"), {
    from: "2026-11-23",
    to: "2026-11-25",
  });
  assert.equal(rangeFromSearch("?day=2025-02-30"), null);
  assert.equal(rangeFromSearch("?from=2026-11-25&to=2026-11-23"), null, "backwards");
  assert.equal(rangeFromSearch("?from=2026-10-01&to=2026-11-25"), null, "longer than a week");
  assert.equal(rangeFromSearch(""), null);
  assert.equal(searchForRange({ from: "2025-12-09", to: "2025-12-09" }), "?day=2025-12-09");
  assert.equal(
    searchForRange({ from: "2026-11-23", to: "2026-11-25" }),
    "?from=2026-11-23&to=2026-11-25",
  );
});

Deno.test("chartWindow() shows the last 30 days, or 30 days around an older pick", () => {
  const today = "2026-11-25";
  assert.deepEqual(chartWindow({ from: today, to: today }, today), {
    from: "2026-10-27",
    to: today,
  });
  assert.deepEqual(chartWindow({ from: "2026-10-27", to: "2026-10-27" }, today), {
    from: "2026-10-27",
    to: today,
  });
  assert.deepEqual(chartWindow({ from: "2025-12-09", to: "2025-12-09" }, today), {
    from: "2025-11-17",
    to: "2025-12-16",
  });
});

Deno.test("chartBars() has a bar for every day; the priced part sets its height", () => {
  const row = (key: string, o: Record<string, number | null>) => ({
    key,
    label: key,
    ...usage(o),
  });
  const bars = chartBars([
    row("2025-12-09", { usd: 2, pricedUsd: 2, tokens: 100 }),
    row("2025-12-11", { usd: null, pricedUsd: 0.5, tokens: 70, unpricedTokens: 20 }),
  ], { from: "2025-12-08", to: "2025-12-11" });
  assert.deepEqual(bars.map((b) => [b.day, b.usd, b.pricedUsd, b.tokens, b.unpricedTokens]), [
    ["2025-12-08", 0, 0, 0, 0],
    ["2025-12-09", 2, 2, 100, 0],
    ["2025-12-10", 0, 0, 0, 0],
    ["2025-12-11", null, 0.5, 70, 20],
  ]);
});

Deno.test("mergeDays() makes one row per agent across days; unknown cost stays unknown", () => {
  const a = (id: string, o: Record<string, unknown>) => ({
    id,
    title: id.toUpperCase(),
    project: "/p",
    source: "claude",
    firstTs: null,
    lastTs: null,
    usd: 1,
    tokens: 10,
    ...o,
  });
  const merged = mergeDays([
    {
      day: "2026-11-23",
      agents: [
        a("x", { firstTs: "2026-11-23T08:00:00Z", lastTs: "2026-11-23T09:00:00Z" }),
        a("y", { usd: null }),
      ],
    },
    {
      day: "2026-11-24",
      agents: [
        a("x", {
          usd: 2,
          tokens: 5,
          firstTs: "2026-11-24T10:00:00Z",
          lastTs: "2026-11-24T11:00:00Z",
        }),
        a("y", { usd: 3 }),
      ],
    },
  ]);
  const x = merged.find((m) => m.id === "x")!;
  assert.equal(x.usd, 3);
  assert.equal(x.tokens, 15);
  assert.equal(x.firstMs, Date.parse("2026-11-23T08:00:00Z"));
  assert.equal(x.lastMs, Date.parse("2026-11-24T11:00:00Z"));
  assert.deepEqual(x.days, ["2026-11-23", "2026-11-24"]);
  assert.equal(merged.find((m) => m.id === "y")!.usd, null);
  assert.deepEqual(sortAgents(merged, "time").map((m) => m.id), ["x", "y"]);
  assert.deepEqual(sortAgents(merged, "cost").map((m) => m.id), ["x", "y"], "unknown cost last");
});

Deno.test("nearestActive() finds the days with activity on either side of a quiet range", () => {
  const rows = ["2025-12-09", "2025-12-16", "2026-04-16", "2026-08-03"].map((key) => ({
    key,
    label: key,
    ...usage({ tokens: 10 }),
  }));
  rows.push({ key: "2026-09-01", label: "", ...usage({ tokens: 0, usd: 0 }) });
  assert.deepEqual(nearestActive(rows, { from: "2026-05-01", to: "2026-05-07" }), {
    before: "2026-04-16",
    after: "2026-08-03",
  });
  assert.deepEqual(nearestActive(rows, { from: "2026-11-25", to: "2026-11-25" }), {
    before: "2026-08-03",
    after: null,
  });
});

Deno.test("groupHits() groups by agent in the order the first hit of each came", () => {
  const hit = (agentId: string, cursor: number) => ({
    agentId,
    title: agentId,
    project: "/p",
    cursor,
    ts: null,
    kind: "prompt",
    snippet: [],
  });
  const groups = groupHits([hit("b", 9), hit("a", 8), hit("b", 3), hit("c", 2), hit("a", 1)]);
  assert.deepEqual(groups.map((g) => [g.agentId, g.hits.map((h) => h.cursor)]), [
    ["b", [9, 3]],
    ["a", [8, 1]],
    ["c", [2]],
  ]);
  assert.deepEqual(kindLabel("assistant"), { label: "reply", cls: "hk-reply" });
  assert.deepEqual(kindLabel("tool"), { label: "tool", cls: "hk-tool" });
  assert.deepEqual(kindLabel("brand_new"), { label: "brand new", cls: "hk-other" });
});

Deno.test("asYouType() lets the word being typed match as a prefix", () => {
  assert.equal(asYouType("deno tes"), "deno tes*");
  assert.equal(asYouType("deno test "), "deno test", "a space finishes the word");
  assert.equal(asYouType("de"), "de", "two letters are too short for a prefix");
  assert.equal(asYouType("app.t"), "app.t", "the last word is the 't'");
  assert.equal(asYouType("server/app.ts"), "server/app.ts", "the last word is 'ts'");
  assert.equal(asYouType("server/app.tsx"), "server/app.tsx*");
  assert.equal(asYouType('"exact phr'), '"exact phr', "inside an open phrase");
  assert.equal(asYouType('"exact phrase"'), '"exact phrase"');
  assert.equal(asYouType("deploy -stag"), "deploy -stag", "exclusions stay exact");
  assert.equal(asYouType("fix*"), "fix*");
  assert.equal(asYouType("what?"), "what?");
  assert.equal(asYouType("   "), "");
});

Deno.test("the rail's index progress shows files and bytes in the total's unit", () => {
  assert.equal(
    progressText({
      state: "building",
      files: 1234,
      filesTotal: 5000,
      bytes: 1.2 * 1024 ** 3,
      bytesTotal: 3.4 * 1024 ** 3,
    }),
    "indexing 1,234 / 5,000 files · 1.2 / 3.4 GB",
  );
  assert.equal(bytePair(300 * 1024, 40 * 1024 ** 2), "0.3 / 40 MB");
  assert.equal(bytePair(10, 900), "10 / 900 B");
  assert.equal(bytePair(5000, 0), "0 / 0 B");
});

Deno.test("priceSourceNote() says where prices come from and as of when", () => {
  const p = {
    name: "@pydantic/genai-prices",
    version: "0.1.8",
    asOf: "2026-09-23",
    overrides: null,
    codexTier: null,
  };
  assert.equal(
    priceSourceNote(p),
    "List prices from @pydantic/genai-prices 0.1.8 (data as of 2026-09-23).",
  );
  assert.equal(
    priceSourceNote({ ...p, overrides: { asOf: "2026-11-01" }, codexTier: "fast" }),
    "List prices from @pydantic/genai-prices 0.1.8 (data as of 2026-09-23), with your " +
      'prices.json laid over (as of 2026-11-01). Codex responses at the "fast" service tier.',
  );
  assert.match(priceSourceNote({ ...p, overrides: { asOf: null } }), /laid over\.$/);
});

Deno.test("Claude Code's own total is shown beside the estimate, never as it", () => {
  const u = {
    usd: 1.82,
    tokens: 1000,
    input: 1000,
    output: 0,
    cacheWrite5m: 0,
    cacheWrite1h: 0,
    cacheRead: 0,
  };
  assert.equal(reportedNote(u), "");
  assert.equal(reportedNote({ ...u, reportedUsd: null }), "");
  assert.equal(
    reportedNote({ ...u, reportedUsd: 1.8456 }),
    "Claude Code's own total: $1.85 (a cross-check, not added)",
  );
  const title = usageTitle({ ...u, reportedUsd: 1.8456 });
  assert.match(title, /^\$1\.82, a list-price estimate\n/);
  assert.match(title, /\nClaude Code's own total: \$1\.85 \(a cross-check, not added\)$/);
  const withReported: Parameters<typeof formatCost>[0] = { ...u };
  assert.equal(formatCost(Object.assign(withReported, { reportedUsd: 99 })), "$1.82");
});
