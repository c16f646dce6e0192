/** Codex response items as the shared events: prompts, replies, reasoning, tool calls and outputs. */
import assert from "node:assert/strict";
import { item, only, shared } from "./_codex.ts";

Deno.test("parseLine() reads response_item messages as prompts and replies", () => {
  const reply = only(
    shared({
      type: "message",
      id: "msg_1",
      role: "assistant",
      content: [{ type: "output_text", text: "Done." }, { type: "input_image", image_url: null }],
    }),
    "assistant",
  );
  assert.deepEqual(reply.blocks, [{ type: "text", text: "Done." }, { type: "image" }]);
  assert.equal(reply.messageId, "msg_1");

  const prompt = only(
    shared({ type: "message", role: "user", content: [{ type: "input_text", text: "Fix it" }] }),
    "user",
  );
  assert.equal(prompt.text, "Fix it");
  assert.equal(prompt.isMeta, undefined);

  for (
    const text of [
      "<environment_context>\n  <cwd>/r</cwd>\n</environment_context>",
      "# AGENTS.md instructions for /r\n\n<INSTRUCTIONS>",
    ]
  ) {
    const injected = only(
      shared({ type: "message", role: "user", content: [{ type: "input_text", text }] }),
      "user",
    );
    assert.equal(injected.isMeta, true, text);
  }
  const developer = only(
    shared({ type: "message", role: "developer", content: [{ type: "input_text", text: "x" }] }),
    "user",
  );
  assert.equal(developer.isMeta, true);
});

Deno.test("parseLine() reads reasoning as thinking, or as hidden thinking", () => {
  const summary = only(
    shared({
      type: "reasoning",
      summary: [{ type: "summary_text", text: "**Plan**" }, {
        type: "summary_text",
        text: "Then act",
      }],
      encrypted_content: "gAAAA",
    }),
    "assistant",
  );
  assert.deepEqual(summary.blocks, [{ type: "thinking", text: "**Plan**\n\nThen act" }]);
  const hidden = only(
    shared({ type: "reasoning", summary: [], encrypted_content: "gAAAA" }),
    "assistant",
  );
  assert.deepEqual(hidden.blocks, [{ type: "redacted_thinking" }]);
});

Deno.test("parseLine() reads tool calls as tool_use blocks, like Claude's", () => {
  const call = only(
    shared({
      type: "function_call",
      name: "shell_command",
      arguments: '{"command":"ls"}',
      call_id: "call_1",
    }),
    "assistant",
  );
  assert.deepEqual(call.blocks, [{
    type: "tool_use",
    id: "call_1",
    name: "shell_command",
    input: { command: "ls" },
  }]);

  const custom = only(
    shared({
      type: "custom_tool_call",
      name: "apply_patch",
      input: "*** Begin Patch",
      call_id: "call_2",
    }),
    "assistant",
  );
  assert.deepEqual(custom.blocks[0], {
    type: "tool_use",
    id: "call_2",
    name: "apply_patch",
    input: { input: "*** Begin Patch" },
  });

  const namespaced = only(
    shared({
      type: "function_call",
      name: "run",
      namespace: "tools",
      arguments: null,
      call_id: "c",
    }),
    "assistant",
  );
  assert.deepEqual(namespaced.blocks[0], {
    type: "tool_use",
    id: "c",
    name: "tools.run",
    input: {},
  });

  const notJson = only(
    shared({ type: "function_call", name: "x", arguments: "not json", call_id: "c" }),
    "assistant",
  );
  assert.deepEqual(notJson.blocks[0], {
    type: "tool_use",
    id: "c",
    name: "x",
    input: { input: "not json" },
  });
});

function result(payload: Record<string, unknown>) {
  const event = only(shared(payload), "tool_result");
  const block = event.blocks[0];
  assert.ok(block?.type === "tool_result");
  return { event, block };
}

