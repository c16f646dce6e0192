/**
 * GitHub Copilot CLI sessions (`~/.copilot/session-state/<uuid>/events.jsonl`;
 * the VS Code agent writes the same stream) → the shared events. Every line
 * is `{type, data, id, timestamp, parentId}` with a dot-named `type`:
 * `session.*`, `user.message`, `assistant.message`, `tool.execution_start` /
 * `tool.execution_complete` (paired by `toolCallId`), `subagent.*`, ...
 */

import type { Block, ModelUsage, ParsedEvent, ToolUseResult } from "../core/event.ts";
import type { ParsedLine } from "./line.ts";
import {
  type BaseFields,
  clip,
  firstString,
  formatDuration,
  formatInt,
  humanize,
  isRecord,
  type JsonRecord,
  num,
  record,
  str,
} from "./record.ts";

/** Whether a record is a Copilot session event: a dot-named type with a `data` object. */
export function isCopilotRecord(rec: JsonRecord): boolean {
  const type = rec.type;
  return typeof type === "string" && type.includes(".") && isRecord(rec.data);
}

export function parseCopilot(rec: JsonRecord, bytes: number): ParsedLine {
  const type = str(rec.type) ?? "";
  const data = record(rec.data) ?? {};
  const base: BaseFields = { bytes };
  const ts = str(rec.timestamp);
  if (ts !== undefined) base.ts = ts;
  const id = str(rec.id);
  if (id !== undefined) base.uuid = id;
  const parentId = str(rec.parentId);
  if (parentId !== undefined) base.parentUuid = parentId;

  switch (type) {
    case "session.start":
    case "session.resume":
      return _start(type, data, base);
    case "user.message":
      return { event: _user(data, base) };
    case "assistant.message":
      return { event: _assistant(data, base) };
    case "assistant.reasoning": {
      const text = str(data.content) ?? "";
      const block: Block = text ? { type: "thinking", text } : { type: "redacted_thinking" };
      return { event: { kind: "assistant", ...base, blocks: [block] } };
    }
    case "tool.execution_start":
    case "tool.execution_partial_result":
    case "tool.execution_progress":
      return { event: _progress(type, data, base) };
    case "tool.execution_complete":
      return { event: _toolResult(data, base) };
    case "session.error":
    case "abort":
      return {
        event: {
          kind: "system",
          ...base,
          subtype: type,
          text: clip(firstString(data, ["message", "reason", "errorType"]) ?? humanize(type)),
          isError: true,
        },
      };
  }
  if (type.startsWith("subagent.")) return { event: _subagent(type, data, base) };
  const event: ParsedEvent = { kind: "meta", ...base, subtype: type, text: _metaText(type, data) };
  if (type === "session.model_change") {
    const model = str(data.newModel);
    if (model) event.model = model;
  } else if (type === "session.shutdown") {
    const usage = _modelUsage(record(data.modelMetrics) ?? {});
    if (usage.length > 0) event.modelUsage = usage;
  }
  return { event };
}

/**
 * `modelMetrics`: `{<model>: {requests: {count, cost}, usage: {inputTokens,
 * outputTokens, cacheReadTokens, cacheWriteTokens, reasoningTokens}}}`, the
 * totals since the session (re)started. `inputTokens` counts cached reads
 * too (Copilot's own summary reads "453.0k in, … 405.7k cached").
 */
function _modelUsage(metrics: JsonRecord): ModelUsage[] {
  const out: ModelUsage[] = [];
  for (const [model, value] of Object.entries(metrics)) {
    const usage = record(record(value)?.usage);
    if (usage === undefined) continue;
    out.push({
      model,
      input: num(usage.inputTokens) ?? 0,
      output: num(usage.outputTokens) ?? 0,
      cacheRead: num(usage.cacheReadTokens) ?? 0,
      cacheWrite: num(usage.cacheWriteTokens) ?? 0,
    });
  }
  return out;
}

function _start(type: string, data: JsonRecord, base: BaseFields): ParsedLine {
  const context = record(data.context) ?? {};
  const parts = [`Copilot ${str(data.copilotVersion) ?? ""}`.trim()];
  const cwd = str(context.cwd);
  if (cwd) parts.push(cwd);
  const branch = str(context.branch);
  if (branch) parts.push(`branch ${branch}`);
  if (type === "session.resume") parts.push("resumed");
  const event: ParsedEvent = {
    kind: "meta",
    ...base,
    subtype: type,
    text: clip(parts.join(" · ")),
  };
  const model = str(data.selectedModel);
  if (model) event.model = model;
  const line: ParsedLine = { event };
  if (cwd) line.cwd = cwd;
  const sessionId = str(data.sessionId);
  if (sessionId) line.sessionId = sessionId;
  return line;
}

function _user(data: JsonRecord, base: BaseFields): ParsedEvent {
  const content = str(data.content) ?? "";
  // An empty `content` with a `transformedContent` is Copilot nudging the model itself.
  const text = content || str(data.transformedContent) || "";
  const blocks: Block[] = text ? [{ type: "text", text }] : [];
  if (Array.isArray(data.attachments)) {
    for (const attachment of data.attachments) {
      const a = record(attachment);
      blocks.push({
        type: "document",
        title: str(a?.displayName) ?? str(a?.path) ?? str(a?.type) ?? "attachment",
      });
    }
  }
  const event: ParsedEvent = { kind: "user", ...base, text, blocks };
  if (!content) event.isMeta = true;
  return event;
}

