/**
 * Which background tasks a session started, and with what command: a Bash
 * call with `run_in_background` answered by a result naming the task
 * (`toolUseResult.backgroundTaskId`, or older versions' "…with ID: b123" in
 * the result text). The task's `<id>.output` then nests under the session,
 * titled by the command rather than by its file name. Pure: events in.
 */
import type { ParsedEvent } from "../core/event.ts";

/** Task id → the command that started it. */
export type BackgroundTasks = Record<string, string>;

const ID_IN_TEXT = /\bwith ID: ([A-Za-z0-9_-]+)/;
/** A `Workflow` call returns at once, naming the background task its run is. */
const RUN_TASK_IN_TEXT = /\bTask ID: ([A-Za-z0-9_-]+)/;

/** Workflow runs this session launched: task id → the `Workflow` call's id. */
export type WorkflowCalls = Record<string, string>;

export class BackgroundWalk {
  #calls = new Map<string, string>();
  #tasks: BackgroundTasks;
  #workflowCalls = new Set<string>();
  #runs: WorkflowCalls;

  constructor(previous?: BackgroundTasks, previousRuns?: WorkflowCalls) {
    this.#tasks = { ...previous };
    this.#runs = { ...previousRuns };
  }

  step(event: ParsedEvent): void {
    if (event.kind === "assistant") {
      for (const block of event.blocks) {
        if (block.type === "tool_use" && block.name === "Workflow") {
          this.#workflowCalls.add(block.id);
        }
        if (block.type !== "tool_use" || !block.input || typeof block.input !== "object") continue;
        const input = block.input as Record<string, unknown>;
        if (input.run_in_background === true && typeof input.command === "string") {
          this.#calls.set(block.id, input.command);
        }
      }
    } else if (event.kind === "tool_result" && this.#calls.size + this.#workflowCalls.size > 0) {
      for (const block of event.blocks) {
        if (block.type !== "tool_result") continue;
        if (this.#workflowCalls.delete(block.toolUseId)) {
          const task = RUN_TASK_IN_TEXT.exec(block.text)?.[1];
          if (task) this.#runs[task] = block.toolUseId;
          continue;
        }
        const command = this.#calls.get(block.toolUseId);
        if (command === undefined) continue;
        const id = (event.result?.type === "bash" ? event.result.backgroundTaskId : undefined) ??
          ID_IN_TEXT.exec(block.text)?.[1];
        if (id) this.#tasks[id] = command;
        this.#calls.delete(block.toolUseId);
      }
    }
  }

  done(): BackgroundTasks | undefined {
    return Object.keys(this.#tasks).length > 0 ? this.#tasks : undefined;
  }

  runs(): WorkflowCalls | undefined {
    return Object.keys(this.#runs).length > 0 ? this.#runs : undefined;
  }
}
