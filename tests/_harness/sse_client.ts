/** A minimal SSE client for tests: reads a stream as a browser would and keeps every message. */
export interface SseMessage {
  id?: string;
  event: string;
  data: string;
}

export class SseClient {
  readonly messages: SseMessage[] = [];
  readonly status: number;
  #abort: AbortController;
  #done: Promise<void>;
  #reader: ReadableStreamDefaultReader<Uint8Array> | null;
  ended = false;

  private constructor(
    status: number,
    abort: AbortController,
    body: ReadableStream<Uint8Array> | null,
  ) {
    this.status = status;
    this.#abort = abort;
    this.#reader = body?.getReader() ?? null;
    this.#done = this.#read();
  }

  static async open(url: string, headers: HeadersInit = {}): Promise<SseClient> {
    const abort = new AbortController();
    const res = await fetch(url, {
      headers: { accept: "text/event-stream", ...headers },
      signal: abort.signal,
    });
    if (!res.ok) {
      await res.body?.cancel();
      return new SseClient(res.status, abort, null);
    }
    return new SseClient(res.status, abort, res.body);
  }

  async #read(): Promise<void> {
    const reader = this.#reader;
    if (!reader) return;
    const decoder = new TextDecoder();
    let buf = "";
    try {
      for (;;) {
        const { value: chunk, done } = await reader.read();
        if (done) break;
        buf += decoder.decode(chunk, { stream: true });
        let cut;
        while ((cut = buf.indexOf("\n\n")) !== -1) {
          const block = buf.slice(0, cut);
          buf = buf.slice(cut + 2);
          const message: SseMessage = { event: "message", data: "" };
          const data: string[] = [];
          for (const line of block.split("\n")) {
            if (line.startsWith(":")) continue;
            const colon = line.indexOf(":");
            const field = colon === -1 ? line : line.slice(0, colon);
            const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
            if (field === "id") message.id = value;
            else if (field === "event") message.event = value;
            else if (field === "data") data.push(value);
          }
          if (data.length === 0) continue;
          message.data = data.join("\n");
          this.messages.push(message);
        }
      }
    } catch {
      // Aborted by close(): the messages read so far stay.
    } finally {
      this.ended = true;
    }
  }

  /** Parsed `data` of default-type messages (agent events). */
  get events(): Record<string, unknown>[] {
    return this.messages.filter((m) => m.event === "message").map((m) => JSON.parse(m.data));
  }

  /** Waits until `predicate` holds, or fails after `ms`. */
  async until(
    predicate: (client: SseClient) => boolean,
    ms = 30_000,
    what = "condition",
  ): Promise<void> {
    const deadline = Date.now() + ms;
    while (!predicate(this)) {
      if (Date.now() > deadline) {
        throw new Error(
          `timed out waiting for ${what}; got ${this.messages.length} messages: ${
            this.messages.slice(-3).map((m) => m.data.slice(0, 120)).join(" | ")
          }`,
        );
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async close(): Promise<void> {
    // Cancelling the reader is what makes Deno's fetch let go of the body.
    await this.#reader?.cancel().catch(() => {});
    this.#abort.abort();
    await this.#done;
  }
}
