/** Counting each response once: synthetic lines, Task results, replays, cache splits, unknown models. */
import assert from "node:assert/strict";
import { costOf } from "../../cost/cost.ts";
import { listPrice } from "../../cost/list_prices.ts";
import { better, totalTokens, UsageCounter, usageOf, type UsageRecord } from "../../cost/usage.ts";
import { assertUsd, assistant, eventsOf, line } from "./_claude_lines.ts";

Deno.test("usageOf() skips synthetic messages", async (t) => {
  await t.step("the corpus's <synthetic> line", async () => {
    const events = await eventsOf("agent-sessions/claude/small.jsonl");
    const synthetic = events.filter((e) => e.kind === "assistant" && e.model === "<synthetic>");
    assert.equal(synthetic.length, 1);
    assert.equal(usageOf(synthetic[0]!), null);
  });
  await t.step("even one that reports tokens", () => {
    const event = assistant("msg_syn", { input_tokens: 500, output_tokens: 40 }, {
      model: "<synthetic>",
      requestId: "req_syn",
    });
    assert.equal(event.kind === "assistant" && event.synthetic, true);
    assert.equal(usageOf(event), null);
    const counter = new UsageCounter();
    counter.add(event);
    assert.equal(counter.totals().tokens, 0);
  });
  await t.step("the parser's synthetic flag on its own", () => {
    const event = assistant("msg_flag", { input_tokens: 5, output_tokens: 5 }, {
      requestId: "req_flag",
    });
    assert.ok(event.kind === "assistant");
    assert.equal(usageOf({ ...event, synthetic: true }), null);
  });
});

Deno.test("usageOf() never adds a Task tool result's usage", () => {
  // The parent's line for a finished Task: its `usage` is the subagent's, whose own
  // lines (agent-*.jsonl) already carry those tokens.
  const event = line({
    type: "user",
    uuid: "u-task",
    timestamp: "2025-12-09T19:46:00.000Z",
    message: {
      role: "user",
      content: [{ type: "tool_result", tool_use_id: "toolu_task", content: "done" }],
    },
    toolUseResult: {
      status: "completed",
      agentId: "a0ad4f44468bdf20d",
      totalTokens: 12345,
      usage: {
        input_tokens: 487,
        output_tokens: 130,
        cache_creation_input_tokens: 4000,
        cache_read_input_tokens: 7728,
      },
    },
  });
  assert.equal(event.kind, "tool_result");
  assert.ok(event.kind === "tool_result" && event.result?.type === "task" && event.result.usage);
  assert.equal(usageOf(event), null);
  const counter = new UsageCounter();
  counter.add(event);
  assert.deepEqual(counter.records(), []);
  assert.equal(counter.totals().tokens, 0);
});

Deno.test("usageOf() keys on message id alone when requestId is missing", () => {
  const first = assistant("msg_noreq", { input_tokens: 12, output_tokens: 2 });
  const last = assistant("msg_noreq", { input_tokens: 12, output_tokens: 90 });
  assert.equal(usageOf(first)?.key, "msg_noreq");
  assert.equal(
    usageOf(assistant("msg_req", { input_tokens: 1 }, { requestId: "req_1" }))?.key,
    "msg_req:req_1",
  );
  const counter = new UsageCounter();
  counter.add(first);
  counter.add(last);
  assert.equal(counter.records().length, 1);
  assert.equal(counter.totals().output, 90);
  assert.equal(counter.totals().input, 12);
  // Lines without a message id cannot be deduplicated, so they are not counted at all.
  assert.equal(usageOf(line({ type: "assistant", message: { usage: { input_tokens: 9 } } })), null);
});

