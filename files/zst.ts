/**
 * Codex compresses a rollout idle for 7 days to `rollout-*.jsonl.zst`
 * (0.137+). Those are read through `node:zlib`'s zstd decompressor (Deno
 * 2.9 has `createZstdDecompress`), streaming: never the whole file in memory.
 *
 * Cursors in a compressed rollout are offsets in its decompressed text. The
 * tail, the pages and single lines are read from a decompressed copy that
 * tailboard writes to a temp folder of its own (and only there), made again
 * whenever the `.zst` changes; `readablePath()` names it.
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

interface Copy {
  size: number;
  mtime: number;
  dest: string;
}

let folder: Promise<string> | null = null;
const copies = new Map<string, Copy>();
const pending = new Map<string, Promise<string>>();

/**
 * The path to read `path`'s text from: itself, or for a `.zst` its
 * decompressed copy, made (again) when the compressed file is new or changed.
 * The copy is replaced by a rename, so a reader sees a new file (a rotation),
 * never a half-written one.
 */
export function readablePath(path: string): Promise<string> {
  if (!isZst(path)) return Promise.resolve(path);
  const running = pending.get(path);
  if (running) return running;
  const made = _copy(path).finally(() => pending.delete(path));
  pending.set(path, made);
  return made;
}

async function _copy(path: string): Promise<string> {
  const info = await Deno.stat(path);
  const mtime = info.mtime?.getTime() ?? 0;
  const known = copies.get(path);
  if (known && known.size === info.size && known.mtime === mtime) return known.dest;
  folder ??= Deno.makeTempDir({ prefix: "tailboard-zst-" });
  const dest = known?.dest ?? `${await folder}/${copies.size}-${_name(path)}`;
  const part = `${dest}.part`;
  {
    using out = await Deno.open(part, { write: true, create: true, truncate: true });
    for await (const chunk of zstChunks(path)) {
      let written = 0;
      while (written < chunk.length) written += await out.write(chunk.subarray(written));
    }
  }
  await Deno.rename(part, dest);
  copies.set(path, { size: info.size, mtime, dest });
  return dest;
}

/** `rollout-….jsonl.zst` → `rollout-….jsonl`: the copy keeps a name a reader recognises. */
function _name(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1).replace(/\.zst$/, "");
}
