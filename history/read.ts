/**
 * Reading a transcript forward for the index: whether the file is still the
 * one read before (or was rewritten), and what its lines add to a batch.
 * Lines go through the same LineSplitter and parseLine the live tail uses, so
 * the cursors stored are the live API's cursors.
 */
import type { UsageReader } from "../cost/reader.ts";
import type { Line } from "../files/lines.ts";
import { readAt } from "../files/positional.ts";
import { parseLine } from "../transcript/line.ts";
import { searchRowOf } from "./extract.ts";
import type { Batch, FileState } from "./writer.ts";

/** Bytes hashed from a file's start to recognise it again (`head` in history/db.ts). */
export const HEAD_BYTES = 1024;

/**
 * Same inode and the size grew: whether it is still the file read before,
 * with `offset` still just after a line end and the same first bytes.
 */
export async function sameFile(file: Deno.FsFile, state: FileState): Promise<boolean> {
  if (state.offset > 0) {
    const one = new Uint8Array(1);
    if (await readAt(file, one, state.offset - 1) !== 1 || one[0] !== 0x0a) return false;
  }
  if (!state.head) return true;
  const length = Number(state.head.split(":")[0]);
  const buf = new Uint8Array(length);
  let got = 0;
  while (got < length) {
    const n = await readAt(file, buf.subarray(got), got);
    if (n <= 0) break;
    got += n;
  }
  return got === length && headOf(buf) === state.head;
}

/** `<length>:<hash>` of a file's first bytes: enough to tell two files apart, small to store. */
export function headOf(bytes: Uint8Array): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  for (let i = 0; i < bytes.length; i++) {
    h1 = Math.imul(h1 ^ bytes[i]!, 0x01000193);
    h2 = Math.imul(h2 ^ bytes[i]!, 0x5bd1e995) ^ (h2 >>> 15);
  }
  return `${bytes.length}:${(h1 >>> 0).toString(16)}${(h2 >>> 0).toString(16)}`;
}

/** A short hash of a text (the price table's, to notice it changed). */
export function hashOf(text: string): string {
  return headOf(new TextEncoder().encode(text)).split(":")[1]!;
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
      batch.events.push({
        ms: lastMs,
        agentId,
        cursor: line.end,
        ts,
        kind: row.kind,
        text: row.text,
      });
    }
    for (const record of usage.read(event)) batch.addUsage(record, agentId);
    if (event.kind === "meta" && event.costState) batch.costStates.set(agentId, event.costState);
  }
  return lastMs;
}
