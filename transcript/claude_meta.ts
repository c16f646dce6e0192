/**
 * Claude Code's title and bookkeeping lines: each entry type → the words a
 * reader sees. Inert types (cost state, history deltas, artifacts, colours)
 * are named here so they read as bookkeeping, never as unknown lines.
 */

import {
  clip,
  firstString,
  humanize,
  isRecord,
  type JsonRecord,
  keysSummary,
  num,
  plural,
  record,
  str,
} from "./record.ts";

/** Fields on nearly every line; leaving them out makes an `other` summary say something. */
export const COMMON_KEYS = [
  "type",
  "uuid",
  "parentUuid",
  "isSidechain",
  "timestamp",
  "sessionId",
  "session_id",
  "cwd",
  "version",
  "gitBranch",
  "userType",
  "entrypoint",
  "slug",
];

/** Entry type → the field holding its text. */
export const TITLE_FIELDS = new Map<string, string>([
  ["summary", "summary"],
  ["custom-title", "customTitle"],
  ["ai-title", "aiTitle"],
  ["agent-name", "agentName"],
  ["last-prompt", "lastPrompt"],
  ["task-summary", "summary"],
]);

export const META_TEXT = new Map<string, (rec: JsonRecord) => string>([
  ["file-history-snapshot", (rec) => {
    const backups = record(record(rec.snapshot)?.trackedFileBackups);
    const count = backups ? Object.keys(backups).length : 0;
    return `${plural(count, "tracked file")}${rec.isSnapshotUpdate === true ? " (update)" : ""}`;
  }],
  ["queue-operation", (rec) => {
    const content = str(rec.content);
    return clip(`${str(rec.operation) ?? "queue"}${content ? `: ${content}` : ""}`);
  }],
  ["mode", (rec) => `mode: ${str(rec.mode) ?? "?"}`],
  ["permission-mode", (rec) => `permission mode: ${str(rec.permissionMode) ?? "?"}`],
  ["worktree-state", (rec) => {
    const w = record(rec.worktreeSession);
    if (w === undefined) return "left worktree";
    const branch = str(w.worktreeBranch);
    return clip(
      `worktree ${str(w.worktreeName) ?? ""}${branch ? ` (${branch})` : ""} at ${
        str(w.worktreePath) ?? "?"
      }`,
    );
  }],
  ["pr-link", (rec) => {
    const n = num(rec.prNumber);
    return clip(
      `PR${n !== undefined ? ` #${n}` : ""} ${str(rec.prUrl) ?? str(rec.prRepository) ?? ""}`
        .trim(),
    );
  }],
  [
    "frame-link",
    (rec) => clip(`${str(rec.title) ?? "frame"}: ${str(rec.frameUrl) ?? str(rec.path) ?? ""}`),
  ],
  ["bridge-session", (rec) => `bridge session ${str(rec.bridgeSessionId) ?? "?"}`],
  ["atis-latch", (rec) => clip(`atis latch: ${str(rec.atis) ?? "?"}`)],
  ["relocated", (rec) => clip(`relocated to ${str(rec.relocatedCwd) ?? "?"}`)],
  // A workflow run's journal.jsonl: launched, then each agent started and its result.
  ["launched", (rec) => clip(`workflow ${str(rec.runId) ?? ""} launched`.replace("  ", " "))],
  ["started", (rec) => `agent ${str(rec.agentId) ?? "?"} started`],
  ["result", (rec) => {
    const result = rec.result;
    const text = isRecord(result)
      ? firstString(result, ["summary", "text", "result"])
      : str(result);
    return clip(`agent ${str(rec.agentId) ?? "?"} finished${text ? `: ${text}` : ""}`);
  }],
  ["tag", (rec) => clip(`tag: ${str(rec.tag) ?? "?"}`)],
  ["agent-color", (rec) => `agent color: ${str(rec.agentColor) ?? "?"}`],
  [
    "agent-setting",
    (rec) => clip(`agent setting: ${str(rec.agentSetting) ?? keysSummary(rec, COMMON_KEYS)}`),
  ],
  ["attribution-snapshot", () => "attribution snapshot"],
  ["file-history-delta", (rec) => {
    const files = record(rec.delta) ?? record(rec.trackedFileBackups);
    return files ? `file history: ${plural(Object.keys(files).length, "file")}` : "file history";
  }],
  ["cost-state", () => "cost state"],
  ["history-suppression", (rec) => `history suppressed${str(rec.cause) ? `: ${rec.cause}` : ""}`],
  ["continued-in", (rec) => clip(`continued in ${str(rec.sessionId) ?? "another session"}`)],
  ["fork-context-ref", () => "fork context"],
  ["ended-by-model", () => "ended by the model"],
  ["observer-ref", (rec) => clip(`observer ${str(rec.observerAgentType) ?? ""}`.trim())],
  ["isolation-latch", () => "isolation latch"],
  ["memory-mode", (rec) => `memory mode: ${str(rec.mode) ?? str(rec.memoryMode) ?? "?"}`],
  ["dev-mods", () => "dev mods"],
  ["api-request-shape", () => "API request shape"],
  ["content-replacement", () => "content replacement"],
  ["speculation-accept", () => "speculation accepted"],
]);

/** Entry types named by a prefix: every `artifact-*` ledger is bookkeeping. */
export function metaByPrefix(type: string): string | undefined {
  if (type.startsWith("artifact-")) return humanize(type);
  if (type.startsWith("api-request")) return humanize(type);
  return undefined;
}
