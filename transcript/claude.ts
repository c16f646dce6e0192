/**
 * Claude Code transcript lines (`~/.claude/projects/<project>/<session>.jsonl`
 * and the subagent files beside them) → typed events.
 *
 * Claude Code adds entry types and attachment subtypes often, so every reader
 * here is defensive: a field of the wrong type is skipped, never thrown on,
 * and an entry type we do not know becomes an `other` event with a summary.
 */

import type { Block, ParsedEvent, ToolUseResult, Usage } from "../core/event.ts";
import type { ParsedLine } from "./line.ts";
import {
  type BaseFields,
  baseFields,
  clip,
  firstString,
  formatDuration,
  formatInt,
  humanize,
  isRecord,
  joinStrings,
  type JsonRecord,
  keysSummary,
  num,
  plural,
  record,
  str,
} from "./record.ts";
import { costStateEvent } from "./cost_state.ts";

/**
 * Parses one Claude Code line. Returns `undefined` when the object is not a
 * transcript record at all (no `type`, and no `message.role` to infer one from).
 */
export function parseClaude(rec: JsonRecord, bytes: number): ParsedLine | undefined {
  const type = _entryType(rec);
  if (type === undefined) return undefined;
  const line: ParsedLine = { event: _toEvent(type, rec, baseFields(rec, bytes)) };
  const cwd = str(rec.cwd);
  if (cwd) line.cwd = cwd;
  const sessionId = str(rec.sessionId) ?? str(rec.session_id);
  if (sessionId) line.sessionId = sessionId;
  const agentId = str(rec.agentId);
  if (agentId) line.agentId = agentId;
  return line;
}

function _entryType(rec: JsonRecord): string | undefined {
  const type = rec.type;
  if (typeof type === "string" && type !== "") return type;
  // Hand-edited and some very old lines carry no `type`; the message role still says what they are.
  const role = record(rec.message)?.role;
  if (role === "user" || role === "assistant") return role;
  return undefined;
}

function _toEvent(type: string, rec: JsonRecord, base: BaseFields): ParsedEvent {
  switch (type) {
    case "user":
      return _userEvent(rec, base);
    case "assistant":
      return _assistantEvent(rec, base);
    case "system":
      return _systemEvent(rec, base);
    case "attachment":
      return _attachmentEvent(rec, base);
    case "progress":
      return _progressEvent(rec, base);
    case "cost-state":
      return costStateEvent(rec, base);
  }
  const titleField = TITLE_FIELDS.get(type);
  if (titleField !== undefined) {
    return { kind: "title", ...base, subtype: type, text: str(rec[titleField]) ?? "" };
  }
  const metaText = META_TEXT.get(type);
  if (metaText !== undefined) return { kind: "meta", ...base, subtype: type, text: metaText(rec) };
  return { kind: "other", ...base, type, text: clip(`${type} ${keysSummary(rec, COMMON_KEYS)}`) };
}

/** Fields on nearly every line; leaving them out makes an `other` summary say something. */
const COMMON_KEYS = [
  "type",
  "uuid",
  "parentUuid",
  "isSidechain",
  "timestamp",
  "sessionId",
  "session_id",
  "cwd",
  "version",
  "gitBranch",
  "userType",
  "entrypoint",
  "slug",
];

// ---- user and tool results -------------------------------------------------

function _userEvent(rec: JsonRecord, base: BaseFields): ParsedEvent {
  const message = rec.message;
  // A bare string `message` shows up in hand-edited transcripts; read it as the content.
  const blocks = toBlocks(isRecord(message) ? message.content : message);
  if (rec.toolUseResult !== undefined || blocks.some((b) => b.type === "tool_result")) {
    const event: ParsedEvent = { kind: "tool_result", ...base, blocks };
    const result = toToolUseResult(rec.toolUseResult);
    if (result !== undefined) event.result = result;
    return event;
  }
  const event: ParsedEvent = { kind: "user", ...base, text: blocksText(blocks), blocks };
  if (rec.isMeta === true) event.isMeta = true;
  if (rec.isCompactSummary === true) event.isCompactSummary = true;
  return event;
}

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

// ---- assistant -------------------------------------------------------------

