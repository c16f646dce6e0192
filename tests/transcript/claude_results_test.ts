/** Claude Code tool results: content as string or blocks, and each tool's structured result. */
import assert from "node:assert/strict";
import { as, parse } from "./_claude.ts";

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
