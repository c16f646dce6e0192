/**
 * Recognising a file's generation. A transcript only grows while it lives;
 * when it is rotated, truncated or rewritten in place, bytes a reader has
 * already seen change under it. Three cheap facts tell, without rereading the
 * file: its inode, a hash of its head (the first {@link HEAD_BYTES}), and an
 * anchor (the end of the line just before an offset, at most
 * {@link ANCHOR_BYTES}). The live tail and the history index both use this
 * module, so they agree on when a file is "the same" one.
 *
 * A tag (8 hex digits) folds the three together for one offset: the same
 * offset of the same generation always gives the same tag, across daemon
 * restarts, and any rewrite of the bytes it covers gives another one (but for
 * a 1 in 2^32 chance).
 */

/** Bytes at a file's start hashed to recognise it again. */
export const HEAD_BYTES = 1024;
/** Bytes before an offset (cut at the previous newline) hashed as its anchor. */
export const ANCHOR_BYTES = 32;

const NEWLINE = 0x0a;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** 32-bit FNV-1a over `bytes`, continuing from `hash`. */
export function fnv1a(bytes: Uint8Array, hash = FNV_OFFSET): number {
  let h = hash;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, FNV_PRIME);
  return h >>> 0;
}

/**
 * `<length>:<hash>` of a file's first bytes (pass at most HEAD_BYTES): the
 * history index stores this per file, so the format must not change.
 */
export function headStamp(bytes: Uint8Array): string {
  let h1 = FNV_OFFSET;
  let h2 = 0x9747b28c;
  for (let i = 0; i < bytes.length; i++) {
    h1 = Math.imul(h1 ^ bytes[i]!, FNV_PRIME);
    h2 = Math.imul(h2 ^ bytes[i]!, 0x5bd1e995) ^ (h2 >>> 15);
  }
  return `${bytes.length}:${(h1 >>> 0).toString(16)}${(h2 >>> 0).toString(16)}`;
}

/**
 * The anchor of an offset from the file's bytes `[max(0, offset - ANCHOR_BYTES), offset)`,
 * which end with a line's `\n`: the part before an earlier newline belongs to
 * another line and is left out, so the anchor is the end of one line only.
 */
export function windowAnchor(window: Uint8Array): number {
  const cut = window.length >= 2 ? window.lastIndexOf(NEWLINE, window.length - 2) : -1;
  return fnv1a(window.subarray(cut + 1));
}

/** Folds a generation's facts at one offset into a tag. */
export function tagOf(ino: number | null, headHash: number, anchor: number): string {
  let h = Math.imul(headHash ^ anchor, FNV_PRIME);
  // Inodes fit in 53 bits: fold both halves.
  const i = ino ?? 0;
  h = Math.imul(h ^ (i >>> 0), FNV_PRIME);
  h = Math.imul(h ^ Math.floor(i / 2 ** 32), FNV_PRIME);
  return (h >>> 0).toString(16).padStart(8, "0");
}

/** Reads exactly `buf.length` bytes at `position`, or fewer at the file's end. */
function readFullySync(file: Deno.FsFile, buf: Uint8Array, position: number): number {
  let got = 0;
  while (got < buf.length) {
    file.seekSync(position + got, Deno.SeekMode.Start);
    const n = file.readSync(buf.subarray(got));
    if (n === null || n <= 0) break;
    got += n;
  }
  return got;
}

/**
 * The tag of `offset` in the file as it is now, or null when the file is
 * shorter or `offset` is not just after a newline. Sync: two small reads.
 */
export function tagAtSync(file: Deno.FsFile, ino: number | null, offset: number): string | null {
  if (offset === 0) return tagOf(ino, FNV_OFFSET, FNV_OFFSET);
  const head = new Uint8Array(Math.min(offset, HEAD_BYTES));
  if (readFullySync(file, head, 0) !== head.length) return null;
  const window = new Uint8Array(Math.min(offset, ANCHOR_BYTES));
  if (readFullySync(file, window, offset - window.length) !== window.length) return null;
  if (window[window.length - 1] !== NEWLINE) return null;
  return tagOf(ino, fnv1a(head), windowAnchor(window));
}

/**
 * Tags offsets of one open generation as lines go by, reading the head once
 * (and again while the file is still shorter than HEAD_BYTES). The caller
 * makes a new one when the generation changes.
 */
export class GenerationTagger {
  readonly ino: number | null;
  #file: Deno.FsFile;
  #head = new Uint8Array(0);
  #headHash = FNV_OFFSET;
  #window = new Uint8Array(ANCHOR_BYTES);

  constructor(file: Deno.FsFile, ino: number | null) {
    this.#file = file;
    this.ino = ino;
  }

  /**
   * The tag of `end`, a line end this generation has read. One small read of
   * bytes the reader just had, so the page cache answers it.
   */
  tag(end: number): string {
    if (end === 0) return tagOf(this.ino, FNV_OFFSET, FNV_OFFSET);
    const window = this.#window.subarray(0, Math.min(end, ANCHOR_BYTES));
    const got = readFullySync(this.#file, window, end - window.length);
    const anchor = windowAnchor(window.subarray(0, got));
    const want = Math.min(end, HEAD_BYTES);
    if (this.#head.length < want) {
      const head = new Uint8Array(want);
      const n = readFullySync(this.#file, head, 0);
      this.#head = head.subarray(0, n);
      this.#headHash = fnv1a(this.#head);
    }
    const headHash = want === this.#head.length
      ? this.#headHash
      : fnv1a(this.#head.subarray(0, want));
    return tagOf(this.ino, headHash, anchor);
  }
}

/** A resume token taken apart: `<offset>` or `<offset>.<tag>` (see `Cursor` in core/event.ts). */
export interface ParsedCursor {
  offset: number;
  /** Null for a bare offset, as cursors were before they named their generation. */
  tag: string | null;
}

/** Parses a resume token; null when it is not one. */
export function parseCursor(raw: string): ParsedCursor | null {
  const m = /^(\d{1,16})(?:\.([0-9a-f]{8}))?$/.exec(raw);
  if (!m) return null;
  const offset = Number(m[1]);
  if (!Number.isSafeInteger(offset)) return null;
  return { offset, tag: m[2] ?? null };
}
