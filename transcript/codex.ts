/**
 * Codex CLI rollout lines (`~/.codex/sessions/YYYY/MM/DD/rollout-*.jsonl`) →
 * `codex` events. Each line is `{timestamp, type, payload}`; `type` is the
 * entry (`response_item`, `event_msg`, ...) and `payload.type` the subtype.
 *
 * Codex writes most things twice (a `response_item` for the model's history
 * and an `event_msg` for the UI); both are kept, one event per line.
 */

import type { CodexEvent, CodexTokens } from "../core/event.ts";
import type { ParsedLine } from "./line.ts";
import {
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

type CodexDraft = Omit<CodexEvent, "cursor">;

/** Top-level `type`s of Codex rollout lines up to 0.146. */
const CODEX_ENTRIES = new Set([
  "session_meta",
  "turn_context",
  "response_item",
  "event_msg",
  "compacted",
  "world_state",
  "inter_agent_communication_metadata",
]);

/** A rollout line: a known entry type, or any typed line carrying a `payload` object (newer entries). */
export function isCodexRecord(rec: JsonRecord): boolean {
  const type = rec.type;
  return typeof type === "string" && (CODEX_ENTRIES.has(type) || isRecord(rec.payload));
}

export function parseCodex(rec: JsonRecord, bytes: number): ParsedLine {
  const entry = str(rec.type) ?? "";
  const payload = record(rec.payload) ?? {};
  const event: CodexDraft = {
    kind: "codex",
    bytes,
    entry,
    subtype: str(payload.type) ?? entry,
    text: "",
  };
  const ts = str(rec.timestamp);
  if (ts !== undefined) event.ts = ts;
  const line: ParsedLine = { event };

  switch (entry) {
    case "session_meta": {
      event.text = _sessionMetaText(payload);
      const cwd = str(payload.cwd);
      if (cwd) line.cwd = cwd;
      const sessionId = str(payload.id) ?? str(payload.session_id);
      if (sessionId) line.sessionId = sessionId;
      const provider = str(payload.model_provider);
      if (provider) event.modelProvider = provider;
      break;
    }
    case "turn_context": {
      event.text = _turnContextText(payload);
      const model = str(payload.model);
      if (model) event.model = model;
      const cwd = str(payload.cwd);
      if (cwd) line.cwd = cwd;
      break;
    }
    case "response_item":
      _responseItem(payload, event);
      break;
    case "event_msg":
      _eventMsg(payload, event);
      break;
    case "compacted": {
      const history = payload.replacement_history;
      event.text = str(payload.message) ||
        `history compacted${
          Array.isArray(history) ? `: ${plural(history.length, "item")} kept` : ""
        }`;
      break;
    }
    case "world_state":
      event.text = clip(
        `${payload.full === true ? "world state" : "world state update"}: ${
          keysSummary(record(payload.state) ?? {})
        }`,
      );
      break;
    default:
      event.text = _fallbackText(payload, entry);
  }
  return line;
}

function _sessionMetaText(p: JsonRecord): string {
  const parts: string[] = [`Codex ${str(p.cli_version) ?? ""}`.trim()];
  const nickname = str(p.agent_nickname);
  if (nickname) parts.push(`subagent ${nickname}`);
  if (typeof p.forked_from_id === "string") parts.push("forked");
  const provider = str(p.model_provider);
  if (provider) parts.push(provider);
  const cwd = str(p.cwd);
  if (cwd) parts.push(cwd);
  const branch = str(record(p.git)?.branch);
  if (branch) parts.push(`branch ${branch}`);
  return clip(parts.join(" · "));
}

function _turnContextText(p: JsonRecord): string {
  const parts: string[] = [];
  const model = str(p.model);
  if (model) parts.push(model);
  const effort = str(p.effort);
  if (effort) parts.push(`effort ${effort}`);
  const approval = str(p.approval_policy);
  if (approval) parts.push(`approval ${approval}`);
  const sandbox = record(p.sandbox_policy);
  const sandboxKind = sandbox ? str(sandbox.type) ?? str(sandbox.mode) : undefined;
  if (sandboxKind) parts.push(`sandbox ${sandboxKind}`);
  return clip(parts.join(" · ") || "turn context");
}

// ---- response_item ---------------------------------------------------------

function _responseItem(p: JsonRecord, event: CodexDraft): void {
  const callId = str(p.call_id);
  if (callId) event.callId = callId;
  switch (event.subtype) {
    case "message": {
      const role = str(p.role);
      if (role) event.role = role;
      event.text = _contentText(p.content);
      return;
    }
    case "agent_message": {
      // Inter-agent messages (multi-agent mode): who wrote to whom.
      const author = str(p.author);
      const recipient = str(p.recipient);
      const head = author || recipient ? `${author ?? "?"} → ${recipient ?? "?"}: ` : "";
      event.text = head + _contentText(p.content);
      return;
    }
    case "reasoning": {
      const summary = _contentText(p.summary, "\n\n");
      event.text = summary || _contentText(p.content, "\n\n") ||
        (p.encrypted_content ? "(reasoning hidden)" : "");
      return;
    }
    case "function_call":
    case "custom_tool_call":
    case "local_shell_call": {
      event.toolName = _toolName(p);
      const args = p.arguments ?? p.input ?? record(p.action)?.command;
      event.text = (typeof args === "string" ? args : args == null ? "" : _json(args)) ||
        "(no arguments)";
      return;
    }
    case "function_call_output":
    case "custom_tool_call_output":
    case "tool_search_output": {
      _outputText(p, event);
      return;
    }
    case "tool_search_call": {
      event.toolName = "tool_search";
      const args = record(p.arguments);
      event.text = str(args?.query) ?? (args ? _json(args) : "");
      return;
    }
    case "web_search_call": {
      event.toolName = "web_search";
      event.text = _searchActionText(record(p.action)) || str(p.status) || "web search";
      return;
    }
    case "ghost_snapshot": {
      const commit = record(p.ghost_commit);
      const id = str(commit?.id);
      const untracked = commit?.preexisting_untracked_files;
      event.text = `snapshot ${id ? id.slice(0, 8) : "?"}` +
        (Array.isArray(untracked) && untracked.length > 0
          ? ` (${plural(untracked.length, "untracked file")})`
          : "");
      return;
    }
    case "image_generation_call":
      event.toolName = "image_generation";
      event.text = firstString(p, ["revised_prompt", "status"]) ?? "image generation";
      return;
  }
  event.text = _fallbackText(p, event.subtype);
}

function _toolName(p: JsonRecord): string {
  const name = str(p.name) ?? (p.type === "local_shell_call" ? "local_shell" : "");
  const namespace = str(p.namespace);
  return namespace ? `${namespace}.${name}` : name;
}

/** Tool output: a string, a list of content items, `{content, success}`, or `{type: "input_text", text}`. */
function _outputText(p: JsonRecord, event: CodexDraft): void {
  const output = p.output;
  if (event.subtype === "tool_search_output") {
    event.text = clip(_names(p.tools) || "no tools found");
    return;
  }
  if (typeof output === "string") {
    event.text = _unwrapOutput(output, event);
    return;
  }
  if (Array.isArray(output)) {
    event.text = _contentText(output);
    return;
  }
  if (isRecord(output)) {
    if (output.success === false) event.isError = true;
    const content = output.content;
    event.text = typeof content === "string"
      ? content
      : Array.isArray(content)
      ? _contentText(content)
      : str(output.text) ?? "";
  }
}

/**
 * Codex 0.5x–0.6x wrote exec output as `Exit code: N\n...` and apply_patch
 * output as a JSON string `{"output": "...", "metadata": {"exit_code": N}}`;
 * both say whether the call failed.
 */
function _unwrapOutput(output: string, event: CodexDraft): string {
  if (output.startsWith('{"output":')) {
    try {
      const inner: unknown = JSON.parse(output);
      if (isRecord(inner) && typeof inner.output === "string") {
        const exitCode = num(record(inner.metadata)?.exit_code);
        if (exitCode !== undefined && exitCode !== 0) event.isError = true;
        return inner.output;
      }
    } catch {
      // Not the wrapped form after all: show the string as it is.
    }
    return output;
  }
  if (output.startsWith("Exit code: ")) {
    const code = parseInt(output.slice(11, 16), 10);
    if (code !== 0 && !Number.isNaN(code)) event.isError = true;
  }
  return output;
}

/** Joins the text parts of Codex content (`input_text`, `output_text`, `summary_text`, ...); images show as `[image]`. */
function _contentText(content: unknown, separator = "\n"): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  const parts: string[] = [];
  for (const part of content) {
    if (typeof part === "string") {
      parts.push(part);
      continue;
    }
    if (!isRecord(part)) continue;
    if (typeof part.text === "string") parts.push(part.text);
    else if (typeof part.type === "string" && part.type.includes("image")) parts.push("[image]");
  }
  return parts.join(separator);
}

