/**
 * The subagents a Claude Code 1.0.x session wrote inline into its own file
 * (`isSidechain: true`; see transcript/claude_chains.ts): each becomes an
 * agent of its own, nested under the session, with its own facts, status and
 * tokens, and a view of the file that shows only its lines. Pure: lines in
 * file order in, subagents out.
 */
import type { TailEvent } from "../core/event.ts";
import type { AgentUsage } from "./agent.ts";
import { parseLine } from "../transcript/line.ts";
import { SidechainChains } from "../transcript/claude_chains.ts";
import { type AgentFacts, foldFacts } from "./facts.ts";
import type { UsageCounter } from "../cost/usage.ts";
import type { EncodedEvent } from "../transcript/encode.ts";

/** One inline subagent, as far as the lines read so far say. */
export interface InlineAgent {
  /** The `uuid` of its first line: its identity within the file. */
  root: string;
  /** The session's Task/Agent call whose prompt started it, when one matches. */
  toolUseId?: string;
  facts: AgentFacts;
  usage: AgentUsage | null;
  /** Epoch ms of its newest line with a timestamp (its "mtime"). */
  lastAt?: number;
  /** Bytes of its lines. */
  bytes: number;
}

/**
 * Which events of a shared file an agent's feed shows. `ready` runs before a
 * feed's backlog is read, so every line before it is known.
 */
export interface EventView {
  ready?(): Promise<void>;
  keeps(event: EncodedEvent): boolean;
}

interface _Chain {
  root: string;
  toolUseId?: string;
  facts: AgentFacts;
  /** Lines not folded into `facts` yet. */
  unfolded: string[];
  usage: UsageCounter;
  lastAt?: number;
  bytes: number;
  billed: boolean;
  /** What `agents()` said of it last, while nothing new came. */
  said?: InlineAgent;
}

/**
 * Lines of a subagent held before they are folded into its facts: a whole
 * file read at once never sits in memory, and a window this long keeps a
 * tool call and its result together.
 */
const FOLD_EVERY = 256;

/** A Task/Agent call of the session, waiting for the subagent its prompt starts. */
interface _Call {
  id: string;
  prompt: string;
  taken: boolean;
}

/** Folds a session file's lines into its inline subagents. */
export class InlineSidechains {
  readonly chains = new SidechainChains();
  readonly #newCounter: () => UsageCounter;
  readonly #byRoot = new Map<string, _Chain>();
  readonly #calls: _Call[] = [];
  /** The session's results of Task calls, by call id: a subagent's last word. */
  readonly #results = new Map<string, { isError: boolean; at?: number }>();

  /**
   * `newCounter` makes each subagent's usage counter: passed in, because the
   * price catalogue behind it is megabytes of heap that a daemon with no 1.0.x
   * session never needs to load (agents/sidechain_reader.ts loads it late).
   */
  constructor(newCounter: () => UsageCounter) {
    this.#newCounter = newCounter;
  }

  /** True once any sidechain line was read. */
  get any(): boolean {
    return this.#byRoot.size > 0;
  }

