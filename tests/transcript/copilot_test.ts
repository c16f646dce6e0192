import assert from "node:assert/strict";
import type { ParsedEvent } from "../../core/event.ts";
import { parseLine } from "../../transcript/line.ts";
import { transcript } from "../_harness/corpus.ts";

const FIXTURE = new URL("../fixtures/shapes/copilot/events.jsonl", import.meta.url);

const parsed = (await Deno.readTextFile(FIXTURE)).split("\n").filter(Boolean).map((l) =>
  parseLine(l)
);
const events = parsed.map((l) => l.event);

function kind<K extends ParsedEvent["kind"]>(k: K) {
  return events.filter((e): e is Extract<ParsedEvent, { kind: K }> => e.kind === k);
}

Deno.test("parseLine() reads a Copilot session's start: cwd and session id", () => {
  assert.ok(parsed.every((l) => l.format === "copilot"));
  assert.equal(parsed[0]!.cwd, "/home/ada/api");
  assert.equal(parsed[0]!.sessionId, "3e8c1f2a-5b6d-4c7e-8f90-a1b2c3d4e5f6");
  assert.equal(kind("user")[0]!.text, "Make the health endpoint return the version");
});

Deno.test("parseLine() reads Copilot tool requests and completions as paired calls and results", () => {
  const blocks = kind("assistant").flatMap((a) => a.blocks);
  const calls = blocks.filter((b) => b.type === "tool_use");
  assert.deepEqual(calls.map((c) => [c.id, c.name]), [
    ["toolu_01", "edit"],
    ["toolu_02", "bash"],
    ["toolu_03", "task"],
  ]);
  const results = kind("tool_result");
  const resultBlocks = results.flatMap((r) => r.blocks).filter((b) => b.type === "tool_result");
  assert.deepEqual(resultBlocks.map((b) => [b.toolUseId, b.isError]), [
    ["toolu_01", false],
    ["toolu_02", true],
    ["toolu_03", false],
  ]);
  // The edit's detailed content is a unified diff, kept for the edit card.
  const diff = results[0]!.result;
  assert.ok(diff?.type === "diff");
  assert.match(diff.diff, /^diff --git/);
  assert.ok(diff.diff.includes("+  res.json({ ok: true, version: pkg.version });"));
  assert.deepEqual(blocks[0], { type: "thinking", text: "The handler is in src/health.ts." });
});

Deno.test("parseLine() folds Copilot's execution starts and subagent events into their calls", () => {
  const progress = kind("progress");
  assert.deepEqual(progress.map((p) => [p.subtype, p.toolUseId]), [
    ["tool.execution_start", "toolu_01"],
    ["tool.execution_start", "toolu_02"],
    ["subagent.started", "toolu_03"],
    ["subagent.completed", "toolu_03"],
  ]);
  assert.equal(progress[2]!.text, "Explore started: Fast read-only codebase search");
});

Deno.test("parseLine() reads Copilot turns, idle and errors as bookkeeping and errors", () => {
  assert.deepEqual(kind("meta").map((m) => m.subtype), [
    "session.start",
    "assistant.turn_start",
    "assistant.turn_end",
    "session.idle",
  ]);
  const errors = kind("system");
  assert.equal(errors.length, 1);
  assert.equal(errors[0]!.isError, true);
  assert.match(errors[0]!.text, /premium request allowance/);
});

Deno.test("parseLine() treats an empty Copilot prompt with transformed content as injected", () => {
  const { event } = parseLine(JSON.stringify({
    type: "user.message",
    data: {
      content: "",
      transformedContent: "<current_datetime>…</current_datetime>\nKeep working",
    },
    id: "x",
    timestamp: "T",
  }));
  assert.ok(event.kind === "user" && event.isMeta === true);
});

Deno.test("corpus: a real Copilot CLI 1.0.34 session (Mai0313/VibeCodingTracker) pairs its 11 tool calls", async () => {
  const text = await Deno.readTextFile(
    transcript("Mai0313--VibeCodingTracker/tests/fixtures/sessions/copilot.jsonl"),
  );
  const real = text.split("\n").filter(Boolean).map((l) => parseLine(l));
  assert.equal(real.length, 51);
  assert.ok(real.every((l) => l.format === "copilot"));
  assert.equal(real[0]!.cwd, "/home/wei/repo/VibeCodingTracker");
  const evs = real.map((l) => l.event);
  const calls = evs.flatMap((e) =>
    e.kind === "assistant" ? e.blocks.flatMap((b) => b.type === "tool_use" ? [b.id] : []) : []
  );
  const results = evs.flatMap((e) =>
    e.kind === "tool_result"
      ? e.blocks.flatMap((b) => b.type === "tool_result" ? [b.toolUseId] : [])
      : []
  );
  assert.equal(calls.length, 11);
  assert.deepEqual([...results].sort(), [...calls].sort());
  const prompts = evs.filter((e) => e.kind === "user");
  assert.deepEqual(prompts.map((p) => p.kind === "user" && p.isMeta === true), [false, true]);
  const thinking = evs.filter((e) => e.kind === "assistant" && e.blocks[0]?.type === "thinking");
  assert.equal(thinking.length, 4, "reasoningText shows as thinking");
  const shutdown = evs.at(-1)!;
  assert.ok(
    shutdown.kind === "meta" && shutdown.text.startsWith("session ended: 186,809 in, 2,848 out"),
  );
});

Deno.test("parseLine() reads Copilot's token counts: per message, per model at shutdown", async () => {
  const real = (await Deno.readTextFile(
    transcript("Mai0313--VibeCodingTracker/tests/fixtures/sessions/copilot.jsonl"),
  )).split("\n").filter(Boolean).map((l) => parseLine(l).event);
  const replies = real.filter((e) => e.kind === "assistant" && e.usage !== undefined);
  assert.deepEqual(
    replies.map((e) => e.kind === "assistant" && e.usage?.output_tokens),
    [311, 170, 141, 153, 1379, 694],
  );
  const switches = real.filter((e) => e.kind === "meta" && e.model !== undefined);
  assert.deepEqual(switches.map((e) => e.kind === "meta" && e.model), [
    "claude-sonnet-4.6",
    "claude-sonnet-4.6",
  ]);
  const shutdown = real.find((e) => e.kind === "meta" && e.subtype === "session.shutdown");
  assert.ok(shutdown?.kind === "meta");
  assert.deepEqual(shutdown.modelUsage, [{
    model: "claude-sonnet-4.6",
    input: 186809,
    output: 2848,
    cacheRead: 151738,
    cacheWrite: 0,
  }]);
  // The SDK's per-call event, should a file ever hold one: typed, in words.
  const usage = parseLine(JSON.stringify({
    type: "assistant.usage",
    id: "u1",
    timestamp: "2026-04-23T17:09:00.000Z",
    parentId: null,
    data: { model: "gpt-5.4", inputTokens: 12000, outputTokens: 340, cacheReadTokens: 9000 },
  })).event;
  assert.equal(usage.kind, "meta");
  assert.equal(
    usage.kind === "meta" && usage.text,
    "usage: gpt-5.4 · 12,000 in, 340 out, 9,000 cached",
  );
});
