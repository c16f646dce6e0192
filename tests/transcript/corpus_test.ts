/**
 * Every line of every real transcript in tests/fixtures/transcripts/ (see its
 * PROVENANCE.md)
 * must come out as a typed event, and none as `other`: the corpus is what
 * tailboard claims to understand.
 */

import assert from "node:assert/strict";
import { clampEvent } from "../../transcript/clamp.ts";
import type { Block, ParsedEvent } from "../../core/event.ts";
import { type ParsedLine, parseLine } from "../../transcript/line.ts";
import { transcript, transcriptFiles, TRANSCRIPTS } from "../_harness/corpus.ts";

const KINDS = new Set([
  "user",
  "assistant",
  "tool_result",
  "system",
  "attachment",
  "progress",
  "title",
  "meta",
  "text",
  "codex",
]);

interface ParsedFile {
  lines: ParsedLine[];
  events: ParsedEvent[];
}

async function parseFile(name: string): Promise<ParsedFile> {
  const bytes = await Deno.readFile(transcript(name));
  const lines: ParsedLine[] = [];
  const decoder = new TextDecoder();
  // Split on bytes, as the tail does, so each line's byte count can be checked.
  let start = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    const raw = bytes.subarray(start, end);
    const parsed = parseLine(decoder.decode(raw));
    assert.equal(parsed.event.bytes, raw.length, `${name}:${lines.length + 1} bytes`);
    lines.push(parsed);
    start = end + 1;
  }
  return { lines, events: lines.map((l) => l.event) };
}

const files = await transcriptFiles();

/** Every file under the fixtures folder, whatever its extension. */
async function allFixtures(dir: URL = TRANSCRIPTS, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const name = `${prefix}${entry.name}`;
    if (entry.isDirectory) {
      out.push(...await allFixtures(new URL(`${entry.name}/`, dir), `${name}/`));
    } else out.push(name);
  }
  return out.sort();
}
const parsed = new Map<string, ParsedFile>();
for (const name of files) parsed.set(name, await parseFile(name));

function file(name: string): ParsedFile {
  const found = parsed.get(name);
  assert.ok(found, `corpus file ${name} is missing`);
  return found;
}

function ofKind<K extends ParsedEvent["kind"]>(
  events: ParsedEvent[],
  kind: K,
): Extract<ParsedEvent, { kind: K }>[] {
  return events.filter((e): e is Extract<ParsedEvent, { kind: K }> => e.kind === kind);
}

function blocksOf(events: ParsedEvent[]): Block[] {
  return events.flatMap((e) => "blocks" in e ? e.blocks : []);
}

function count<T>(items: T[], predicate: (item: T) => boolean): number {
  return items.filter(predicate).length;
}

/**
 * Fixtures in formats tailboard does not read yet, with the format. The parser
 * must still take every line of them without throwing; whoever teaches it a
 * format moves that format's files out of this list (a test below insists).
 */
const NOT_YET_UNDERSTOOD: Record<string, string> = {};

