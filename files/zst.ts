/**
 * Codex compresses a rollout idle for 7 days to `rollout-*.jsonl.zst`
 * (0.137+). Those are read through `node:zlib`'s zstd decompressor (Deno
 * 2.9 has `createZstdDecompress`), streaming: never the whole file in memory.
 *
 * Cursors in a compressed rollout are offsets in its decompressed text: the
 * tail, the pages and single lines read a decompressed copy (readable.ts).
 */
import { createReadStream } from "node:fs";
import { createZstdDecompress } from "node:zlib";
import { LineSplitter } from "./lines.ts";
import type { Line } from "./lines.ts";

/** Whether `path` is a zstd-compressed transcript. */
export function isZst(path: string): boolean {
  return path.endsWith(".zst");
}

/** The decompressed bytes of `path`, chunk by chunk. */
export async function* zstChunks(path: string): AsyncGenerator<Uint8Array> {
  const source = createReadStream(path);
  const inflate = createZstdDecompress();
  source.on("error", (error) => inflate.destroy(error));
  source.pipe(inflate);
  try {
    for await (const chunk of inflate) yield chunk as Uint8Array;
  } finally {
    source.destroy();
    inflate.destroy();
  }
}

/**
 * The complete lines of a compressed transcript, with offsets in its
 * decompressed text; those ending at or before `after` are skipped, so a
 * reader resumes where it stopped (zstd cannot seek: the skipped part is
 * decompressed again, not kept).
 */
export async function* zstLines(path: string, after = 0): AsyncGenerator<Line> {
  const splitter = new LineSplitter(0);
  for await (const chunk of zstChunks(path)) {
    for (const line of splitter.push(chunk)) if (line.end > after) yield line;
  }
}