function _assistant(data: JsonRecord, base: BaseFields): ParsedEvent {
  const blocks: Block[] = [];
  const reasoning = str(data.reasoningText);
  if (reasoning) blocks.push({ type: "thinking", text: reasoning });
  else if (typeof data.reasoningOpaque === "string") blocks.push({ type: "redacted_thinking" });
  const content = str(data.content);
  if (content) blocks.push({ type: "text", text: content });
  if (Array.isArray(data.toolRequests)) {
    for (const request of data.toolRequests) {
      if (!isRecord(request)) continue;
      blocks.push({
        type: "tool_use",
        id: str(request.toolCallId) ?? "",
        name: _toolName(str(request.name) ?? "", request),
        input: request.arguments ?? {},
      });
    }
  }
  const event: ParsedEvent = { kind: "assistant", ...base, blocks };
  const messageId = str(data.messageId);
  if (messageId !== undefined) event.messageId = messageId;
  const requestId = str(data.requestId);
  if (requestId !== undefined) event.requestId = requestId;
  const model = str(data.model);
  if (model !== undefined) event.model = model;
  // The response's own output count (Copilot 1.0.x); its prompt tokens are
  // only in the session's totals at shutdown (see cost/reader.ts).
  const output = num(data.outputTokens);
  if (output !== undefined) event.usage = { output_tokens: output };
  return event;
}

function _toolName(name: string, request: JsonRecord): string {
  const server = str(request.mcpServerName);
  return server && !name.includes(".") ? `${server}.${name}` : name;
}

function _progress(type: string, data: JsonRecord, base: BaseFields): ParsedEvent {
  const name = str(data.toolName) ?? "tool";
  const text = type === "tool.execution_start"
    ? `running ${name}`
    : clip(firstString(data, ["partialOutput", "progressMessage", "message"]) ?? "running");
  const event: ParsedEvent = { kind: "progress", ...base, subtype: type, text };
  const toolUseId = str(data.toolCallId);
  if (toolUseId !== undefined) event.toolUseId = toolUseId;
  return event;
}

function _toolResult(data: JsonRecord, base: BaseFields): ParsedEvent {
  const result = record(data.result) ?? {};
  const error = data.error;
  const errorText = isRecord(error) ? str(error.message) : str(error);
  const text = str(result.content) ?? errorText ?? "";
  const block: Block = {
    type: "tool_result",
    toolUseId: str(data.toolCallId) ?? "",
    isError: data.success === false,
    text,
    images: 0,
  };
  const event: ParsedEvent = { kind: "tool_result", ...base, blocks: [block] };
  const detailed = str(result.detailedContent);
  if (detailed !== undefined && _isDiff(detailed)) {
    const diff: ToolUseResult = { type: "diff", diff: detailed.trimStart() };
    event.result = diff;
  }
  return event;
}

function _isDiff(text: string): boolean {
  const t = text.trimStart();
  return t.startsWith("diff --git") || t.startsWith("--- ");
}

function _subagent(type: string, data: JsonRecord, base: BaseFields): ParsedEvent {
  const name = firstString(data, ["agentDisplayName", "agentName"]) ?? "subagent";
  const what = humanize(type.slice("subagent.".length));
  const detail = firstString(data, ["agentDescription", "error", "summary"]);
  const text = clip(`${name} ${what}${detail ? `: ${detail}` : ""}`);
  const toolUseId = str(data.toolCallId);
  if (toolUseId === undefined) return { kind: "meta", ...base, subtype: type, text };
  return { kind: "progress", ...base, subtype: type, text, toolUseId };
}

function _metaText(type: string, data: JsonRecord): string {
  switch (type) {
    case "session.model_change":
      return clip(
        `model: ${str(data.newModel) ?? "?"}${
          str(data.reasoningEffort) ? ` (${data.reasoningEffort})` : ""
        }`,
      );
    case "session.mode_changed":
      return `mode: ${str(data.previousMode) ?? "?"} → ${str(data.newMode) ?? "?"}`;
    case "system.message":
      return clip(`system prompt: ${str(data.content) ?? ""}`, 120);
    case "assistant.turn_start":
      return `turn ${str(data.turnId) ?? ""} started`.replace("  ", " ");
    case "assistant.turn_end":
      return `turn ${str(data.turnId) ?? ""} ended`.replace("  ", " ");
    case "session.task_complete":
      return clip(`task complete${str(data.summary) ? `: ${data.summary}` : ""}`);
    case "session.shutdown":
      return _shutdownText(data);
    case "assistant.usage":
      // The Copilot SDK's per-call usage; the CLI keeps it out of events.jsonl
      // (ephemeral), so it is shown, not billed: the shutdown totals bill it.
      return clip(
        `usage: ${str(data.model) ?? "?"} · ${formatInt(num(data.inputTokens) ?? 0)} in, ${
          formatInt(num(data.outputTokens) ?? 0)
        } out, ${formatInt(num(data.cacheReadTokens) ?? 0)} cached`,
      );
  }
  return clip(
    firstString(data, ["message", "summary", "content", "reason", "status"]) ?? humanize(type),
  );
}

function _shutdownText(data: JsonRecord): string {
  let input = 0;
  let output = 0;
  const metrics = record(data.modelMetrics) ?? {};
  for (const model of Object.values(metrics)) {
    const usage = record(record(model)?.usage);
    input += num(usage?.inputTokens) ?? 0;
    output += num(usage?.outputTokens) ?? 0;
  }
  const ms = num(data.totalApiDurationMs);
  return `session ended${
    input + output > 0 ? `: ${formatInt(input)} in, ${formatInt(output)} out` : ""
  }${ms ? ` · API time ${formatDuration(ms)}` : ""}`;
}
