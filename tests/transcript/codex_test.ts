import assert from "node:assert/strict";
import type { CodexEvent, ParsedEvent } from "../../core/event.ts";
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

/** A response item as the shared event it becomes. */
function shared(payload: Record<string, unknown>, legacy = false): ParsedEvent {
  const line = legacy
    ? payload
    : { timestamp: "2025-12-09T19:55:16.336Z", type: "response_item", payload };
  const parsed = parseLine(JSON.stringify(line));
  assert.equal(parsed.format, "codex");
  return parsed.event;
}

function only<K extends ParsedEvent["kind"]>(event: ParsedEvent, kind: K) {
  assert.equal(event.kind, kind);
  return event as Extract<ParsedEvent, { kind: K }>;
}

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

Deno.test("parseLine() reads the legacy rollout format of September 2025", () => {
  const header = parseLine(JSON.stringify({
    id: "5973b6c0-94b8-487b-a530-2aeb6098ae0e",
    timestamp: "2025-09-03T10:12:01.123Z",
    instructions: null,
    git: { commit_hash: "abc", branch: "main" },
  }));
  assert.equal(header.format, "codex");
  assert.equal(header.sessionId, "5973b6c0-94b8-487b-a530-2aeb6098ae0e");
  assert.equal((header.event as Codex).entry, "session_meta");

  const state = parseLine('{"record_type":"state"}');
  assert.equal(state.event.kind, "codex");
  assert.equal((state.event as Codex).text, "state record");

  const prompt = only(
    shared({ type: "message", role: "user", content: [{ type: "input_text", text: "hi" }] }, true),
    "user",
  );
  assert.equal(prompt.text, "hi");
  const call = only(
    shared({
      type: "function_call",
      id: "fc_1",
      name: "shell",
      arguments: '{"command":["bash","-lc","ls"]}',
      call_id: "call_9",
    }, true),
    "assistant",
  );
  assert.deepEqual(call.blocks[0], {
    type: "tool_use",
    id: "call_9",
    name: "shell",
    input: { command: ["bash", "-lc", "ls"] },
  });
});

Deno.test("parseLine() names a child thread's parent from session_meta", () => {
  const child = parseLine(JSON.stringify({
    timestamp: "T",
    type: "session_meta",
    payload: {
      id: "child",
      parent_thread_id: "019b04ae-b1c6-7c72-a134-a4c2de66058c",
      source: { subagent: { thread_spawn: { parent_thread_id: "ignored", depth: 1 } } },
    },
  }));
  assert.equal(child.parentSessionId, "019b04ae-b1c6-7c72-a134-a4c2de66058c");
  const spawned = parseLine(JSON.stringify({
    timestamp: "T",
    type: "session_meta",
    payload: { id: "c2", source: { subagent: { thread_spawn: { parent_thread_id: "p2" } } } },
  }));
  assert.equal(spawned.parentSessionId, "p2");
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
