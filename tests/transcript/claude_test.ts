import assert from "node:assert/strict";
import type { ParsedEvent } from "../../core/event.ts";
import { parseLine } from "../../transcript/line.ts";

function parse(rec: Record<string, unknown>): ParsedEvent {
  return parseLine(JSON.stringify(rec)).event;
}

/** Narrows an event to one kind, failing the test otherwise. */
function as<K extends ParsedEvent["kind"]>(
  event: ParsedEvent,
  kind: K,
): Extract<ParsedEvent, { kind: K }> {
  assert.equal(event.kind, kind);
  return event as Extract<ParsedEvent, { kind: K }>;
}

const common = {
  uuid: "u-1",
  parentUuid: "u-0",
  timestamp: "2025-12-16T00:00:01.000Z",
  isSidechain: false,
  cwd: "/repo",
  sessionId: "s-1",
};

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

Deno.test("parseLine() reads tool results with string content and is_error", () => {
  const event = as(
    parse({
      type: "user",
      message: {
        role: "user",
        content: [{
          type: "tool_result",
          tool_use_id: "toolu_1",
          content: "command not found",
          is_error: true,
        }],
      },
      toolUseResult: "Error: command not found",
    }),
    "tool_result",
  );
  assert.deepEqual(event.blocks, [
    {
      type: "tool_result",
      toolUseId: "toolu_1",
      isError: true,
      text: "command not found",
      images: 0,
    },
  ]);
  assert.deepEqual(event.result, { type: "text", text: "Error: command not found" });
});