function _assistantEvent(rec: JsonRecord, base: BaseFields): ParsedEvent {
  const message = record(rec.message) ?? {};
  const event: ParsedEvent = { kind: "assistant", ...base, blocks: toBlocks(message.content) };
  const model = str(message.model);
  if (model !== undefined) event.model = model;
  const messageId = str(message.id);
  if (messageId !== undefined) event.messageId = messageId;
  const requestId = str(rec.requestId);
  if (requestId !== undefined) event.requestId = requestId;
  if (isRecord(message.usage)) event.usage = message.usage as Usage;
  const stopReason = str(message.stop_reason);
  if (stopReason !== undefined) event.stopReason = stopReason;
  // Claude Code makes up `<synthetic>` messages itself: API errors, interrupts, "no response".
  if (model === "<synthetic>") event.synthetic = true;
  if (rec.isApiErrorMessage === true) event.isApiError = true;
  return event;
}

// ---- system ----------------------------------------------------------------

const SYSTEM_ERRORS = new Set(["api_error", "api_refusal", "model_refusal_fallback", "error"]);

function _systemEvent(rec: JsonRecord, base: BaseFields): ParsedEvent {
  const subtype = str(rec.subtype) ?? "system";
  const event: ParsedEvent = { kind: "system", ...base, subtype, text: _systemText(subtype, rec) };
  const level = str(rec.level);
  if (level !== undefined) event.level = level;
  if (SYSTEM_ERRORS.has(subtype) || level === "error") event.isError = true;
  if (
    subtype === "stop_hook_summary" && Array.isArray(rec.hookErrors) && rec.hookErrors.length > 0
  ) {
    event.isError = true;
  }
  const durationMs = num(rec.durationMs);
  if (durationMs !== undefined) event.durationMs = durationMs;
  return event;
}

function _systemText(subtype: string, rec: JsonRecord): string {
  switch (subtype) {
    case "compact_boundary": {
      const meta = record(rec.compactMetadata) ?? {};
      const trigger = str(meta.trigger) ?? str(rec.trigger);
      const preTokens = num(meta.preTokens);
      return "Conversation compacted" + (trigger ? ` (${trigger})` : "") +
        (preTokens ? `: ${formatInt(preTokens)} tokens before` : "");
    }
    case "turn_duration": {
      const ms = num(rec.durationMs);
      return ms === undefined ? "Turn finished" : `Turn took ${formatDuration(ms)}`;
    }
    case "stop_hook_summary": {
      const count = num(rec.hookCount) ?? (Array.isArray(rec.hookInfos) ? rec.hookInfos.length : 0);
      const errors = Array.isArray(rec.hookErrors) ? rec.hookErrors : [];
      let text = `${plural(count, "stop hook")} ran`;
      if (errors.length > 0) {
        text += `, ${plural(errors.length, "error")}: ${_errorText(errors[0])}`;
      }
      if (rec.preventedContinuation === true) text += " (prevented continuation)";
      return clip(text);
    }
    case "api_error": {
      let text = `API error: ${_errorText(rec.error)}`;
      const attempt = num(rec.retryAttempt);
      const max = num(rec.maxRetries);
      const wait = num(rec.retryInMs);
      if (attempt && max) {
        text += ` (retry ${attempt}/${max}${wait ? ` in ${formatDuration(wait)}` : ""})`;
      }
      return clip(text);
    }
    case "api_refusal":
      return clip(
        firstString(rec, ["apiRefusalExplanation", "content", "apiRefusalCategory"]) ??
          "Request refused",
      );
    case "model_refusal_fallback": {
      const from = str(rec.originalModel);
      const to = str(rec.fallbackModel);
      return clip(`${from ?? "Model"} refused; fell back to ${to ?? "another model"}`);
    }
    case "error":
      return clip(`Error: ${_errorText(rec.error ?? rec.content)}`);
    case "session_start":
      return "Session started";
  }
  // local_command, informational and newer subtypes carry their text in `content`.
  return str(rec.content) ?? firstString(rec, ["message", "text"]) ?? humanize(subtype);
}

/** The readable part of an error field: a string, `{message}`, or the API's nested `{error: {error: {message}}}`. */
function _errorText(error: unknown): string {
  for (let depth = 0; depth < 4; depth++) {
    if (typeof error === "string") return clip(error);
    if (!isRecord(error)) break;
    const text = firstString(error, ["message", "formatted"]);
    if (text !== undefined) return clip(text);
    if (error.error === undefined) {
      const status = num(error.status);
      const type = str(error.type);
      return type ?? (status ? `status ${status}` : "unknown error");
    }
    error = error.error;
  }
  return "unknown error";
}

// ---- attachments -----------------------------------------------------------

