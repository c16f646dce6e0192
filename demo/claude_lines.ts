/**
 * Claude Code transcript lines for the demo, in the 2.1.x shapes of
 * /work/shared/corpus (parent chain, sidechain fields, `toolUseResult`s).
 * Pure apart from ids and the clock, which is a field so history can be
 * written back-dated.
 */

/** One content block of a message, as Claude Code writes it. */
export type Block = Record<string, unknown>;

/** Options for `new ClaudeLines()`. */
export interface ClaudeLinesOptions {
  sessionId: string;
  cwd: string;
  /** @default "main" */
  gitBranch?: string;
  /** Set for a subagent's transcript: its lines are a sidechain with this id. */
  agentId?: string;
  /** @default "claude-sonnet-4-5-20250929" */
  model?: string;
}

const VERSION = "2.1.14";

/** Builds one session's lines, each chained to the one before (`parentUuid`). */
export class ClaudeLines {
  /** The time stamped on the next line. */
  clock: () => Date = () => new Date();
  #parent: string | null = null;
  readonly #opts: ClaudeLinesOptions;

  constructor(opts: ClaudeLinesOptions) {
    this.#opts = opts;
  }

  get sessionId(): string {
    return this.#opts.sessionId;
  }

  /** A prompt typed by the user (or, for a subagent, the task it was given). */
  user(text: string): string {
    return this.#line("user", { message: { role: "user", content: text } });
  }

  /** One assistant message; `stopReason` is `tool_use` when it ends in tool calls. */
  assistant(
    content: Block[],
    opts: { stopReason?: string | null; apiError?: boolean } = {},
  ): string {
    const synthetic = opts.apiError === true;
    const stopReason = opts.stopReason !== undefined
      ? opts.stopReason
      : content.some((b) => b.type === "tool_use")
      ? "tool_use"
      : "end_turn";
    const fields: Record<string, unknown> = {
      message: {
        model: synthetic ? "<synthetic>" : this.#opts.model ?? "claude-sonnet-4-5-20250929",
        id: synthetic ? crypto.randomUUID() : `msg_01${token(22)}`,
        type: "message",
        role: "assistant",
        content,
        stop_reason: stopReason,
        stop_sequence: null,
        usage: synthetic ? { input_tokens: 0, output_tokens: 0 } : {
          input_tokens: 4 + randomInt(40),
          cache_creation_input_tokens: randomInt(3000),
          cache_read_input_tokens: 12_000 + randomInt(30_000),
          output_tokens: 20 + randomInt(600),
          service_tier: "standard",
        },
      },
    };
    if (!synthetic) fields.requestId = `req_011C${token(20)}`;
    if (synthetic) {
      fields.error = "unknown";
      fields.isApiErrorMessage = true;
    }
    return this.#line("assistant", fields);
  }

  /** The result of the tool call `toolUseId`, with its structured `toolUseResult`. */
  toolResult(
    toolUseId: string,
    content: string,
    toolUseResult: unknown,
    opts: { isError?: boolean } = {},
  ): string {
    const block: Block = { tool_use_id: toolUseId, type: "tool_result", content };
    if (opts.isError) block.is_error = true;
    return this.#line("user", {
      message: { role: "user", content: [block] },
      toolUseResult,
    });
  }

  /** A `system` line: `turn_duration`, `api_error`, … with its own fields. */
  system(subtype: string, fields: Record<string, unknown> = {}): string {
    return this.#line("system", { subtype, ...fields, isMeta: false });
  }

  /** The title Claude Code generates for a session. */
  aiTitle(title: string): string {
    return json({ type: "ai-title", aiTitle: title, sessionId: this.#opts.sessionId });
  }

  #line(type: string, fields: Record<string, unknown>): string {
    const uuid = crypto.randomUUID();
    const line: Record<string, unknown> = {
      parentUuid: this.#parent,
      isSidechain: this.#opts.agentId !== undefined,
      userType: "external",
      cwd: this.#opts.cwd,
      sessionId: this.#opts.sessionId,
      version: VERSION,
      gitBranch: this.#opts.gitBranch ?? "main",
    };
    if (this.#opts.agentId) line.agentId = this.#opts.agentId;
    Object.assign(line, { type, ...fields, uuid, timestamp: this.clock().toISOString() });
    this.#parent = uuid;
    return json(line);
  }
}

/** A text block. */
export function text(value: string): Block {
  return { type: "text", text: value };
}

/** A thinking block (the signature is opaque to every reader). */
export function thinking(value: string): Block {
  return { type: "thinking", thinking: value, signature: token(120) };
}

/** A tool call; its `id` pairs it with the result. */
export function toolUse(name: string, input: Record<string, unknown>): Block & { id: string } {
  return { type: "tool_use", id: `toolu_01${token(22)}`, name, input };
}

/** A subagent id as Claude Code 2.1 names `agent-<id>.jsonl`: 17 hex digits. */
export function agentId(): string {
  return `a${[...crypto.getRandomValues(new Uint8Array(8))].map(hex).join("")}`;
}

function hex(b: number): string {
  return b.toString(16).padStart(2, "0");
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

function token(length: number): string {
  return [...crypto.getRandomValues(new Uint8Array(length))]
    .map((b) => ALPHABET[b % ALPHABET.length]).join("");
}

function randomInt(below: number): number {
  return Math.floor(Math.random() * below);
}

function json(value: unknown): string {
  return JSON.stringify(value) + "\n";
}
