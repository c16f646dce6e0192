/**
 * What a watched file is, from its path alone: discovery never reads file
 * contents, so thousands of transcripts list in milliseconds.
 */
import type { SourceKind } from "../core/api.ts";
import type { RootKind } from "./roots.ts";

export type { SourceKind };

export interface Classified {
  source: SourceKind;
  /** Path of the parent session's transcript, when the layout says which it is. */
  parentPath: string | null;
  /** Folder-derived project name: only a fallback until a line's `cwd` is read. */
  projectHint: string;
  /** Path of a subagent's `agent-<id>.meta.json` sidecar (Claude Code 2.1.x). */
  metaPath: string | null;
}

/**
 * `<project>/<session>/subagents/agent-<id>.jsonl` (2.1.x), and one level
 * deeper for the agents of a workflow run: `subagents/workflows/wf_<run>/`.
 */
const SUBAGENT_IN_FOLDER =
  /^(.*)\/([^/]+)\/subagents\/((?:workflows\/[^/]+\/)?)(agent-[^/]+)\.jsonl$/;
const FLAT_AGENT = /\/agent-[^/]+\.jsonl$/;
/**
 * A workflow run's lifecycle log, `<session>/subagents/workflows/wf_<run>/journal.jsonl`:
 * not a transcript but the run, with its record `<session>/workflows/wf_<run>.json`
 * (written when the run ends) as its sidecar.
 */
const RUN_JOURNAL = /^(.*)\/([^/]+)\/subagents\/workflows\/([^/]+)\/journal\.jsonl$/;
/** Codex rollouts, plain or compressed once idle (0.137+). */
const CODEX_ROLLOUT = /\/rollout-[^/]+\.jsonl(?:\.zst)?$/;
/** Gemini CLI chats: `<gemini>/tmp/<project>/chats/session-*.jsonl`. */
const GEMINI_CHAT = /\/([^/]+)\/chats\/session-[^/]+\.jsonl?$/;
/** Copilot CLI (and the VS Code agent): `<copilot>/session-state/<uuid>/events.jsonl`. */
const COPILOT_EVENTS = /\/session-state\/[^/]+\/events\.jsonl$/;
const UUID_JSONL = /\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.jsonl$/i;

/** Whether a file under a root of this kind is one tailboard shows. */
export function isWatchedName(name: string, kind: RootKind): boolean {
  switch (kind) {
    case "claude-projects":
      // (A workflow run's `journal.jsonl` is listed as the run itself: see classify.)
      return name.endsWith(".jsonl");
    case "claude-tasks":
      return name.endsWith(".output");
    case "codex-sessions":
      return name.endsWith(".jsonl") || name.endsWith(".jsonl.zst");
    case "gemini-tmp":
      // `.json`: the single document older versions wrote.
      return name.startsWith("session-") && (name.endsWith(".jsonl") || name.endsWith(".json"));
    case "copilot-state":
      return name === "events.jsonl";
  }
  return name.endsWith(".jsonl") || name.endsWith(".jsonl.zst") || name.endsWith(".output");
}

/** Classifies `path` (absolute, `/`-separated) found under `root`. */
export function classify(path: string, root: { path: string; kind: RootKind }): Classified {
  const other = _otherAgent(path, root);
  if (other) return other;
  const journal = RUN_JOURNAL.exec(path);
  if (journal) {
    const [, projectDir = "", session = "", run = ""] = journal;
    return {
      source: "claude-workflow",
      parentPath: `${projectDir}/${session}.jsonl`,
      projectHint: projectFromSlug(lastSegment(projectDir)),
      metaPath: `${projectDir}/${session}/workflows/${run}.json`,
    };
  }
  const nested = SUBAGENT_IN_FOLDER.exec(path);
  if (nested) {
    const [, projectDir = "", session = "", run = "", agent = ""] = nested;
    return {
      source: "claude-subagent",
      // A run's agents nest under the run (its journal), the rest under the session.
      parentPath: run
        ? `${projectDir}/${session}/subagents/${run}journal.jsonl`
        : `${projectDir}/${session}.jsonl`,
      projectHint: projectFromSlug(lastSegment(projectDir)),
      metaPath: `${projectDir}/${session}/subagents/${run}${agent}.meta.json`,
    };
  }
  const folder = path.slice(0, path.lastIndexOf("/"));
  if (FLAT_AGENT.test(path)) {
    // 2.0.x: `agent-<id>.jsonl` beside its session; the parent is named only
    // inside the file (`sessionId`), so it is filled in when lines are read.
    return {
      source: "claude-subagent",
      parentPath: null,
      projectHint: projectHint(folder, root),
      metaPath: null,
    };
  }
  if (root.kind === "claude-tasks" || (path.endsWith(".output") && folder.endsWith("/tasks"))) {
    const cwdSlug = lastSegment(
      folder.endsWith("/tasks") ? folder.slice(0, -"/tasks".length) : folder,
    );
    return {
      source: "claude-task",
      parentPath: null,
      projectHint: projectFromSlug(cwdSlug),
      metaPath: null,
    };
  }
  if (root.kind === "claude-projects" || UUID_JSONL.test(path)) {
    return {
      source: "claude-session",
      parentPath: null,
      projectHint: projectHint(folder, root),
      metaPath: null,
    };
  }
  return {
    source: "file",
    parentPath: null,
    projectHint: projectHint(folder, root),
    metaPath: null,
  };
}

/**
 * Codex, Gemini and Copilot files, known by their layout wherever they are
 * found (a `--watch` of `~/.codex` works as well as the default root). A file
 * that matches none of the layouts is still read: its lines say which agent
 * wrote it (see `format` in the agent's facts).
 */
function _otherAgent(path: string, root: { path: string; kind: RootKind }): Classified | null {
  const folder = path.slice(0, path.lastIndexOf("/"));
  const base = { parentPath: null, metaPath: null };
  if (CODEX_ROLLOUT.test(path)) {
    return { ...base, source: "codex", projectHint: projectHint(folder, root) };
  }
  const gemini = GEMINI_CHAT.exec(path);
  if (gemini) return { ...base, source: "gemini", projectHint: gemini[1] ?? "" };
  if (COPILOT_EVENTS.test(path)) {
    return { ...base, source: "copilot", projectHint: lastSegment(folder) };
  }
  return null;
}

function projectHint(folder: string, root: { path: string; kind: RootKind }): string {
  if (root.kind === "claude-projects") return projectFromSlug(lastSegment(folder));
  return folder === root.path || folder.length < root.path.length
    ? lastSegment(root.path)
    : lastSegment(folder);
}

/**
 * Claude Code names project folders after the cwd with every `/` and `.`
 * turned into `-`, which cannot be undone exactly; the last path-like part is
 * the most useful guess until a line's `cwd` says for sure.
 */
export function projectFromSlug(slug: string): string {
  const parts = slug.split("-").filter(Boolean);
  return parts.at(-1) ?? slug;
}

function lastSegment(path: string): string {
  const trimmed = path.endsWith("/") ? path.slice(0, -1) : path;
  return trimmed.slice(trimmed.lastIndexOf("/") + 1) || trimmed;
}
