import { LineSplitter } from "../files/lines.ts";
import { CoalescedPass } from "../files/coalesce.ts";
import type { UsageCounter } from "../cost/usage.ts";
import { type EventView, type InlineAgent, InlineSidechains, subagentView } from "./sidechains.ts";

/** Bytes read per call. */
const CHUNK = 1024 * 1024;

let counters: Promise<() => UsageCounter> | null = null;

/**
 * Usage counters, priced. The price catalogue behind them costs about 7 MiB
 * of the daemon's heap, so it is loaded when the first session is read for
 * subagents, not at start (the history worker prices everything else).
 */
function usageCounters(): Promise<() => UsageCounter> {
  counters ??= import("../cost/usage.ts").then(({ UsageCounter }) => () => new UsageCounter());
  return counters;
}

/** Until `#pass` has loaded the counters: nothing is stepped before then. */
const NOT_LOADED = (): UsageCounter => {
  throw new Error("usage counters used before they were loaded");
};

/**
 * Reads a Claude Code 1.0.x session file whole, once, then only what was
 * appended, for its inline subagents (agents/sidechains.ts). Unlike the
 * facts, which read the two ends of a file, a subagent's lines may be
 * anywhere in it, and its chain can only be followed from its first line. A
 * file that shrank or was replaced is read again from the top.
 */
export class SidechainReader {
  readonly path: string;
  #newCounter: () => UsageCounter = NOT_LOADED;
  #sidechains = new InlineSidechains(() => this.#newCounter());
  #splitter = new LineSplitter(0);
  #ino: number | null = null;
  #passes = new CoalescedPass(() => this.#pass());

  constructor(path: string) {
    this.path = path;
  }

  /** What the lines read so far say. */
  get sidechains(): InlineSidechains {
    return this.#sidechains;
  }

  /** Reads to the end of the file; concurrent calls share one pass and one more after it. */
  update(): Promise<void> {
    return this.#passes.run();
  }

  /** Reads everything new, then lists the subagents. */
  async agents(): Promise<InlineAgent[]> {
    await this.update();
    return this.#sidechains.agents();
  }

  /** The feed of the subagent whose first line is `root`. */
  viewOf(root: string): EventView {
    return subagentView(() => this.#sidechains.chains, root, () => this.update());
  }

  async #pass(): Promise<void> {
    this.#newCounter = await usageCounters();
    using file = await Deno.open(this.path, { read: true });
    const stat = await file.stat();
    if (stat.ino !== this.#ino || stat.size < this.#splitter.readOffset) {
      this.#ino = stat.ino;
      this.#sidechains = new InlineSidechains(() => this.#newCounter());
      this.#splitter.reset(0);
    }
    const buf = new Uint8Array(CHUNK);
    let pos = this.#splitter.readOffset;
    await file.seek(pos, Deno.SeekMode.Start);
    while (pos < stat.size) {
      const n = await file.read(buf);
      if (n === null || n === 0) break;
      pos += n;
      for (const line of this.#splitter.push(buf.subarray(0, n))) {
        if (line.text.trim()) this.#sidechains.step(line.text, line.bytes);
      }
      // A long file is read a chunk at a time, letting the live streams run between chunks.
      if (n === buf.length) await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }
}