Deno.test("parseLine() reads tool results with array content and images", () => {
  const event = as(
    parse({
      type: "user",
      message: {
        role: "user",
        content: [{
          type: "tool_result",
          tool_use_id: "toolu_2",
          content: [
            { type: "text", text: "Screenshot taken" },
            { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBOR" } },
            { type: "text", text: "1280x800" },
            { type: "image", source: { type: "base64", media_type: "image/jpeg", data: "/9j/" } },
          ],
        }],
      },
    }),
    "tool_result",
  );
  assert.deepEqual(event.blocks, [
    {
      type: "tool_result",
      toolUseId: "toolu_2",
      isError: false,
      text: "Screenshot taken\n1280x800",
      images: 2,
    },
  ]);
  assert.equal(event.result, undefined);
});

Deno.test("parseLine() reads the structured toolUseResult of each tool", async (t) => {
  const result = (toolUseResult: unknown) =>
    as(
      parse({ type: "user", toolUseResult, message: { role: "user", content: [] } }),
      "tool_result",
    ).result;

  await t.step("Bash", () => {
    assert.deepEqual(result({ stdout: "2\n", stderr: "warn", interrupted: true, isImage: false }), {
      type: "bash",
      stdout: "2\n",
      stderr: "warn",
      interrupted: true,
    });
  });
  await t.step("Edit", () => {
    const patch = [{ oldStart: 1, oldLines: 1, newStart: 1, newLines: 1, lines: ["-a", "+b"] }];
    assert.deepEqual(
      result({
        filePath: "/r/a.ts",
        oldString: "a",
        newString: "b",
        originalFile: "a",
        structuredPatch: patch,
      }),
      { type: "edit", filePath: "/r/a.ts", oldString: "a", newString: "b", patch },
    );
  });
  await t.step("MultiEdit", () => {
    const patch = [{ oldStart: 3, oldLines: 2, newStart: 3, newLines: 1, lines: [" x", "-y"] }];
    assert.deepEqual(
      result({
        filePath: "/r/b.ts",
        edits: [{ old_string: "y", new_string: "" }],
        structuredPatch: patch,
      }),
      { type: "edit", filePath: "/r/b.ts", patch },
    );
  });
  await t.step("Write (create)", () => {
    assert.deepEqual(
      result({
        type: "create",
        filePath: "/r/new.py",
        content: "print(1+1)\n",
        structuredPatch: [],
      }),
      { type: "write", filePath: "/r/new.py", content: "print(1+1)\n" },
    );
  });
  await t.step("Write (update) shows the patch", () => {
    const patch = [{ oldStart: 1, oldLines: 1, newStart: 1, newLines: 1, lines: ["-1", "+2"] }];
    assert.deepEqual(
      result({
        type: "update",
        filePath: "/r/f",
        content: "2",
        structuredPatch: patch,
        originalFile: "1",
      }),
      { type: "edit", filePath: "/r/f", patch },
    );
  });
  await t.step("Read", () => {
    assert.deepEqual(
      result({
        type: "text",
        file: { filePath: "/r/a.ts", content: "…", numLines: 20, startLine: 10, totalLines: 300 },
      }),
      { type: "read", filePath: "/r/a.ts", startLine: 10, numLines: 20, totalLines: 300 },
    );
  });
  await t.step("Task / Agent", () => {
    const usage = { input_tokens: 4, output_tokens: 300 };
    assert.deepEqual(
      result({
        status: "completed",
        prompt: "search",
        agentId: "a0ad4f44",
        content: [{ type: "text", text: "found 3" }],
        totalDurationMs: 5000,
        totalTokens: 12_000,
        totalToolUseCount: 4,
        usage,
      }),
      { type: "task", agentId: "a0ad4f44", status: "completed", usage, totalTokens: 12_000 },
    );
  });
  await t.step("plain string", () => {
    assert.deepEqual(result("File created successfully"), {
      type: "text",
      text: "File created successfully",
    });
  });
  await t.step("Glob, TodoWrite and the rest get a summary", () => {
    assert.deepEqual(result({ filenames: ["a", "b"], numFiles: 2, truncated: false }), {
      type: "other",
      summary: "2 files",
    });
    assert.deepEqual(result({ oldTodos: [], newTodos: [{}, {}, {}] }), {
      type: "other",
      summary: "todos: 3 items",
    });
    assert.deepEqual(result({ url: "https://x.dev", code: 200, bytes: 10 }), {
      type: "other",
      summary: "200 https://x.dev",
    });
  });
});

Deno.test("parseLine() reads system entries by subtype", async (t) => {
  const system = (rec: Record<string, unknown>) => as(parse({ type: "system", ...rec }), "system");

  await t.step("compact_boundary", () => {
    const event = system({
      subtype: "compact_boundary",
      compactMetadata: { trigger: "auto", preTokens: 120000 },
    });
    assert.equal(event.text, "Conversation compacted (auto): 120,000 tokens before");
    assert.equal(event.isError, undefined);
  });
  await t.step("turn_duration", () => {
    const event = system({ subtype: "turn_duration", durationMs: 83_000 });
    assert.equal(event.durationMs, 83_000);
    assert.equal(event.text, "Turn took 1m 23s");
  });
  await t.step("stop_hook_summary", () => {
    const ok = system({
      subtype: "stop_hook_summary",
      hookCount: 2,
      hookErrors: [],
      level: "suggestion",
    });
    assert.equal(ok.text, "2 stop hooks ran");
    assert.equal(ok.level, "suggestion");
    assert.equal(ok.isError, undefined);
    const failed = system({ subtype: "stop_hook_summary", hookCount: 1, hookErrors: ["exit 2"] });
    assert.equal(failed.isError, true);
  });
  await t.step("api_error", () => {
    const event = system({
      subtype: "api_error",
      level: "error",
      error: {
        status: 529,
        error: { type: "error", error: { type: "overloaded_error", message: "Overloaded" } },
      },
      retryAttempt: 2,
      retryInMs: 4000,
      maxRetries: 10,
    });
    assert.equal(event.isError, true);
    assert.equal(event.text, "API error: Overloaded (retry 2/10 in 4.0s)");
  });
  await t.step("api_refusal and model_refusal_fallback", () => {
    const refusal = system({
      subtype: "api_refusal",
      apiRefusalExplanation: "Refused for policy reasons.",
    });
    assert.equal(refusal.isError, true);
    assert.equal(refusal.text, "Refused for policy reasons.");
    const fallback = system({
      subtype: "model_refusal_fallback",
      originalModel: "claude-fable-5",
      fallbackModel: "claude-opus-4-8",
    });
    assert.equal(fallback.isError, true);
    assert.equal(fallback.text, "claude-fable-5 refused; fell back to claude-opus-4-8");
  });
  await t.step("error", () => {
    const event = system({ subtype: "error", error: { message: "rate limited", status: 429 } });
    assert.equal(event.isError, true);
    assert.equal(event.text, "Error: rate limited");
  });
  await t.step("local_command and informational keep their content", () => {
    const local = system({
      subtype: "local_command",
      content: "<command-name>/model</command-name>",
      level: "info",
    });
    assert.equal(local.text, "<command-name>/model</command-name>");
    assert.equal(
      system({ subtype: "informational", content: "Auto-update failed" }).text,
      "Auto-update failed",
    );
  });
  await t.step("a subtype with nothing to say is named", () => {
    assert.equal(system({ subtype: "session_start" }).text, "Session started");
    assert.equal(system({ subtype: "brand_new_notice" }).text, "brand new notice");
  });
});

Deno.test("parseLine() reads attachment entries with a short useful text", async (t) => {
  const attachment = (a: Record<string, unknown>) =>
    as(parse({ type: "attachment", attachment: a }), "attachment");

  await t.step("hook_success", () => {
    const event = attachment({
      type: "hook_success",
      hookName: "PostToolUse:Edit",
      hookEvent: "PostToolUse",
      content: "formatted 1 file",
      stdout: "",
      exitCode: 0,
    });
    assert.equal(event.subtype, "hook_success");
    assert.equal(event.hookName, "PostToolUse:Edit");
    assert.equal(event.text, "formatted 1 file");
    assert.equal(event.isError, undefined);
  });
  await t.step("hook errors are errors", () => {
    const blocking = attachment({
      type: "hook_blocking_error",
      hookName: "PreToolUse:Bash",
      blockingError: { blockingError: "rm -rf is not allowed", command: "guard.sh" },
    });
    assert.equal(blocking.isError, true);
    assert.equal(blocking.text, "rm -rf is not allowed");
    const nonBlocking = attachment({
      type: "hook_non_blocking_error",
      stderr: "lint failed",
      exitCode: 1,
    });
    assert.equal(nonBlocking.isError, true);
    assert.equal(nonBlocking.text, "lint failed");
  });
  await t.step("queued_command", () => {
    assert.equal(
      attachment({ type: "queued_command", prompt: "also run tests" }).text,
      "also run tests",
    );
    const withImage = attachment({
      type: "queued_command",
      prompt: [{ type: "image", source: {} }, { type: "text", text: "this one" }],
    });
    assert.equal(withImage.text, "[image]\nthis one");
  });
  await t.step("todo_reminder", () => {
    const event = attachment({
      type: "todo_reminder",
      content: [{ content: "write tests", status: "in_progress" }, {
        content: "ship",
        status: "pending",
      }],
      itemCount: 2,
    });
    assert.equal(event.text, "[in_progress] write tests\n[pending] ship");
  });
  await t.step("files, dates and unknown subtypes", () => {
    assert.equal(
      attachment({ type: "edited_text_file", filename: "/r/a.txt", snippet: "…" }).text,
      "/r/a.txt",
    );
    assert.equal(
      attachment({ type: "date_change", newDate: "2026-01-01" }).text,
      "date is now 2026-01-01",
    );
    assert.equal(attachment({ type: "ultra_effort_exit" }).text, "ultra effort exit");
  });
});

Deno.test("parseLine() reads progress entries and the tool call they belong to", () => {
  const hook = as(
    parse({
      type: "progress",
      data: {
        type: "hook_progress",
        hookEvent: "PostToolUse",
        hookName: "PostToolUse:Bash",
        command: "fmt.sh",
      },
      parentToolUseID: "toolu_9",
      toolUseID: "bash-progress-0",
    }),
    "progress",
  );
  assert.equal(hook.subtype, "hook_progress");
  assert.equal(hook.toolUseId, "toolu_9");
  assert.equal(hook.text, "PostToolUse:Bash: fmt.sh");

  const agent = as(
    parse({
      type: "progress",
      toolUseID: "toolu_task",
      data: {
        type: "agent_progress",
        message: {
          type: "assistant",
          message: { content: [{ type: "tool_use", name: "Grep", input: {} }] },
        },
      },
    }),
    "progress",
  );
  assert.equal(agent.toolUseId, "toolu_task");
  assert.equal(agent.text, "→ Grep");
});

Deno.test("parseLine() reads titles: summary, custom-title, ai-title, agent-name, last-prompt", () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ type: "summary", summary: "Fix the tail", leafUuid: "x" }, "Fix the tail"],
    [{ type: "custom-title", customTitle: "My session" }, "My session"],
    [{ type: "ai-title", aiTitle: "Tail fixes" }, "Tail fixes"],
    [{ type: "agent-name", agentName: "reviewer" }, "reviewer"],
    [{ type: "last-prompt", lastPrompt: "run the tests" }, "run the tests"],
  ];
  for (const [rec, text] of cases) {
    const event = as(parse(rec), "title");
    assert.equal(event.subtype, rec.type);
    assert.equal(event.text, text);
  }
});

