import type { TailEvent } from "../core/event.ts";
import { type Line, LineSplitter } from "./lines.ts";
import { readLinesBefore } from "./read_back.ts";
import { lastLineBoundary, readAtSync } from "./positional.ts";
import { type EncodedEvent, encodeEvent, encodeMarker } from "../transcript/encode.ts";

export interface FileTailOptions {
  /**
   * How many recent events stay in memory for new subscribers, so a browser
   * opening a stream costs no disk read.
   * @default 500
   */
  ringSize?: number;
  /** Bytes read per `read()` call. @default 1 MiB */
  chunkSize?: number;
}

/** How long a vanished path may stay missing before it counts as deleted. */
const DELETE_GRACE_MS = 1000;

/** Receives every event the tail emits, in file order. */
export type TailListener = (event: EncodedEvent) => void;

/**
 * One reader for one file, however many streams watch it. It keeps a byte
 * offset and reads only `[offset, end)` when told the file may have changed,
 * carrying a half-written last line until its newline arrives. A shrinking
 * file restarts from the top with a `truncated` marker, a new inode with a
 * `rotated` marker (after draining the old inode), and a vanished file ends
 * with `deleted`.
 */
export class FileTail {
  readonly path: string;
  #ringSize: number;
  #chunk: Uint8Array;
  #splitter = new LineSplitter(0);
  #file: Deno.FsFile | null = null;
  #ino: number | null = null;
  #ring: EncodedEvent[] = [];
  #listeners = new Set<TailListener>();
  #running: Promise<void> | null = null;
  #again = false;
  #ended = false;
  #opened: Promise<void> | null = null;
  /** When the path was first seen missing: rotation is rename-then-create. */
  #missingSince: number | null = null;

  constructor(path: string, options: FileTailOptions = {}) {
    this.path = path;
    this.#ringSize = options.ringSize ?? 500;
    this.#chunk = new Uint8Array(options.chunkSize ?? 1024 * 1024);
  }

  /** Offset just after the last complete line read. */
  get offset(): number {
    return this.#splitter.offset;
  }

  /** True once the file was deleted (or the tail closed): no more events come. */
  get ended(): boolean {
    return this.#ended;
  }

  /** Recent events, oldest first. */
  get recent(): readonly EncodedEvent[] {
    return this.#ring;
  }

  /**
   * True when the in-memory events reach back to `cursor`, so a resume from
   * there needs no disk read.
   */
  covers(cursor: number): boolean {
    const first = this.#ring[0];
    if (!first) return cursor === this.offset;
    return first.start <= cursor;
  }

  /** True when the in-memory events begin at the file's first line. */
  get coversStart(): boolean {
    const first = this.#ring[0];
    return first ? first.start === 0 : this.offset === 0;
  }

  /**
   * Opens the file and loads its newest events by reading backwards from the
   * end, so a 100 MB transcript costs only its last few hundred lines.
   */
  open(): Promise<void> {
    this.#opened ??= this.#open();
    return this.#opened;
  }

  async #open(): Promise<void> {
    const file = await Deno.open(this.path, { read: true });
    const stat = await file.stat();
    this.#file = file;
    this.#ino = stat.ino;
    const size = stat.size;
    // Find the last complete line: everything after the last `\n` is pending.
    const { lines } = await readLinesBefore(
      { readAt: (buf, pos) => Promise.resolve(readAtSync(file, buf, pos)) },
      await lastLineBoundary(file, size),
      { limit: this.#ringSize },
    );
    for (const line of lines) this.#remember(line);
    const end = lines.at(-1)?.end ?? await lastLineBoundary(file, size);
    this.#splitter.reset(end);
    await this.check();
  }

  /** Adds a listener for events emitted from now on. Returns the remover. */
  subscribe(listener: TailListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }

