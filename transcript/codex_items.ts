/**
 * Codex `response_item`s (the model's own history) → the shared vocabulary:
 * a user prompt is a `user` event, a reply or reasoning an `assistant` event,
 * a tool call a `tool_use` block and its output a `tool_result` block paired
 * by `call_id`. A Codex tool call is then the same kind of event as a Claude
 * one, and the page never learns Codex's words.
 *
 * The legacy rollouts of September 2025 wrote these items bare, without the
 * `{type: "response_item", payload}` envelope; both arrive here.
 */

import type { Block, ParsedEvent } from "../core/event.ts";
import {
  type BaseFields,
  clip,
  isRecord,
  type JsonRecord,
  num,
  plural,
  record,
  str,
} from "./record.ts";
import { contentText, names, searchActionText, toolName } from "./codex_text.ts";

/** Payload types of response items, as Codex wrote them from 0.2x to 0.15x. */
export const RESPONSE_ITEM_TYPES = new Set([
  "message",
  "reasoning",
  "function_call",
  "function_call_output",
  "custom_tool_call",
  "custom_tool_call_output",
  "local_shell_call",
  "tool_search_call",
  "tool_search_output",
  "web_search_call",
  "image_generation_call",
]);

/**
 * Text Codex adds to the conversation itself: environment and instruction
 * blocks, not the human's words.
 */
const INJECTED_PREFIXES = [
  "<environment_context>",
  "<user_instructions>",
  "<permissions instructions>",
  "<skills_instructions>",
  "<user_shell_command>",
  "<turn_aborted>",
  "<subagent_notification>",
  "<recommended_plugins>",
  "<INSTRUCTIONS>",
  "<skill>",
  "# AGENTS.md instructions",
];

/**
 * Codex 0.150+ labels each content part of a message
 * (`internal_chat_message_metadata_passthrough.content_item_kinds`): only
 * `user.text` is what the human typed; `environments.environment_context`,
 * `agents_md.instructions`, `hooks.additional_context` and the like are
 * Codex's own additions. Where the labels are there they decide; older
 * rollouts are told apart by the text's opening tag.
 */
const USER_TEXT_KIND = "user.text";

/**
 * The normalised event for a response item, or `undefined` for the few
 * items that are bookkeeping (ghost snapshots, inter-agent messages): those
 * stay `codex` events.
 */
export function responseItemEvent(p: JsonRecord, base: BaseFields): ParsedEvent | undefined {
  const type = str(p.type) ?? "";
  switch (type) {
    case "message":
      return _message(p, base);
    case "reasoning": {
      const text = contentText(p.summary, "\n\n") || contentText(p.content, "\n\n");
      const block: Block = text ? { type: "thinking", text } : { type: "redacted_thinking" };
      return { kind: "assistant", ...base, blocks: [block] };
    }
    case "function_call":
    case "custom_tool_call":
    case "local_shell_call":
    case "tool_search_call":
    case "web_search_call":
    case "image_generation_call":
      return _call(type, p, base);
    case "function_call_output":
    case "custom_tool_call_output":
    case "tool_search_output":
      return _output(type, p, base);
  }
  return undefined;
}

function _message(p: JsonRecord, base: BaseFields): ParsedEvent {
  const role = str(p.role) ?? "user";
  const blocks = _contentBlocks(p.content);
  if (role === "assistant") {
    const event: ParsedEvent = { kind: "assistant", ...base, blocks };
    const id = str(p.id);
    if (id !== undefined) event.messageId = id;
    return event;
  }
  let text = "";
  for (const block of blocks) {
    if (block.type === "text") {
      text = text ? `${text}\n${block.text}` : block.text;
    }
  }
  const kinds = _contentKinds(p);
  const event: ParsedEvent = { kind: "user", ...base, text, blocks };
  // `developer` and `system` messages are instructions, never the human's prompt.
  if (role !== "user") event.isMeta = true;
  else if (kinds !== undefined && !kinds.includes("unknown")) {
    // Labelled parts: the prompt is the `user.text` parts alone (a message
    // that mixes context and the prompt shows only what the human typed).
    const typed = _typedText(p.content as unknown[], kinds);
    if (!typed) event.isMeta = true;
    else event.text = typed;
  } else if (_isInjected(text)) event.isMeta = true;
  return event;
}

/** The text of the parts labelled `user.text`. */
function _typedText(content: unknown[], kinds: string[]): string {
  const parts: string[] = [];
  content.forEach((part, i) => {
    if (kinds[i] !== USER_TEXT_KIND) return;
    const text = typeof part === "string" ? part : str(record(part)?.text);
    if (text) parts.push(text);
  });
  return parts.join("\n");
}

/** The content parts' labels, when there is one per part (see USER_TEXT_KIND). */
function _contentKinds(p: JsonRecord): string[] | undefined {
  const kinds = record(p.internal_chat_message_metadata_passthrough)?.content_item_kinds;
  if (!Array.isArray(kinds) || kinds.length === 0) return undefined;
  if (!Array.isArray(p.content) || p.content.length !== kinds.length) return undefined;
  return kinds.every((k) => typeof k === "string") ? kinds as string[] : undefined;
}

function _isInjected(text: string): boolean {
  const t = text.trimStart();
  return INJECTED_PREFIXES.some((prefix) => t.startsWith(prefix));
}

