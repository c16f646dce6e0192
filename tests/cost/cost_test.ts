/**
 * Cost you can trust: the counting rule and the prices, pinned on every Claude
 * fixture (tests/fixtures/transcripts/) against totals checked by hand.
 *
 * How the expected numbers were derived: a throwaway python3 script, sharing
 * no code with tailboard, read each file with `json.loads`, kept assistant
 * lines with `message.id` and `message.usage` and a model other than
 * `<synthetic>`, keyed them `id:requestId`, kept the largest token total per
 * key, and summed; costs used the list prices in USD per million tokens
 * (Sonnet 4/4.5: 3 in, 15 out, 3.75 cache write 5m, 0.30 cache read; Haiku
 * 4.5: 1 in, 5 out; Claude 3 Sonnet: 3 in, 15 out; Opus 5: 5 in, 25 out, as
 * Anthropic's pricing page lists them). The figures were then
 * checked line by line against the files (see the comments at each number).
 */

import assert from "node:assert/strict";
import type { ParsedEvent } from "../../core/event.ts";
import { parseLine } from "../../transcript/line.ts";
import { costOf } from "../../cost/cost.ts";
import { listPrice, PRICE_SOURCE } from "../../cost/list_prices.ts";
import {
  familyOf,
  loadPriceOverrides,
  modelIdOf,
  PriceFileError,
  priceFor,
} from "../../cost/prices.ts";
import {
  better,
  totalTokens,
  UsageCounter,
  usageOf,
  type UsageRecord,
  type UsageTotals,
} from "../../cost/usage.ts";
import { claudeTranscripts, transcript } from "../_harness/corpus.ts";

/** Token fields and cost of a file's (or the corpus's) deduplicated usage. */
interface Expected {
  records: number;
  input: number;
  output: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
  /** USD of the priced records; `usd` is null when `unpricedTokens` > 0. */
  pricedUsd: number;
  unpricedTokens: number;
}

const NONE: Expected = {
  records: 0,
  input: 0,
  output: 0,
  cacheWrite5m: 0,
  cacheWrite1h: 0,
  cacheRead: 0,
  pricedUsd: 0,
  unpricedTokens: 0,
};

/** Every Claude file of the corpus, hand-checked. A new file must be added here. */
const EXPECTED: Record<string, Expected> = {
  // A catalogue of line kinds: msg_stage0_1 on `claude-opus-5` (10 in, 5 out, with
  // `inference_geo: "us"`: (10×5 + 5×25) × 1.1 / 1e6), a `<synthetic>` line (skipped),
  // and five zero-token lines that all share the trimmed id "[trimmed for fixture]" and
  // so make one record.
  "agent-sessions/claude/small.jsonl": {
    ...NONE,
    records: 2,
    input: 10,
    output: 5,
    pricedUsd: 0.0001925,
  },
  // Assistant lines without `message.usage`: nothing to bill.
  "agent-sessions/claude/subagent/0a1b2c3d-4e5f-4061-8071-2a3b4c5d6e7f.jsonl": NONE,
  "agent-sessions/claude/subagent/0a1b2c3d-4e5f-4061-8071-2a3b4c5d6e7f/subagents/agent-a0ad4f44468bdf20d.jsonl":
    NONE,
  // Claude Code 2.0.28, Sonnet 4.5: 13 assistant lines, 6 messages. Final output per
  // message 436 + 126 + 112 + 123 + 1 + 46 = 844; input 10+14+13+10+14+13 = 74; cache
  // writes 3893+458+169+333+154+151 = 5158; reads 12135+16028+16486+16028+16361+16515 = 93553.
  // USD: (74×3 + 844×15 + 5158×3.75 + 93553×0.3) / 1e6 = 60290.4 / 1e6.
  "agtrace/7f2abd2d-7cfc-4447-9ddd-3ca8d14e02e9.jsonl": {
    ...NONE,
    records: 6,
    input: 74,
    output: 844,
    cacheWrite5m: 5158,
    cacheRead: 93553,
    pricedUsd: 0.0602904,
  },
  // Sonnet 4.5 "Warmup" sidechain: (487×3 + 130×15) / 1e6.
  "agtrace/agent-0c4c3cf8.jsonl": {
    ...NONE,
    records: 1,
    input: 487,
    output: 130,
    pricedUsd: 0.003411,
  },
  // Haiku 4.5: (476×1 + 137×5) / 1e6.
  "agtrace/agent-90fa40b6.jsonl": {
    ...NONE,
    records: 1,
    input: 476,
    output: 137,
    pricedUsd: 0.001161,
  },
  // Three Claude 3 Sonnet messages, 35+200+85 = 320 in, 145+25+180 = 350 out, and one
  // `claude-sonnet-4` (168 in, 85 out): (320×3 + 350×15 + 168×3 + 85×15) / 1e6 = 7989 / 1e6.
  "claude-code-log/edge_cases.jsonl": {
    ...NONE,
    records: 4,
    input: 488,
    output: 435,
    pricedUsd: 0.007989,
  },
  // Claude Code 1.0.98, Sonnet 4: 14 assistant lines, 7 messages. Output 322 + 285 + 146
  // + 41 + 1 + 86 + 72 = 953; input 3+6+7+61+5+6+5 = 93; writes 10816+304+435+243+425+346+129
  // = 12698; reads 4734+15550+15854+16289+16532+16957+17303 = 103219.
  // USD: (93×3 + 953×15 + 12698×3.75 + 103219×0.3) / 1e6 = 93157.2 / 1e6.
  "claude-code-viewer/1af7fc5e-8455-4414-9ccd-011d40f70b2a.jsonl": {
    ...NONE,
    records: 7,
    input: 93,
    output: 953,
    cacheWrite5m: 12698,
    cacheRead: 103219,
    pricedUsd: 0.0931572,
  },
};

