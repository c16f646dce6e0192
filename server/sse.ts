/**
 * A Server-Sent Events response written from pre-encoded bytes, so one event
 * serialised once can go to thousands of streams. Disconnects are seen through
 * the body stream's `cancel()`, which Deno calls when the client goes away.
 */

const encoder = new TextEncoder();
const HEARTBEAT_MS = 15_000;
const HEARTBEAT = encoder.encode(": heartbeat\n\n");
/**
 * A client this far behind is closed rather than buffered without bound; its
 * browser reconnects with Last-Event-ID and loses nothing.
 */
const MAX_QUEUED_BYTES = 64 * 1024 * 1024;

/** Options for `new SseStream()`. */
export interface SseStreamOptions {
  /** Response headers, over the SSE defaults. @default {} */
  headers?: Record<string, string>;
  /**
   * Interval of this stream's own `: heartbeat` comments. @default 15000, on
   * one timer shared by every stream
   */
  heartbeatMs?: number;
}

export class SseStream {
  readonly response: Response;
  #controller!: ReadableStreamDefaultController<Uint8Array>;
  #closed = false;
  #onClose: (() => void)[] = [];
  /** Set when the stream beats on its own interval instead of the shared one. */
  #ownHeartbeat: ReturnType<typeof setInterval> | undefined;

  constructor({ headers = {}, heartbeatMs }: SseStreamOptions = {}) {
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.#controller = controller;
      },
      cancel: () => this.#finish(),
    }, new ByteLengthQueuingStrategy({ highWaterMark: 1024 * 1024 }));
    this.response = new Response(body, {
      headers: {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        "x-accel-buffering": "no",
        ...headers,
      },
    });
    heartbeats.add(this);
    if (heartbeatMs === undefined) ensureHeartbeat();
    else this.#ownHeartbeat = setInterval(() => this.heartbeat(), heartbeatMs);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Queues bytes; false when the stream is closed (or was just closed for lagging). */
  write(bytes: Uint8Array): boolean {
    if (this.#closed) return false;
    try {
      this.#controller.enqueue(bytes);
    } catch {
      this.#finish();
      return false;
    }
    if ((this.#controller.desiredSize ?? 0) < -MAX_QUEUED_BYTES) {
      this.close();
      return false;
    }
    return true;
  }

  /** Writes a named event: `event: <name>` and `data: <json>`. */
  send(name: string, data: string): boolean {
    return this.write(encoder.encode(`event: ${name}\ndata: ${data}\n\n`));
  }

  /** Runs `fn` once when the stream ends, whoever ends it. */
  onClose(fn: () => void): void {
    if (this.#closed) fn();
    else this.#onClose.push(fn);
  }

  /** A promise that settles when the stream ends. */
  get done(): Promise<void> {
    return new Promise((resolve) => this.onClose(resolve));
  }

  close(): void {
    if (this.#closed) return;
    try {
      this.#controller.close();
    } catch {
      // Already errored or cancelled by the client.
    }
    this.#finish();
  }

  #finish(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#ownHeartbeat);
    heartbeats.delete(this);
    if (heartbeats.size === 0) stopHeartbeat();
    for (const fn of this.#onClose.splice(0)) fn();
  }

  heartbeat(): void {
    this.write(HEARTBEAT);
  }

  /** Whether this stream beats on its own interval. */
  get ownHeartbeat(): boolean {
    return this.#ownHeartbeat !== undefined;
  }
}

/**
 * Every open stream, and one timer for their heartbeat comments (but those
 * with their own interval), stopped when none are open.
 */
const heartbeats = new Set<SseStream>();
let heartbeatTimer: ReturnType<typeof setInterval> | undefined;

function ensureHeartbeat(): void {
  if (heartbeatTimer !== undefined) return;
  heartbeatTimer = setInterval(() => {
    for (const stream of heartbeats) if (!stream.ownHeartbeat) stream.heartbeat();
  }, HEARTBEAT_MS);
}

function stopHeartbeat(): void {
  clearInterval(heartbeatTimer);
  heartbeatTimer = undefined;
}

/** Ends every open stream: graceful shutdown waits for responses to finish. */
export function closeAllStreams(): void {
  for (const stream of [...heartbeats]) stream.close();
}

/** Number of SSE streams open in this process (for health and leak tests). */
export function openStreamCount(): number {
  return heartbeats.size;
}
