/**
 * Claude Code spills a tool's output too large to keep inline to
 * `<session>/tool-results/<id>.txt` and records the path on the line
 * (`toolUseResult.persistedOutputPath`); the line itself holds a preview.
 * "Show all" reads the spilled file, only ever from the session's own
 * folder: the recorded path gives a file name, never a place to read.
 */
import type { TailEvent } from "../core/event.ts";
import { type LinePage, readPage } from "./line_read.ts";

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
  const path = spillPath(event, transcriptPath);
  if (path === null || event.kind !== "tool_result" || event.result?.type !== "bash") return event;
  const text = await _read(path, maxBytes);
  if (text === null) return event;
  return { ...event, result: { ...event.result, stdout: text.text }, truncated: text.cut };
}

/**
 * A page of the event's spilled output: `limit` bytes from `offset`, cut on
 * a character boundary, so a spill of any size is read a bounded page at a
 * time. Null when the event has no spill that can be read.
 */
export async function spillPage(
  event: TailEvent,
  transcriptPath: string,
  offset: number,
  limit: number,
): Promise<LinePage | null> {
  const path = spillPath(event, transcriptPath);
  if (path === null) return null;
  try {
    using file = await _openPlain(path);
    if (!file) return null;
    return await readPage(file, 0, (await file.stat()).size, offset, limit);
  } catch (error) {
    // Gone or unreadable: there is no more than the preview the line holds.
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.PermissionDenied) {
      return null;
    }
    throw error;
  }
}

/** Where the event's spill is, inside the session's own folder; null if it has none. */
function spillPath(event: TailEvent, transcriptPath: string): string | null {
  if (event.kind !== "tool_result" || event.result?.type !== "bash") return null;
  const recorded = event.result.persistedOutputPath;
  if (!recorded) return null;
  const name = recorded.slice(recorded.lastIndexOf("/") + 1);
  if (!SPILL_NAME.test(name) || name.startsWith(".")) return null;
  return `${sessionFolder(transcriptPath)}/tool-results/${name}`;
}

/**
 * Opens `path` (`<session>/tool-results/<name>`) only when it is a plain file
 * that resolves inside its session's folder: a link, the file or its
 * `tool-results` folder, could point anywhere.
 */
async function _openPlain(path: string): Promise<Deno.FsFile | null> {
  if (!(await Deno.lstat(path)).isFile) return null;
  const session = path.slice(0, path.lastIndexOf("/tool-results/"));
  const [real, realSession] = await Promise.all([Deno.realPath(path), Deno.realPath(session)]);
  if (!real.startsWith(`${realSession}/tool-results/`)) return null;
  return await Deno.open(path, { read: true });
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
    using file = await _openPlain(path);
    if (!file) return null;
    const info = await file.stat();
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
