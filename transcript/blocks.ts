/**
 * Message content as typed blocks, and the structured tool results Claude Code
 * writes beside them. Every adapter builds on these: a Codex, Gemini or
 * Copilot tool call is the same `tool_use` block a Claude one is, so the page
 * draws one kind of card whatever agent wrote the line.
 */

import type { Block, ToolUseResult, Usage } from "../core/event.ts";
import {
  clip,
  firstString,
  isRecord,
  joinStrings,
  type JsonRecord,
  keysSummary,
  num,
  plural,
  record,
  str,
} from "./record.ts";

/** The text blocks of a message, joined: what a reader sees as "the prompt". */
export function blocksText(blocks: readonly Block[]): string {
  let text = "";
  for (const block of blocks) {
    if (block.type !== "text") continue;
    text = text === "" ? block.text : `${text}\n${block.text}`;
  }
  return text;
}

/** A message's `content` (a string or a list of blocks) as typed blocks. */
export function toBlocks(content: unknown): Block[] {
  if (typeof content === "string") return content === "" ? [] : [{ type: "text", text: content }];
  if (!Array.isArray(content)) return [];
  const blocks: Block[] = [];
  for (const item of content) blocks.push(_toBlock(item));
  return blocks;
}

function _toBlock(item: unknown): Block {
  if (typeof item === "string") return { type: "text", text: item };
  if (!isRecord(item)) {
    return {
      type: "other",
      blockType: item === null ? "null" : typeof item,
      summary: clip(String(item)),
    };
  }
  const type = str(item.type) ?? "";
  switch (type) {
    case "text":
      return { type: "text", text: str(item.text) ?? "" };
    case "thinking":
      return { type: "thinking", text: str(item.thinking) ?? str(item.text) ?? "" };
    case "redacted_thinking":
      return { type: "redacted_thinking" };
    case "tool_use":
    case "server_tool_use":
    case "mcp_tool_use":
      return {
        type: "tool_use",
        id: str(item.id) ?? "",
        name: _toolName(item),
        input: item.input ?? {},
      };
    case "tool_result":
      return _toolResultBlock(item);
    case "image": {
      const mediaType = str(record(item.source)?.media_type);
      return mediaType === undefined ? { type: "image" } : { type: "image", mediaType };
    }
    case "document": {
      const title = str(item.title);
      return title === undefined ? { type: "document" } : { type: "document", title };
    }
  }
  // Server tools answer inside the assistant message (`web_search_tool_result`, ...).
  if (type.endsWith("_tool_result") && typeof item.tool_use_id === "string") {
    return _toolResultBlock(item);
  }
  return { type: "other", blockType: type || "unknown", summary: _blockSummary(type, item) };
}

function _toolName(item: JsonRecord): string {
  const name = str(item.name) ?? "";
  const server = str(item.server_name);
  return server ? `${server}.${name}` : name;
}

function _blockSummary(type: string, item: JsonRecord): string {
  if (type === "fallback") {
    const from = str(record(item.from)?.model);
    const to = str(record(item.to)?.model);
    if (from || to) return `fell back from ${from ?? "?"} to ${to ?? "?"}`;
  }
  return clip(
    firstString(item, ["text", "content", "title", "name"]) ?? keysSummary(item, ["type"]),
  );
}

function _toolResultBlock(item: JsonRecord): Block {
  let text = "";
  let images = 0;
  let isError = item.is_error === true;
  const content = item.content;
  if (typeof content === "string") {
    text = content;
  } else if (Array.isArray(content)) {
    const parts: string[] = [];
    for (const part of content) {
      if (typeof part === "string") {
        parts.push(part);
        continue;
      }
      if (!isRecord(part)) continue;
      const partType = str(part.type) ?? "";
      if (partType === "image") images++;
      else if (typeof part.text === "string") parts.push(part.text);
      else if (typeof part.url === "string") {
        parts.push(`${str(part.title) ?? ""} ${part.url}`.trim());
      } else if (partType === "tool_reference" && typeof part.tool_name === "string") {
        parts.push(part.tool_name);
      }
    }
    text = parts.join("\n");
  } else if (isRecord(content)) {
    // Server tool errors: `{type: "web_search_tool_result_error", error_code}`.
    const partType = str(content.type) ?? "";
    if (partType.endsWith("_error")) isError = true;
    text = firstString(content, ["text", "error_code", "stdout", "stderr"]) ?? "";
  } else if (typeof item.text === "string") {
    text = item.text;
  }
  return { type: "tool_result", toolUseId: str(item.tool_use_id) ?? "", isError, text, images };
}

