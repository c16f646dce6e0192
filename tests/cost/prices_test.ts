/** Prices: model families, each kind of token, long-context tiers, and user overrides. */
import assert from "node:assert/strict";
import { costOf } from "../../cost/cost.ts";
import { listPrice, PRICE_SOURCE } from "../../cost/list_prices.ts";
import {
  familyOf,
  loadPriceOverrides,
  modelIdOf,
  PriceFileError,
  priceFor,
} from "../../cost/prices.ts";
import { UsageCounter } from "../../cost/usage.ts";
import { record } from "./_record.ts";
import { assertUsd, assistant } from "./_claude_lines.ts";

Deno.test("familyOf() names a model id's family, and the list prices know each", async (t) => {
  // [model id, family, list input price in USD per million tokens]
  const cases: [string, string, number][] = [
    ["claude-sonnet-4-5-20250929", "sonnet-4.5", 3],
    ["claude-sonnet-4-5", "sonnet-4.5", 3],
    ["claude-sonnet-4-20250514", "sonnet-4", 3],
    ["claude-sonnet-4", "sonnet-4", 3],
    ["claude-opus-4-1-20250805", "opus-4.1", 15],
    ["claude-opus-4-20250514", "opus-4", 15],
    ["claude-opus-4-0", "opus-4", 15],
    ["claude-opus-4-5-20251101", "opus-4.5", 5],
    ["claude-haiku-4-5-20251001", "haiku-4.5", 1],
    ["claude-3-5-haiku-20241022", "haiku-3.5", 0.8],
    ["claude-3-haiku-20240307", "haiku-3", 0.25],
    ["claude-3-7-sonnet-20250219", "sonnet-3.7", 3],
    ["claude-3-5-sonnet-20241022", "sonnet-3.5", 3],
    ["claude-3-5-sonnet-latest", "sonnet-3.5", 3],
    ["claude-3-sonnet-20240229", "sonnet-3", 3],
    ["claude-3-opus-20240229", "opus-3", 15],
    ["us.anthropic.claude-sonnet-4-5-20250929-v1:0", "sonnet-4.5", 3],
    ["anthropic.claude-3-5-sonnet-20240620-v1:0", "sonnet-3.5", 3],
    ["claude-opus-4-1@20250805", "opus-4.1", 15],
    ["claude-sonnet-4-5-20250929[1m]", "sonnet-4.5", 3],
    ["CLAUDE-SONNET-4-5-20250929", "sonnet-4.5", 3],
    ["claude-sonnet-4-6", "sonnet-4.6", 3],
    ["claude-opus-4-8", "opus-4.8", 5],
  ];
  for (const [model, family, input] of cases) {
    await t.step(model, () => {
      assert.equal(familyOf(model), family);
      assert.equal(listPrice(modelIdOf(model), "anthropic")?.input, input);
    });
  }
  await t.step("without a prices.json, priceFor() has nothing of its own", () => {
    assert.equal(priceFor("claude-sonnet-4-5"), null);
  });
  await t.step("unknown models have no list price, however close their name", () => {
    for (
      const model of ["claude-nimbus-1", "claude-opus-9", "", "<synthetic>", "constructor"]
    ) {
      assert.equal(listPrice(modelIdOf(model), "anthropic"), null, model);
    }
  });
  await t.step("the list prices are dated and pinned", async () => {
    assert.match(PRICE_SOURCE.asOf, /^\d{4}-\d{2}-\d{2}$/);
    const deno = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)));
    assert.equal(
      deno.imports["@pydantic/genai-prices"],
      `npm:@pydantic/genai-prices@${PRICE_SOURCE.version}`,
    );
  });
});

Deno.test("costOf() prices each kind of token, and the long-context tier", async (t) => {
  await t.step("Opus 4.1 at list price", () => {
    // 1000×15 + 1000×75 + 1000×18.75 + 1000×30 + 1000×1.5 = 140,250 per 1e6
    const u = record("claude-opus-4-1-20250805", {
      input: 1000,
      output: 1000,
      cacheWrite5m: 1000,
      cacheWrite1h: 1000,
      cacheRead: 1000,
    });
    assertUsd(costOf(u), 0.14025, "opus 4.1");
  });
  await t.step("Haiku 3.5's rounded cache prices", () => {
    const u = record("claude-3-5-haiku-20241022", { cacheWrite5m: 1e6, cacheRead: 1e6 });
    assertUsd(costOf(u), 1.08, "haiku 3.5");
  });
  await t.step(
    "Sonnet 4.5 above 200K prompt tokens bills the whole request at the 1M rates",
    () => {
      const at = record("claude-sonnet-4-5-20250929", {
        input: 10,
        cacheRead: 199_990,
        output: 1000,
      });
      // (10×3 + 199,990×0.3 + 1000×15) / 1e6: exactly 200K is not above it
      assertUsd(costOf(at), 0.075027, "at 200K");
      const above = { ...at, input: 11 };
      // (11×6 + 199,990×0.6 + 1000×22.5) / 1e6
      assertUsd(costOf(above), 0.14256, "above 200K");
    },
  );
  await t.step("Haiku 4.5 has no long-context tier", () => {
    const u = record("claude-haiku-4-5-20251001", { input: 300_000 });
    assertUsd(costOf(u), 0.3, "haiku 4.5");
  });
  await t.step("an override without a cache price leaves cached tokens unpriced", () => {
    const table = loadPriceOverrides({
      models: {
        "claude-nimbus-1": {
          input: 3,
          output: 15,
          cacheWrite5m: null,
          cacheWrite1h: null,
          cacheRead: null,
        },
      },
    });
    assertUsd(costOf(record("claude-nimbus-1", { input: 1e6 }), table), 3, "plain");
    assert.equal(costOf(record("claude-nimbus-1", { input: 1, cacheRead: 1 }), table), null);
  });
});

