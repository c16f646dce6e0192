/**
 * The list prices: from @pydantic/genai-prices, offline, at each response's
 * own time, with tailboard's corrections where the catalogue is wrong.
 */

import assert from "node:assert/strict";
import { costOf } from "../../cost/cost.ts";
import { CORRECTIONS } from "../../cost/corrections.ts";
import { listCost, listPrice, PRICE_SOURCE } from "../../cost/list_prices.ts";
import { record } from "./_record.ts";

function close(actual: number | null, expected: number) {
  assert.ok(actual !== null && Math.abs(actual - expected) < 1e-12, `${actual} ≠ ${expected}`);
}

Deno.test("the models of 2026 have list prices (USD per million tokens)", () => {
  const cases: [string, "anthropic" | "openai", number, number][] = [
    ["claude-sonnet-4-6", "anthropic", 3, 15],
    ["claude-opus-4-8", "anthropic", 5, 25],
    ["claude-fable-5", "anthropic", 10, 50],
    ["gpt-5.5", "openai", 5, 30],
    ["gpt-5.4-mini", "openai", 0.75, 4.5],
  ];
  for (const [model, vendor, input, output] of cases) {
    const price = listPrice(model, vendor, "2026-11-01T00:00:00Z");
    assert.equal(price?.input, input, model);
    assert.equal(price?.output, output, model);
  }
});

Deno.test("prices are read at the response's own time", () => {
  // Sonnet 4.6 dropped its >200K tier on 2026-03-13: 250,000 input tokens cost
  // 250,000 × 6 before and × 3 after.
  const tokens = { input: 250_000 };
  close(costOf(record("claude-sonnet-4-6", tokens, "2026-03-12T23:59:59Z")), 1.5);
  close(costOf(record("claude-sonnet-4-6", tokens, "2026-03-13T00:00:01Z")), 0.75);
  // A line without a usable time is priced at today's list price.
  close(costOf(record("claude-sonnet-4-6", tokens, "[trimmed for fixture]")), 0.75);
});

Deno.test("correction: Claude Sonnet 4 over 200K bills the whole request at $6 / $22.50", () => {
  assert.deepEqual(CORRECTIONS.map((c) => c.model.id), ["claude-sonnet-4-0"]);
  const at = record("claude-sonnet-4-20250514", { input: 10, cacheRead: 199_990, output: 1000 });
  // (10×3 + 199,990×0.3 + 1,000×15) / 1e6: exactly 200K is not above it
  close(costOf(at), 0.075027);
  // (11×6 + 199,990×0.6 + 1,000×22.5) / 1e6
  close(costOf({ ...at, input: 11 }), 0.14256);
  assert.equal(listPrice("claude-sonnet-4", "anthropic")?.longContext?.input, 6);
});

Deno.test("a model the catalogue does not know has no price, never a neighbour's", () => {
  for (const model of ["claude-nimbus-1", "gpt-9", "codex-auto-review", "google/gemma-4-31B-it"]) {
    assert.equal(listCost({ ...record(model, { input: 1 }) }, model, "anthropic", undefined), null);
    assert.equal(listCost({ ...record(model, { input: 1 }) }, model, "openai", undefined), null);
  }
  assert.equal(costOf(record("", { input: 5 })), null, "no model named");
});

Deno.test("the price source is named, dated and pinned in deno.json", async () => {
  assert.equal(PRICE_SOURCE.name, "@pydantic/genai-prices");
  assert.match(PRICE_SOURCE.asOf, /^\d{4}-\d{2}-\d{2}$/);
  const deno = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)));
  assert.equal(deno.imports[PRICE_SOURCE.name], `npm:${PRICE_SOURCE.name}@${PRICE_SOURCE.version}`);
});

Deno.test("pricing works with the network, environment and subprocesses denied", async () => {
  // A child process with every permission denied prices a response: the catalogue
  // is embedded, and nothing in it reaches for the network at run time.
  const script = `
    import { costOf } from ${JSON.stringify(new URL("../../cost/cost.ts", import.meta.url).href)};
    console.log(costOf({ key: "k", model: "gpt-5.5", ts: "2026-09-01T00:00:00Z", vendor: "openai",
      input: 1000, output: 100, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 }));`;
  const dir = await Deno.makeTempDir({ prefix: "tailboard-offline-" });
  try {
    const file = `${dir}/price.ts`;
    await Deno.writeTextFile(file, script);
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--no-prompt",
        "--cached-only",
        `--config=${new URL("../../deno.json", import.meta.url).pathname}`,
        "--deny-net",
        "--deny-env",
        "--deny-sys",
        "--deny-run",
        "--deny-write",
        file,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assert.ok(out.success, stderr);
    // (1,000×5 + 100×30) / 1e6
    assert.equal(new TextDecoder().decode(out.stdout).trim(), "0.008");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("costs come out the same as pricing against the whole catalogue, for every model it lists", async () => {
  // listCost narrows the catalogue to the one entry a model resolves to (its
  // garbage per call is a fraction); this is the reference it must agree with.
  const { calcPrice, findProvider } = await import("@pydantic/genai-prices");
  const times = [undefined, "2024-01-01T00:00:00Z", "2025-08-01T12:00:00Z", "2026-03-12T23:59:59Z"];
  const sizes = [
    { input: 1000, output: 500, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0 },
    { input: 10, output: 2000, cacheWrite5m: 150_000, cacheWrite1h: 20_000, cacheRead: 90_000 },
  ];
  let compared = 0;
  for (const vendor of ["anthropic", "openai"] as const) {
    const base = findProvider({ providerId: vendor })!;
    const fixes = CORRECTIONS.filter((c) => c.provider === vendor).map((c) => c.model);
    const whole = { ...base, models: [...fixes, ...base.models] };
    const ids = whole.models.flatMap((m) => [m.id, `${m.id}-20250929`, `${m.id.toUpperCase()} `]);
    for (const model of [...ids, "claude-nimbus-1", "gpt-9"]) {
      for (const ts of times) {
        for (const t of sizes) {
          let expected: number | null;
          try {
            expected = calcPrice(
              {
                input_tokens: t.input + t.cacheWrite5m + t.cacheWrite1h + t.cacheRead,
                cache_write_tokens: t.cacheWrite5m + t.cacheWrite1h,
                cache_write_1h_tokens: t.cacheWrite1h,
                cache_read_tokens: t.cacheRead,
                output_tokens: t.output,
              },
              model,
              { provider: whole, timestamp: ts ? new Date(ts) : new Date() },
            )
              ?.total_price ?? null;
          } catch {
            expected = null;
          }
          assert.equal(listCost(t, model, vendor, ts), expected, `${vendor} ${model} ${ts}`);
          compared++;
        }
      }
    }
  }
  assert.ok(compared > 500, `only ${compared} compared`);
});
