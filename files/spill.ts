/**
 * Claude Code spills a tool's output too large to keep inline to
 * `<session>/tool-results/<id>.txt` and records the path on the line
 * (`toolUseResult.persistedOutputPath`); the line itself holds a preview.
 * "Show all" reads the spilled file, only ever from the session's own
 * folder: the recorded path gives a file name, never a place to read.
 */
import type { TailEvent } from "../core/event.ts";

/** A file name Claude Code writes there; anything else is not read. */
const SPILL_NAME = /^[A-Za-z0-9_.-]+$/;

/**
 * The event with its spilled output in place of the preview, when it has
 * one that can be read; the event unchanged otherwise.
 *
 * @param transcriptPath the session's (or its subagent's) transcript
 * @param maxBytes the most of the spilled file read
 */
export async function withSpilledOutput(
  event: TailEvent,
  transcriptPath: string,
  maxBytes: number,
): Promise<TailEvent> {
  if (event.kind !== "tool_result" || event.result?.type !== "bash") return event;
  const recorded = event.result.persistedOutputPath;
  if (!recorded) return event;
  const name = recorded.slice(recorded.lastIndexOf("/") + 1);
  if (!SPILL_NAME.test(name) || name.startsWith(".")) return event;
  const text = await _read(`${sessionFolder(transcriptPath)}/tool-results/${name}`, maxBytes);
  if (text === null) return event;
  return { ...event, result: { ...event.result, stdout: text.text }, truncated: text.cut };
}

/**
 * The session's own folder: `<project>/<session>` for `<project>/<session>.jsonl`
 * and for its subagents' `<project>/<session>/subagents/…` files.
 */
export function sessionFolder(transcriptPath: string): string {
  const nested = transcriptPath.indexOf("/subagents/");
  if (nested !== -1) return transcriptPath.slice(0, nested);
  return transcriptPath.replace(/\.jsonl$/, "");
}

async function _read(
  path: string,
  maxBytes: number,
): Promise<{ text: string; cut: boolean } | null> {
  try {
    // A link could point anywhere: only a plain file inside the folder is read.
    const info = await Deno.lstat(path);
    if (!info.isFile) return null;
    using file = await Deno.open(path, { read: true });
    const buf = new Uint8Array(Math.min(info.size, maxBytes));
    let got = 0;
    while (got < buf.length) {
      const n = await file.read(buf.subarray(got));
      if (n === null) break;
      got += n;
    }
    return { text: new TextDecoder().decode(buf.subarray(0, got)), cut: info.size > got };
  } catch {
    // Gone or unreadable: the preview the line holds is what there is.
    return null;
  }
}