function _attachmentEvent(rec: JsonRecord, base: BaseFields): ParsedEvent {
  const attachment = record(rec.attachment) ?? {};
  const subtype = str(attachment.type) ?? "attachment";
  const event: ParsedEvent = {
    kind: "attachment",
    ...base,
    subtype,
    text: _attachmentText(subtype, attachment),
  };
  // hook_blocking_error, hook_non_blocking_error, hook_error_during_execution, ...
  if (subtype.includes("error")) event.isError = true;
  const hookName = str(attachment.hookName);
  if (hookName !== undefined) event.hookName = hookName;
  return event;
}

function _attachmentText(subtype: string, a: JsonRecord): string {
  if (subtype.startsWith("hook_")) {
    const blocking = a.blockingError;
    const text = (isRecord(blocking) ? str(blocking.blockingError) : str(blocking)) ||
      _contentText(a.content) ||
      firstString(a, ["stderr", "stdout", "message"]);
    if (text && text !== "{}") return text;
    const exitCode = num(a.exitCode);
    return `${str(a.hookEvent) ?? str(a.hookName) ?? "hook"}${
      exitCode ? `: exit ${exitCode}` : ""
    }`;
  }
  switch (subtype) {
    case "queued_command":
      return _contentText(a.prompt) || "queued command";
    case "todo_reminder":
    case "task_reminder":
      return _taskList(a.content) || "no tasks";
    case "task_status":
      return clip([str(a.description), str(a.status)].filter(Boolean).join(": ") || "task status");
    case "budget_usd":
      return `$${num(a.used) ?? 0} of $${num(a.total) ?? 0} used`;
    case "skill_listing":
      return plural(num(a.skillCount) ?? 0, "skill");
    case "invoked_skills":
      return clip(_names(a.skills) || "skills invoked");
    case "dynamic_skill":
      return clip(joinStrings(a.skillNames) || str(a.displayPath) || "skill");
    case "command_permissions":
      return clip(`allowed: ${joinStrings(a.allowedTools) || "none"}`);
    case "deferred_tools_delta":
    case "mcp_instructions_delta":
    case "agent_listing_delta":
      return clip(_delta(a));
    case "date_change":
      return `date is now ${str(a.newDate) ?? "?"}`;
  }
  const text = _contentText(a.content) ||
    firstString(a, [
      "text",
      "prompt",
      "message",
      "banner",
      "displayPath",
      "filename",
      "path",
      "planFilePath",
      "description",
    ]);
  return text ?? humanize(subtype);
}

/** Attachment content: a string, a list of blocks (text and images), or a nested `{content}`. */
function _contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    const parts: string[] = [];
    for (const block of toBlocks(content)) {
      if (block.type === "text") parts.push(block.text);
      else if (block.type === "image") parts.push("[image]");
    }
    return parts.join("\n");
  }
  if (isRecord(content)) {
    const file = record(content.file);
    return str(content.content) ?? str(file?.filePath) ?? str(content.path) ?? "";
  }
  return "";
}

function _taskList(items: unknown): string {
  if (!Array.isArray(items) || items.length === 0) return "";
  const lines: string[] = [];
  for (const item of items.slice(0, 20)) {
    if (!isRecord(item)) continue;
    const text = firstString(item, ["subject", "content", "description"]) ?? "";
    lines.push(`[${str(item.status) ?? "?"}] ${clip(text, 120)}`);
  }
  if (items.length > 20) lines.push(`… ${items.length - 20} more`);
  return lines.join("\n");
}

function _names(items: unknown): string {
  if (!Array.isArray(items)) return "";
  const names: string[] = [];
  for (const item of items) {
    const name = isRecord(item) ? str(item.name) : str(item);
    if (name) names.push(name);
  }
  return names.join(", ");
}

function _delta(a: JsonRecord): string {
  const added = a.addedNames ?? a.addedTypes;
  const removed = a.removedNames ?? a.removedTypes;
  const addedCount = Array.isArray(added) ? added.length : 0;
  const removedCount = Array.isArray(removed) ? removed.length : 0;
  if (addedCount === 0 && removedCount === 0) {
    return a.isInitial === true ? "initial list" : "no change";
  }
  const names = joinStrings(added);
  return `+${addedCount} −${removedCount}${names ? `: ${names}` : ""}`;
}

// ---- progress --------------------------------------------------------------

function _progressEvent(rec: JsonRecord, base: BaseFields): ParsedEvent {
  const data = record(rec.data) ?? {};
  const subtype = str(data.type) ?? "progress";
  const event: ParsedEvent = {
    kind: "progress",
    ...base,
    subtype,
    text: _progressText(subtype, data),
  };
  const toolUseId = str(rec.parentToolUseID) ?? str(rec.toolUseID);
  if (toolUseId !== undefined) event.toolUseId = toolUseId;
  return event;
}