/** The structured `toolUseResult` Claude Code writes beside a tool result. */
export function toToolUseResult(value: unknown): ToolUseResult | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return { type: "text", text: value };
  if (Array.isArray(value)) {
    // MCP tools and Task results in older versions: a list of content blocks.
    return { type: "text", text: blocksText(toBlocks(value)) };
  }
  if (!isRecord(value)) return { type: "other", summary: String(value) };

  if (typeof value.stdout === "string" || typeof value.stderr === "string") {
    const bash: ToolUseResult = {
      type: "bash",
      stdout: str(value.stdout) ?? "",
      stderr: str(value.stderr) ?? "",
    };
    if (typeof value.interrupted === "boolean") bash.interrupted = value.interrupted;
    const exitCode = num(value.exitCode) ?? num(value.exit_code) ?? num(value.returnCode);
    if (exitCode !== undefined) bash.exitCode = exitCode;
    const backgroundTaskId = str(value.backgroundTaskId);
    if (backgroundTaskId) bash.backgroundTaskId = backgroundTaskId;
    const persisted = str(value.persistedOutputPath);
    if (persisted) bash.persistedOutputPath = persisted;
    const persistedSize = num(value.persistedOutputSize);
    if (persistedSize !== undefined) bash.persistedOutputSize = persistedSize;
    return bash;
  }

  const filePath = str(value.filePath);
  if (filePath !== undefined) {
    // Write: `type: "create"` (new file) or `"update"` (overwrite, with a patch).
    if (value.type === "create" && typeof value.content === "string") {
      return { type: "write", filePath, content: value.content };
    }
    const patch = _patch(value.structuredPatch);
    if (
      patch !== undefined || typeof value.oldString === "string" ||
      typeof value.newString === "string"
    ) {
      const edit: ToolUseResult = { type: "edit", filePath };
      const oldString = str(value.oldString);
      if (oldString !== undefined) edit.oldString = oldString;
      const newString = str(value.newString);
      if (newString !== undefined) edit.newString = newString;
      if (patch !== undefined) edit.patch = patch;
      return edit;
    }
    if (typeof value.content === "string") {
      return { type: "write", filePath, content: value.content };
    }
  }

  const file = record(value.file);
  if (file !== undefined) {
    const readPath = str(file.filePath);
    if (readPath !== undefined) {
      const read: ToolUseResult = { type: "read", filePath: readPath };
      const startLine = num(file.startLine);
      if (startLine !== undefined) read.startLine = startLine;
      const numLines = num(file.numLines);
      if (numLines !== undefined) read.numLines = numLines;
      const totalLines = num(file.totalLines);
      if (totalLines !== undefined) read.totalLines = totalLines;
      return read;
    }
    return { type: "other", summary: `${str(value.type) ?? "file"} read` };
  }

  // AskUserQuestion: `{questions, answers: {question: answer}}`.
  if (isRecord(value.answers) && Array.isArray(value.questions)) {
    const answers: Record<string, string> = {};
    for (const [question, answer] of Object.entries(value.answers)) {
      if (typeof answer === "string") answers[question] = answer;
      else if (Array.isArray(answer)) answers[question] = joinStrings(answer);
    }
    return { type: "answers", answers };
  }

  // Task / Agent results: the subagent's id, status and token usage.
  if (typeof value.agentId === "string" || (typeof value.status === "string" && value.usage)) {
    const task: ToolUseResult = { type: "task" };
    const agentId = str(value.agentId);
    if (agentId !== undefined) task.agentId = agentId;
    const status = str(value.status);
    if (status !== undefined) task.status = status;
    if (isRecord(value.usage)) task.usage = value.usage as Usage;
    const totalTokens = num(value.totalTokens);
    if (totalTokens !== undefined) task.totalTokens = totalTokens;
    return task;
  }

  return { type: "other", summary: _otherResultSummary(value) };
}

function _patch(value: unknown) {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const hunks = [];
  for (const hunk of value) {
    if (!isRecord(hunk)) continue;
    const lines: string[] = [];
    if (Array.isArray(hunk.lines)) {
      for (const line of hunk.lines) if (typeof line === "string") lines.push(line);
    }
    hunks.push({
      oldStart: num(hunk.oldStart) ?? 0,
      oldLines: num(hunk.oldLines) ?? 0,
      newStart: num(hunk.newStart) ?? 0,
      newLines: num(hunk.newLines) ?? 0,
      lines,
    });
  }
  return hunks.length === 0 ? undefined : hunks;
}

/** Glob, Grep, TodoWrite, WebFetch, WebSearch and the rest: one line that says what came back. */
function _otherResultSummary(value: JsonRecord): string {
  if (Array.isArray(value.newTodos)) return `todos: ${plural(value.newTodos.length, "item")}`;
  if (Array.isArray(value.filenames)) {
    return plural(num(value.numFiles) ?? value.filenames.length, "file") +
      (value.truncated === true ? " (truncated)" : "");
  }
  const url = str(value.url);
  if (url !== undefined) return clip(`${num(value.code) ?? ""} ${url}`.trim());
  const query = str(value.query);
  if (query !== undefined) return clip(`search: ${query}`);
  return clip(firstString(value, ["message", "result", "content", "text"]) ?? keysSummary(value));
}
