/**
 * Claude Code's `system`, `attachment` and `progress` lines → typed events.
 * Claude Code adds subtypes often: an unknown one keeps its own name and the
 * first text-like field it has.
 */

import type { ParsedEvent } from "../core/event.ts";
import { blocksText, toBlocks } from "./blocks.ts";
import {
  type BaseFields,
  clip,
  firstString,
  formatDuration,
  formatInt,
  humanize,
  isRecord,
  joinStrings,
  type JsonRecord,
  num,
  plural,
  record,
  str,
} from "./record.ts";

// ---- system ----------------------------------------------------------------

const SYSTEM_ERRORS = new Set(["api_error", "api_refusal", "model_refusal_fallback", "error"]);

export function systemEvent(rec: JsonRecord, base: BaseFields): ParsedEvent {
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

export function attachmentEvent(rec: JsonRecord, base: BaseFields): ParsedEvent {
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

export function progressEvent(rec: JsonRecord, base: BaseFields): ParsedEvent {
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