function _progressText(subtype: string, data: JsonRecord): string {
  switch (subtype) {
    case "hook_progress":
      return clip(
        [str(data.hookName) ?? str(data.hookEvent), str(data.command)].filter(Boolean).join(": ") ||
          "hook running",
      );
    case "bash_progress": {
      const output = str(data.output) ?? str(data.fullOutput) ?? "";
      const seconds = num(data.elapsedTimeSeconds);
      return output || (seconds !== undefined ? `running for ${seconds}s` : "running");
    }
    case "agent_progress": {
      // The subagent's own line, nested: show what it is saying or calling.
      const inner = record(data.message);
      const blocks = toBlocks(record(inner?.message)?.content);
      const text = blocksText(blocks);
      if (text) return text;
      for (const block of blocks) if (block.type === "tool_use") return `→ ${block.name}`;
      return str(data.prompt) ?? "agent working";
    }
    case "mcp_progress":
      return clip(
        [str(data.serverName), str(data.toolName), str(data.status)].filter(Boolean).join(" ") ||
          "MCP tool running",
      );
    case "search_results_received":
      return clip(`${plural(num(data.resultCount) ?? 0, "result")} for ${str(data.query) ?? "?"}`);
  }
  return clip(
    firstString(data, ["message", "query", "taskDescription", "status", "text"]) ??
      humanize(subtype),
  );
}

// ---- titles and bookkeeping ------------------------------------------------

/** Entry type → the field holding its text. */
const TITLE_FIELDS = new Map<string, string>([
  ["summary", "summary"],
  ["custom-title", "customTitle"],
  ["ai-title", "aiTitle"],
  ["agent-name", "agentName"],
  ["last-prompt", "lastPrompt"],
  ["task-summary", "summary"],
]);

const META_TEXT = new Map<string, (rec: JsonRecord) => string>([
  ["file-history-snapshot", (rec) => {
    const backups = record(record(rec.snapshot)?.trackedFileBackups);
    const count = backups ? Object.keys(backups).length : 0;
    return `${plural(count, "tracked file")}${rec.isSnapshotUpdate === true ? " (update)" : ""}`;
  }],
  ["queue-operation", (rec) => {
    const content = str(rec.content);
    return clip(`${str(rec.operation) ?? "queue"}${content ? `: ${content}` : ""}`);
  }],
  ["mode", (rec) => `mode: ${str(rec.mode) ?? "?"}`],
  ["permission-mode", (rec) => `permission mode: ${str(rec.permissionMode) ?? "?"}`],
  ["worktree-state", (rec) => {
    const w = record(rec.worktreeSession);
    if (w === undefined) return "left worktree";
    const branch = str(w.worktreeBranch);
    return clip(
      `worktree ${str(w.worktreeName) ?? ""}${branch ? ` (${branch})` : ""} at ${
        str(w.worktreePath) ?? "?"
      }`,
    );
  }],
  ["pr-link", (rec) => {
    const n = num(rec.prNumber);
    return clip(
      `PR${n !== undefined ? ` #${n}` : ""} ${str(rec.prUrl) ?? str(rec.prRepository) ?? ""}`
        .trim(),
    );
  }],
  [
    "frame-link",
    (rec) => clip(`${str(rec.title) ?? "frame"}: ${str(rec.frameUrl) ?? str(rec.path) ?? ""}`),
  ],
  ["bridge-session", (rec) => `bridge session ${str(rec.bridgeSessionId) ?? "?"}`],
  ["atis-latch", (rec) => clip(`atis latch: ${str(rec.atis) ?? "?"}`)],
  ["relocated", (rec) => clip(`relocated to ${str(rec.relocatedCwd) ?? "?"}`)],
  ["started", (rec) => `agent ${str(rec.agentId) ?? "?"} started`],
  ["result", (rec) => {
    const result = rec.result;
    const text = isRecord(result)
      ? firstString(result, ["summary", "text", "result"])
      : str(result);
    return clip(`agent ${str(rec.agentId) ?? "?"} finished${text ? `: ${text}` : ""}`);
  }],
  ["tag", (rec) => clip(`tag: ${str(rec.tag) ?? "?"}`)],
  ["agent-color", (rec) => `agent color: ${str(rec.agentColor) ?? "?"}`],
  [
    "agent-setting",
    (rec) => clip(`agent setting: ${str(rec.agentSetting) ?? keysSummary(rec, COMMON_KEYS)}`),
  ],
  ["attribution-snapshot", () => "attribution snapshot"],
  ["content-replacement", () => "content replacement"],
  ["speculation-accept", () => "speculation accepted"],
]);