Deno.test("parseLine() reads tool outputs as tool results and flags failed ones", async (t) => {
  await t.step("exec output with a non-zero exit code, and its measured wall time", () => {
    const failed = result({
      type: "function_call_output",
      call_id: "c1",
      output: "Exit code: 1\nWall time: 0.1 seconds\n",
    });
    assert.equal(failed.block.toolUseId, "c1");
    assert.equal(failed.block.isError, true);
    assert.equal(failed.event.durationMs, 100);
    const ok = result({
      type: "function_call_output",
      call_id: "c2",
      output: "Exit code: 0\nOutput:\n2\n",
    });
    assert.equal(ok.block.isError, false);
    assert.equal(ok.event.durationMs, undefined, "no wall time: no duration");
  });
  await t.step("apply_patch output wrapped in JSON", () => {
    const ok = result({
      type: "custom_tool_call_output",
      call_id: "c3",
      output: JSON.stringify({
        output: "Success. Updated A x.py\n",
        metadata: { exit_code: 0, duration_seconds: 0.25 },
      }),
    });
    assert.equal(ok.block.text, "Success. Updated A x.py\n");
    assert.equal(ok.block.isError, false);
    assert.equal(ok.event.durationMs, 250);
    const failed = result({
      type: "custom_tool_call_output",
      output: JSON.stringify({ output: "patch rejected", metadata: { exit_code: 1 } }),
    });
    assert.equal(failed.block.isError, true);
  });
  await t.step("content lists and objects", () => {
    const list = result({
      type: "custom_tool_call_output",
      output: [{ type: "input_text", text: "a.txt\nb.txt\n" }],
    });
    assert.equal(list.block.text, "a.txt\nb.txt\n");
    const object = result({
      type: "function_call_output",
      output: { type: "input_text", text: "a.txt\n" },
    });
    assert.equal(object.block.text, "a.txt\n");
    const failed = result({
      type: "function_call_output",
      output: { content: "denied", success: false },
    });
    assert.equal(failed.block.text, "denied");
    assert.equal(failed.block.isError, true);
  });
});

Deno.test("parseLine() reads web search, tool search and image generation as tool calls", () => {
  const search = only(
    shared({
      type: "web_search_call",
      status: "completed",
      action: { type: "search", query: "deno" },
    }),
    "assistant",
  );
  assert.deepEqual(search.blocks[0], {
    type: "tool_use",
    id: "",
    name: "web_search",
    input: { query: "deno" },
  });
  const toolSearch = only(
    shared({ type: "tool_search_call", call_id: "c", arguments: { query: "mail" } }),
    "assistant",
  );
  assert.deepEqual(toolSearch.blocks[0], {
    type: "tool_use",
    id: "c",
    name: "tool_search",
    input: { query: "mail" },
  });
  assert.equal(
    result({
      type: "tool_search_output",
      call_id: "c",
      tools: [{ name: "gmail" }, { name: "calendar" }],
    })
      .block.text,
    "gmail, calendar",
  );
  const image = only(
    shared({ type: "image_generation_call", revised_prompt: "a cat" }),
    "assistant",
  );
  assert.deepEqual(image.blocks[0], {
    type: "tool_use",
    id: "",
    name: "image_generation",
    input: { prompt: "a cat" },
  });
  assert.equal(
    item({
      type: "ghost_snapshot",
      ghost_commit: { id: "2b41b8fe6963ea7c", preexisting_untracked_files: ["x"] },
    }).text,
    "snapshot 2b41b8fe (1 untracked file)",
  );
});

Deno.test("parseLine() takes 0.150's content labels over the text's look", async (t) => {
  const user = (content: unknown[], kinds: string[]) =>
    only(
      shared({
        type: "message",
        role: "user",
        content,
        internal_chat_message_metadata_passthrough: { turn_id: "t1", content_item_kinds: kinds },
      }),
      "user",
    );
  const text = (t: string) => ({ type: "input_text", text: t });
  await t.step("hook context with no tag is still Codex's, not the human's", () => {
    const hook = user([text("Remember: the staging DB is read-only.")], [
      "hooks.additional_context",
    ]);
    assert.equal(hook.isMeta, true);
  });
  await t.step("a message mixing context and the prompt shows the prompt alone", () => {
    const mixed = user(
      [text("<environment_context><cwd>/r</cwd></environment_context>"), text("Fix the build")],
      ["environments.environment_context", "user.text"],
    );
    assert.equal(mixed.isMeta, undefined);
    assert.equal(mixed.text, "Fix the build");
  });
  await t.step("a typed prompt that starts with a tag is still the human's", () => {
    const typed = user([text("<div> renders twice, why?")], ["user.text"]);
    assert.equal(typed.isMeta, undefined);
    assert.equal(typed.text, "<div> renders twice, why?");
  });
  await t.step("labels that do not line up with the parts fall back to the text", () => {
    const odd = user([text("<environment_context></environment_context>"), text("hi")], [
      "user.text",
    ]);
    assert.equal(odd.isMeta, true);
  });
});
