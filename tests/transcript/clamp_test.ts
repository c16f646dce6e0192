import assert from "node:assert/strict";
import { clampEvent } from "../../transcript/clamp.ts";
import type { ParsedEvent } from "../../core/event.ts";
import { parseLine } from "../../transcript/line.ts";

function assistant(input: unknown, text = "ok"): ParsedEvent {
  return {
    kind: "assistant",
    bytes: 100,
    blocks: [{ type: "text", text }, { type: "tool_use", id: "t1", name: "Write", input }],
    model: "claude-opus-4-5",
    messageId: "msg_1",
    usage: { input_tokens: 3, output_tokens: 9 },
  };
}

Deno.test("clampEvent() returns a small event as the same object", () => {
  const event = assistant({ file_path: "/a", content: "x".repeat(1000) });
  assert.equal(clampEvent(event), event);
  const line = parseLine('{"type":"user","message":{"role":"user","content":"hello"}}').event;
  assert.equal(clampEvent(line), line);
});

Deno.test("clampEvent() cuts long strings to a preview and marks the event truncated", () => {
  const event: ParsedEvent = { kind: "text", bytes: 50_000, text: "a".repeat(50_000) };
  const clamped = clampEvent(event, 1000, 65_536);
  assert.equal(clamped.kind, "text");
  assert.equal(clamped.truncated, true);
  if (clamped.kind !== "text") return;
  assert.ok(clamped.text.startsWith("a".repeat(1000)));
  assert.ok(clamped.text.length < 1100);
  assert.match(clamped.text, /…\[\+49,000 chars\]$/);
  assert.equal(event.text.length, 50_000, "the input is not modified");
  assert.equal(event.truncated, undefined);
});

Deno.test("clampEvent() cuts strings inside tool inputs, arrays and nested objects", () => {
  const big = "y".repeat(40_000);
  const event = assistant({
    content: big,
    edits: [{ old_string: big, new_string: "z" }],
    meta: { deep: { s: big } },
  });
  const clamped = clampEvent(event, 2000, 65_536);
  assert.equal(clamped.truncated, true);
  assert.ok(clamped.kind === "assistant");
  const block = clamped.blocks[1];
  assert.ok(block?.type === "tool_use");
  const input = block.input as {
    content: string;
    edits: { old_string: string; new_string: string }[];
    meta: { deep: { s: string } };
  };
  assert.ok(input.content.length < 2100);
  assert.ok(input.edits[0]!.old_string.length < 2100);
  assert.equal(input.edits[0]!.new_string, "z");
  assert.ok(input.meta.deep.s.length < 2100);
  // What cost and pairing need survives.
  assert.equal(clamped.messageId, "msg_1");
  assert.deepEqual(clamped.usage, { input_tokens: 3, output_tokens: 9 });
  assert.equal(block.id, "t1");
});

Deno.test("clampEvent() keeps the whole event within the total budget, sharing it between strings", () => {
  const strings = Array.from({ length: 40 }, (_, i) => `${i}:`.padEnd(10_000, "q"));
  const event = assistant({ parts: strings });
  const clamped = clampEvent(event, 16_384, 65_536);
  assert.equal(clamped.truncated, true);
  assert.ok(JSON.stringify(clamped).length <= 70_000, `${JSON.stringify(clamped).length}`);
  const block = clamped.kind === "assistant" ? clamped.blocks[1] : undefined;
  const parts = (block?.type === "tool_use" ? block.input : {}) as { parts: string[] };
  // Every part keeps a preview: the budget is shared, not eaten by the first strings.
  assert.equal(parts.parts.length, 40);
  for (const [i, part] of parts.parts.entries()) {
    assert.ok(part.startsWith(`${i}:`), part.slice(0, 20));
  }
});

Deno.test("clampEvent() bounds events made of millions of tiny parts", () => {
  const event = assistant({ numbers: Array.from({ length: 1_000_000 }, (_, i) => i) });
  const clamped = clampEvent(event);
  assert.equal(clamped.truncated, true);
  const json = JSON.stringify(clamped);
  assert.ok(json.length <= 70_000, `${json.length}`);
  assert.match(json, /more items/);
  assert.ok(clamped.kind === "assistant");
  assert.equal(clamped.model, "claude-opus-4-5");
  assert.deepEqual(clamped.usage, { input_tokens: 3, output_tokens: 9 });
});

Deno.test("clampEvent() replaces nesting too deep to show", () => {
  let deep: unknown = "bottom";
  for (let i = 0; i < 10_000; i++) deep = [deep];
  const clamped = clampEvent(assistant(deep));
  assert.equal(clamped.truncated, true);
  assert.match(JSON.stringify(clamped), /nested too deep/);
});

Deno.test("clampEvent() never splits a surrogate pair", () => {
  const event: ParsedEvent = { kind: "text", bytes: 0, text: "🎉".repeat(100) };
  for (const cap of [1, 2, 3, 7, 8, 51]) {
    const clamped: ParsedEvent = clampEvent(event, cap, 65_536);
    const text: string = clamped.kind === "text" ? clamped.text : "";
    assert.ok(!/[\ud800-\udbff](?![\udc00-\udfff])/.test(text), `cap ${cap}`);
    assert.equal(new TextDecoder().decode(new TextEncoder().encode(text)), text);
  }
});

Deno.test("clampEvent() keeps a __proto__ key as data", () => {
  const line =
    `{"type":"assistant","message":{"content":[{"type":"tool_use","id":"t","name":"X","input":{"__proto__":{"polluted":"${
      "p".repeat(20_000)
    }"}}}]}}`;
  const clamped = clampEvent(parseLine(line).event);
  assert.equal(clamped.truncated, true);
  const block = clamped.kind === "assistant" ? clamped.blocks[0] : undefined;
  const input = (block?.type === "tool_use" ? block.input : {}) as Record<string, unknown>;
  assert.ok(Object.hasOwn(input, "__proto__"));
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.match(JSON.stringify(clamped), /"__proto__":\{"polluted":"ppp/);
});

Deno.test("parseLine() and clampEvent() turn a 20 MB line into an event of about 64 KB", () => {
  const huge = "L".repeat(10_000_000);
  const line = JSON.stringify({
    type: "user",
    uuid: "big",
    message: {
      role: "user",
      content: [{ type: "tool_result", tool_use_id: "toolu_big", content: huge }],
    },
    toolUseResult: { stdout: huge, stderr: "", interrupted: false },
  });
  assert.ok(line.length > 20_000_000);
  // How fast (not quadratic) is bench/pure.ts's to judge.
  const parsed = parseLine(line);
  const clamped = clampEvent(parsed.event);
  assert.equal(clamped.truncated, true);
  assert.equal(clamped.bytes, line.length);
  const json = JSON.stringify(clamped);
  assert.ok(json.length <= 70_000, `${json.length}`);
  assert.ok(clamped.kind === "tool_result");
  assert.equal(clamped.uuid, "big");
  const block = clamped.blocks[0];
  assert.ok(block?.type === "tool_result");
  assert.equal(block.toolUseId, "toolu_big");
  assert.ok(block.text.startsWith("LLLL"));
  assert.ok(clamped.result?.type === "bash" && clamped.result.stdout.startsWith("LLLL"));
});