function _contentBlocks(content: unknown): Block[] {
  if (typeof content === "string") return content ? [{ type: "text", text: content }] : [];
  if (!Array.isArray(content)) return [];
  const blocks: Block[] = [];
  for (const part of content) {
    if (typeof part === "string") blocks.push({ type: "text", text: part });
    else if (!isRecord(part)) continue;
    else if (typeof part.text === "string") blocks.push({ type: "text", text: part.text });
    else if (str(part.type)?.includes("image")) blocks.push({ type: "image" });
  }
  return blocks;
}

function _call(type: string, p: JsonRecord, base: BaseFields): ParsedEvent {
  const id = str(p.call_id) ?? str(p.id) ?? "";
  let name = toolName(p);
  let input: unknown;
  switch (type) {
    case "function_call":
      input = _arguments(p.arguments);
      break;
    case "custom_tool_call":
      // Free-form tools (apply_patch) send plain text, not JSON.
      input = { input: str(p.input) ?? "" };
      break;
    case "local_shell_call":
      input = { command: record(p.action)?.command ?? [] };
      break;
    case "tool_search_call":
      name = "tool_search";
      input = record(p.arguments) ?? {};
      break;
    case "web_search_call": {
      name = "web_search";
      const action = record(p.action);
      input = { query: searchActionText(action) || str(p.status) || "" };
      break;
    }
    default:
      name = "image_generation";
      input = { prompt: str(p.revised_prompt) ?? "" };
  }
  return { kind: "assistant", ...base, blocks: [{ type: "tool_use", id, name, input }] };
}

/** Arguments are a JSON string; show them as an object when they are one. */
function _arguments(value: unknown): unknown {
  if (isRecord(value)) return value;
  if (typeof value !== "string") return {};
  try {
    const parsed: unknown = JSON.parse(value);
    if (isRecord(parsed)) return parsed;
  } catch {
    // Not JSON after all: keep the text as the one input.
  }
  return { input: value };
}

function _output(type: string, p: JsonRecord, base: BaseFields): ParsedEvent {
  const out: Output = { text: "", isError: false, durationMs: undefined };
  if (type === "tool_search_output") out.text = clip(names(p.tools) || "no tools found");
  else _outputText(p.output, out);
  const block: Block = {
    type: "tool_result",
    toolUseId: str(p.call_id) ?? "",
    isError: out.isError,
    text: out.text,
    images: 0,
  };
  const event: ParsedEvent = { kind: "tool_result", ...base, blocks: [block] };
  if (out.durationMs !== undefined) event.durationMs = out.durationMs;
  return event;
}

interface Output {
  text: string;
  isError: boolean;
  durationMs: number | undefined;
}

/** Tool output: a string, a list of content items, or `{content, success}`. */
function _outputText(output: unknown, out: Output): void {
  if (typeof output === "string") {
    out.text = _unwrap(output, out);
  } else if (Array.isArray(output)) {
    out.text = contentText(output);
  } else if (isRecord(output)) {
    if (output.success === false) out.isError = true;
    const content = output.content;
    out.text = typeof content === "string"
      ? content
      : Array.isArray(content)
      ? contentText(content)
      : str(output.text) ?? "";
  }
}

/**
 * Codex writes exec output as `Exit code: N\nWall time: S seconds\n…` (0.5x;
 * later `Process exited with code N`) and apply_patch output as a JSON string
 * `{"output", "metadata": {exit_code, duration_seconds}}`: both say whether
 * the call failed and how long it ran.
 */
function _unwrap(output: string, out: Output): string {
  if (output.startsWith('{"output":')) {
    try {
      const inner: unknown = JSON.parse(output);
      if (isRecord(inner) && typeof inner.output === "string") {
        const metadata = record(inner.metadata);
        const exitCode = num(metadata?.exit_code);
        if (exitCode !== undefined && exitCode !== 0) out.isError = true;
        const seconds = num(metadata?.duration_seconds);
        if (seconds !== undefined) out.durationMs = Math.round(seconds * 1000);
        return inner.output;
      }
    } catch {
      // Not the wrapped form after all: show the string as it is.
    }
    return output;
  }
  // `Exit code: N` (0.5x) or `Process exited with code N` (unified exec),
  // with `Wall time: S seconds` in the first lines of both. Only a header
  // block counts: a tool's own output may say "Exit code: 1" further down.
  if (!/^(?:Exit code:|Chunk ID:|Process exited|Wall time:)/.test(output)) return output;
  const head = output.slice(0, 300);
  const code = /^(?:Exit code:|Process exited with code) (-?\d+)$/m.exec(head);
  if (code?.[1] !== undefined && code[1] !== "0") out.isError = true;
  const wall = /^Wall time: ([0-9.]+) seconds$/m.exec(head);
  if (code && wall?.[1] !== undefined) out.durationMs = Math.round(parseFloat(wall[1]) * 1000);
  return output;
}

/** Summary for the response items that stay bookkeeping. */
export function bookkeepingText(p: JsonRecord): string {
  if (p.type === "ghost_snapshot") {
    const commit = record(p.ghost_commit);
    const id = str(commit?.id);
    const untracked = commit?.preexisting_untracked_files;
    return `snapshot ${id ? id.slice(0, 8) : "?"}` +
      (Array.isArray(untracked) && untracked.length > 0
        ? ` (${plural(untracked.length, "untracked file")})`
        : "");
  }
  if (p.type === "agent_message") {
    // Inter-agent messages (multi-agent mode): who wrote to whom.
    const author = str(p.author);
    const recipient = str(p.recipient);
    const head = author || recipient ? `${author ?? "?"} → ${recipient ?? "?"}: ` : "";
    return head + contentText(p.content);
  }
  return "";
}