Deno.test("parseLine() turns bookkeeping lines into meta events with a short text", () => {
  const cases: [Record<string, unknown>, string][] = [
    [
      {
        type: "file-history-snapshot",
        snapshot: { trackedFileBackups: { "a.py": {}, "b.py": {} } },
      },
      "2 tracked files",
    ],
    [{ type: "queue-operation", operation: "enqueue", content: "next task" }, "enqueue: next task"],
    [{ type: "mode", mode: "plan" }, "mode: plan"],
    [{ type: "permission-mode", permissionMode: "acceptEdits" }, "permission mode: acceptEdits"],
    [
      {
        type: "worktree-state",
        worktreeSession: { worktreeName: "wt", worktreeBranch: "feat", worktreePath: "/w" },
      },
      "worktree wt (feat) at /w",
    ],
    [{ type: "worktree-state", worktreeSession: null }, "left worktree"],
    [{ type: "pr-link", prNumber: 7, prUrl: "https://gh/pr/7" }, "PR #7 https://gh/pr/7"],
    [{ type: "frame-link", title: "Preview", frameUrl: "https://x" }, "Preview: https://x"],
    [{ type: "bridge-session", bridgeSessionId: "b1" }, "bridge session b1"],
    [{ type: "atis-latch", atis: "on" }, "atis latch: on"],
    [{ type: "relocated", relocatedCwd: "/new" }, "relocated to /new"],
    [{ type: "started", agentId: "ag" }, "agent ag started"],
    [{ type: "result", agentId: "ag", result: { summary: "done" } }, "agent ag finished: done"],
  ];
  for (const [rec, text] of cases) {
    const event = as(parse(rec), "meta");
    assert.equal(event.subtype, rec.type);
    assert.equal(event.text, text);
  }
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

Deno.test("parseLine() reports cwd, sessionId and agentId of Claude lines", () => {
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
  const bare = parseLine('{"type":"mode","mode":"normal"}');
  assert.equal(bare.cwd, undefined);
  assert.equal(bare.sessionId, undefined);
});
