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
import { totalTokens, UsageCounter, usageOf, type UsageRecord } from "../../cost/usage.ts";
import {
  assertTotals,
  assistant,
  claudeFiles,
  eventsOf,
  type Expected,
  NONE,
} from "./_claude_lines.ts";

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
