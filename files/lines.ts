import type { Line } from "../transcript/encode.ts";
import { concatBytes } from "./bytes.ts";

/**
 * Splitting bytes into complete lines. Pure: bytes in, lines with their byte
 * offsets out. A line is complete only when its `\n` has arrived; a trailing
 * `\r` is dropped so CRLF files read like LF ones. Invalid UTF-8 becomes
 * U+FFFD instead of failing.
 */

// A line's shape is what transcript/ consumes, so it is defined there.
export type { Line };

/** A line as the splitter hands it out. */
export interface SplitLine extends Line {
  /**
   * The undecoded bytes (without the `\n`, in pieces), instead of `text`, for a line over
   * the splitter's `rawOver`: a huge line is decoded where it is parsed, off
   * the daemon's thread.
   */
  raw?: Uint8Array[];
}

const NEWLINE = 0x0a;
const CR = 0x0d;
const decoder = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });

/** Decodes one line's bytes (without the `\n`), dropping a trailing `\r`. */
export function decodeLine(bytes: Uint8Array, end: number): Line {
  const len = bytes.length > 0 && bytes[bytes.length - 1] === CR ? bytes.length - 1 : bytes.length;
  return {
    text: decoder.decode(bytes.subarray(0, len)),
    bytes: len,
    start: end - bytes.length - 1,
    end,
  };
}

/**
 * A line handed on undecoded, in the pieces it was read in (without its
 * `\n`), to be decoded where it is parsed: see `SplitLine.raw`.
 */
export function rawLine(parts: Uint8Array[], end: number): SplitLine {
  const raw = parts.filter((p) => p.length > 0);
  let length = 0;
  for (const p of raw) length += p.length;
  const last = raw.at(-1);
  const bytes = last && last[last.length - 1] === CR ? length - 1 : length;
  return { text: "", bytes, start: end - length - 1, end, raw };
}

/**
 * Collects complete lines from chunks that arrive in file order, carrying a
 * half-written last line until its newline comes.
 */
export class LineSplitter {
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;
  /** File offset of the first pending byte (or of the next byte when none). */
  #start: number;

  #rawOver: number;

  /**
   * @param rawOver Lines at least this long come undecoded, as `raw` with an
   * empty `text`. @default Infinity
   */
  constructor(startOffset = 0, rawOver = Infinity) {
    this.#start = startOffset;
    this.#rawOver = rawOver;
  }

  /** Offset just after the last complete line: where a restart would read from. */
  get offset(): number {
    return this.#start;
  }

  /** Offset of the next byte expected from the file. */
  get readOffset(): number {
    return this.#start + this.#pendingBytes;
  }

  get pendingBytes(): number {
    return this.#pendingBytes;
  }

  /** Feeds the next chunk; returns the lines it completed, oldest first. */
  push(chunk: Uint8Array): SplitLine[] {
    const lines: SplitLine[] = [];
    let from = 0;
    let nl = chunk.indexOf(NEWLINE);
    while (nl !== -1) {
      const part = chunk.subarray(from, nl);
      const length = this.#pendingBytes + part.length;
      const end = this.#start + length + 1;
      if (length >= this.#rawOver) {
        // Handed on in pieces, uncopied but for the last (a view into the caller's buffer).
        lines.push(rawLine([...this.#pending, part.slice()], end));
      } else {
        const bytes = this.#pendingBytes > 0 ? concatBytes([...this.#pending, part]) : part;
        lines.push(decodeLine(bytes, end));
      }
      this.#pending = [];
      this.#pendingBytes = 0;
      this.#start = end;
      from = nl + 1;
      nl = chunk.indexOf(NEWLINE, from);
    }
    if (from < chunk.length) {
      // Copy: the caller reuses its read buffer.
      this.#pending.push(chunk.slice(from));
      this.#pendingBytes += chunk.length - from;
    }
    return lines;
  }

  /** Forgets everything and starts again at `offset` (after truncation or rotation). */
  reset(offset = 0): void {
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#start = offset;
  }
}
