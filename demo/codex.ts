/**
 * A Codex CLI session (`rollout-*.jsonl`): turns bracketed by `task_started`
 * and `task_complete`, a shell call, and every other turn a command that
 * waits for the user's approval (`exec_approval_request`).
 */
import { append, HOME, type Pause } from "./shared.ts";

const CWD = `${HOME}/search-api`;

/** One rollout line in Codex's `{timestamp, type, payload}` shape. */
function codex(type: string, payload: Record<string, unknown>): string {
  return JSON.stringify({ timestamp: new Date().toISOString(), type, payload }) + "\n";
}

/** Writes the session's opening lines; returns the rollout's path. */
export async function writeCodexStart(dir: string): Promise<string> {
  const now = new Date();
  const day = now.toISOString().slice(0, 10).split("-");
  const folder = `${dir}/codex/sessions/${day.join("/")}`;
  await Deno.mkdir(folder, { recursive: true });
  const id = crypto.randomUUID();
  const path = `${folder}/rollout-${
    now.toISOString().slice(0, 19).replaceAll(":", "-")
  }-${id}.jsonl`;
  await append(
    path,
    codex("session_meta", {
      id,
      timestamp: now.toISOString(),
      cwd: CWD,
      originator: "codex_cli_rs",
      cli_version: "0.66.0",
      instructions: null,
    }),
    codex("turn_context", {
      cwd: CWD,
      approval_policy: "on-request",
      sandbox_policy: { mode: "workspace-write" },
      model: "gpt-5-codex",
      summary: "auto",
    }),
  );
  return path;
}

const PROMPTS = [
  "Why is /search slow for queries with more than three words?",
  "Add an index for that and rerun the benchmark.",
];

/** Turns forever; every second one stops on an approval until the user allows it. */
export async function codexLoop(path: string, pause: Pause): Promise<void> {
  for (let turn = 0;; turn++) {
    const prompt = PROMPTS[turn % PROMPTS.length]!;
    await append(
      path,
      codex("event_msg", { type: "user_message", message: prompt, images: [] }),
      codex("event_msg", { type: "task_started", model_context_window: 272_000 }),
    );
    await pause(2000);
    await append(
      path,
      codex("event_msg", {
        type: "agent_reasoning",
        text: "**Checking the query plan** for the multi-word path.",
      }),
    );
    await pause(2000);
    const callId = `call_${crypto.randomUUID().slice(0, 12)}`;
    const command = turn % 2 === 0
      ? ["bash", "-lc", "rg -n 'to_tsquery' src"]
      : ["bash", "-lc", 'psql "$DATABASE_URL" -f migrations/0042_search_idx.sql'];
    if (turn % 2 === 1) {
      await append(
        path,
        codex("event_msg", {
          type: "exec_approval_request",
          call_id: callId,
          command,
          cwd: CWD,
          reason: "The migration writes to the database.",
        }),
      );
      await pause(60_000);
    }
    await append(
      path,
      codex("response_item", {
        type: "function_call",
        name: "shell",
        arguments: JSON.stringify({ command }),
        call_id: callId,
      }),
      codex("event_msg", { type: "exec_command_begin", call_id: callId, command, cwd: CWD }),
    );
    await pause(1500);
    const output = turn % 2 === 0
      ? "src/search.ts:41:  const q = to_tsquery(words.join(' & '));"
      : "CREATE INDEX";
    await append(
      path,
      codex("event_msg", {
        type: "exec_command_end",
        call_id: callId,
        stdout: output,
        stderr: "",
        exit_code: 0,
        duration: { secs: 1, nanos: 0 },
        formatted_output: output,
      }),
      codex("response_item", {
        type: "function_call_output",
        call_id: callId,
        output: JSON.stringify({ output, metadata: { exit_code: 0, duration_seconds: 1.2 } }),
      }),
    );
    await pause(2000);
    const answer = turn % 2 === 0
      ? "Queries with many words build a long `&` chain and miss the GIN index. An index on the tsvector column fixes it."
      : "Index created; the benchmark's p95 went from 480 ms to 35 ms.";
    await append(
      path,
      codex("event_msg", { type: "agent_message", message: answer }),
      codex("response_item", {
        type: "message",
        role: "assistant",
        content: [{ type: "output_text", text: answer }],
      }),
      codex("event_msg", { type: "task_complete", last_agent_message: answer }),
    );
    await pause(45_000);
  }
}