Deno.test("usageOf() reads the 5-minute / 1-hour split of cache writes", async (t) => {
  await t.step("split present", () => {
    const record = usageOf(assistant("msg_1h", {
      input_tokens: 3,
      output_tokens: 10,
      cache_creation_input_tokens: 1500,
      cache_read_input_tokens: 200,
      cache_creation: { ephemeral_5m_input_tokens: 500, ephemeral_1h_input_tokens: 1000 },
    }, { requestId: "r" }));
    assert.deepEqual(record && { ...record, key: "", ts: "" }, {
      key: "",
      ts: "",
      model: "claude-sonnet-4-5-20250929",
      vendor: "anthropic",
      input: 3,
      output: 10,
      cacheWrite5m: 500,
      cacheWrite1h: 1000,
      cacheRead: 200,
    });
    // (3×3 + 10×15 + 500×3.75 + 1000×6 + 200×0.3) / 1e6
    assertUsd(costOf(record!), 0.008094, "cost");
  });
  await t.step("split absent: all writes at the 5-minute price", () => {
    const record = usageOf(assistant("msg_old", {
      input_tokens: 3,
      output_tokens: 10,
      cache_creation_input_tokens: 1500,
    }, { requestId: "r" }));
    assert.equal(record?.cacheWrite5m, 1500);
    assert.equal(record?.cacheWrite1h, 0);
  });
  await t.step("split present but empty: the total still counts", () => {
    const record = usageOf(assistant("msg_empty", {
      cache_creation_input_tokens: 700,
      cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
    }, { requestId: "r" }));
    assert.equal(record?.cacheWrite5m, 700);
  });
  await t.step("junk counts are zero", () => {
    const record = usageOf(assistant("msg_junk", {
      input_tokens: "12",
      output_tokens: -4,
      cache_read_input_tokens: null,
    }, { requestId: "r" }));
    assert.equal(record && totalTokens(record), 0);
  });
});

Deno.test("an unknown model's tokens are counted and its cost is null", async (t) => {
  await t.step("a model no price list knows", () => {
    const nimbus = usageOf(assistant("m", { input_tokens: 10, output_tokens: 5 }, {
      requestId: "r",
      model: "claude-nimbus-1",
    }));
    assert.ok(nimbus);
    assert.equal(listPrice("claude-nimbus-1", "anthropic"), null);
    assert.equal(costOf(nimbus), null);
    const counter = new UsageCounter();
    counter.add(assistant("m", { input_tokens: 10, output_tokens: 5 }, {
      requestId: "r",
      model: "claude-nimbus-1",
    }));
    const totals = counter.totals();
    assert.equal(totals.tokens, 15);
    assert.equal(totals.unpricedTokens, 15);
    assert.equal(totals.usd, null);
  });
  await t.step("one unknown model makes the whole sum unknown, the priced part kept", () => {
    const counter = new UsageCounter();
    counter.add(assistant("a", { input_tokens: 1000, output_tokens: 100 }, { requestId: "1" }));
    counter.add(
      assistant("b", { input_tokens: 50 }, { requestId: "2", model: "claude-nimbus-1" }),
    );
    const totals = counter.totals();
    assert.equal(totals.usd, null);
    assertUsd(totals.pricedUsd, 0.0045, "priced part"); // (1000×3 + 100×15) / 1e6
    assert.equal(totals.unpricedTokens, 50);
  });
  await t.step("a zero-token record of an unknown model leaves the sum known", () => {
    const counter = new UsageCounter();
    counter.add(assistant("a", { input_tokens: 1000 }, { requestId: "1" }));
    counter.add(assistant("b", { input_tokens: 0 }, { requestId: "2", model: "claude-nimbus-1" }));
    assertUsd(counter.totals().usd, 0.003, "usd");
  });
  await t.step("a line that names no model", () => {
    const record = usageOf(line({
      type: "assistant",
      requestId: "r",
      message: { id: "m", usage: { input_tokens: 7 } },
    }));
    assert.equal(record?.model, "");
    assert.equal(record && costOf(record), null);
  });
});

Deno.test("better() keeps the larger token total, the first on a tie", () => {
  const base: UsageRecord = {
    key: "k",
    model: "claude-sonnet-4-5-20250929",
    ts: undefined,
    vendor: "anthropic",
    input: 10,
    output: 1,
    cacheWrite5m: 100,
    cacheWrite1h: 0,
    cacheRead: 1000,
  };
  const final = { ...base, output: 436 };
  assert.equal(better(base, final), final);
  assert.equal(better(final, base), final);
  const twin = { ...base };
  assert.equal(better(base, twin), base);
  assert.equal(totalTokens(final), 1546);
});
