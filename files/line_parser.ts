import type { TailEvent } from "../core/event.ts";
import { decodeLine, type Line } from "./lines.ts";
import { concatBytes } from "./bytes.ts";
import { eventOfLine } from "../transcript/encode.ts";
import { clampEvent } from "../transcript/clamp.ts";

/**
 * Lines longer than this are parsed on the line worker: below it, parsing
 * on the daemon's thread costs less than the hop.
 */
export const HUGE_LINE_BYTES = 512 * 1024;

/** @internal The worker's messages. */
export interface LineRequest {
  seq: number;
  /** The line's bytes without its `\n`, in pieces the worker joins. */
  parts?: Uint8Array[];
  /** Or where the worker reads them itself: the file, and the line's first byte. */
  file?: { path: string; start: number };
  end: number;
  maxStringChars?: number;
  maxTotalChars?: number;
}

/** @internal */
export type LineResponse = { seq: number; event: TailEvent } | { seq: number; error: string };

/** How far a parsed line is clamped (see transcript/clamp.ts); defaults are the live stream's. */
export interface ClampLimits {
  maxStringChars?: number;
  maxTotalChars?: number;
}

/**
 * Parses and clamps lines into events, handing huge ones to a worker thread
 * started on first need, one at a time in the order asked. Owned by the tail
 * pool; `close()` stops the worker.
 */
export class LineParser {
  #worker: Worker | null = null;
  #seq = 0;
  #waiting = new Map<number, PromiseWithResolvers<TailEvent>>();
  #closed = false;

  /**
   * The clamped event of a line given as bytes (without its `\n`) ending at
   * `end`. A huge one is handed to the worker: the caller gives `bytes` up.
   */
  parseBytes(bytes: Uint8Array, end: number, limits: ClampLimits = {}): Promise<TailEvent> {
    if (bytes.length < HUGE_LINE_BYTES || this.#closed) {
      return Promise.resolve(parseHere(decodeLine(bytes, end), limits));
    }
    return this.parseParts([bytes], bytes.length, end, limits);
  }

  /**
   * A huge line in the pieces it was read in: they are transferred (moved,
   * not copied: a structured-clone copy of 66 MB holds this thread for a
   * tenth of a second) to the worker, so this thread neither joins, copies
   * nor decodes them, and the caller gives them up. Should the worker fail,
   * the event says so and points at `/line`, which reads the line again from
   * the file.
   */
  parseParts(
    parts: Uint8Array[],
    bytes: number,
    end: number,
    limits: ClampLimits = {},
  ): Promise<TailEvent> {
    if (this.#closed) {
      return Promise.resolve(parseHere(decodeLine(concatBytes(parts), end), limits));
    }
    const seq = ++this.#seq;
    const waiting = Promise.withResolvers<TailEvent>();
    this.#waiting.set(seq, waiting);
    // A view into a bigger buffer would move (and detach) the whole of it: those are copied.
    const owned = parts.map((p) =>
      p.byteOffset === 0 && p.byteLength === p.buffer.byteLength ? p : p.slice()
    );
    const request: LineRequest = { seq, parts: owned, end, ...limits };
    this.#ensureWorker().postMessage(request, owned.map((p) => p.buffer as ArrayBuffer));
    return waiting.promise.catch((error) => unparsed(bytes, end, error));
  }

  /**
   * The clamped event of the line `[start, end)` of the file at `path`, read
   * by the worker itself: a huge line read back (`/line`) never passes
   * through this thread's memory, and asked six times at once, the worker
   * reads and parses them one after the other. Rejects when the line is no
   * longer there (the file changed).
   */
  parseFile(
    path: string,
    start: number,
    end: number,
    limits: ClampLimits = {},
  ): Promise<TailEvent> {
    if (this.#closed) return Promise.reject(new Error("the line parser was closed"));
    const seq = ++this.#seq;
    const waiting = Promise.withResolvers<TailEvent>();
    this.#waiting.set(seq, waiting);
    const request: LineRequest = { seq, file: { path, start }, end, ...limits };
    this.#ensureWorker().postMessage(request);
    return waiting.promise;
  }

  #ensureWorker(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(new URL("./line_worker.ts", import.meta.url), { type: "module" });
    worker.onmessage = (e: MessageEvent<LineResponse>) => {
      const waiting = this.#waiting.get(e.data.seq);
      if (!waiting) return;
      this.#waiting.delete(e.data.seq);
      if ("event" in e.data) waiting.resolve(e.data.event);
      else waiting.reject(new Error(e.data.error));
    };
    worker.onerror = (e: ErrorEvent) => {
      // Handled here, or Deno rethrows it on this thread and the daemon exits.
      e.preventDefault();
      this.#failAll(new Error(`the line worker failed: ${e.message}`));
      this.#worker = null;
    };
    this.#worker = worker;
    return worker;
  }

  #failAll(error: Error): void {
    for (const waiting of this.#waiting.values()) waiting.reject(error);
    this.#waiting.clear();
  }

  close(): void {
    this.#closed = true;
    this.#worker?.terminate();
    this.#worker = null;
    this.#failAll(new Error("the line parser was closed"));
  }
}

/** Stands in for a line the worker could not parse: shown, flagged, and fetchable whole. */
function unparsed(bytes: number, end: number, error: unknown): TailEvent {
  const why = error instanceof Error ? error.message : String(error);
  return {
    kind: "text",
    text: `A ${bytes}-byte line could not be parsed here (${why}); open it in full to read it.`,
    malformed: true,
    truncated: true,
    bytes,
    cursor: end,
  };
}

function parseHere(line: Line, limits: ClampLimits): TailEvent {
  return clampEvent(eventOfLine(line), limits.maxStringChars, limits.maxTotalChars);
}