Deno.test("the fixtures are exactly the files PROVENANCE.md lists", async () => {
  const provenance = await Deno.readTextFile(transcript("PROVENANCE.md"));
  // Under "## Files", each file's row starts with its path in backticks.
  const table = provenance.split(/^## Files$/m)[1] ?? "";
  const listed = [...table.matchAll(/^\| `([^`]+)` +\|/gm)].map((m) => m[1]!).sort();
  const present = (await allFixtures()).filter((name) => name !== "PROVENANCE.md");
  assert.deepEqual(present, listed);
  assert.ok(files.length >= 13, `found ${files.length}: ${files.join(", ")}`);
  for (const name of Object.keys(NOT_YET_UNDERSTOOD)) assert.ok(files.includes(name), name);
});

Deno.test("parseLine() takes every line of every fixture, and each survives clamping", () => {
  for (const [name, { events }] of parsed) {
    for (const [i, event] of events.entries()) {
      const where = `${name}:${i + 1}`;
      assert.equal(typeof event.kind, "string", where);
      if ("text" in event) assert.equal(typeof event.text, "string", where);
      for (const block of "blocks" in event ? event.blocks : []) {
        assert.equal(typeof block.type, "string", where);
      }
      // Every event survives the trip onto an SSE stream, clamped.
      const json = JSON.stringify(clampEvent(event));
      assert.ok(json.length <= 70_000, where);
    }
  }
});

Deno.test("parseLine() types every line of the formats it reads, and none as other", () => {
  let total = 0;
  for (const [name, { events }] of parsed) {
    if (name in NOT_YET_UNDERSTOOD) continue;
    for (const [i, event] of events.entries()) {
      const where = `${name}:${i + 1}`;
      assert.ok(KINDS.has(event.kind), `${where} has kind ${event.kind}`);
      assert.notEqual(event.kind, "other", where);
      total++;
    }
  }
  // Claude Code and Codex: 347 lines, 13 of the Codex 0.152 rollout, 51 of
  // Copilot and 28 of Gemini.
  assert.ok(total >= 439, `${total} lines`);
});

Deno.test("the formats not read yet are still not read (else move them out of the list)", () => {
  for (const [name, format] of Object.entries(NOT_YET_UNDERSTOOD)) {
    const { events } = file(name);
    assert.ok(
      events.some((e) => e.kind === "other"),
      `${name} (${format}) is fully typed now: remove it from NOT_YET_UNDERSTOOD`,
    );
  }
});

Deno.test("corpus: claude-code-viewer session (Claude Code 1.0.98)", () => {
  const { events, lines } = file("claude-code-viewer/1af7fc5e-8455-4414-9ccd-011d40f70b2a.jsonl");
  assert.equal(events.length, 29);
  const assistants = ofKind(events, "assistant");
  assert.equal(assistants.length, 15);
  const toolUses = blocksOf(assistants).filter((b) => b.type === "tool_use");
  assert.equal(toolUses.length, 12);
  assert.deepEqual(
    [...new Set(toolUses.map((b) => b.type === "tool_use" ? b.name : ""))].sort(),
    ["Bash", "Glob", "TodoWrite", "Write"],
  );
  const results = blocksOf(ofKind(events, "tool_result")).filter((b) => b.type === "tool_result");
  assert.equal(results.length, 12);
  // Every result pairs with a call.
  const callIds = new Set(toolUses.map((b) => b.type === "tool_use" ? b.id : ""));
  for (const r of results) assert.ok(r.type === "tool_result" && callIds.has(r.toolUseId));
  const errors = results.filter((b) => b.type === "tool_result" && b.isError);
  assert.equal(errors.length, 1);
  assert.match(
    errors[0]!.type === "tool_result" ? errors[0]!.text : "",
    /requested permissions to write/,
  );
  assert.equal(count(ofKind(events, "user"), (e) => e.isMeta === true), 1);
  for (const a of assistants) {
    assert.equal(a.model, "claude-sonnet-4-20250514");
    assert.ok(a.messageId?.startsWith("msg_"));
    assert.ok(a.requestId);
    assert.equal(typeof a.usage?.output_tokens, "number");
  }
  assert.ok(lines.every((l) => l.sessionId === "1af7fc5e-8455-4414-9ccd-011d40f70b2a"));
  assert.equal(lines[0]!.cwd, "/path/to/Demo");
  const bash = ofKind(events, "tool_result").find((e) =>
    e.result?.type === "bash" && e.result.stdout !== ""
  );
  assert.ok(bash?.result?.type === "bash" && bash.result.stdout.startsWith("total 0"));
});

Deno.test("corpus: agtrace session (Claude Code 2.0.28) with thinking, snapshots and an error", () => {
  const { events } = file("agtrace/7f2abd2d-7cfc-4447-9ddd-3ca8d14e02e9.jsonl");
  assert.equal(events.length, 26);
  const assistants = ofKind(events, "assistant");
  assert.equal(assistants.length, 13);
  assert.equal(count(blocksOf(assistants), (b) => b.type === "thinking"), 6);
  assert.ok(blocksOf(assistants).every((b) => b.type !== "thinking" || b.text.length > 0));
  assert.equal(count(blocksOf(assistants), (b) => b.type === "tool_use"), 4);
  // One message split over several lines, each repeating its id and usage.
  const ids = assistants.map((a) => a.messageId);
  assert.ok(new Set(ids).size < ids.length);
  const snapshots = ofKind(events, "meta").filter((e) => e.subtype === "file-history-snapshot");
  assert.equal(snapshots.length, 4);
  assert.equal(count(blocksOf(events), (b) => b.type === "tool_result" && b.isError), 1);
  assert.equal(count(ofKind(events, "user"), (e) => e.isMeta === true), 1);
  const write = ofKind(events, "tool_result").find((e) => e.result?.type === "write");
  assert.deepEqual(write?.result, {
    type: "write",
    filePath: "/Users/zawakin/agent-sample/myapp/hoge.py",
    content: "print(1+1)\n",
  });
});

Deno.test("corpus: agtrace flat agent files are sidechains with an agentId", () => {
  for (
    const [name, agentId] of [["agtrace/agent-0c4c3cf8.jsonl", "0c4c3cf8"], [
      "agtrace/agent-90fa40b6.jsonl",
      "90fa40b6",
    ]]
  ) {
    const { events, lines } = file(name!);
    assert.deepEqual(events.map((e) => e.kind), ["user", "assistant"]);
    assert.ok(events.every((e) => e.sidechain === true));
    assert.ok(lines.every((l) => l.agentId === agentId));
    assert.equal(events[0]!.kind === "user" && events[0]!.text, "Warmup");
  }
});

Deno.test("corpus: Codex 0.66 rollout", () => {
  const { events, lines } = file(
    "agtrace/rollout-2025-12-10T04-55-16-019b04ae-b1c6-7c72-a134-a4c2de66058c.jsonl",
  );
  assert.equal(events.length, 55);
  // Prompts, replies, reasoning and tool calls arrive in the shared vocabulary…
  const codex = ofKind(events, "codex");
  const by = (subtype: string) => codex.filter((e) => e.subtype === subtype);
  assert.equal(by("session_meta").length, 1);
  assert.equal(by("turn_context").length, 7);
  assert.equal(by("ghost_snapshot").length, 2);
  const tokenCounts = by("token_count");
  assert.equal(tokenCounts.length, 14);
  assert.equal(tokenCounts.filter((e) => e.tokens).length, 13);
  assert.equal(tokenCounts.at(-1)!.tokens?.total, 27148);
  const blocks = blocksOf(events);
  assert.equal(count(blocks, (b) => b.type === "thinking" || b.type === "redacted_thinking"), 6);
  const calls = blocks.filter((b) => b.type === "tool_use");
  assert.deepEqual(calls.map((c) => c.name), [
    "shell_command",
    "apply_patch",
    "shell_command",
    "shell_command",
    "shell_command",
  ]);
  const results = blocks.filter((b) => b.type === "tool_result");
  // …and every call is answered by a result with its id.
  assert.deepEqual(results.map((r) => r.toolUseId), calls.map((c) => c.id));
  assert.equal(count(results, (r) => r.isError), 2);
  const patch = calls[1]!;
  assert.match((patch.input as { input: string }).input, /\*\*\* Add File: myapp\/hoge.py/);
  assert.equal(results[1]!.text, "Success. Updated the following files:\nA myapp/hoge.py\n");
  const prompts = ofKind(events, "user");
  assert.deepEqual(prompts.map((p) => p.isMeta === true), [true, false, false]);
  assert.equal(count(events, (e) => e.kind === "assistant" && e.blocks[0]?.type === "text"), 2);
  assert.equal(lines[0]!.cwd, "/Users/zawakin/agent-sample");
  assert.equal(lines[0]!.sessionId, "019b04ae-b1c6-7c72-a134-a4c2de66058c");
});

Deno.test("corpus: agent-sessions Claude catalog (Claude Code 2.1.x)", () => {
  const { events } = file("agent-sessions/claude/small.jsonl");
  assert.equal(events.length, 89);
  const system = ofKind(events, "system");
  assert.deepEqual(
    [...new Set(system.map((e) => e.subtype))].sort(),
    [
      "api_error",
      "api_refusal",
      "compact_boundary",
      "error",
      "model_refusal_fallback",
      "session_start",
      "stop_hook_summary",
      "turn_duration",
    ],
  );
  assert.equal(count(system, (e) => e.subtype === "api_error" && e.isError === true), 4);
  assert.ok(
    system.filter((e) => e.subtype === "compact_boundary").some((e) => e.parentUuid === undefined),
  );
  assert.deepEqual(
    ofKind(events, "title").map((e) => e.subtype).sort(),
    ["agent-name", "ai-title", "custom-title", "last-prompt", "summary"],
  );
  assert.deepEqual(
    [...new Set(ofKind(events, "meta").map((e) => e.subtype))].sort(),
    [
      "atis-latch",
      "bridge-session",
      "file-history-snapshot",
      "frame-link",
      "mode",
      "permission-mode",
      "pr-link",
      "queue-operation",
      "relocated",
      "result",
      "started",
      "worktree-state",
    ],
  );
  const attachments = ofKind(events, "attachment");
  assert.equal(attachments.length, 38);
  assert.equal(new Set(attachments.map((a) => a.subtype)).size, 30);
  assert.deepEqual(
    attachments.filter((a) => a.isError).map((a) => a.subtype).sort(),
    ["hook_blocking_error", "hook_non_blocking_error"],
  );
  assert.ok(attachments.every((a) => a.text !== ""));
  assert.equal(
    attachments.find((a) => a.subtype === "hook_success")?.hookName,
    "SessionStart:startup",
  );
  const progress = ofKind(events, "progress");
  assert.equal(progress.length, 1);
  assert.equal(progress[0]!.toolUseId, "tc-progress-01");
  const users = ofKind(events, "user");
  assert.equal(count(users, (u) => u.isCompactSummary === true), 1);
  assert.equal(count(blocksOf(users), (b) => b.type === "image"), 1);
  const assistants = ofKind(events, "assistant");
  assert.equal(count(assistants, (a) => a.synthetic === true), 1);
  assert.equal(
    count(blocksOf(assistants), (b) => b.type === "other" && b.blockType === "fallback"),
    1,
  );
  assert.equal(count(blocksOf(assistants), (b) => b.type === "thinking"), 6);
  const results = ofKind(events, "tool_result");
  assert.equal(results.length, 3);
  assert.equal(count(blocksOf(results), (b) => b.type === "tool_result" && b.isError), 1);
  assert.equal(count(events, (e) => e.sidechain === true), 9);
});

Deno.test("corpus: agent-sessions subagent layout (parent and <session>/subagents/agent-<id>.jsonl)", () => {
  const parent = file("agent-sessions/claude/subagent/0a1b2c3d-4e5f-4061-8071-2a3b4c5d6e7f.jsonl");
  assert.deepEqual(parent.events.map((e) => e.kind), ["system", "user", "assistant"]);
  const task = blocksOf(parent.events).find((b) => b.type === "tool_use");
  assert.ok(task?.type === "tool_use" && task.name === "Task");
  assert.deepEqual(task.input, { subagent_type: "general-purpose", description: "search files" });

  const child = file(
    "agent-sessions/claude/subagent/0a1b2c3d-4e5f-4061-8071-2a3b4c5d6e7f/subagents/agent-a0ad4f44468bdf20d.jsonl",
  );
  assert.deepEqual(child.events.map((e) => e.kind), [
    "user",
    "assistant",
    "tool_result",
    "attachment",
  ]);
  assert.ok(child.events.every((e) => e.sidechain === true));
  assert.ok(child.lines.every((l) => l.agentId === "a0ad4f44468bdf20d"));
  const stop = ofKind(child.events, "attachment")[0]!;
  assert.equal(stop.subtype, "hook_success");
  assert.equal(stop.hookName, "SubagentStop");
});

Deno.test("corpus: agent-sessions Codex catalog (Codex up to 0.146)", () => {
  const { events } = file("agent-sessions/codex/small.jsonl");
  const codex = ofKind(events, "codex");
  assert.equal(codex.length, 99);
  const entries = (entry: string) => codex.filter((e) => e.entry === entry).length;
  assert.equal(entries("session_meta"), 7);
  assert.equal(entries("turn_context"), 9);
  assert.equal(entries("compacted"), 6);
  assert.equal(entries("world_state"), 5);
  assert.equal(entries("event_msg"), 68);
  // Of 22 response items, ghost snapshots and inter-agent messages stay Codex's own.
  assert.equal(entries("response_item"), 3);
  const errors = codex.filter((e) => e.isError).map((e) => e.subtype).sort();
  assert.deepEqual(errors, [
    "dynamic_tool_call_response",
    "error",
    "mcp_tool_call_end",
    "task_complete",
    "undo_completed",
  ]);
  assert.ok(codex.every((e) => e.text !== ""), "every Codex event says something");
  // The 25 KB compacted line is parsed, and its text stays a summary, not the history.
  const biggest = codex.reduce((a, b) => a.bytes > b.bytes ? a : b);
  assert.ok(biggest.bytes > 25_000);
  assert.equal(biggest.entry, "compacted");
  assert.ok(biggest.text.length < 1000);
  assert.equal(
    codex.find((e) => e.subtype === "patch_apply_end")?.text,
    "patch applied: /tmp/repo/a.txt",
  );
});

Deno.test("corpus: claude-code-log edge cases, with malformed and untyped lines", () => {
  const { events } = file("claude-code-log/edge_cases.jsonl");
  assert.equal(events.length, 19);
  const malformed = ofKind(events, "text").filter((e) => e.malformed);
  // Three non-object JSON lines, and `{"silly": "this"}`: JSON with no type and no message role.
  assert.deepEqual(malformed.map((e) => e.text), [
    '"massive error"',
    '{"silly": "this"}',
    "42",
    "[1]",
  ]);
  assert.equal(count(blocksOf(events), (b) => b.type === "tool_result" && b.isError), 1);
  assert.equal(ofKind(events, "title")[0]?.text.startsWith("Tested various edge cases"), true);
  const special = ofKind(events, "user").find((e) =>
    e.text.startsWith("Testing special characters")
  );
  assert.match(special?.text ?? "", /café, naïve, résumé, 中文, العربية, русский, 🎉 emojis 🚀/);
  assert.ok(
    ofKind(events, "user").some((e) => e.text === "error"),
    "a bare string message is read as the prompt",
  );
  const todo = blocksOf(events).find((b) => b.type === "tool_use" && b.name === "TodoWrite");
  assert.ok(todo?.type === "tool_use" && Array.isArray((todo.input as { todos: unknown[] }).todos));
});
