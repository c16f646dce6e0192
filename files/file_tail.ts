import type { FileEvent } from "../core/event.ts";
import { type Line, LineSplitter } from "./lines.ts";
import { readLinesBefore } from "./read_back.ts";
import { lastLineBoundary, readAtSync } from "./positional.ts";
import { GenerationTagger, tagAtSync } from "./identity.ts";
import { EventRing } from "./event_ring.ts";
import { CoalescedPass } from "./coalesce.ts";
import { encode, type EncodedEvent, encodeEvent, encodeMarker } from "../transcript/encode.ts";
import { HUGE_LINE_BYTES, type LineParser } from "./line_parser.ts";

export interface FileTailOptions {
  /**
   * How many recent events stay in memory for new subscribers, so a browser
   * opening a stream costs no disk read.
   * @default 500
   */
  ringSize?: number;
  /** Bytes read per `read()` call. @default 1 MiB */
  chunkSize?: number;
  /**
   * Parses huge lines off the daemon's thread (the pool shares one). Without
   * it every line is parsed inline.
   */
  parser?: LineParser;
}

/** How long a vanished path may stay missing before it counts as deleted. */
const DELETE_GRACE_MS = 1000;
/**
 * Modification times are only as fine as the filesystem's clock, so a file
 * modified this recently is checked for in-place rewrites on every pass, not
 * only when its size or mtime moved.
 */
const RECHECK_RECENT_MS = 2000;

/** Receives every event the tail emits, in file order. */
export type TailListener = (event: EncodedEvent) => void;

/**
 * One reader for one file, however many streams watch it. It keeps a byte
 * offset and reads only `[offset, end)` when told the file may have changed,
 * carrying a half-written last line until its newline arrives. A shrinking
 * file restarts from the top with a `truncated` marker, a new inode with a
 * `rotated` marker (after draining the old inode), bytes changed under the
 * offset with `rewritten`, and a vanished file ends with `deleted`. Every
 * event's SSE id names the generation it came from (files/identity.ts).
 */
export class FileTail {
  readonly path: string;
  #ringSize: number;
  #chunk: Uint8Array;
  #splitter: LineSplitter;
  #parser: LineParser | undefined;
  #file: Deno.FsFile | null = null;
  #ino: number | null = null;
  #tagger: GenerationTagger | null = null;
  /** Tag of the offset after the last complete line, to notice rewrites under it. */
  #lastTag = "";
  #checkedSize = -1;
  #checkedMtime = -1;
  #ring: EventRing;
  /** True when the ring holds a deleted predecessor's events. */
  #continues = false;
  #listeners = new Set<TailListener>();
  #passes = new CoalescedPass(() => this.#pass(), () => this.#ended);
  #ended = false;
  #opened: Promise<void> | null = null;
  /** When the path was first seen missing: rotation is rename-then-create. */
  #missingSince: number | null = null;