Deno.test("loadPriceOverrides() adds and changes models, and says what is wrong", async (t) => {
  const opus5 = record("claude-nimbus-1", { input: 10, output: 5 });
  await t.step("a new model, by id", () => {
    const table = loadPriceOverrides({
      asOf: "2026-11-01",
      models: {
        "claude-nimbus-1": {
          name: "Claude Nimbus 1",
          input: 5,
          output: 25,
          cacheWrite5m: 6.25,
          cacheWrite1h: 10,
          cacheRead: 0.5,
        },
      },
    });
    assertUsd(costOf(opus5, table), 0.000175, "nimbus 1"); // (10×5 + 5×25) / 1e6
    assert.equal(priceFor("claude-nimbus-1-20260101", table)?.name, "Claude Nimbus 1");
    assert.equal(costOf(opus5), null, "without the overrides it has no price");
    const counter = new UsageCounter({ prices: table });
    counter.add(assistant("m", { input_tokens: 10, output_tokens: 5 }, {
      requestId: "r",
      model: "claude-nimbus-1",
    }));
    assertUsd(counter.totals().usd, 0.000175, "counter with overrides");
  });
  await t.step("a partial override of a priced family keeps the rest", () => {
    const table = loadPriceOverrides({ models: { "haiku-4.5": { input: 0.9 } } });
    const price = priceFor("claude-haiku-4-5-20251001", table);
    assert.equal(price?.input, 0.9);
    assert.equal(price?.output, 5);
    assert.equal(price?.name, "Claude Haiku 4.5");
  });
  await t.step("an exact id beats its family", () => {
    const table = loadPriceOverrides({ models: { "claude-sonnet-4-20250514": { output: 10 } } });
    assert.equal(priceFor("claude-sonnet-4-20250514", table)?.output, 10);
    assert.equal(priceFor("claude-sonnet-4", table), null, "the bare id keeps its list price");
    assertUsd(costOf(record("claude-sonnet-4", { output: 1e6 }), table), 15, "list price");
    assertUsd(costOf(record("claude-sonnet-4-20250514", { output: 1e6 }), table), 10, "own");
    assert.ok(priceFor("claude-sonnet-4-20250514", table)?.longContext, "tier inherited");
  });
  await t.step("a long-context tier removed or added", () => {
    const table = loadPriceOverrides({
      models: {
        "sonnet-4.5": { longContext: null },
        "haiku-4.5": {
          longContext: {
            above: 100_000,
            input: 2,
            output: 10,
            cacheWrite5m: 2.5,
            cacheWrite1h: 4,
            cacheRead: 0.2,
          },
        },
      },
    });
    assertUsd(
      costOf(record("claude-sonnet-4-5", { input: 300_000 }), table),
      0.9,
      "no tier: 300K × 3",
    );
    assertUsd(
      costOf(record("claude-haiku-4-5", { input: 150_000 }), table),
      0.3,
      "new tier: 150K × 2",
    );
  });
  await t.step("clear errors, all at once", () => {
    const bad = (json: unknown) => {
      try {
        loadPriceOverrides(json);
      } catch (error) {
        assert.ok(error instanceof PriceFileError);
        return error.problems;
      }
      assert.fail("expected a PriceFileError");
    };
    assert.deepEqual(bad([]), ["expected an object, got []"]);
    assert.deepEqual(bad({}), ["models: expected an object of model → prices, got nothing"]);
    const problems = bad({
      model: {},
      models: {
        "claude-new": { input: 1, output: "5" },
        "sonnet-4.5": { input: -1, cache_read: 0.3 },
        "haiku-4.5": { longContext: { input: 2 } },
        "opus-4": 15,
      },
    });
    assert.deepEqual(problems, [
      'unknown field "model" (expected "models", and optionally "asOf")',
      'models["claude-new"].output: expected USD per million tokens, a number ≥ 0, got "5"',
      'models["claude-new"].cacheWrite5m: missing; a model the list prices do not cover needs all of input, output, cacheWrite5m, cacheWrite1h, cacheRead (null where the model has no cache price)',
      'models["claude-new"].cacheWrite1h: missing; a model the list prices do not cover needs all of input, output, cacheWrite5m, cacheWrite1h, cacheRead (null where the model has no cache price)',
      'models["claude-new"].cacheRead: missing; a model the list prices do not cover needs all of input, output, cacheWrite5m, cacheWrite1h, cacheRead (null where the model has no cache price)',
      'models["sonnet-4.5"]: unknown field "cache_read" (expected input, output, cacheWrite5m, cacheWrite1h, cacheRead, name, longContext)',
      'models["sonnet-4.5"].input: expected USD per million tokens, a number ≥ 0, got -1',
      'models["haiku-4.5"].longContext.output: missing; a new long-context tier needs all of input, output, cacheWrite5m, cacheWrite1h, cacheRead',
      'models["haiku-4.5"].longContext.cacheWrite5m: missing; a new long-context tier needs all of input, output, cacheWrite5m, cacheWrite1h, cacheRead (null where the model has no cache price)',
      'models["haiku-4.5"].longContext.cacheWrite1h: missing; a new long-context tier needs all of input, output, cacheWrite5m, cacheWrite1h, cacheRead (null where the model has no cache price)',
      'models["haiku-4.5"].longContext.cacheRead: missing; a new long-context tier needs all of input, output, cacheWrite5m, cacheWrite1h, cacheRead (null where the model has no cache price)',
      'models["haiku-4.5"].longContext.above: expected a whole number of tokens > 0, got nothing',
      'models["opus-4"]: expected an object of prices, got 15',
    ]);
  });
});
