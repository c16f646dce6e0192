/**
 * The real transcripts the tests read, kept in the repo under
 * tests/fixtures/transcripts/ (where each file comes from, and its licence:
 * PROVENANCE.md there). Tests never read anything outside the repo, so a bare
 * clone passes its own test command.
 */
import { fileURLToPath } from "node:url";

/** The fixtures folder, as a URL ending in `/`. */
export const TRANSCRIPTS = new URL("../fixtures/transcripts/", import.meta.url);

/** The fixtures folder as a file path, without a trailing slash. */
export const TRANSCRIPTS_DIR = fileURLToPath(TRANSCRIPTS).replace(/\/$/, "");

/** One fixture's URL, from its path relative to the fixtures folder. */
export function transcript(name: string): URL {
  return new URL(name, TRANSCRIPTS);
}

/** Every `*.jsonl` fixture, as paths relative to the fixtures folder, sorted. */
export async function transcriptFiles(dir: URL = TRANSCRIPTS, prefix = ""): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const name = `${prefix}${entry.name}`;
    if (entry.isDirectory) {
      files.push(...await transcriptFiles(new URL(`${entry.name}/`, dir), `${name}/`));
    } else if (entry.name.endsWith(".jsonl")) files.push(name);
  }
  return files.sort();
}

/**
 * Whether a transcript is Claude Code's, judged from its text alone (not
 * through tailboard's parser, which is what the tests check): Claude Code
 * wraps every prompt and reply as `{"type":"user"|"assistant","message":{…}}`.
 * Copilot writes `user.message` with `data`, Gemini `user` with `content` and
 * no `message`, Codex `response_item` with `payload`: none of them match.
 */
export function isClaudeTranscript(text: string): boolean {
  for (const line of text.split("\n")) {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      continue;
    }
    if (typeof value !== "object" || value === null) continue;
    const { type, message } = value as { type?: unknown; message?: unknown };
    if ((type === "user" || type === "assistant") && typeof message === "object" && message) {
      return true;
    }
  }
  return false;
}

/** The Claude Code fixtures (see `isClaudeTranscript`), with their text. */
export async function claudeTranscripts(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const name of await transcriptFiles()) {
    const text = await Deno.readTextFile(transcript(name));
    if (isClaudeTranscript(text)) out.set(name, text);
  }
  return out;
}
