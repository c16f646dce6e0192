import assert from "node:assert/strict";
import type { Block, ParsedEvent } from "../../core/event.ts";
import { type ParsedLine, parseLine } from "../../transcript/line.ts";
import { transcript } from "../_harness/corpus.ts";

const SHAPES = new URL("../fixtures/shapes/gemini/", import.meta.url);

async function lines(name: string): Promise<ParsedLine[]> {
  const text = await Deno.readTextFile(new URL(name, SHAPES));
  return text.split("\n").filter(Boolean).map((l) => parseLine(l));
}

function kind<K extends ParsedEvent["kind"]>(events: ParsedEvent[], k: K) {
  return events.filter((e): e is Extract<ParsedEvent, { kind: K }> => e.kind === k);
}

Deno.test("parseLine() reads a Gemini chat: header, prompts, replies with tool calls and results", async () => {
  const parsed = await lines("session-2026-05-02T08-00-7d3f0c1e.jsonl");
  assert.ok(parsed.every((l) => l.format === "gemini"));
  assert.equal(parsed[0]!.sessionId, "7d3f0c1e-2b4a-4e8f-9c1d-5a6b7c8d9e0f");
  const events = parsed.map((l) => l.event);
  assert.deepEqual(kind(events, "user").map((u) => u.text), [
    "Rename the config loader to loadSettings",
    "Also update the import in src/main.ts",
  ]);
  const replies = kind(events, "assistant");
  const blocks: Block[] = replies.flatMap((r) => r.blocks);
  const calls = blocks.filter((b) => b.type === "tool_use");
  const results = blocks.filter((b) => b.type === "tool_result");
  assert.deepEqual(calls.map((c) => c.name), ["replace", "run_shell_command", "write_file"]);
  assert.deepEqual(results.map((r) => r.toolUseId), calls.map((c) => c.id), "each call answered");
  assert.deepEqual(results.map((r) => r.isError), [false, true, true], "error and cancelled fail");
  assert.match(results[1]!.text, /TS2305/);
  assert.equal(results[2]!.text, "cancelled");
  assert.deepEqual(blocks.find((b) => b.type === "thinking"), {
    type: "thinking",
    text: "**Locating the loader**\nIt lives in src/config.ts.",
  });
  const first = replies[0]!;
  assert.equal(first.model, "gemini-2.5-pro");
  assert.equal(first.messageId, "m2");
  // Cached tokens are counted once, as cache reads; thoughts are output.
  assert.deepEqual(first.usage, {
    input_tokens: 1024,
    output_tokens: 62,
    cache_read_input_tokens: 4096,
  });
});

Deno.test("parseLine() reads Gemini checkpoints, rewinds, info, warnings and errors as typed lines", async () => {
  const events = (await lines("session-2026-05-02T08-00-7d3f0c1e.jsonl")).map((l) => l.event);
  const meta = kind(events, "meta");
  assert.deepEqual(meta.map((m) => m.subtype), ["session", "checkpoint", "checkpoint", "rewind"]);
  assert.equal(meta.at(-1)!.text, "rewound to m3");
  // The feed retracts by these: the rewind's target, and every message's own id.
  assert.equal(meta.at(-1)!.rewindTo, "m3");
  assert.deepEqual(
    events.filter((e) => e.recordId !== undefined).map((e) => e.recordId),
    ["m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8"],
  );
  assert.equal(meta.find((m) => m.subtype === "checkpoint")?.recordId, undefined);
  const system = kind(events, "system");
  assert.deepEqual(system.map((s) => [s.subtype, s.isError === true]), [
    ["info", false],
    ["error", true],
    ["warning", false],
  ]);
});

Deno.test("parseLine() tells a Gemini prompt from a Claude one by content", () => {
  const gemini = parseLine('{"id":"x","timestamp":"T","type":"user","content":[{"text":"hi"}]}');
  assert.equal(gemini.format, "gemini");
  assert.equal(gemini.event.kind, "user");
  const claude = parseLine(
    '{"type":"user","uuid":"u","timestamp":"T","message":{"role":"user","content":"hi"}}',
  );
  assert.equal(claude.format, "claude");
  assert.equal(claude.event.kind === "user" && claude.event.text, "hi");
});

Deno.test("corpus: a real Gemini CLI chat (Mai0313/VibeCodingTracker) reads as prompts, thinking and paired tools", async () => {
  const text = await Deno.readTextFile(
    transcript("Mai0313--VibeCodingTracker/tests/fixtures/sessions/gemini.jsonl"),
  );
  const parsed = text.split("\n").filter(Boolean).map((l) => parseLine(l));
  assert.equal(parsed.length, 28);
  assert.ok(parsed.every((l) => l.format === "gemini"));
  assert.equal(parsed[0]!.sessionId, "0ab84937-9fe7-4284-986a-33c832af0b6a");
  const events = parsed.map((l) => l.event);
  assert.equal(kind(events, "user").length, 3);
  assert.equal(kind(events, "assistant").length, 11);
  assert.equal(kind(events, "meta").length, 12, "the header and 11 checkpoints");
  assert.deepEqual(kind(events, "system").map((s) => s.text), [
    "Empty GEMINI.md created. Now analyzing the project to populate it.",
    "Request cancelled.",
  ]);
  const blocks = kind(events, "assistant").flatMap((a) => a.blocks);
  const names = new Set(blocks.flatMap((b) => b.type === "tool_use" ? [b.name] : []));
  assert.deepEqual([...names].sort(), ["read_file", "replace", "update_topic", "write_file"]);
  const calls = new Set(blocks.flatMap((b) => b.type === "tool_use" ? [b.id] : []));
  const answered = new Set(blocks.flatMap((b) => b.type === "tool_result" ? [b.toolUseId] : []));
  for (const id of answered) assert.ok(calls.has(id), `result ${id} has its call`);
  const models = new Set(kind(events, "assistant").map((a) => a.model));
  assert.deepEqual([...models].sort(), ["gemini-3-flash-preview", "gemini-3.1-pro-preview"]);
});
