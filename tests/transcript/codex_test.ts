import assert from "node:assert/strict";
import type { CodexEvent } from "../../core/event.ts";
import { parseLine } from "../../transcript/line.ts";

type Codex = Omit<CodexEvent, "cursor">;

function codex(type: string, payload: unknown): Codex {
  const { event } = parseLine(
    JSON.stringify({ timestamp: "2025-12-09T19:55:16.336Z", type, payload }),
  );
  assert.equal(event.kind, "codex");
  return event as Codex;
}

const item = (payload: Record<string, unknown>) => codex("response_item", payload);
const msg = (payload: Record<string, unknown>) => codex("event_msg", payload);

Deno.test("parseLine() reads session_meta, with the session's cwd and id", () => {
  const parsed = parseLine(JSON.stringify({
    timestamp: "T",
    type: "session_meta",
    payload: {
      id: "019b04ae",
      cwd: "/Users/me/app",
      cli_version: "0.66.0",
      model_provider: "openai",
      git: { branch: "main" },
    },
  }));
  assert.equal(parsed.cwd, "/Users/me/app");
  assert.equal(parsed.sessionId, "019b04ae");
  const event = parsed.event as Codex;
  assert.equal(event.entry, "session_meta");
  assert.equal(event.subtype, "session_meta");
  assert.equal(event.ts, "T");
  assert.equal(event.text, "Codex 0.66.0 · openai · /Users/me/app · branch main");
});

Deno.test("parseLine() reads turn_context as model and policies", () => {
  const event = codex("turn_context", {
    cwd: "/r",
    model: "gpt-5.1-codex-max",
    effort: "medium",
    approval_policy: "on-request",
    sandbox_policy: { type: "workspace-write" },
  });
  assert.equal(event.subtype, "turn_context");
  assert.equal(
    event.text,
    "gpt-5.1-codex-max · effort medium · approval on-request · sandbox workspace-write",
  );
});

Deno.test("parseLine() reads response_item messages with their role", () => {
  const event = item({
    type: "message",
    role: "assistant",
    content: [{ type: "output_text", text: "Done." }, { type: "input_image", image_url: null }],
  });
  assert.equal(event.entry, "response_item");
  assert.equal(event.subtype, "message");
  assert.equal(event.role, "assistant");
  assert.equal(event.text, "Done.\n[image]");
});

Deno.test("parseLine() reads reasoning summaries, or says the reasoning is hidden", () => {
  const summary = item({
    type: "reasoning",
    summary: [{ type: "summary_text", text: "**Plan**" }, {
      type: "summary_text",
      text: "Then act",
    }],
    encrypted_content: "gAAAA",
  });
  assert.equal(summary.text, "**Plan**\n\nThen act");
  assert.equal(
    item({ type: "reasoning", summary: [], encrypted_content: "gAAAA" }).text,
    "(reasoning hidden)",
  );
});

Deno.test("parseLine() reads tool calls with name, arguments and call id", () => {
  const call = item({
    type: "function_call",
    name: "shell_command",
    arguments: '{"command":"ls"}',
    call_id: "call_1",
  });
  assert.equal(call.toolName, "shell_command");
  assert.equal(call.callId, "call_1");
  assert.equal(call.text, '{"command":"ls"}');

  const custom = item({
    type: "custom_tool_call",
    name: "apply_patch",
    input: "*** Begin Patch",
    call_id: "call_2",
  });
  assert.equal(custom.toolName, "apply_patch");
  assert.equal(custom.text, "*** Begin Patch");

  const namespaced = item({
    type: "function_call",
    name: "run",
    namespace: "tools",
    arguments: null,
    call_id: "c",
  });
  assert.equal(namespaced.toolName, "tools.run");
  assert.equal(namespaced.text, "(no arguments)");
});