  /** Feeds one complete line (without its newline), in file order. */
  step(text: string, bytes: number): void {
    // Most of a long session is its own work: only subagent lines, Task calls
    // and tool results can matter, and a look at the text says which may.
    if (!SIDECHAIN.test(text) && !_mayBeTask(text)) return;
    const event = parseLine(text, bytes).event as TailEvent;
    const root = this.chains.rootOf(event);
    if (root === null) {
      this.#session(event);
      return;
    }
    let chain = this.#byRoot.get(root);
    if (!chain) {
      chain = { root, facts: {}, unfolded: [], usage: this.#newCounter(), bytes: 0, billed: false };
      const prompt = event.kind === "user" ? event.text : undefined;
      const call = prompt ? this.#calls.find((c) => !c.taken && c.prompt === prompt) : undefined;
      if (call) {
        call.taken = true;
        chain.toolUseId = call.id;
      }
      this.#byRoot.set(root, chain);
    }
    chain.said = undefined;
    chain.unfolded.push(text);
    if (chain.unfolded.length >= FOLD_EVERY) _fold(chain);
    chain.bytes += bytes + 1;
    const at = event.ts ? Date.parse(event.ts) : NaN;
    if (Number.isFinite(at)) chain.lastAt = at;
    chain.usage.add(event);
    if (event.kind === "assistant" && event.usage) chain.billed = true;
  }

  /** The subagents so far, in the order they started. */
  agents(): InlineAgent[] {
    const out: InlineAgent[] = [];
    for (const chain of this.#byRoot.values()) {
      // Pricing every response again costs: a subagent nothing was added to says the same.
      if (chain.said) {
        out.push(chain.said);
        continue;
      }
      _fold(chain);
      const facts = { ...chain.facts };
      const result = chain.toolUseId ? this.#results.get(chain.toolUseId) : undefined;
      if (result && facts.turn) {
        // The session got the Task's result: the subagent is over, whatever its last line said.
        facts.turn = {
          ...facts.turn,
          phase: result.isError ? "error-result" : "result",
          tools: [],
          since: result.at ?? facts.turn.since,
        };
        facts.activity = "waiting";
      }
      const agent: InlineAgent = {
        root: chain.root,
        facts,
        usage: chain.billed ? _usage(chain.usage) : null,
        bytes: chain.bytes,
      };
      if (chain.toolUseId) agent.toolUseId = chain.toolUseId;
      if (chain.lastAt !== undefined) agent.lastAt = chain.lastAt;
      chain.said = agent;
      out.push(agent);
    }
    return out;
  }

  /** A line of the session itself: its Task calls and their results. */
  #session(event: TailEvent): void {
    if (event.kind === "assistant") {
      for (const block of event.blocks) {
        if (block.type !== "tool_use" || (block.name !== "Task" && block.name !== "Agent")) {
          continue;
        }
        const input = block.input as { prompt?: unknown } | null;
        if (typeof input?.prompt === "string") {
          this.#calls.push({ id: block.id, prompt: input.prompt, taken: false });
        }
      }
    } else if (event.kind === "tool_result") {
      const at = event.ts ? Date.parse(event.ts) : NaN;
      for (const block of event.blocks) {
        if (block.type !== "tool_result") continue;
        if (!this.#calls.some((c) => c.id === block.toolUseId)) continue;
        this.#results.set(block.toolUseId, {
          isError: block.isError,
          ...(Number.isFinite(at) ? { at } : {}),
        });
        for (const chain of this.#byRoot.values()) {
          if (chain.toolUseId === block.toolUseId) chain.said = undefined;
        }
      }
    }
  }
}

function _fold(chain: _Chain): void {
  if (chain.unfolded.length === 0) return;
  foldFacts(chain.unfolded, chain.facts);
  chain.unfolded = [];
}

const SIDECHAIN = /"isSidechain"\s*:\s*true/;

function _mayBeTask(text: string): boolean {
  return text.includes('"Task"') || text.includes('"Agent"') || text.includes("tool_use_id");
}

function _usage(counter: UsageCounter): AgentUsage {
  const t = counter.totals();
  return {
    usd: t.usd,
    tokens: t.tokens,
    input: t.input,
    output: t.output,
    cacheWrite5m: t.cacheWrite5m,
    cacheWrite1h: t.cacheWrite1h,
    cacheRead: t.cacheRead,
  };
}

/** The view of a session file that leaves its inline subagents' lines out. */
export const SESSION_VIEW: EventView = {
  keeps: (event) => event.sidechain !== true,
};

/**
 * The view of one inline subagent: its own lines, plus the markers the tail
 * writes about the file. `ready` brings the chains up to the file's end.
 */
export function subagentView(
  chains: () => SidechainChains,
  root: string,
  ready: () => Promise<void>,
): EventView {
  return {
    ready,
    keeps: (event) => event.kind === "file" || chains().rootOf(event) === root,
  };
}
