/**
 * Gemini CLI chats (`~/.gemini/tmp/<project>/chats/session-*.jsonl`) → the
 * shared events. The file opens with a header (`{sessionId, projectHash,
 * startTime, kind}`), then one line per message (`user`, `gemini`, `info`,
 * `error`, `warning`), `{"$set": …}` checkpoints and `{"$rewindTo": id}`
 * truncations.
 *
 * A `gemini` message carries its tool calls with their results inside it, so
 * one line is one `assistant` event holding both the `tool_use` blocks and the
 * `tool_result` blocks that answer them. Gemini rewrites a message as it grows
 * (same `id`, more tool calls): each copy is its own event carrying the id
 * as `recordId`, the feed shows the latest copy, and usage is counted once
 * per `id` downstream. `{"$rewindTo": id}` becomes a `rewind` meta event
 * with `rewindTo`: the feed retracts that message and every later one (an
 * append-only stream cannot unsay a line, so the retraction is an event).
 */

import type { Block, ParsedEvent, Usage } from "../core/event.ts";
import type { ParsedLine } from "./line.ts";
import {
  type BaseFields,
  clip,
  isRecord,
  type JsonRecord,
  keysSummary,
  num,
  plural,
  record,
  str,
} from "./record.ts";

const MESSAGE_TYPES = new Set(["gemini", "info", "error", "warning"]);

/** Whether a record is a line of a Gemini CLI chat file. */
export function isGeminiRecord(rec: JsonRecord): boolean {
  if ("$set" in rec || "$rewindTo" in rec) return true;
  if (_isHeader(rec)) return true;
  if (typeof rec.id !== "string" || typeof rec.timestamp !== "string") return false;
  if (MESSAGE_TYPES.has(rec.type as string)) return true;
  // Claude's user lines always wrap their content in `message`.
  return rec.type === "user" && rec.message === undefined && "content" in rec;
}

function _isHeader(rec: JsonRecord): boolean {
  return typeof rec.sessionId === "string" && typeof rec.projectHash === "string";
}

export function parseGemini(rec: JsonRecord, bytes: number): ParsedLine {
  const base: BaseFields = { bytes };
  const ts = str(rec.timestamp);
  if (ts !== undefined) base.ts = ts;
  const id = str(rec.id);
  if (id !== undefined) {
    base.uuid = id;
    base.recordId = id;
  }

  if ("$rewindTo" in rec) {
    const to = str(rec.$rewindTo);
    const event: ParsedEvent = {
      kind: "meta",
      ...base,
      subtype: "rewind",
      text: `rewound to ${to ?? "?"}`,
    };
    // A target that is no id still retracts: Gemini CLI then clears the chat.
    event.rewindTo = to ?? "";
    return { event };
  }
  if ("$set" in rec) {
    const set = record(rec.$set) ?? {};
    return {
      event: { kind: "meta", ...base, subtype: "checkpoint", text: `updated ${keysSummary(set)}` },
    };
  }
  if (_isHeader(rec)) return _header(rec, base);

  switch (rec.type) {
    case "user":
      return { event: _user(rec, base) };
    case "gemini":
      return { event: _gemini(rec, base) };
  }
  const type = str(rec.type) ?? "info";
  const event: ParsedEvent = { kind: "system", ...base, subtype: type, text: _text(rec.content) };
  if (type === "error") event.isError = true;
  if (type === "warning") event.level = "warning";
  return { event };
}

function _header(rec: JsonRecord, base: BaseFields): ParsedLine {
  base.ts ??= str(rec.startTime);
  const messages = Array.isArray(rec.messages) ? rec.messages.length : undefined;
  const kind = str(rec.kind);
  const text = `Gemini CLI session${kind && kind !== "main" ? ` (${kind})` : ""}` +
    (messages !== undefined ? `: ${plural(messages, "message")}` : "");
  const line: ParsedLine = { event: { kind: "meta", ...base, subtype: "session", text } };
  line.sessionId = str(rec.sessionId);
  return line;
}

function _user(rec: JsonRecord, base: BaseFields): ParsedEvent {
  const blocks = _parts(rec.content);
  let text = "";
  for (const block of blocks) {
    if (block.type === "text") {
      text = text ? `${text}\n${block.text}` : block.text;
    }
  }
  return { kind: "user", ...base, text, blocks };
}

