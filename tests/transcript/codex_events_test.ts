/** Codex `event_msg` lines: messages, tokens, command/patch/MCP results, errors, item_completed. */
import assert from "node:assert/strict";
import { msg } from "./_codex.ts";

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
  // Each repeats a response item: marked, so the feed shows the item once.
  assert.deepEqual(
    [user, agent, msg({ type: "agent_reasoning", text: "x" })].map((e) => e.echo),
    [true, true, true],
  );
  assert.equal(msg({ type: "token_count" }).echo, undefined);
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
  assert.equal(user.echo, true);
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
