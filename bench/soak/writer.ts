/**
 * A soak writer: appends numbered transcript lines to one file, some in two
 * halves, and now and then does something unkind to the file. Every line
 * carries `<writer> s<seq>` with `seq` counting up across every generation
 * of the file, so readers can tell a lost line from a repeated one.
 */

export type FaultKind = "rotate" | "truncate" | "rewrite" | "recreate";
export const FAULT_KINDS: readonly FaultKind[] = ["rotate", "truncate", "rewrite", "recreate"];

const encoder = new TextEncoder();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A Claude-Code-shaped assistant line, `pad` characters longer than its bare form. */
export function soakLine(writer: string, seq: number, pad: number): string {
  return JSON.stringify({
    type: "assistant",
    message: {
      role: "assistant",
      content: [{ type: "text", text: `${writer} s${seq} ${"x".repeat(pad)}` }],
    },
  }) + "\n";
}

/** The writer and seq a delivered event's text names, or null for other text. */
export function parseSoakText(text: string): { writer: string; seq: number } | null {
  const m = /^(w\d+) s(\d+) /.exec(text);
  return m ? { writer: m[1]!, seq: Number(m[2]) } : null;
}

export interface WriterOptions {
  /** Milliseconds between appends (jittered). */
  everyMs: number;
  /** Milliseconds between faults (jittered). */
  faultEveryMs: number;
  /**
   * Quiet time before a fault that destroys bytes in place (truncate,
   * rewrite): lines nobody could have read before they were overwritten are
   * not counted as lost. Rotation and deletion keep the old bytes readable
   * through open handles, so they get no such pause.
   */
  settleMs: number;
  random: () => number;
}

export class SoakWriter {
  readonly name: string;
  readonly path: string;
  /** Seq of every line written, in order. */
  readonly written: number[] = [];
  /** Each fault: its kind, when, and the seq of the first line written after it. */
  readonly faults: { kind: FaultKind; at: number; seq: number }[] = [];
  #seq = 0;
  #stopped = false;
  #o: WriterOptions;

  constructor(name: string, path: string, options: WriterOptions) {
    this.name = name;
    this.path = path;
    this.#o = options;
  }

  /** Writes the file's first lines: the daemon lists the agent once it exists. */
  async start(lines: number): Promise<void> {
    await Deno.writeTextFile(this.path, this.#lines(lines));
  }

  #lines(n: number): string {
    let text = "";
    for (let i = 0; i < n; i++) text += this.#next();
    return text;
  }

  #next(): string {
    const seq = this.#seq++;
    this.written.push(seq);
    return soakLine(this.name, seq, Math.floor(this.#o.random() * 120));
  }

  async #append(text: string): Promise<void> {
    await Deno.writeTextFile(this.path, text, { append: true });
  }

  /** Appends and faults until `stop()`. */
  async run(): Promise<void> {
    let nextFault = Date.now() + this.#jitter(this.#o.faultEveryMs);
    let k = Math.floor(this.#o.random() * FAULT_KINDS.length);
    while (!this.#stopped) {
      if (Date.now() >= nextFault) {
        await this.fault(FAULT_KINDS[k++ % FAULT_KINDS.length]!);
        nextFault = Date.now() + this.#jitter(this.#o.faultEveryMs);
        continue;
      }
      const r = this.#o.random();
      if (r < 0.15) {
        // A half-written line: the rest comes a moment later.
        const line = this.#next();
        const cut = 1 + Math.floor(this.#o.random() * (line.length - 2));
        await this.#append(line.slice(0, cut));
        await sleep(5 + this.#o.random() * 40);
        await this.#append(line.slice(cut));
      } else if (r < 0.25) {
        await this.#append(this.#lines(2 + Math.floor(this.#o.random() * 30)));
      } else {
        await this.#append(this.#next());
      }
      await sleep(this.#jitter(this.#o.everyMs));
    }
  }

  async fault(kind: FaultKind): Promise<void> {
    this.faults.push({ kind, at: Date.now(), seq: this.#seq });
    if (kind === "rotate") {
      await Deno.rename(this.path, `${this.path}.1`);
      await sleep(this.#o.random() * 100);
      await Deno.writeTextFile(this.path, this.#lines(1 + Math.floor(this.#o.random() * 5)));
      await Deno.remove(`${this.path}.1`);
    } else if (kind === "recreate") {
      await Deno.remove(this.path);
      await sleep(100 + this.#o.random() * 300);
      await Deno.writeTextFile(this.path, this.#lines(1 + Math.floor(this.#o.random() * 5)));
    } else if (kind === "truncate") {
      await sleep(this.#o.settleMs);
      await Deno.truncate(this.path, 0);
      await this.#append(this.#lines(1 + Math.floor(this.#o.random() * 5)));
    } else {
      await sleep(this.#o.settleMs);
      await this.#rewriteSameLength();
    }
  }

  /** New lines over the old ones, byte for byte the same length: the size never moves. */
  async #rewriteSameLength(): Promise<void> {
    const old = (await Deno.readTextFile(this.path)).split("\n").slice(0, -1);
    let text = "";
    for (const line of old) {
      const seq = this.#seq;
      const bare = soakLine(this.name, seq, 0).length - 1;
      if (line.length < bare) {
        // Too short to hold a numbered line: keep its length with a blank one.
        text += " ".repeat(line.length) + "\n";
        continue;
      }
      this.#seq++;
      this.written.push(seq);
      text += soakLine(this.name, seq, line.length - bare);
    }
    using file = await Deno.open(this.path, { write: true });
    const bytes = encoder.encode(text);
    let at = 0;
    while (at < bytes.length) at += await file.write(bytes.subarray(at));
  }

  /** Makes `run()` return after its current step. */
  stop(): void {
    this.#stopped = true;
  }

  /** Once `run()` returned: a last line that readers wait for; returns its seq. */
  async finish(): Promise<number> {
    await this.#append(this.#next());
    return this.written.at(-1)!;
  }

  #jitter(ms: number): number {
    return ms * (0.5 + this.#o.random());
  }
}
