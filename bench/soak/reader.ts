/**
 * A soak reader: follows one agent's event stream as a browser's EventSource
 * does (resuming with `Last-Event-ID` after every disconnect) and, if told
 * to, walks away now and then for a while. It records every line it gets, so
 * the soak can count lost and repeated ones.
 */
import { parseSoakText } from "./writer.ts";

export interface ReaderOptions {
  /** Chance per second of walking away; 0 stays connected. */
  leaveChance: number;
  /** Longest time away, in ms. */
  awayMs: number;
  random: () => number;
}

export class SoakReader {
  readonly name: string;
  /** Seqs received, in order, repeats included. */
  readonly seqs: number[] = [];
  /** `change` of every marker received. */
  readonly markers: string[] = [];
  reconnects = 0;
  /** Connections that did not answer 200 (each is retried). */
  refused = 0;
  /** Time spent away, for the away-during-a-fault count. */
  readonly away: { from: number; to: number }[] = [];
  #url: string;
  #lastId: string | null = null;
  #stopped = false;
  #abort: AbortController | null = null;
  /** Ends an absence early (settle, stop). */
  #wake: (() => void) | null = null;
  #o: ReaderOptions;

  constructor(name: string, url: string, options: ReaderOptions) {
    this.name = name;
    this.#url = url;
    this.#o = options;
  }

  get lastSeq(): number {
    return this.seqs.at(-1) ?? -1;
  }

  async run(): Promise<void> {
    while (!this.#stopped) {
      const abort = new AbortController();
      this.#abort = abort;
      let leaveAt = Infinity;
      if (this.#o.leaveChance > 0) {
        leaveAt = Date.now() - Math.log(1 - this.#o.random()) * 1000 / this.#o.leaveChance;
      }
      const timer = setTimeout(() => abort.abort(), Math.min(leaveAt - Date.now(), 2 ** 31 - 1));
      try {
        await this.#connect(abort.signal);
      } catch {
        // Aborted (walked away or stopped) or a dropped connection: resume below.
      } finally {
        clearTimeout(timer);
      }
      if (this.#stopped) break;
      const from = Date.now();
      // Away (or a pause before retrying) until the time is up or settle() calls it back.
      const back = Promise.withResolvers<void>();
      this.#wake = back.resolve;
      const ms = abort.signal.aborted ? this.#o.random() * this.#o.awayMs : 200;
      const pause = setTimeout(back.resolve, ms);
      await back.promise;
      clearTimeout(pause);
      this.#wake = null;
      this.away.push({ from, to: Date.now() });
      this.reconnects++;
    }
  }

  async #connect(signal: AbortSignal): Promise<void> {
    const headers: Record<string, string> = { accept: "text/event-stream" };
    if (this.#lastId !== null) headers["last-event-id"] = this.#lastId;
    const url = this.#lastId === null ? `${this.#url}?tail=5000` : this.#url;
    const res = await fetch(url, { headers, signal });
    if (!res.ok || !res.body) {
      this.refused++;
      await res.body?.cancel();
      return;
    }
    const decoder = new TextDecoder();
    let buf = "";
    const body = res.body.getReader();
    // An aborted fetch does not always end a body already being read: cancel it too.
    const cancel = () => body.cancel().catch(() => {});
    signal.addEventListener("abort", cancel);
    while (true) {
      const { value: chunk, done } = await body.read();
      if (done || signal.aborted) break;
      buf += decoder.decode(chunk, { stream: true });
      let cut;
      while ((cut = buf.indexOf("\n\n")) !== -1) {
        this.#message(buf.slice(0, cut));
        buf = buf.slice(cut + 2);
      }
    }
    signal.removeEventListener("abort", cancel);
  }

  #message(block: string): void {
    let id: string | null = null;
    let data = "";
    for (const line of block.split("\n")) {
      if (line.startsWith("id: ")) id = line.slice(4);
      else if (line.startsWith("data: ")) data += line.slice(6);
    }
    if (!data) return;
    const event = JSON.parse(data);
    if (event.kind === "file") this.markers.push(event.change);
    else {
      const text = event.blocks?.find((b: { type: string }) => b.type === "text")?.text ?? "";
      const hit = parseSoakText(text);
      if (hit) this.seqs.push(hit.seq);
    }
    // EventSource keeps the last id it saw, markers included.
    if (id !== null) this.#lastId = id;
  }

  /**
   * Reconnects for good, at once (no more walking away, a reader away comes
   * back now), to collect the final lines.
   */
  settle(): void {
    this.#o = { ...this.#o, leaveChance: 0, awayMs: 0 };
    this.#abort?.abort();
    this.#wake?.();
  }

  stop(): void {
    this.#stopped = true;
    this.#abort?.abort();
    this.#wake?.();
  }
}
