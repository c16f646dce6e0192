import assert from "node:assert/strict";
import type { Block, ParsedEvent } from "../../core/event.ts";
import { type ParsedLine, parseLine } from "../../transcript/line.ts";

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
