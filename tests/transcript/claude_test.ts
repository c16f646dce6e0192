/** Claude Code lines: the fields every event carries, prompts, assistant messages, damage. */
import assert from "node:assert/strict";
import { parseLine } from "../../transcript/line.ts";
import { as, common, parse } from "./_claude.ts";

Deno.test("parseLine() copies uuid, parentUuid, timestamp and isSidechain onto every event", () => {
  const event = parse({ ...common, type: "user", message: { role: "user", content: "hi" } });
  assert.equal(event.uuid, "u-1");
  assert.equal(event.parentUuid, "u-0");
  assert.equal(event.ts, "2025-12-16T00:00:01.000Z");
  assert.equal(event.sidechain, false);
  const root = parse({
    type: "system",
    subtype: "compact_boundary",
    parentUuid: null,
    isSidechain: true,
  });
  assert.equal(root.parentUuid, undefined);
  assert.equal(root.sidechain, true);
});

Deno.test("parseLine() reads user prompts given as a string or as blocks", () => {
  const plain = as(
    parse({ ...common, type: "user", message: { role: "user", content: "Hello" } }),
    "user",
  );
  assert.equal(plain.text, "Hello");
  assert.deepEqual(plain.blocks, [{ type: "text", text: "Hello" }]);

  const blocks = as(
    parse({
      type: "user",
      message: {
        role: "user",
        content: [
          { type: "image", source: { type: "base64", media_type: "image/png", data: "AAAA" } },
          { type: "text", text: "what is this?" },
          { type: "document", title: "spec.pdf", source: {} },
        ],
      },
    }),
    "user",
  );
  assert.equal(blocks.text, "what is this?");
  assert.deepEqual(blocks.blocks, [
    { type: "image", mediaType: "image/png" },
    { type: "text", text: "what is this?" },
    { type: "document", title: "spec.pdf" },
  ]);
});

Deno.test("parseLine() marks isMeta user lines", () => {
  const meta = as(
    parse({
      type: "user",
      isMeta: true,
      message: { role: "user", content: "Caveat: local commands" },
    }),
    "user",
  );
  assert.equal(meta.isMeta, true);
  const human = as(
    parse({ type: "user", isMeta: false, message: { role: "user", content: "hi" } }),
    "user",
  );
  assert.equal(human.isMeta, undefined);
});

Deno.test("parseLine() marks compaction summaries written as user lines", () => {
  const event = as(
    parse({
      type: "user",
      isCompactSummary: true,
      message: { role: "user", content: "Summary of prior context." },
    }),
    "user",
  );
  assert.equal(event.isCompactSummary, true);
  assert.equal(event.text, "Summary of prior context.");
});

Deno.test("parseLine() keeps message id, requestId, model, usage and stop_reason on assistant lines", () => {
  const usage = {
    input_tokens: 10,
    output_tokens: 5,
    cache_read_input_tokens: 100,
    cache_creation_input_tokens: 20,
    cache_creation: { ephemeral_5m_input_tokens: 20, ephemeral_1h_input_tokens: 0 },
  };
  const event = as(
    parse({
      ...common,
      type: "assistant",
      requestId: "req_1",
      message: {
        id: "msg_1",
        role: "assistant",
        model: "claude-opus-4-5",
        stop_reason: "tool_use",
        usage,
        content: [
          { type: "thinking", thinking: "Let me look.", signature: "sig" },
          { type: "redacted_thinking", data: "opaque" },
          { type: "text", text: "Listing files." },
          { type: "tool_use", id: "toolu_1", name: "Bash", input: { command: "ls" } },
        ],
      },
    }),
    "assistant",
  );
  assert.equal(event.messageId, "msg_1");
  assert.equal(event.requestId, "req_1");
  assert.equal(event.model, "claude-opus-4-5");
  assert.equal(event.stopReason, "tool_use");
  assert.deepEqual(event.usage, usage);
  assert.deepEqual(event.blocks, [
    { type: "thinking", text: "Let me look." },
    { type: "redacted_thinking" },
    { type: "text", text: "Listing files." },
    { type: "tool_use", id: "toolu_1", name: "Bash", input: { command: "ls" } },
  ]);
  assert.equal(event.synthetic, undefined);
  assert.equal(event.isApiError, undefined);
});