Deno.test("parseLine() reads tool outputs and flags failed ones", async (t) => {
  await t.step("exec output with a non-zero exit code", () => {
    const failed = item({
      type: "function_call_output",
      call_id: "c1",
      output: "Exit code: 1\nWall time: 0.1 seconds\n",
    });
    assert.equal(failed.callId, "c1");
    assert.equal(failed.isError, true);
    const ok = item({
      type: "function_call_output",
      call_id: "c2",
      output: "Exit code: 0\nOutput:\n2\n",
    });
    assert.equal(ok.isError, undefined);
  });
  await t.step("apply_patch output wrapped in JSON", () => {
    const event = item({
      type: "custom_tool_call_output",
      call_id: "c3",
      output: JSON.stringify({ output: "Success. Updated A x.py\n", metadata: { exit_code: 0 } }),
    });
    assert.equal(event.text, "Success. Updated A x.py\n");
    assert.equal(event.isError, undefined);
    const failed = item({
      type: "custom_tool_call_output",
      output: JSON.stringify({ output: "patch rejected", metadata: { exit_code: 1 } }),
    });
    assert.equal(failed.isError, true);
  });
  await t.step("content lists and objects", () => {
    const list = item({
      type: "custom_tool_call_output",
      output: [{ type: "input_text", text: "a.txt\nb.txt\n" }],
    });
    assert.equal(list.text, "a.txt\nb.txt\n");
    const object = item({
      type: "function_call_output",
      output: { type: "input_text", text: "a.txt\n" },
    });
    assert.equal(object.text, "a.txt\n");
    const failed = item({
      type: "function_call_output",
      output: { content: "denied", success: false },
    });
    assert.equal(failed.text, "denied");
    assert.equal(failed.isError, true);
  });
});

Deno.test("parseLine() reads web search, tool search, ghost snapshots and image generation", () => {
  const search = item({
    type: "web_search_call",
    status: "completed",
    action: { type: "search", query: "deno" },
  });
  assert.equal(search.toolName, "web_search");
  assert.equal(search.text, "deno");
  assert.equal(
    item({ type: "tool_search_call", call_id: "c", arguments: { query: "mail" } }).text,
    "mail",
  );
  assert.equal(
    item({ type: "tool_search_output", tools: [{ name: "gmail" }, { name: "calendar" }] }).text,
    "gmail, calendar",
  );
  const snapshot = item({
    type: "ghost_snapshot",
    ghost_commit: { id: "2b41b8fe6963ea7c", preexisting_untracked_files: ["x"] },
  });
  assert.equal(snapshot.text, "snapshot 2b41b8fe (1 untracked file)");
  assert.equal(item({ type: "image_generation_call", revised_prompt: "a cat" }).text, "a cat");
});

Deno.test("parseLine() reads user, agent and reasoning event messages", () => {
  const user = msg({ type: "user_message", message: "add a file", images: [] });
  assert.equal(user.entry, "event_msg");
  assert.equal(user.role, "user");
  assert.equal(user.text, "add a file");
  assert.equal(
    msg({ type: "user_message", message: "see", images: ["data:"] }).text,
    "see\n[1 image]",
  );
  const agent = msg({ type: "agent_message", message: "Done" });
  assert.equal(agent.role, "assistant");
  assert.equal(agent.text, "Done");
  assert.equal(msg({ type: "agent_reasoning", text: "**Thinking**" }).text, "**Thinking**");
});

Deno.test("parseLine() reads token_count as readable totals", () => {
  const event = msg({
    type: "token_count",
    info: {
      total_token_usage: {
        input_tokens: 26740,
        cached_input_tokens: 22912,
        output_tokens: 408,
        reasoning_output_tokens: 128,
        total_tokens: 27148,
      },
      last_token_usage: { total_tokens: 4177 },
      model_context_window: 258400,
    },
  });
  assert.equal(
    event.text,
    "27,148 tokens (input 26,740, cached 22,912, output 408, reasoning 128) · last 4,177 · context 258,400",
  );
  assert.deepEqual(event.tokens, {
    input: 26740,
    cachedInput: 22912,
    output: 408,
    reasoningOutput: 128,
    total: 27148,
  });

  const limitsOnly = msg({
    type: "token_count",
    info: null,
    rate_limits: {
      primary: { used_percent: 12, window_minutes: 300 },
      secondary: { used_percent: 3, window_minutes: 10080 },
    },
  });
  assert.equal(limitsOnly.text, "rate limits: 12% of 5h, 3% of 7d");
  assert.equal(limitsOnly.tokens, undefined);
});

