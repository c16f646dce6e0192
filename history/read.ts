/**
 * Reading a transcript forward for the index: whether the file is still the
 * one read before (or was rewritten), and what its lines add to a batch.
 * Lines go through the same LineSplitter and parseLine the live tail uses, so
 * the cursors stored are the live API's cursors.
 */
import type { UsageReader } from "../cost/reader.ts";
import { HEAD_BYTES, headStamp, tagAtSync } from "../files/identity.ts";
import type { Line } from "../files/lines.ts";
import { readAtSync } from "../files/positional.ts";
import { parseLine } from "../transcript/line.ts";
import { searchRowOf } from "./extract.ts";
import type { Batch, FileState } from "./batch.ts";

export { HEAD_BYTES, headStamp as headOf };

/** The generation tag of `offset` in the open file (files/identity.ts), "" when it has none. */
export function tagAt(file: Deno.FsFile, ino: number | null, offset: number): string {
  return tagAtSync(file, ino, offset) ?? "";
}

/**
 * Whether the open file is still the generation read up to `state.offset`:
 * the same tag as the live tail computes (its head and the end of the line
 * before the offset), so a rewrite in place is one to search and the live
 * view alike. Rows stored before tags fall back to the line end and the head.
 * Synchronous: a few small reads of bytes the page cache has.
 */
export function sameFile(file: Deno.FsFile, ino: number | null, state: FileState): boolean {
  if (state.tag) return tagAt(file, ino, state.offset) === state.tag;
  if (state.offset > 0) {
    const one = new Uint8Array(1);
    if (readAtSync(file, one, state.offset - 1) !== 1 || one[0] !== 0x0a) return false;
  }
  if (!state.head) return true;
  const length = Number(state.head.split(":")[0]);
  const buf = new Uint8Array(length);
  let got = 0;
  while (got < length) {
    const n = readAtSync(file, buf.subarray(got), got);
    if (n <= 0) break;
    got += n;
  }
  return got === length && headStamp(buf) === state.head;
}

/** A short hash of a text (the price table's, to notice it changed). */
export function hashOf(text: string): string {
  return headStamp(new TextEncoder().encode(text)).split(":")[1]!;
}

/**
 * Adds what complete lines say to a batch: searchable rows, usage records,
 * Claude Code's own running cost and activity times. `usage` is the file's
 * reader (it carries what earlier lines said). Returns the latest timestamp
 * (ms) seen, which lines without one sort just after.
 */
export function addLines(
  batch: Batch,
  agentId: string,
  lines: Line[],
  lastMs: number,
  usage: UsageReader,
): number {
  for (const line of lines) {
    if (line.bytes === 0) continue;
    const { event } = parseLine(line.text, line.bytes);
    let ts = event.ts ?? null;
    if (ts !== null) {
      const ms = Date.parse(ts);
      if (Number.isFinite(ms)) {
        lastMs = ms;
        batch.addActivity(agentId, ts, ms);
      } else {
        ts = null; // "[trimmed]" and the like: not a time
      }
    }
    const row = searchRowOf(event);
    if (row) {
      batch.addEvent({
        ms: lastMs,
        agentId,
        cursor: line.end,
        ts,
        kind: row.kind,
        text: row.text,
        recordId: event.recordId,
      });
    }
    for (const record of usage.read(event)) batch.addUsage(record, agentId);
    if (event.kind === "meta" && event.costState) batch.costStates.set(agentId, event.costState);
  }
  return lastMs;
}
