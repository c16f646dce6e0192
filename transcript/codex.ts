/**
 * Codex CLI rollouts (`~/.codex/sessions/YYYY/MM/DD/rollout-*.jsonl`, and
 * `.jsonl.zst` once Codex compresses an idle one). Each line is
 * `{timestamp, type, payload}`; `type` is the entry (`response_item`,
 * `event_msg`, ...) and `payload.type` the subtype.
 *
 * Response items become the shared events (prompts, replies, tool calls and
 * results: see codex_items.ts); everything else stays a `codex` event in
 * Codex's own words, which the page shows as a quiet line. The legacy format
 * of September 2025 (a `{id, timestamp, instructions}` header, `record_type`
 * state lines and bare response items) is read the same way.
 */

import type { CodexEvent } from "../core/event.ts";
import type { ParsedLine } from "./line.ts";
import { bookkeepingText, RESPONSE_ITEM_TYPES, responseItemEvent } from "./codex_items.ts";
import { eventMsg } from "./codex_events.ts";
import { fallbackText } from "./codex_text.ts";
import {
  type BaseFields,
  clip,
  type JsonRecord,
  keysSummary,
  plural,
  record,
  str,
} from "./record.ts";

type CodexDraft = Omit<CodexEvent, "cursor">;

/**
 * Top-level `type`s of Codex rollout lines up to 0.153 (codex-rs's
 * `RolloutItem`): 0.148 added `world_state` and the inter-agent entries
 * beside the five older ones.
 */
const CODEX_ENTRIES = new Set([
  "session_meta",
  "turn_context",
  "response_item",
  "event_msg",
  "compacted",
  "world_state",
  "inter_agent_communication",
  "inter_agent_communication_metadata",
]);

/**
 * A rollout line: a known entry type, any typed line carrying a `payload`
 * object (newer entries), or a line of the legacy format.
 */
export function isCodexRecord(rec: JsonRecord): boolean {
  const type = rec.type;
  if (typeof type === "string") {
    if (CODEX_ENTRIES.has(type) || record(rec.payload) !== undefined) return true;
    return _isBareItem(type, rec);
  }
  return _isLegacyHeader(rec) || typeof rec.record_type === "string";
}

/** A legacy bare response item: a known item type with none of Claude's envelope. */
function _isBareItem(type: string, rec: JsonRecord): boolean {
  return RESPONSE_ITEM_TYPES.has(type) && rec.message === undefined && rec.uuid === undefined &&
    rec.sessionId === undefined;
}

function _isLegacyHeader(rec: JsonRecord): boolean {
  return typeof rec.id === "string" && typeof rec.timestamp === "string" &&
    "instructions" in rec && rec.type === undefined;
}

export function parseCodex(rec: JsonRecord, bytes: number): ParsedLine {
  const base: BaseFields = { bytes };
  const ts = str(rec.timestamp);
  if (ts !== undefined) base.ts = ts;

  if (typeof rec.type !== "string") return _legacyLine(rec, base);
  if (_isBareItem(rec.type, rec)) return _responseItem(rec, base);

  const entry = rec.type;
  const payload = record(rec.payload) ?? {};
  const event: CodexDraft = {
    kind: "codex",
    ...base,
    entry,
    subtype: str(payload.type) ?? entry,
    text: "",
  };
  const line: ParsedLine = { event };

  switch (entry) {
    case "session_meta": {
      event.text = _sessionMetaText(payload);
      const cwd = str(payload.cwd);
      if (cwd) line.cwd = cwd;
      const sessionId = str(payload.id) ?? str(payload.session_id);
      if (sessionId) line.sessionId = sessionId;
      const parent = str(payload.parent_thread_id) ??
        str(record(record(record(payload.source)?.subagent)?.thread_spawn)?.parent_thread_id);
      if (parent) line.parentSessionId = parent;
      // Who serves the model: cost prices only OpenAI's own (cost/reader.ts).
      const provider = str(payload.model_provider);
      if (provider) event.modelProvider = provider;
      break;
    }
    case "turn_context": {
      event.text = _turnContextText(payload);
      const cwd = str(payload.cwd);
      if (cwd) line.cwd = cwd;
      // The model the turn's responses run on: token_count lines do not say.
      const model = str(payload.model);
      if (model) event.model = model;
      break;
    }
    case "response_item":
      return _responseItem(payload, base, event);
    case "event_msg":
      eventMsg(payload, event);
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
    case "inter_agent_communication":
      _interAgent(payload, event);
      break;
    case "inter_agent_communication_metadata":
      event.text = _triggers(payload)
        ? "inter-agent message (starts a turn)"
        : "inter-agent message (no turn)";
      break;
    default:
      event.text = fallbackText(payload, entry);
  }
  return line;
}

function _responseItem(payload: JsonRecord, base: BaseFields, draft?: CodexDraft): ParsedLine {
  const normalised = responseItemEvent(payload, base);
  if (normalised !== undefined) return { event: normalised };
  const subtype = str(payload.type) ?? "response_item";
  const event: CodexDraft = draft ??
    { kind: "codex", ...base, entry: "response_item", subtype, text: "" };
  event.text = bookkeepingText(payload) || fallbackText(payload, subtype);
  return { event };
}

/** The legacy header (`{id, timestamp, instructions}`) and `record_type` lines. */
function _legacyLine(rec: JsonRecord, base: BaseFields): ParsedLine {
  if (_isLegacyHeader(rec)) {
    const event: CodexDraft = {
      kind: "codex",
      ...base,
      entry: "session_meta",
      subtype: "session_meta",
      text: "Codex session (legacy format)",
    };
    const line: ParsedLine = { event, sessionId: str(rec.id) };
    const git = record(rec.git);
    const branch = str(git?.branch);
    if (branch) event.text += ` · branch ${branch}`;
    return line;
  }
  const kind = str(rec.record_type) ?? "record";
  return {
    event: { kind: "codex", ...base, entry: kind, subtype: kind, text: `${kind} record` },
  };
}

/** Multi-agent mode: one agent writes to another (`author` → `recipient`). */
function _interAgent(p: JsonRecord, event: CodexDraft): void {
  const author = str(p.author) ?? "?";
  const to = [
    str(p.recipient) ?? "?",
    ...(Array.isArray(p.other_recipients) ? p.other_recipients : []),
  ]
    .filter((r): r is string => typeof r === "string" && r !== "");
  const content = str(p.content) || (p.encrypted_content !== undefined ? "(encrypted)" : "");
  event.text = `${author} → ${to.join(", ")}${_triggers(p) ? " (starts a turn)" : ""}${
    content ? `: ${content}` : ""
  }`;
}

/** `trigger_turn` (camelCase in some builds): whether the message wakes its recipient. */
function _triggers(p: JsonRecord): boolean {
  return p.trigger_turn === true || p.triggerTurn === true;
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
