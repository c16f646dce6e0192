/**
 * Codex `event_msg` lines: what Codex writes for its own UI. Most repeat a
 * `response_item` (the model's history), so they stay `codex` events that
 * the page shows as quiet one-liners; turns, tokens, errors and reviews are
 * read from here.
 */

import type { CodexEvent, CodexTokens } from "../core/event.ts";
import {
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
import {
  commandText,
  contentText,
  fallbackText,
  json,
  searchActionText,
  toolName,
} from "./codex_text.ts";

type CodexDraft = Omit<CodexEvent, "cursor">;

export function eventMsg(p: JsonRecord, event: CodexDraft): void {
  const callId = str(p.call_id) ?? str(p.callId);
  if (callId) event.callId = callId;
  switch (event.subtype) {
    case "user_message":
      event.role = "user";
      event.echo = true;
      event.text = _withImages(str(p.message) ?? "", p);
      return;
    case "agent_message":
      event.role = "assistant";
      event.echo = true;
      event.text = str(p.message) ?? "";
      return;
    case "agent_reasoning":
    case "agent_reasoning_raw_content":
      event.echo = true;
      event.text = str(p.text) ?? "";
      return;
    case "token_count":
      _tokenCount(p, event);
      return;
    case "exec_command_end":
      _execEnd(p, event);
      return;
    case "exec_command_begin":
      event.text = `$ ${commandText(p.command)}`;
      return;
    case "patch_apply_end": {
      if (p.success === false) event.isError = true;
      const files = Object.keys(record(p.changes) ?? {});
      const head = `${p.success === false ? "patch failed" : "patch applied"}${
        files.length > 0 ? `: ${files.join(", ")}` : ""
      }`;
      const detail = p.success === false ? str(p.stderr) || str(p.stdout) : "";
      event.text = detail ? `${clip(head)}\n${detail}` : clip(head);
      return;
    }
    case "mcp_tool_call_end":
      _mcpEnd(p, event);
      return;
    case "web_search_end":
      event.toolName = "web_search";
      event.text = str(p.query) || searchActionText(record(p.action)) || "web search";
      return;
    case "error":
    case "stream_error":
      event.isError = true;
      event.text = str(p.message) ?? "error";
      return;
    case "task_started": {
      const window = num(p.model_context_window);
      event.text = `turn started${window ? ` (context window ${formatInt(window)})` : ""}`;
      return;
    }
    case "task_complete": {
      const error = record(p.error);
      if (error !== undefined) {
        event.isError = true;
        event.text = `turn failed: ${str(error.message) ?? "error"}`;
        return;
      }
      const ms = num(p.duration_ms);
      event.text = str(p.last_agent_message) ||
        `turn complete${ms ? ` in ${formatDuration(ms)}` : ""}`;
      return;
    }
    case "turn_aborted":
      event.text = `turn aborted${str(p.reason) ? `: ${p.reason}` : ""}`;
      return;
    case "context_compacted":
      event.text = "context compacted";
      return;
    case "item_completed":
      _itemCompleted(record(p.item) ?? {}, event);
      return;
    case "thread_name_updated":
      event.text = `thread named: ${str(p.thread_name) ?? "?"}`;
      return;
    case "thread_goal_updated": {
      const goal = record(p.goal) ?? {};
      event.text = clip(
        `goal: ${str(goal.objective) ?? "?"}${str(goal.status) ? ` (${goal.status})` : ""}`,
      );
      return;
    }
    case "thread_settings_applied": {
      const s = record(p.thread_settings) ?? {};
      event.text = clip(
        ["settings:", str(s.model), str(s.reasoning_effort), str(s.approval_policy)].filter(Boolean)
          .join(" "),
      );
      // What cost needs: the model, who serves it, and at which tier.
      const model = str(s.model);
      if (model) event.model = model;
      const provider = str(s.model_provider_id);
      if (provider) event.modelProvider = provider;
      const tier = str(s.service_tier);
      if (tier) event.serviceTier = tier;
      return;
    }
    case "entered_review_mode": {
      const target = record(p.target);
      event.text = clip(
        `review: ${
          str(p.user_facing_hint) || str(target?.title) || str(target?.branch) ||
          str(target?.type) || str(p.prompt) || "started"
        }`,
      );
      return;
    }
    case "exited_review_mode": {
      const review = record(p.review_output);
      const findings = Array.isArray(review?.findings) ? review.findings.length : 0;
      const explanation = str(review?.overall_explanation);
      event.text = `review done: ${plural(findings, "finding")}${
        explanation ? `\n${explanation}` : ""
      }`;
      return;
    }
    case "dynamic_tool_call_request":
    case "dynamic_tool_call_response": {
      event.toolName = toolName({ name: p.tool, namespace: p.namespace });
      if (p.success === false) event.isError = true;
      event.text = contentText(p.content_items) || str(p.error) ||
        (p.arguments !== undefined ? json(p.arguments) : "");
      return;
    }
    case "undo_completed":
      if (p.success === false) event.isError = true;
      event.text = str(p.message) || (p.success === false ? "undo failed" : "undo completed");
      return;
    case "view_image_tool_call":
      event.toolName = "view_image";
      event.text = str(p.path) ?? "";
      return;
    case "image_generation_end":
      event.toolName = "image_generation";
      event.text = firstString(p, ["revised_prompt", "saved_path", "status"]) ?? "image generated";
      return;
    case "guardian_assessment": {
      const action = record(p.action) ?? {};
      const what = str(action.command) || joinStrings(action.files) || str(action.type) || "";
      event.text = clip(
        [str(p.status), str(p.risk_level), what].filter(Boolean).join(" · ") || "assessment",
      );
      return;
    }
  }
  if (event.subtype.startsWith("collab_")) {
    event.text = _collabText(p, event.subtype);
    return;
  }
  event.text = fallbackText(p, event.subtype);
}

function _withImages(text: string, p: JsonRecord): string {
  const count = (Array.isArray(p.images) ? p.images.length : 0) +
    (Array.isArray(p.local_images) ? p.local_images.length : 0);
  return count > 0 ? `${text}\n[${plural(count, "image")}]` : text;
}

function _codexTokens(t: JsonRecord): CodexTokens {
  const tokens: CodexTokens = {
    input: num(t.input_tokens) ?? 0,
    cachedInput: num(t.cached_input_tokens) ?? 0,
    output: num(t.output_tokens) ?? 0,
    reasoningOutput: num(t.reasoning_output_tokens) ?? 0,
    total: num(t.total_tokens) ?? 0,
  };
  const written = num(t.cache_write_input_tokens);
  if (written !== undefined) tokens.cacheWrite = written;
  return tokens;
}

function _tokenCount(p: JsonRecord, event: CodexDraft): void {
  const info = record(p.info);
  const total = record(info?.total_token_usage);
  if (total === undefined) {
    event.text = _rateLimitText(record(p.rate_limits));
    return;
  }
  const tokens = _codexTokens(total);
  event.tokens = tokens;
  // The last response's own counts: what cost bills (the running total would recount).
  const lastUsage = record(info?.last_token_usage);
  if (lastUsage !== undefined) event.lastTokens = _codexTokens(lastUsage);
  let text = `${formatInt(tokens.total)} tokens (input ${formatInt(tokens.input)}, cached ${
    formatInt(tokens.cachedInput)
  }, output ${formatInt(tokens.output)}, reasoning ${formatInt(tokens.reasoningOutput)})`;
  const last = num(record(info?.last_token_usage)?.total_tokens);
  if (last !== undefined) text += ` · last ${formatInt(last)}`;
  const window = num(info?.model_context_window);
  if (window) text += ` · context ${formatInt(window)}`;
  event.text = text;
}

function _rateLimitText(limits: JsonRecord | undefined): string {
  if (limits === undefined) return "token count";
  const parts: string[] = [];
  for (const key of ["primary", "secondary"]) {
    const limit = record(limits[key]);
    const used = num(limit?.used_percent) ?? num(limits[`${key}_used_percent`]);
    if (used === undefined) continue;
    const minutes = num(limit?.window_minutes) ?? num(limits[`${key}_window_minutes`]);
    parts.push(`${used}%${minutes ? ` of ${_window(minutes)}` : ""}`);
  }
  return parts.length > 0 ? `rate limits: ${parts.join(", ")}` : "token count";
}

function _window(minutes: number): string {
  if (minutes % 1440 === 0) return `${minutes / 1440}d`;
  if (minutes % 60 === 0) return `${minutes / 60}h`;
  return `${minutes}m`;
}

function _execEnd(p: JsonRecord, event: CodexDraft): void {
  event.toolName = "exec";
  const exitCode = num(p.exit_code);
  if (exitCode !== undefined && exitCode !== 0) event.isError = true;
  const output = firstString(p, ["aggregated_output", "formatted_output", "stdout", "stderr"]) ??
    "";
  const head = `$ ${commandText(p.command)}${exitCode ? ` (exit ${exitCode})` : ""}`;
  event.text = output ? `${head}\n${output}` : head;
}

function _mcpEnd(p: JsonRecord, event: CodexDraft): void {
  const invocation = record(p.invocation) ?? {};
  event.toolName = toolName({ name: invocation.tool, namespace: invocation.server });
  const result = record(p.result) ?? {};
  if (result.Err !== undefined) {
    event.isError = true;
    event.text = str(result.Err) ?? json(result.Err);
    return;
  }
  const ok = record(result.Ok) ?? result;
  if (ok.isError === true) event.isError = true;
  event.text = contentText(ok.content) ||
    (ok.structuredContent !== undefined ? json(ok.structuredContent) : "(no output)");
}

function _itemCompleted(item: JsonRecord, event: CodexDraft): void {
  switch (item.type) {
    case "UserMessage":
      event.role = "user";
      event.echo = true;
      event.text = contentText(item.content);
      return;
    case "AgentMessage":
      event.role = "assistant";
      event.echo = true;
      event.text = contentText(item.content);
      return;
    case "Reasoning":
      event.echo = true;
      event.text = joinStrings(item.summary_text, "\n\n") ||
        joinStrings(item.raw_content, "\n\n") ||
        "(reasoning)";
      return;
    case "CommandExecution":
      _execEnd(item, event);
      return;
    case "McpToolCall": {
      event.toolName = toolName({ name: item.tool, namespace: item.server });
      const result = record(item.result) ?? {};
      if (result.isError === true) event.isError = true;
      event.text = contentText(result.content);
      return;
    }
    case "FileChange": {
      const files = Object.keys(record(item.changes) ?? {});
      event.text = clip(
        files.length > 0 ? `changed ${files.join(", ")}` : `file change ${str(item.status) ?? ""}`,
      );
      return;
    }
    case "Extension":
      event.text = str(item.query) || searchActionText(record(item.action)) || str(item.kind) ||
        "extension";
      return;
  }
  event.text = firstString(item, ["text", "message", "status"]) ??
    humanize(str(item.type) ?? "item completed");
}

function _collabText(p: JsonRecord, subtype: string): string {
  const who = firstString(p, ["receiver_agent_nickname", "new_agent_nickname"]);
  const status = p.status;
  const statusText = str(status) ?? (isRecord(status) ? Object.keys(status)[0] : undefined);
  const parts = [humanize(subtype.slice("collab_".length)), who, statusText].filter(Boolean);
  const prompt = str(p.prompt);
  return clip(parts.join(" · ") + (prompt ? `: ${prompt}` : ""));
}
