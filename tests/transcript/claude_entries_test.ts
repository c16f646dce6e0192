/** Claude Code entries beside messages: system, attachments, progress, titles, bookkeeping. */
import assert from "node:assert/strict";
import { as, parse } from "./_claude.ts";

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