  /**
   * Reads whatever is new. Safe to call as often as watch events arrive:
   * concurrent calls coalesce into one more pass that reads to the end.
   */
  check(): Promise<void> {
    if (this.#ended || !this.#file) return Promise.resolve();
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = (async () => {
      try {
        do {
          this.#again = false;
          await this.#pass();
        } while (this.#again && !this.#ended);
      } finally {
        this.#running = null;
      }
    })();
    return this.#running;
  }

  async #pass(): Promise<void> {
    const file = this.#file;
    if (!file) return;
    let stat: Deno.FileInfo | null;
    try {
      // Sync on purpose, like the reads below: this is the append → SSE path.
      stat = Deno.statSync(this.path);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
      stat = null;
    }
    if (stat === null || stat.ino !== this.#ino) {
      // Drain what the old inode still holds before letting it go.
      await this.#readToEnd(file);
      if (stat === null) {
        // A rotating writer renames the file away and creates a new one a
        // moment later: only a path missing for a while is a deletion.
        this.#missingSince ??= Date.now();
        if (Date.now() - this.#missingSince >= DELETE_GRACE_MS) {
          this.#end("deleted", "The file was deleted.");
        }
        return;
      }
      this.#missingSince = null;
      await this.#restart("rotated", "The file was replaced; reading the new one from the top.");
      return;
    }
    this.#missingSince = null;
    if (stat.size < this.#splitter.readOffset || this.#rewritten(file)) {
      await this.#restart("truncated", "The file shrank; reading it again from the top.");
      return;
    }
    if (stat.size > this.#splitter.readOffset) await this.#readToEnd(file, stat.size);
  }

  /**
   * A truncate followed by new writes between two checks looks like an append.
   * The byte before our offset was a `\n` when we read it; if it no longer is,
   * the file was rewritten under us.
   */
  #rewritten(file: Deno.FsFile): boolean {
    const offset = this.#splitter.offset;
    if (offset === 0) return false;
    const one = new Uint8Array(1);
    const n = readAtSync(file, one, offset - 1);
    return n === 1 && one[0] !== 0x0a;
  }

  /**
   * Reads from the offset up to `size` (a stat just taken), or to the end of
   * the file. Bytes written after that stat come with the next watch event or
   * poll, so the common append costs one read, not a second one that finds 0.
   */
  async #readToEnd(file: Deno.FsFile, size = Infinity): Promise<void> {
    let pos = this.#splitter.readOffset;
    while (pos < size) {
      const n = readAtSync(file, this.#chunk, pos);
      if (n <= 0) return;
      pos += n;
      for (const line of this.#splitter.push(this.#chunk.subarray(0, n))) this.#emitLine(line);
      if (n === this.#chunk.length) {
        // A huge append is read a chunk at a time, letting other streams run between chunks.
        await new Promise((resolve) => setTimeout(resolve, 0));
        if (this.#ended) return;
      }
    }
  }

  async #restart(change: "truncated" | "rotated", text: string): Promise<void> {
    if (change === "rotated") {
      this.#file?.close();
      const file = await Deno.open(this.path, { read: true });
      this.#file = file;
      this.#ino = (await file.stat()).ino;
    }
    this.#splitter.reset(0);
    this.#ring = [];
    this.#emit(encodeMarker(change, text, 0));
    if (this.#file) await this.#readToEnd(this.#file);
  }

  #end(change: "deleted", text: string): void {
    this.#emit(encodeMarker(change, text, this.offset));
    this.close();
  }

  #emitLine(line: Line): void {
    if (isBlank(line.text)) return;
    this.#emit(encodeEvent(line));
  }

  #remember(line: Line): void {
    if (isBlank(line.text)) return;
    this.#pushRing(encodeEvent(line));
  }

  #pushRing(event: EncodedEvent): void {
    this.#ring.push(event);
    if (this.#ring.length > this.#ringSize) {
      this.#ring.splice(0, this.#ring.length - this.#ringSize);
    }
  }

  #emit(event: EncodedEvent): void {
    if (event.kind !== "file") this.#pushRing(event);
    for (const listener of this.#listeners) listener(event);
  }

  /** Releases the file handle. Listeners get nothing more. */
  close(): void {
    if (this.#ended) return;
    this.#ended = true;
    try {
      this.#file?.close();
    } catch {
      // Already closed by a failed open: nothing to release.
    }
    this.#file = null;
    this.#listeners.clear();
  }
}

function isBlank(text: string): boolean {
  return text.length === 0 || text.trim().length === 0;
}

export type { EncodedEvent, TailEvent };
