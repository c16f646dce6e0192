/**
 * Small readers shared by the Codex adapter's parts: content text, tool
 * names, shell commands and fallbacks for payloads with no words of their own.
 */

import {
  clip,
  firstString,
  humanize,
  isRecord,
  joinStrings,
  type JsonRecord,
  str,
} from "./record.ts";

export function toolName(p: JsonRecord): string {
  const name = str(p.name) ?? (p.type === "local_shell_call" ? "local_shell" : "");
  const namespace = str(p.namespace);
  return namespace ? `${namespace}.${name}` : name;
}

/** Joins the text parts of Codex content (`input_text`, `output_text`, `summary_text`, ...); images show as `[image]`. */
export function contentText(content: unknown, separator = "\n"): string {
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

export function searchActionText(action: JsonRecord | undefined): string {
  if (action === undefined) return "";
  return str(action.query) || joinStrings(action.queries, " | ") || str(action.url) ||
    str(action.pattern) || "";
}

export function names(items: unknown): string {
  if (!Array.isArray(items)) return "";
  const names: string[] = [];
  for (const item of items) {
    const name = isRecord(item) ? str(item.name) : undefined;
    if (name) names.push(name);
  }
  return names.join(", ");
}

/** `["bash", "-lc", "ls -la"]` reads best as `ls -la`. */
export function commandText(command: unknown): string {
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

export function fallbackText(p: JsonRecord, subtype: string): string {
  return clip(
    firstString(p, ["message", "text", "reason", "status", "query", "path", "prompt", "kind"]) ??
      humanize(subtype),
  );
}

/** Arguments that arrive as objects are shown as JSON; a failure to stringify is not worth an error. */
export function json(value: unknown): string {
  try {
    return JSON.stringify(value) ?? "";
  } catch {
    return String(value);
  }
}
