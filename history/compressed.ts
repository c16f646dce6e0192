/**
 * A compressed Codex rollout (`rollout-*.jsonl.zst`, 0.137+) for the index.
 * Codex writes one once, whole, after a week idle, so it is read in one go,
 * streaming through node:zlib (files/zst.ts: never the whole file in
 * memory), and read again from the start if it ever changes. Its lines go
 * through the same addLines as any file's; cursors are offsets in the
 * decompressed text, as the live view's are (files/readable.ts).
 */
import type { UsageReader } from "../cost/reader.ts";
import { LineSplitter } from "../files/lines.ts";
import { zstChunks } from "../files/zst.ts";
import { addLines } from "./read.ts";
import type { AgentInfo, Batch, FileState } from "./batch.ts";

export { isZst } from "../files/zst.ts";

/** Whether the file is not the one indexed as `state` (its size, time or inode moved). */
export function compressedChanged(info: Deno.FileInfo, state: FileState | undefined): boolean {
  if (state === undefined) return true;
  const ino = info.ino ?? null;
  return info.size !== state.size || (info.mtime?.getTime() ?? 0) !== state.mtime ||
    (ino !== null && state.ino !== null && ino !== state.ino);
}

/**
 * Adds the file's lines to the batch in hand as they are decompressed, with
 * its state. After each chunk `paused` lets others in (and may commit the
 * batch); it returns false to stop (the index moved on). Until the end is
 * read the state's size is -1: a file stopped part-way is read again whole.
 */
export async function readCompressed(
  path: string,
  info: Deno.FileInfo,
  batch: () => Batch,
  agent: AgentInfo,
  usage: UsageReader,
  paused: (bytes: number) => Promise<boolean>,
): Promise<void> {
  const splitter = new LineSplitter(0);
  let lastMs = info.mtime?.getTime() ?? 0;
  const state = (size: number): FileState => ({
    path,
    agentId: agent.agentId,
    ino: info.ino ?? null,
    size,
    offset: splitter.offset,
    mtime: info.mtime?.getTime() ?? 0,
    // The raw-file checks (head, generation tag) mean nothing here: size and time tell a change.
    head: "",
    tag: "",
  });
  for await (const chunk of zstChunks(path)) {
    const b = batch();
    // Who owns a response two files carry is settled by their times (history/writer.ts).
    b.mtimes.set(agent.agentId, info.mtime?.getTime() ?? 0);
    lastMs = addLines(b, agent.agentId, splitter.push(chunk), lastMs, usage);
    b.sourceBytes += chunk.length;
    b.files.set(path, state(-1));
    b.agents.set(agent.agentId, agent);
    if (!await paused(chunk.length)) return;
  }
  batch().files.set(path, state(info.size));
  batch().agents.set(agent.agentId, agent);
}
