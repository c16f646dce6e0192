/** Positional reads on a Deno file handle that one reader uses at a time. */

/** Positional read on a handle that only one pass uses at a time. */
export async function readAt(
  file: Deno.FsFile,
  buf: Uint8Array,
  position: number,
): Promise<number> {
  await file.seek(position, Deno.SeekMode.Start);
  return (await file.read(buf)) ?? 0;
}

/**
 * The same read, synchronously. For a local file two syscalls cost a few
 * microseconds; the async pair costs two round trips through Deno's blocking
 * thread pool (a dup'd fd and two context switches each), which is most of the
 * time between an append and its SSE write on a busy machine.
 */
export function readAtSync(file: Deno.FsFile, buf: Uint8Array, position: number): number {
  file.seekSync(position, Deno.SeekMode.Start);
  return file.readSync(buf) ?? 0;
}

/** Offset just after the last `\n` at or before `size`. */
export async function lastLineBoundary(file: Deno.FsFile, size: number): Promise<number> {
  const buf = new Uint8Array(64 * 1024);
  let pos = size;
  while (pos > 0) {
    const len = Math.min(buf.length, pos);
    const start = pos - len;
    const n = await readAt(file, buf.subarray(0, len), start);
    const i = buf.subarray(0, n).lastIndexOf(0x0a);
    if (i !== -1) return start + i + 1;
    pos = start;
  }
  return 0;
}
