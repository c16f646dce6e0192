/**
 * What of an event goes into full-text search: prompts, assistant text, tool
 * names with their commands and file paths, and session titles. Tool output,
 * thinking and bookkeeping stay out: they are most of the bytes and little of
 * what people search for. Pure: an event in, a row (or nothing) out.
 */
import type { ParsedEvent } from "../core/event.ts";

/** What a hit is, in the user's words. */
export type SearchKind = "prompt" | "assistant" | "tool" | "title";

export interface SearchRow {
  kind: SearchKind;
  text: string;
}

/**
 * The longest text one line adds to the index. A pasted 2 MB log in a prompt
 * is found by its first words; indexing all of it would only bloat the index.
 */
export const MAX_INDEXED_CHARS = 8192;

/** Tool input fields that name files or commands: what people search tools by. */
const INPUT_FIELDS = [
  "command",
  "cmd",
  "file_path",
  "workdir",
  "path",
  "notebook_path",
  "pattern",
  "url",
  "query",
  "description",
  "subagent_type",
] as const;

/** The searchable text of one event, or null when it has none. */
export function searchRowOf(event: ParsedEvent): SearchRow | null {
  switch (event.kind) {
    case "user":
      // Injected context and compaction summaries are not what the human typed.
      if (event.isMeta || event.isCompactSummary) return null;
      return _row("prompt", _promptText(event.text));
    case "assistant": {
      if (event.synthetic) return null;
      const parts: string[] = [];
      let hasText = false;
      for (const block of event.blocks) {
        if (block.type === "text" && block.text.trim()) {
          parts.push(block.text);
          hasText = true;
        } else if (block.type === "tool_use") {
          parts.push(toolText(block.name, block.input));
        }
      }
      return _row(hasText ? "assistant" : "tool", parts.join("\n"));
    }
    case "title":
      return event.subtype === "custom-title" || event.subtype === "ai-title" ||
          event.subtype === "summary"
        ? _row("title", event.text)
        : null;
    default:
      return null;
  }
}

/** `Bash npm test` / `Edit src/app.ts`: the tool's name, then the inputs that say what it did. */
export function toolText(name: string, input: unknown): string {
  const parts = [name];
  if (input && typeof input === "object") {
    const record = input as Record<string, unknown>;
    for (const field of INPUT_FIELDS) {
      const value = record[field];
      if (typeof value === "string" && value) parts.push(value);
      // Codex writes argv lists: ["bash", "-lc", "npm test"].
      else if (Array.isArray(value)) {
        parts.push(value.filter((v) => typeof v === "string").join(" "));
      }
    }
  }
  return parts.join(" ");
}

/**
 * A slash command is written as tags (`<command-name>/init</command-name>`,
 * `<command-args>`): keep the command and its arguments, drop the tag names.
 * Local command output (`<local-command-stdout>`) is the tool talking, not the user.
 */
function _promptText(text: string): string {
  const t = text.trimStart();
  if (t.startsWith("<local-command")) return "";
  if (!t.startsWith("<command-")) return text;
  const name = /<command-name>([^<]*)<\/command-name>/.exec(t)?.[1]?.trim() ?? "";
  const args = /<command-args>([^<]*)<\/command-args>/.exec(t)?.[1]?.trim() ?? "";
  return `${name} ${args}`;
}

function _row(kind: SearchKind, text: string): SearchRow | null {
  if (!text.trim()) return null;
  if (text.length > MAX_INDEXED_CHARS) text = text.slice(0, MAX_INDEXED_CHARS);
  // \u0001 and \u0002 mark hits in snippets (history/search.ts): keep them out of the text.
  // deno-lint-ignore no-control-regex
  if (/[\u0001\u0002]/.test(text)) text = text.replace(/[\u0001\u0002]/g, " ");
  return { kind, text };
}