Deno.test("parseLine() reads command, patch and MCP results and flags failures", () => {
  const exec = msg({
    type: "exec_command_end",
    call_id: "c",
    command: ["bash", "-lc", "npm test"],
    aggregated_output: "1 failing",
    exit_code: 1,
  });
  assert.equal(exec.text, "$ npm test (exit 1)\n1 failing");
  assert.equal(exec.isError, true);
  assert.equal(exec.callId, "c");

  const patch = msg({
    type: "patch_apply_end",
    success: true,
    changes: { "/r/a.txt": { type: "update" } },
  });
  assert.equal(patch.text, "patch applied: /r/a.txt");
  const badPatch = msg({
    type: "patch_apply_end",
    success: false,
    stderr: "hunk failed",
    changes: {},
  });
  assert.equal(badPatch.isError, true);
  assert.equal(badPatch.text, "patch failed\nhunk failed");

  const mcp = msg({
    type: "mcp_tool_call_end",
    call_id: "m",
    invocation: { server: "gmail", tool: "search" },
    result: { Ok: { content: [{ type: "text", text: "3 mails" }], isError: false } },
  });
  assert.equal(mcp.toolName, "gmail.search");
  assert.equal(mcp.text, "3 mails");
  assert.equal(mcp.isError, undefined);
  const mcpErr = msg({
    type: "mcp_tool_call_end",
    invocation: { server: "s", tool: "t" },
    result: { Err: "timeout" },
  });
  assert.equal(mcpErr.isError, true);
  assert.equal(mcpErr.text, "timeout");
});

Deno.test("parseLine() flags Codex errors and failed turns", () => {
  const error = msg({ type: "error", message: "stream disconnected" });
  assert.equal(error.isError, true);
  assert.equal(error.text, "stream disconnected");
  const failed = msg({
    type: "task_complete",
    last_agent_message: null,
    error: { message: "quota" },
  });
  assert.equal(failed.isError, true);
  assert.equal(failed.text, "turn failed: quota");
  const done = msg({ type: "task_complete", last_agent_message: "All set", duration_ms: 1200 });
  assert.equal(done.text, "All set");
  assert.equal(
    msg({ type: "turn_aborted", reason: "interrupted" }).text,
    "turn aborted: interrupted",
  );
  assert.equal(
    msg({ type: "task_started", model_context_window: 258400 }).text,
    "turn started (context window 258,400)",
  );
});

Deno.test("parseLine() reads item_completed by item type", () => {
  const completed = (itemValue: Record<string, unknown>) =>
    msg({ type: "item_completed", item: itemValue });
  const user = completed({ type: "UserMessage", content: [{ type: "text", text: "hi" }] });
  assert.equal(user.role, "user");
  assert.equal(user.text, "hi");
  const agent = completed({ type: "AgentMessage", content: [{ type: "Text", text: "hello" }] });
  assert.equal(agent.role, "assistant");
  assert.equal(agent.text, "hello");
  const command = completed({
    type: "CommandExecution",
    command: ["ls"],
    aggregated_output: "a",
    exit_code: 2,
  });
  assert.equal(command.isError, true);
  assert.equal(command.text, "$ ls (exit 2)\na");
  assert.equal(completed({ type: "Plan", text: "1. do it" }).text, "1. do it");
});

Deno.test("parseLine() reads compacted, world_state and unknown payloads without failing", () => {
  assert.equal(codex("compacted", { message: "summary of the work" }).text, "summary of the work");
  assert.equal(
    codex("compacted", { message: "", replacement_history: [{}, {}] }).text,
    "history compacted: 2 items kept",
  );
  const world = codex("world_state", { full: false, state: { model: "gpt", environments: {} } });
  assert.equal(world.subtype, "world_state");
  assert.equal(world.text, "world state update: {model, environments}");
  assert.equal(
    codex("inter_agent_communication_metadata", { trigger_turn: false }).text,
    "inter agent communication metadata",
  );
  assert.equal(msg({ type: "brand_new_event", status: "fine" }).text, "fine");
  const noPayload = codex("event_msg", null);
  assert.equal(noPayload.subtype, "event_msg");
});