function _searchActionText(action: JsonRecord | undefined): string {
  if (action === undefined) return "";
  return str(action.query) || joinStrings(action.queries, " | ") || str(action.url) ||
    str(action.pattern) || "";
}

function _names(items: unknown): string {
  if (!Array.isArray(items)) return "";
  const names: string[] = [];
  for (const item of items) {
    const name = isRecord(item) ? str(item.name) : undefined;
    if (name) names.push(name);
  }
  return names.join(", ");
}

// ---- event_msg -------------------------------------------------------------

function _eventMsg(p: JsonRecord, event: CodexDraft): void {
  const callId = str(p.call_id) ?? str(p.callId);
  if (callId) event.callId = callId;
  switch (event.subtype) {
    case "user_message":
      event.role = "user";
      event.text = _withImages(str(p.message) ?? "", p);
      return;
    case "agent_message":
      event.role = "assistant";
      event.text = str(p.message) ?? "";
      return;
    case "agent_reasoning":
    case "agent_reasoning_raw_content":
      event.text = str(p.text) ?? "";
      return;
    case "token_count":
      _tokenCount(p, event);
      return;
    case "exec_command_end":
      _execEnd(p, event);
      return;
    case "exec_command_begin":
      event.text = `$ ${_commandText(p.command)}`;
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
      event.text = str(p.query) || _searchActionText(record(p.action)) || "web search";
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
      event.toolName = _toolName({ name: p.tool, namespace: p.namespace });
      if (p.success === false) event.isError = true;
      event.text = _contentText(p.content_items) || str(p.error) ||
        (p.arguments !== undefined ? _json(p.arguments) : "");
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
  event.text = _fallbackText(p, event.subtype);
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
  const head = `$ ${_commandText(p.command)}${exitCode ? ` (exit ${exitCode})` : ""}`;
  event.text = output ? `${head}\n${output}` : head;
}

/** `["bash", "-lc", "ls -la"]` reads best as `ls -la`. */
function _commandText(command: unknown): string {
  if (typeof command === "string") return command;
  if (!Array.isArray(command)) return "";
  const [program, flag, script] = command;
  if (
    typeof program === "string" && program.endsWith("sh") && (flag === "-lc" || flag === "-c") &&
    typeof script === "string"
  ) {
    return script;
  }
  return joinStrings(command, " ");
}

function _mcpEnd(p: JsonRecord, event: CodexDraft): void {
  const invocation = record(p.invocation) ?? {};
  event.toolName = _toolName({ name: invocation.tool, namespace: invocation.server });
  const result = record(p.result) ?? {};
  if (result.Err !== undefined) {
    event.isError = true;
    event.text = str(result.Err) ?? _json(result.Err);
    return;
  }
  const ok = record(result.Ok) ?? result;
  if (ok.isError === true) event.isError = true;
  event.text = _contentText(ok.content) ||
    (ok.structuredContent !== undefined ? _json(ok.structuredContent) : "(no output)");
}

function _itemCompleted(item: JsonRecord, event: CodexDraft): void {
  switch (item.type) {
    case "UserMessage":
      event.role = "user";
      event.text = _contentText(item.content);
      return;
    case "AgentMessage":
      event.role = "assistant";
      event.text = _contentText(item.content);
      return;
    case "Reasoning":
      event.text = joinStrings(item.summary_text, "\n\n") ||
        joinStrings(item.raw_content, "\n\n") ||
        "(reasoning)";
      return;
    case "CommandExecution":
      _execEnd(item, event);
      return;
    case "McpToolCall": {
      event.toolName = _toolName({ name: item.tool, namespace: item.server });
      const result = record(item.result) ?? {};
      if (result.isError === true) event.isError = true;
      event.text = _contentText(result.content);
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
      event.text = str(item.query) || _searchActionText(record(item.action)) || str(item.kind) ||
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

function _fallbackText(p: JsonRecord, subtype: string): string {
  return clip(
    firstString(p, ["message", "text", "reason", "status", "query", "path", "prompt", "kind"]) ??
      humanize(subtype),
  );
}

/** Arguments that arrive as objects are shown as JSON; a failure to stringify is not worth an error. */
function _json(value: unknown): string {
  try {
    return JSON.stringify(value) ?? "";
  } catch {
    return String(value);
  }
}
