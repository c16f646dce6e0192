/**
 * One transcript line → one typed event. The entry point the tail calls for
 * every line of every file, so it does one `JSON.parse` and no regexes.
 */

import { isCodexRecord, parseCodex } from "./codex.ts";
import { parseClaude } from "./claude.ts";
import { isCopilotRecord, parseCopilot } from "./copilot.ts";
import { isGeminiRecord, parseGemini } from "./gemini.ts";
import type { ParsedEvent } from "../core/event.ts";
import { isRecord } from "./record.ts";

/** The agent formats tailboard reads, each told apart by a line's content, never its path. */
export type Format = "claude" | "codex" | "gemini" | "copilot";

/** A parsed line: its event, plus the session facts the line states, if any. */
export interface ParsedLine {
  event: ParsedEvent;
  /** Which agent wrote the line, when the line says (plain text says nothing). */
  format?: Format;
  /** The working directory the agent ran in (Claude `cwd`, Codex `session_meta`/`turn_context`). */
  cwd?: string;
  sessionId?: string;
  /** Claude Code subagent lines name their agent. */
  agentId?: string;
  /** The version of the agent that wrote the line (Claude Code's `version`). */
  version?: string;
  /** The session this one was started from (a Codex child thread's `parent_thread_id`). */
  parentSessionId?: string;
}

/**
 * Parses one line (without its `\n`; a trailing `\r` is dropped). Never throws.
 *
 * @param bytes The line's UTF-8 size when the caller already knows it from byte
 * offsets; counted from `text` otherwise.
 */
export function parseLine(text: string, bytes?: number): ParsedLine {
  if (text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1);
  const size = bytes ?? utf8Length(text);
  try {
    return _parse(text, size);
  } catch {
    // Only a parser bug gets here; the tail must keep going, so show the raw line.
    return { event: { kind: "text", bytes: size, text } };
  }
}

function _parse(text: string, bytes: number): ParsedLine {
  let start = 0;
  // A BOM or indentation before the JSON is still JSON to a reader.
  while (start < text.length && _isLeadingSpace(text.charCodeAt(start))) start++;
  const first = text.charCodeAt(start);
  if (!_mayStartJson(first)) return { event: { kind: "text", bytes, text } };

  let value: unknown;
  try {
    value = JSON.parse(start === 0 ? text : text.slice(start));
  } catch {
    // `{`/`[` promise JSON; `true story` or `404 not found` are plain text that happens to start alike.
    const malformed = first === 0x7b || first === 0x5b;
    return {
      event: malformed ? { kind: "text", bytes, text, malformed } : { kind: "text", bytes, text },
    };
  }
  // Every transcript record is an object; `42`, `"x"`, `null` or `[1]` on a line of JSONL is damage.
  if (!isRecord(value)) return { event: { kind: "text", bytes, text, malformed: true } };
  // Order matters only where shapes could overlap: Copilot's dot-named types
  // and Gemini's headers and `$` records are checked before Claude's `type: "user"`.
  let line: ParsedLine | undefined;
  let format: Format;
  if (isCopilotRecord(value)) {
    line = parseCopilot(value, bytes);
    format = "copilot";
  } else if (isGeminiRecord(value)) {
    line = parseGemini(value, bytes);
    format = "gemini";
  } else if (isCodexRecord(value)) {
    line = parseCodex(value, bytes);
    format = "codex";
  } else {
    line = parseClaude(value, bytes);
    format = "claude";
  }
  if (line === undefined) return { event: { kind: "text", bytes, text, malformed: true } };
  line.format = format;
  return line;
}

function _isLeadingSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0xfeff;
}

/** `{ [ "` `-` digits and `t f n`: the characters a JSON text can start with. */
function _mayStartJson(c: number): boolean {
  return c === 0x7b || c === 0x5b || c === 0x22 || c === 0x2d || (c >= 0x30 && c <= 0x39) ||
    c === 0x74 || c === 0x66 || c === 0x6e;
}

/** UTF-8 size of a string without encoding it; lone surrogates count as U+FFFD (3 bytes), as TextEncoder writes them. */
export function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) {
      bytes += 1;
    } else if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 2; // the pair: 2 UTF-16 units → 4 bytes
        i++;
      } else {
        bytes += 2;
      }
    } else {
      bytes += 2; // includes lone low surrogates
    }
  }
  return bytes;
}