function _gemini(rec: JsonRecord, base: BaseFields): ParsedEvent {
  const blocks: Block[] = [];
  if (Array.isArray(rec.thoughts)) {
    for (const thought of rec.thoughts) {
      if (!isRecord(thought)) continue;
      const subject = str(thought.subject);
      const description = str(thought.description) ?? "";
      blocks.push({
        type: "thinking",
        text: subject ? `**${subject}**\n${description}` : description,
      });
    }
  }
  blocks.push(..._parts(rec.content));
  if (Array.isArray(rec.toolCalls)) {
    for (const call of rec.toolCalls) if (isRecord(call)) blocks.push(..._toolCall(call));
  }
  const event: ParsedEvent = { kind: "assistant", ...base, blocks };
  const model = str(rec.model);
  if (model !== undefined) event.model = model;
  if (base.uuid !== undefined) event.messageId = base.uuid;
  const usage = _usage(record(rec.tokens));
  if (usage !== undefined) event.usage = usage;
  return event;
}

/** A tool call, and its result when the message already has it. */
function _toolCall(call: JsonRecord): Block[] {
  const id = str(call.id) ?? "";
  const blocks: Block[] = [{
    type: "tool_use",
    id,
    name: str(call.name) ?? "",
    input: record(call.args) ?? {},
  }];
  const status = str(call.status);
  if (call.result === undefined && (status === undefined || status === "executing")) return blocks;
  const isError = status === "error" || status === "cancelled";
  let text = _resultText(call.result);
  const display = call.resultDisplay;
  if (!text && typeof display === "string") text = display;
  if (!text && status === "cancelled") text = "cancelled";
  blocks.push({ type: "tool_result", toolUseId: id, isError, text, images: 0 });
  return blocks;
}

/** `[{functionResponse: {response: {output | error}}}]`: the words the model got back. */
function _resultText(result: unknown): string {
  if (!Array.isArray(result)) return typeof result === "string" ? result : "";
  const parts: string[] = [];
  for (const item of result) {
    const response = record(record(record(item)?.functionResponse)?.response);
    if (response === undefined) {
      if (isRecord(item) && typeof item.text === "string") parts.push(item.text);
      continue;
    }
    const output = response.output ?? response.error ?? response.content;
    if (typeof output === "string") parts.push(output);
    else if (output !== undefined) parts.push(JSON.stringify(output));
  }
  return parts.join("\n");
}

/** Gemini's `{input, output, cached, thoughts, tool, total}` in the shared usage shape. */
function _usage(tokens: JsonRecord | undefined): Usage | undefined {
  if (tokens === undefined) return undefined;
  const input = num(tokens.input) ?? 0;
  const cached = num(tokens.cached) ?? 0;
  return {
    // Gemini counts cached tokens inside `input`; the shared shape keeps them apart.
    input_tokens: Math.max(0, input - cached) + (num(tokens.tool) ?? 0),
    output_tokens: (num(tokens.output) ?? 0) + (num(tokens.thoughts) ?? 0),
    cache_read_input_tokens: cached,
  };
}

/** Message content: a string or a list of parts (`text`, `inlineData`, `functionResponse`, …). */
function _parts(content: unknown): Block[] {
  if (typeof content === "string") return content ? [{ type: "text", text: content }] : [];
  if (!Array.isArray(content)) return [];
  const blocks: Block[] = [];
  for (const part of content) {
    if (typeof part === "string") {
      if (part) blocks.push({ type: "text", text: part });
    } else if (!isRecord(part)) continue;
    else if (typeof part.text === "string") {
      if (part.text) blocks.push({ type: "text", text: part.text });
    } else if (isRecord(part.inlineData)) {
      const mediaType = str(part.inlineData.mimeType);
      blocks.push(mediaType ? { type: "image", mediaType } : { type: "image" });
    } else {
      const kind = Object.keys(part)[0] ?? "part";
      blocks.push({ type: "other", blockType: kind, summary: clip(keysSummary(part)) });
    }
  }
  return blocks;
}

function _text(content: unknown): string {
  if (typeof content === "string") return content;
  const parts: string[] = [];
  for (const block of _parts(content)) if (block.type === "text") parts.push(block.text);
  return parts.join("\n");
}