  /**
   * `previous` is the ended tail of a file deleted from this path: its recent
   * events stay in memory, behind a marker, for streams that resume from them.
   */
  constructor(path: string, options: FileTailOptions = {}, previous?: FileTail) {
    this.path = path;
    this.#ringSize = options.ringSize ?? 500;
    this.#ring = previous ? previous.#ring : new EventRing(this.#ringSize);
    this.#continues = previous !== undefined;
    this.#parser = options.parser;
    this.#splitter = new LineSplitter(0, this.#parser ? HUGE_LINE_BYTES : Infinity);
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

  /** Recent events of the current generation, oldest first. */
  get recent(): readonly EncodedEvent[] {
    return this.#ring.current;
  }

  /**
   * Every event after the one with SSE id `id`, across generations (markers
   * included), or null when memory no longer holds it.
   */
  eventsAfter(id: string): EncodedEvent[] | null {
    return this.#ring.after(id);
  }

  /**
   * True when the in-memory events of this generation reach back to
   * `cursor`, so a resume from there needs no disk read.
   */
  covers(cursor: number): boolean {
    const first = this.recent[0];
    if (!first) return cursor === this.offset;
    return first.start <= cursor;
  }

  /** True when the in-memory events begin at the file's first line. */
  get coversStart(): boolean {
    const first = this.recent[0];
    return first ? first.start === 0 : this.offset === 0;
  }

  /** The SSE id of `end`, a line end of the current generation already read. */
  idAt(end: number): string {
    return this.#tagger ? `${end}.${this.#tagger.tag(end)}` : String(end);
  }

  /** A marker that starts this generation over, with an id a client can resume from. */
  marker(change: FileEvent["change"], text: string): EncodedEvent {
    return encodeMarker(change, text, 0, this.idAt(0));
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
    this.#tagger = new GenerationTagger(file, stat.ino);
    const size = stat.size;
    if (this.#continues) {
      this.#ring.restart(
        this.marker("rotated", "The file was deleted and created again; reading the new one."),
      );
    }
    // Find the last complete line: everything after the last `\n` is pending.
    const { lines } = await readLinesBefore(
      { readAt: (buf, pos) => Promise.resolve(readAtSync(file, buf, pos)) },
      await lastLineBoundary(file, size),
      { limit: this.#ringSize, rawOver: this.#parser ? HUGE_LINE_BYTES : Infinity },
    );
    for (const line of lines) {
      const id = this.idAt(line.end);
      if (line.raw) {
        const event = await this.#parser!.parseParts(line.raw, line.bytes, line.end);
        this.#ring.push(encode(event, line.start, id));
      } else if (!isBlank(line.text)) this.#ring.push(encodeEvent(line, id));
    }
    const end = lines.at(-1)?.end ?? await lastLineBoundary(file, size);
    this.#splitter.reset(end);
    this.#lastTag = this.#tagger.tag(end);
    await this.check();
  }

  /** Adds a listener for events emitted from now on. Returns the remover. */
  subscribe(listener: TailListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Reads whatever is new. Safe to call as often as watch events arrive:
   * concurrent calls coalesce into one more pass that reads to the end.
   */
  check(): Promise<void> {
    if (this.#ended || !this.#file) return Promise.resolve();
    return this.#passes.run();
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
    if (stat.size < this.#splitter.readOffset) {
      await this.#restart("truncated", "The file shrank; reading it again from the top.");
      return;
    }
    if (this.#rewritten(file, stat)) {
      await this.#restart("rewritten", "The file was rewritten; reading it again from the top.");
      return;
    }
    if (stat.size > this.#splitter.readOffset) await this.#readToEnd(file, stat.size);
  }

  /**
   * A truncate followed by new writes between two checks looks like an
   * append, and a rewrite with lines of the same length looks like nothing at
   * all. The tag of our offset (head hash and the line before it) tells: if it
   * changed, so did bytes we already sent. Checked when the size or mtime
   * moved, or the file changed lately (mtimes are coarse): two small reads.
   */
  #rewritten(file: Deno.FsFile, stat: Deno.FileInfo): boolean {
    const mtime = stat.mtime?.getTime() ?? 0;
    const moved = stat.size !== this.#checkedSize || mtime !== this.#checkedMtime;
    if (!moved && Date.now() - mtime > RECHECK_RECENT_MS) return false;
    this.#checkedSize = stat.size;
    this.#checkedMtime = mtime;
    return tagAtSync(file, this.#ino, this.#splitter.offset) !== this.#lastTag;
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
      for (const line of this.#splitter.push(this.#chunk.subarray(0, n))) {
        if (line.raw) await this.#takeHuge(line, line.raw);
        else this.#take(line);
        if (this.#ended) return;
      }
      if (n === this.#chunk.length) {
        // A huge append is read a chunk at a time, letting other streams run between chunks.
        await new Promise((resolve) => setTimeout(resolve, 0));
        if (this.#ended) return;
      }
    }
  }

  async #restart(change: "truncated" | "rotated" | "rewritten", text: string): Promise<void> {
    if (change === "rotated") {
      this.#file?.close();
      const file = await Deno.open(this.path, { read: true });
      this.#file = file;
      this.#ino = (await file.stat()).ino;
    }
    if (!this.#file) return;
    this.#tagger = new GenerationTagger(this.#file, this.#ino);
    this.#splitter.reset(0);
    this.#lastTag = this.#tagger.tag(0);
    this.#checkedSize = this.#checkedMtime = -1;
    const marker = this.marker(change, text);
    this.#ring.restart(marker);
    this.#send(marker);
    await this.#readToEnd(this.#file);
  }

  #end(change: "deleted", text: string): void {
    this.#send(encodeMarker(change, text, this.offset, this.idAt(this.offset)));
    this.close();
  }

  /** A complete line: its tag guards the offset after it; a non-blank one is an event. */
  #take(line: Line): void {
    const id = this.idAt(line.end);
    this.#lastTag = id.slice(id.indexOf(".") + 1);
    if (isBlank(line.text)) return;
    const event = encodeEvent(line, id);
    this.#ring.push(event);
    this.#send(event);
  }

  /**
   * A huge line, parsed on the line worker while this thread serves other
   * streams; later lines wait for it, so events stay in file order.
   */
  async #takeHuge(line: Line, raw: Uint8Array[]): Promise<void> {
    const id = this.idAt(line.end);
    this.#lastTag = id.slice(id.indexOf(".") + 1);
    const event = await this.#parser!.parseParts(raw, line.bytes, line.end);
    if (this.#ended) return;
    const encoded = encode(event, line.start, id);
    this.#ring.push(encoded);
    this.#send(encoded);
  }

  #send(event: EncodedEvent): void {
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
