/**
 * Workflow runs (Claude Code 2.1.x): a script that starts many agents. On
 * disk a run is `<session>/subagents/workflows/wf_<run>/` (its agents'
 * transcripts and `journal.jsonl`, a line as each agent starts and ends) and
 * `<session>/workflows/wf_<run>.json`, the run's record, written when it
 * ends (status, name, task id, each agent's label). tailboard lists the run
 * as an agent of its own, its journal as its feed, nested under its session,
 * with its agents under it. Pure: paths and the record in, names out.
 */
import type { AgentMeta } from "./read_facts.ts";

const JOURNAL = /^(.*)\/([^/]+)\/subagents\/workflows\/([^/]+)\/journal\.jsonl$/;

/** The session a run's journal belongs to, and the run's id; null for any other path. */
export function runOfJournal(path: string): { sessionPath: string; runId: string } | null {
  const m = JOURNAL.exec(path);
  return m ? { sessionPath: `${m[1]}/${m[2]}.jsonl`, runId: m[3] ?? "" } : null;
}

/** A run's title: its workflow's name once its record says, else its id. */
export function runTitle(meta: AgentMeta | null, journalPath: string): string {
  return meta?.name ?? runOfJournal(journalPath)?.runId ?? "workflow run";
}

/**
 * How a run ended, from its record, as a task result for the status model:
 * `completed` is done; any other end (`killed`, `failed`…) failed it. A run
 * still going has no record, so no result.
 */
export function runResult(meta: AgentMeta | null): { status: string } | undefined {
  const status = meta?.status;
  if (!status || status === "running" || status === "pending") return undefined;
  if (status === "completed") return { status: "completed" };
  return { status: status === "killed" ? "killed" : "failed" };
}
