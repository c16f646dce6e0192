/**
 * Where an agent's turn stands, read from its own lines: a tool runs, the model
 * has the word, the turn ended, or it ended badly. Pure: typed events in, a
 * small fact out; `status.ts` fuses it with the live sources.
 */
import type { Block, TailEvent } from "../core/event.ts";

/** The newest turn-shaped thing an agent's lines say. */
export type TurnPhase =
  /** A tool call has no result yet (`tools` names them). */
  | "tool"
  /** The model has the turn: a prompt or a tool result went in. */
  | "model"
  /** The assistant ended its turn; the user has the word. */
  | "ended"
  /** Codex only: the turn was interrupted (`turn_aborted`). */
  | "aborted"
  /** Codex asked to run a command or apply a patch and waits for approval. */
  | "approval"
  /** An API error ended the turn (`isApiErrorMessage`, Codex `error`). */
  | "api-error"
  /** A `claude -p` run's final `result` line. */
  | "result"
  /** …whose `is_error` is true. */
  | "error-result";

export interface TurnFacts {
  phase: TurnPhase | null;
  /** Names of the tool calls still waiting for a result, oldest first. */
  tools: string[];
  /** Epoch ms of the line that set `phase`, when it had a timestamp. */
  since?: number;
  /** The error line that failed the turn, for the UI. */
  error?: string;
  /**
   * Background tasks and agents whose end a `<task-notification>` announced,
   * by task id (a `.output` file's name, a subagent's agent id).
   */
  tasks: Record<string, { status: string; since?: number }>;
}

export function emptyTurn(): TurnFacts {
  return { phase: null, tools: [], tasks: {} };
}

/**
 * A fresh walk over a window of lines: the phase carries over (a tail may not
 * repeat it), but open tool calls are only trusted from lines this walk saw.
 */
export class TurnWalk {
  #facts: TurnFacts;
  #pending = new Map<string, string>();
  constructor(previous: TurnFacts | undefined) {
    const p = previous ?? emptyTurn();
    this.#facts = { ...p, tools: [], tasks: { ...p.tasks } };
  }

  step(event: TailEvent, raw: string): void {
    const f = this.#facts;
    const ts = event.ts ? Date.parse(event.ts) : NaN;
    const at = Number.isFinite(ts) ? ts : undefined;
    const set = (phase: TurnPhase, error?: string) => {
      f.phase = phase;
      f.since = at;
      f.error = error;
    };
    switch (event.kind) {
      case "user":
        this.#notifications(event.text, at);
        // Injected lines (`isMeta`, local slash commands, notifications) hand
        // the model nothing new to do.
        if (!event.isMeta && !_isInjected(event.text)) set("model");
        return;
      case "attachment":
        this.#notifications(event.text, at);
        return;
      case "assistant": {
        for (const block of event.blocks) {
          if (block.type === "tool_use") this.#pending.set(block.id, block.name);
        }
        if (event.isApiError) {
          set("api-error", _firstText(event.blocks));
        } else if (this.#pending.size > 0 || event.stopReason === "tool_use") {
          set(this.#pending.size > 0 ? "tool" : "model");
        } else if (event.stopReason || event.blocks.some((b) => b.type === "text")) {
          set("ended");
        }
        return;
      }
      case "tool_result":
        for (const block of event.blocks) {
          if (block.type === "tool_result") this.#pending.delete(block.toolUseId);
        }
        set(this.#pending.size > 0 ? "tool" : "model");
        return;
      case "system":
        if (event.subtype === "turn_duration" || event.subtype === "stop_hook_summary") {
          if (this.#pending.size === 0 && f.phase !== "api-error") set("ended");
        }
        return;
      case "meta":
        // `claude -p --output-format stream-json`: one `result` line ends the run.
        if (event.subtype === "result" && raw.includes('"is_error"')) {
          const isError = _isErrorResult(raw);
          set(isError ? "error-result" : "result", isError ? event.text : undefined);
        }
        return;
      case "codex":
        this.#codex(event, set);
        return;
    }
  }

  #codex(
    event: Extract<TailEvent, { kind: "codex" }>,
    set: (phase: TurnPhase, error?: string) => void,
  ): void {
    if (event.entry !== "event_msg") return;
    switch (event.subtype) {
      case "task_started":
      case "user_message":
      case "exec_command_begin":
      case "patch_apply_begin":
        set("model");
        return;
      case "task_complete":
        set("ended");
        return;
      case "turn_aborted":
        set("aborted");
        return;
      case "exec_approval_request":
      case "apply_patch_approval_request":
        set("approval");
        return;
      case "error":
        set("api-error", event.text);
        return;
    }
  }

  /** `<task-notification>` blocks: a background task or agent ended. */
  #notifications(text: string, at: number | undefined): void {
    if (!text.includes("<task-notification>")) return;
    for (const block of text.split("<task-notification>").slice(1)) {
      const id = _tag(block, "task-id") ?? _tag(block, "agent-id");
      const status = _tag(block, "status");
      if (id && status) this.#facts.tasks[id] = { status, since: at };
    }
  }

  done(): TurnFacts {
    this.#facts.tools = [...this.#pending.values()];
    if (this.#facts.phase === "tool" && this.#pending.size === 0) this.#facts.phase = "model";
    return this.#facts;
  }
}

function _isInjected(text: string): boolean {
  const t = text.trimStart();
  return t.startsWith("<command-name>") || t.startsWith("<local-command") ||
    t.startsWith("<command-message>") || t.startsWith("<task-notification>");
}

function _firstText(blocks: Block[]): string | undefined {
  for (const b of blocks) if (b.type === "text" && b.text) return b.text.slice(0, 300);
  return undefined;
}

function _tag(block: string, name: string): string | undefined {
  const start = block.indexOf(`<${name}>`);
  if (start === -1) return undefined;
  const from = start + name.length + 2;
  const end = block.indexOf(`</${name}>`, from);
  const value = end === -1 ? "" : block.slice(from, end).trim();
  return value || undefined;
}

function _isErrorResult(raw: string): boolean {
  try {
    const value = JSON.parse(raw);
    return value?.is_error === true;
  } catch {
    return false;
  }
}