Deno.test("parseLine() marks <synthetic> assistant messages and API error messages", () => {
  const event = as(
    parse({
      type: "assistant",
      isApiErrorMessage: true,
      message: {
        model: "<synthetic>",
        content: [{ type: "text", text: "API Error: 529 overloaded" }],
      },
    }),
    "assistant",
  );
  assert.equal(event.synthetic, true);
  assert.equal(event.isApiError, true);
});

Deno.test("parseLine() turns content blocks it does not know into other blocks with a summary", () => {
  const event = as(
    parse({
      type: "assistant",
      message: {
        content: [
          { type: "fallback", from: { model: "claude-fable-5" }, to: { model: "claude-opus-4-8" } },
          { type: "hologram", depth: 3 },
          42,
        ],
      },
    }),
    "assistant",
  );
  assert.deepEqual(event.blocks, [
    {
      type: "other",
      blockType: "fallback",
      summary: "fell back from claude-fable-5 to claude-opus-4-8",
    },
    { type: "other", blockType: "hologram", summary: "{depth}" },
    { type: "other", blockType: "number", summary: "42" },
  ]);
});

Deno.test("parseLine() reads server tool calls and their results inside assistant messages", () => {
  const event = as(
    parse({
      type: "assistant",
      message: {
        content: [
          {
            type: "server_tool_use",
            id: "srvtoolu_1",
            name: "web_search",
            input: { query: "deno" },
          },
          {
            type: "web_search_tool_result",
            tool_use_id: "srvtoolu_1",
            content: [{ type: "web_search_result", title: "Deno", url: "https://deno.com" }],
          },
          {
            type: "web_search_tool_result",
            tool_use_id: "srvtoolu_2",
            content: { type: "web_search_tool_result_error", error_code: "max_uses_exceeded" },
          },
        ],
      },
    }),
    "assistant",
  );
  assert.deepEqual(event.blocks, [
    { type: "tool_use", id: "srvtoolu_1", name: "web_search", input: { query: "deno" } },
    {
      type: "tool_result",
      toolUseId: "srvtoolu_1",
      isError: false,
      text: "Deno https://deno.com",
      images: 0,
    },
    {
      type: "tool_result",
      toolUseId: "srvtoolu_2",
      isError: true,
      text: "max_uses_exceeded",
      images: 0,
    },
  ]);
});

Deno.test("parseLine() reads damaged Claude lines without failing", () => {
  // From claude-code-log's edge cases: a bare string message, a misspelt `content`, a string block.
  const bare = as(parse({ type: "user", message: "error" }), "user");
  assert.equal(bare.text, "error");
  const misspelt = as(
    parse({ type: "user", toolUseResult: "ok", message: { role: "user", contenst: [] } }),
    "tool_result",
  );
  assert.deepEqual(misspelt.blocks, []);
  assert.deepEqual(misspelt.result, { type: "text", text: "ok" });
  const stringBlock = as(
    parse({ type: "user", message: { role: "user", content: ["wow error"] } }),
    "user",
  );
  assert.equal(stringBlock.text, "wow error");
  const noMessage = as(parse({ type: "assistant" }), "assistant");
  assert.deepEqual(noMessage.blocks, []);
  const toolUseWithoutId = as(
    parse({
      type: "assistant",
      message: { content: [{ type: "tool_use", name: "bash", input: { command: "ls" } }] },
    }),
    "assistant",
  );
  assert.deepEqual(toolUseWithoutId.blocks, [{
    type: "tool_use",
    id: "",
    name: "bash",
    input: { command: "ls" },
  }]);
});

Deno.test("parseLine() reports cwd, sessionId, agentId and version of Claude lines", () => {
  const parsed = parseLine(
    JSON.stringify({
      type: "user",
      cwd: "/r",
      sessionId: "s",
      agentId: "a",
      message: { content: "x" },
    }),
  );
  assert.equal(parsed.cwd, "/r");
  assert.equal(parsed.sessionId, "s");
  assert.equal(parsed.agentId, "a");
  assert.equal(parsed.version, undefined);
  assert.equal(parseLine(JSON.stringify({ type: "user", version: "1.0.98" })).version, "1.0.98");
  const bare = parseLine('{"type":"mode","mode":"normal"}');
  assert.equal(bare.cwd, undefined);
  assert.equal(bare.sessionId, undefined);
});
