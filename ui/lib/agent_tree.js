/**
 * The sidebar's shape: agents grouped by status (needs you, working, failed,
 * done, idle), then by project and start time; subagents nested under their
 * parent. The order never depends on the latest append, so rows stay put
 * while agents write and move only when a status changes. Pure.
 *
 * @typedef {import("../../core/api.ts").Agent} Agent
 * @typedef {import("../../core/api.ts").StatusKind} StatusKind
 * @typedef {{agent: Agent, depth: number, match: boolean}} Row
 * @typedef {{project: string, kind: StatusKind, label: string, running: number, latest: number,
 *   rows: Row[]}} Group
 */
import { KIND_WORDS, KINDS, statusOf } from "./status.js";

/**
 * @param {Iterable<Agent>} agents
 * @param {string} [query] filter words, all of which must appear in the title or project
 * @returns {Group[]}
 */
export function groupAgents(agents, query = "") {
  const all = [...agents];
  const byId = new Map(all.map((a) => [a.id, a]));
  /** @type {Map<string, Agent[]>} */
  const children = new Map();
  /** @type {Agent[]} */
  const roots = [];
  for (const a of all) {
    if (a.parentId && byId.has(a.parentId) && a.parentId !== a.id) {
      const list = children.get(a.parentId) ?? [];
      list.push(a);
      children.set(a.parentId, list);
    } else roots.push(a);
  }
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const matches = (/** @type {Agent} */ a) => {
    if (words.length === 0) return true;
    const hay = `${a.title} ${a.project} ${sourceLabel(a.source)}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  };

  /** @type {Map<string, Group>} */
  const groups = new Map();
  /** @type {Set<string>} */
  const seen = new Set();
  // Agents whose parents form a cycle have no root; they become roots themselves.
  const reachable = new Set();
  const mark = (/** @type {Agent} */ a) => {
    if (reachable.has(a.id)) return;
    reachable.add(a.id);
    for (const c of children.get(a.id) ?? []) mark(c);
  };
  roots.forEach(mark);
  for (const a of all) {
    if (reachable.has(a.id)) continue;
    roots.push(a);
    mark(a);
  }
  for (const root of roots.sort(byProjectThenStart)) {
    /** @type {Row[]} */
    const rows = [];
    const any = addTree(root, 0, rows, children, matches, seen);
    if (!any) continue;
    const kind = statusOf(root).kind;
    const group = groups.get(kind) ??
      { project: kind, kind, label: KIND_WORDS[kind].label, running: 0, latest: 0, rows: [] };
    group.rows.push(...rows);
    for (const r of rows) {
      if (r.agent.state === "running") group.running++;
      group.latest = Math.max(group.latest, r.agent.mtime);
    }
    groups.set(kind, group);
  }
  return KINDS.flatMap((kind) => groups.get(kind) ?? []);
}

/**
 * Adds `agent` and its matching descendants; returns whether anything was added.
 * A parent is kept (dimmed by the view) when only a descendant matches.
 * @param {Agent} agent
 * @param {number} depth
 * @param {Row[]} rows
 * @param {Map<string, Agent[]>} children
 * @param {(a: Agent) => boolean} matches
 * @param {Set<string>} seen guards against parent cycles
 */
function addTree(agent, depth, rows, children, matches, seen) {
  if (seen.has(agent.id)) return false;
  seen.add(agent.id);
  const self = matches(agent);
  /** @type {Row[]} */
  const below = [];
  for (const child of (children.get(agent.id) ?? []).sort(byStart)) {
    addTree(child, depth + 1, below, children, self ? () => true : matches, seen);
  }
  if (!self && below.length === 0) return false;
  rows.push({ agent, depth, match: self }, ...below);
  return true;
}

/** By project name, then the newest started first. @param {Agent} a @param {Agent} b */
function byProjectThenStart(a, b) {
  return projectLabel(a.project).localeCompare(projectLabel(b.project)) ||
    (b.startedAt ?? 0) - (a.startedAt ?? 0) || a.id.localeCompare(b.id);
}

/** Subagents in the order they were started. @param {Agent} a @param {Agent} b */
function byStart(a, b) {
  return (a.startedAt ?? 0) - (b.startedAt ?? 0) || a.id.localeCompare(b.id);
}

/**
 * Agent ids in the order the sidebar shows them (for `J`/`K`).
 * @param {Group[]} groups
 */
export function agentOrder(groups) {
  return groups.flatMap((g) => g.rows.map((r) => r.agent.id));
}

/**
 * The last segment of a project path (`/Users/me/code/tailboard` → `tailboard`),
 * also for Claude Code's dashed folder names (`-Users-me-code-tailboard`).
 * @param {string} project
 */
export function projectLabel(project) {
  if (!project) return "(no project)";
  const parts = project.split(/[\\/]/).filter(Boolean);
  return parts[parts.length - 1] ?? project;
}

/** @param {string} source */
export function sourceLabel(source) {
  switch (source) {
    case "claude-session":
      return "session";
    case "claude-subagent":
      return "subagent";
    case "claude-task":
      return "task";
    case "claude-workflow":
      return "workflow";
    default:
      return source || "file";
  }
}
