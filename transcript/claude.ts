/**
 * Claude Code transcript lines (`~/.claude/projects/<project>/<session>.jsonl`
 * and the subagent files beside them) → typed events.
 *
 * Claude Code adds entry types and attachment subtypes often, so every reader
 * here is defensive: a field of the wrong type is skipped, never thrown on,
 * and an entry type we do not know becomes an `other` event with a summary.
 */

import type { ParsedEvent, Usage } from "../core/event.ts";
import type { ParsedLine } from "./line.ts";
import { blocksText, toBlocks, toToolUseResult } from "./blocks.ts";
import { attachmentEvent, progressEvent, systemEvent } from "./claude_system.ts";
import { COMMON_KEYS, META_TEXT, metaByPrefix, TITLE_FIELDS } from "./claude_meta.ts";
import {
  type BaseFields,
  baseFields,
  clip,
  isRecord,
  type JsonRecord,
  keysSummary,
  num,
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
  const version = str(rec.version);
  if (version) line.version = version;
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
      return systemEvent(rec, base);
    case "attachment":
      return attachmentEvent(rec, base);
    case "progress":
      return progressEvent(rec, base);
    case "cost-state":
      return costStateEvent(rec, base);
  }
  const titleField = TITLE_FIELDS.get(type);
  if (titleField !== undefined) {
    return { kind: "title", ...base, subtype: type, text: str(rec[titleField]) ?? "" };
  }
  const metaText = META_TEXT.get(type);
  if (metaText !== undefined) return { kind: "meta", ...base, subtype: type, text: metaText(rec) };
  const prefixed = metaByPrefix(type);
  if (prefixed !== undefined) return { kind: "meta", ...base, subtype: type, text: prefixed };
  return { kind: "other", ...base, type, text: clip(`${type} ${keysSummary(rec, COMMON_KEYS)}`) };
}

// ---- user and tool results -------------------------------------------------

function _userEvent(rec: JsonRecord, base: BaseFields): ParsedEvent {
  const message = rec.message;
  // A bare string `message` shows up in hand-edited transcripts; read it as the content.
  const blocks = toBlocks(isRecord(message) ? message.content : message);
  if (rec.toolUseResult !== undefined || blocks.some((b) => b.type === "tool_result")) {
    const event: ParsedEvent = { kind: "tool_result", ...base, blocks };
    const result = toToolUseResult(rec.toolUseResult);
    if (result !== undefined) event.result = result;
    // Some tools time themselves (WebFetch, Grep, Task): a measured duration.
    const timed = record(rec.toolUseResult);
    const ms = timed ? num(timed.durationMs) ?? num(timed.totalDurationMs) : undefined;
    if (ms !== undefined) event.durationMs = ms;
    // Output spilled to tool-results/: the line holds a preview, "show all" fetches the rest.
    if (result?.type === "bash" && result.persistedOutputPath) event.truncated = true;
    return event;
  }
  const event: ParsedEvent = { kind: "user", ...base, text: blocksText(blocks), blocks };
  if (rec.isMeta === true) event.isMeta = true;
  if (rec.isCompactSummary === true) event.isCompactSummary = true;
  return event;
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