/** The sum of the above: 21 records, 218,760 tokens, $0.1662011, every token priced. */
const ALL: Expected = {
  records: 21,
  input: 1628,
  output: 2504,
  cacheWrite5m: 17856,
  cacheWrite1h: 0,
  cacheRead: 196772,
  pricedUsd: 0.1662011,
  unpricedTokens: 0,
};

function eventsIn(text: string): ParsedEvent[] {
  return text.split("\n").filter((line) => line !== "").map((line) => parseLine(line).event);
}

async function eventsOf(name: string): Promise<ParsedEvent[]> {
  return eventsIn(await Deno.readTextFile(transcript(name)));
}

/** The Claude Code fixtures (told apart by their own shape, not by the parser), parsed. */
async function claudeFiles(): Promise<Map<string, ParsedEvent[]>> {
  const out = new Map<string, ParsedEvent[]>();
  for (const [name, text] of await claudeTranscripts()) out.set(name, eventsIn(text));
  return out;
}

function line(fields: Record<string, unknown>): ParsedEvent {
  return parseLine(JSON.stringify(fields)).event;
}

/** An assistant line as Claude Code writes it. */
function assistant(
  id: string,
  usage: Record<string, unknown>,
  extra: { requestId?: string; model?: string; ts?: string } = {},
): ParsedEvent {
  const record: Record<string, unknown> = {
    type: "assistant",
    uuid: crypto.randomUUID(),
    timestamp: extra.ts ?? "2025-12-09T19:47:54.563Z",
    message: {
      id,
      type: "message",
      role: "assistant",
      model: extra.model ?? "claude-sonnet-4-5-20250929",
      content: [{ type: "text", text: "ok" }],
      usage,
    },
  };
  if (extra.requestId !== undefined) record.requestId = extra.requestId;
  return line(record);
}

function assertTotals(actual: UsageTotals, records: number, expected: Expected, at: string) {
  assert.equal(records, expected.records, `${at}: records`);
  assert.deepEqual(
    {
      input: actual.input,
      output: actual.output,
      cacheWrite5m: actual.cacheWrite5m,
      cacheWrite1h: actual.cacheWrite1h,
      cacheRead: actual.cacheRead,
      unpricedTokens: actual.unpricedTokens,
    },
    {
      input: expected.input,
      output: expected.output,
      cacheWrite5m: expected.cacheWrite5m,
      cacheWrite1h: expected.cacheWrite1h,
      cacheRead: expected.cacheRead,
      unpricedTokens: expected.unpricedTokens,
    },
    at,
  );
  const tokens = expected.input + expected.output + expected.cacheWrite5m + expected.cacheWrite1h +
    expected.cacheRead;
  assert.equal(actual.tokens, tokens, `${at}: tokens`);
  assertUsd(actual.pricedUsd, expected.pricedUsd, `${at}: priced USD`);
  if (expected.unpricedTokens > 0) assert.equal(actual.usd, null, `${at}: usd`);
  else assertUsd(actual.usd, expected.pricedUsd, `${at}: usd`);
}

function assertUsd(actual: number | null, expected: number, at: string) {
  assert.ok(actual !== null, `${at}: got null`);
  assert.ok(Math.abs(actual - expected) < 1e-12, `${at}: ${actual} ≠ ${expected}`);
}

Deno.test("UsageCounter matches hand-checked totals on every Claude file of the corpus", async (t) => {
  const files = await claudeFiles();
  assert.deepEqual([...files.keys()], Object.keys(EXPECTED).sort(), "Claude files in the corpus");
  const all = new UsageCounter();
  for (const [name, events] of files) {
    await t.step(name, () => {
      const counter = new UsageCounter();
      for (const event of events) {
        counter.add(event, name);
        all.add(event, name);
      }
      assertTotals(counter.totals(), counter.records().length, EXPECTED[name]!, name);
      // Each file's records are its own in the shared counter too: no file replays another.
      assert.deepEqual(
        all.totals(name),
        counter.totals(),
        `${name}: attributed in the shared counter`,
      );
    });
  }
  await t.step("all files together", () => {
    assertTotals(all.totals(), all.records().length, ALL, "corpus");
  });
});

/** Adds up usage as a naive tool would: every line, or the first line of each key. */
function naive(events: ParsedEvent[], mode: "every line" | "first line"): UsageRecord[] {
  const seen = new Set<string>();
  const out: UsageRecord[] = [];
  for (const event of events) {
    const record = usageOf(event);
    if (record === null) continue;
    if (mode === "first line" && seen.has(record.key)) continue;
    seen.add(record.key);
    out.push(record);
  }
  return out;
}

function sum(
  records: UsageRecord[],
  field: "input" | "output" | "cacheWrite5m" | "cacheWrite1h" | "cacheRead",
) {
  return records.reduce((n, r) => n + r[field], 0);
}

Deno.test("summing every line overcounts the corpus about 2×", async () => {
  const events = [...(await claudeFiles()).values()].flat();
  const everyLine = naive(events, "every line").reduce((n, r) => n + totalTokens(r), 0);
  const counted = new UsageCounter();
  for (const event of events) counted.add(event);
  const right = counted.totals().tokens;
  // 462,459 tokens over 34 lines against 218,760 over 21 records: each block of a
  // message repeats its usage, and the cache reads dominate.
  assert.equal(everyLine, 462459);
  assert.equal(right, 218760);
  const ratio = everyLine / right;
  assert.ok(ratio > 2 && ratio < 2.5, `ratio ${ratio.toFixed(3)}`);

  for (
    const name of [
      "agtrace/7f2abd2d-7cfc-4447-9ddd-3ca8d14e02e9.jsonl", // 214,476 / 99,629 = 2.15×
      "claude-code-viewer/1af7fc5e-8455-4414-9ccd-011d40f70b2a.jsonl", // 245,815 / 116,963 = 2.10×
    ]
  ) {
    const fileEvents = await eventsOf(name);
    const counter = new UsageCounter();
    for (const event of fileEvents) counter.add(event);
    const fileRatio = naive(fileEvents, "every line").reduce((n, r) => n + totalTokens(r), 0) /
      counter.totals().tokens;
    assert.ok(fileRatio > 2 && fileRatio < 2.5, `${name}: ratio ${fileRatio.toFixed(3)}`);
  }
});

Deno.test("keeping the first line of each message loses its output tokens", async (t) => {
  await t.step("corpus: 991 output tokens instead of 2,504", async () => {
    const events = [...(await claudeFiles()).values()].flat();
    const first = naive(events, "first line");
    assert.equal(first.length, 21);
    assert.equal(sum(first, "output"), 991);
    assert.equal(sum(first, "input"), ALL.input, "input is the same on every line of a message");
    assert.ok(sum(first, "output") < ALL.output);
  });
  await t.step("Claude Code 2.0.28 file: 16 of 844 output tokens, nearly all lost", async () => {
    const events = await eventsOf("agtrace/7f2abd2d-7cfc-4447-9ddd-3ca8d14e02e9.jsonl");
    // First lines carry the streaming snapshot: 8, 1, 1, 4, 1, 1.
    assert.equal(sum(naive(events, "first line"), "output"), 16);
    const counter = new UsageCounter();
    for (const event of events) counter.add(event);
    assert.equal(counter.totals().output, 844);
  });
});

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

Deno.test("UsageCounter counts a message replayed into a second file once", async (t) => {
  const name = "agtrace/7f2abd2d-7cfc-4447-9ddd-3ca8d14e02e9.jsonl";
  const events = await eventsOf(name);
  await t.step("a resumed session replays the whole file", () => {
    const counter = new UsageCounter();
    for (const event of events) counter.add(event, "original.jsonl");
    const once = counter.totals();
    for (const event of events) counter.add(event, "resumed.jsonl");
    assert.deepEqual(counter.totals(), once);
    assertTotals(counter.totals(), counter.records().length, EXPECTED[name]!, "both files");
    assert.equal(counter.records("original.jsonl").length, 6);
    assert.deepEqual(counter.records("resumed.jsonl"), []);
  });
  await t.step("the larger of the two copies wins, whichever file has it", () => {
    const snapshot = assistant("msg_x", { input_tokens: 10, output_tokens: 1 }, {
      requestId: "req_x",
    });
    const final = assistant("msg_x", { input_tokens: 10, output_tokens: 300 }, {
      requestId: "req_x",
    });
    const counter = new UsageCounter();
    counter.add(snapshot, "a.jsonl");
    counter.add(final, "b.jsonl");
    assert.equal(counter.totals().output, 300);
    assert.equal(counter.records("a.jsonl").length, 1, "it stays with the file that had it first");
  });
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

function record(model: string, tokens: Partial<UsageRecord>): UsageRecord {
  return {
    key: "k",
    model,
    ts: undefined,
    vendor: "anthropic",
    input: 0,
    output: 0,
    cacheWrite5m: 0,
    cacheWrite1h: 0,
    cacheRead: 0,
    ...tokens,
  };
}

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
