import type { FileEntry } from "../files/scan.ts";
import { type Agent, agentIdOf, type AgentUsage } from "./agent.ts";
import type { AgentFacts } from "./facts.ts";
import type { AgentMeta } from "./read_facts.ts";
import { deriveStatus, type LiveState } from "./status.ts";
import { type EventView, type InlineAgent, SESSION_VIEW } from "./sidechains.ts";
import { runOfJournal, runResult, runTitle } from "./workflow.ts";

export type AgentChange = { type: "upsert"; agent: Agent } | { type: "remove"; id: string };

export interface RegistryOptions {
  /** A file that changed within this many ms is `running`. @default 90_000 */
  runningWindowMs?: number;
  /**
   * With no live process to ask, needs-you, failed and done give way to idle
   * after this much silence. @default 3_600_000
   */
  quietMs?: number;
  now?: () => number;
}

interface Record {
  entry: FileEntry;
  facts: AgentFacts;
  meta: AgentMeta | null;
  usage: AgentUsage | null;
  /** The file's mtime when first seen: a start time for files without timestamps. */
  firstSeen: number;
  agent: Agent;
  /**
   * The mtime this record was last ticked at while already past every time
   * window: until the file changes, time alone cannot change its state again.
   */
  settledAt?: number;
  /** A Claude Code session's id (its file's name): what its live state is keyed by. */
  sessionId?: string;
  /** Which of the file's events its feed shows, when not all of them. */
  view?: EventView;
  /** An inline subagent (Claude Code 1.0.x): it lives in its session's file. */
  inline?: InlineAgent;
}

/**
 * The agents list in memory: built from stat-only file entries, refined by
 * facts read from the files later, and observable. No I/O here.
 */
export class AgentRegistry {
  #byId = new Map<string, Record>();
  #window: number;
  #now: () => number;
  #listeners = new Set<(change: AgentChange) => void>();
  #listJson: string | null = null;
  /** Codex thread id → its rollout's path: how a child thread finds its parent. */
  #threads = new Map<string, string>();
  /** Background task id → the session that started it, and the command. */
  #background = new Map<string, { path: string; command: string }>();
  #quiet: number;
  /** What running processes report, by Claude Code session id. */
  #live = new Map<string, LiveState>();
  /** `<task-notification>` results from every transcript, by task id. */
  #tasks = new Map<string, { status: string; since?: number }>();
  /**
   * The records time can still change (see `settledAt`): `tick()` walks these
   * only, so thousands of idle files cost nothing per second.
   */
  #unsettled = new Set<Record>();
  /** Claude Code sessions by id: a change of live state refreshes only its own. */
  #sessions = new Map<string, Set<Record>>();

  constructor(options: RegistryOptions = {}) {
    this.#window = options.runningWindowMs ?? 90_000;
    this.#now = options.now ?? Date.now;
    this.#quiet = options.quietMs ?? 3_600_000;
  }

  /** Replaces what the liveness sources report, keyed by session id; refreshes only those that changed. */
  setLive(live: Map<string, LiveState>): void {
    const before = this.#live;
    this.#live = live;
    const changed = new Set<string>();
    for (const [id, state] of live) if (!sameLive(before.get(id), state)) changed.add(id);
    for (const id of before.keys()) if (!live.has(id)) changed.add(id);
    for (const id of changed) {
      for (const record of this.#sessions.get(id) ?? []) this.#refresh(record);
    }
  }

  subscribe(listener: (change: AgentChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get size(): number {
    return this.#byId.size;
  }

  get(id: string): Agent | undefined {
    return this.#byId.get(id)?.agent;
  }

  byPath(path: string): Agent | undefined {
    return this.#byId.get(agentIdOf(path))?.agent;
  }

  entryOf(id: string): FileEntry | undefined {
    return this.#byId.get(id)?.entry;
  }

  /** Newest activity first. */
  list(): Agent[] {
    return [...this.#byId.values()].map((r) => r.agent).sort((a, b) => b.mtime - a.mtime);
  }

  /** `{"agents":[...]}`, serialised once per change rather than per request. */
  listJson(): string {
    this.#listJson ??= JSON.stringify({ agents: this.list() });
    return this.#listJson;
  }

  has(path: string): boolean {
    return this.#byId.has(agentIdOf(path));
  }

  /** The files of the agents (an inline subagent's file is its session's). */
  paths(): string[] {
    return [...this.#byId.values()].filter((r) => !r.inline).map((r) => r.entry.realPath);
  }

  /** Which of its file's events an agent's feed shows; undefined: all of them. */
  viewOf(id: string): EventView | undefined {
    return this.#byId.get(id)?.view;
  }

  /**
   * The subagents a Claude Code 1.0.x session wrote into its own file: each
   * an agent nested under it, and the session's own feed leaves their lines
   * out. Subagents no longer listed go (the file was read again from the top).
   */
  setInline(path: string, agents: InlineAgent[], viewOf: (root: string) => EventView): void {
    const parent = this.#byId.get(agentIdOf(path));
    if (!parent) return;
    if (agents.length > 0) parent.view = SESSION_VIEW;
    const ids = new Set<string>();
    for (const inline of agents) {
      const id = inlineAgentId(path, inline.root);
      ids.add(id);
      const entry: FileEntry = {
        ...parent.entry,
        source: "claude-subagent",
        parentPath: parent.entry.realPath,
        metaPath: null,
        size: inline.bytes,
        mtime: Math.min(inline.lastAt ?? parent.entry.mtime, parent.entry.mtime),
      };
      const existing = this.#byId.get(id);
      if (existing) {
        existing.entry = entry;
        existing.facts = inline.facts;
        existing.usage = inline.usage;
        existing.inline = inline;
        this.#unsettle(existing);
        this.#refresh(existing);
        continue;
      }
      const record: Record = {
        entry,
        facts: inline.facts,
        meta: null,
        usage: inline.usage,
        firstSeen: entry.mtime,
        agent: undefined as unknown as Agent,
        view: viewOf(inline.root),
        inline,
      };
      record.agent = this.#build(id, record);
      this.#byId.set(id, record);
      this.#unsettle(record);
      this.#emit({ type: "upsert", agent: record.agent });
    }
    this.#dropInline(parent.entry.realPath, ids);
  }

  /** Adds or refreshes the agent for a file; returns true when it is new. */
  upsert(entry: FileEntry): boolean {
    const id = agentIdOf(entry.realPath);
    const existing = this.#byId.get(id);
    if (existing) {
      // A task `.output` symlink and the transcript it points at are one agent:
      // keep the transcript's own classification.
      const keep = existing.entry.source !== "claude-task" && entry.source === "claude-task"
        ? { ...existing.entry, size: entry.size, mtime: entry.mtime, ino: entry.ino }
        : entry;
      existing.entry = keep;
      this.#unsettle(existing);
      this.#refresh(existing);
      return false;
    }
    const record: Record = {
      entry,
      facts: {},
      meta: null,
      usage: null,
      firstSeen: entry.mtime,
      agent: undefined as unknown as Agent,
      sessionId: sessionIdOf(entry),
    };
    record.agent = this.#build(id, record);
    this.#byId.set(id, record);
    this.#unsettle(record);
    if (record.sessionId) {
      const same = this.#sessions.get(record.sessionId);
      if (same) same.add(record);
      else this.#sessions.set(record.sessionId, new Set([record]));
    }
    this.#emit({ type: "upsert", agent: record.agent });
    // A run's agents may be listed before the run: they nest under it now.
    if (entry.source === "claude-workflow") this.#refreshChildren(entry.realPath);
    return true;
  }

  #refreshChildren(path: string): void {
    for (const other of this.#byId.values()) {
      if (other.entry.parentPath === path) this.#refresh(other);
    }
  }

  setFacts(path: string, facts: AgentFacts): void {
    const record = this.#byId.get(agentIdOf(path));
    if (!record) return;
    record.facts = facts;
    const thread = facts.format === "codex" ? facts.sessionId : undefined;
    let news = false;
    if (thread && this.#threads.get(thread) !== record.entry.realPath) {
      // Children read before their parent nest now.
      this.#threads.set(thread, record.entry.realPath);
      news = true;
    }
    for (const [taskId, command] of Object.entries(facts.backgroundTasks ?? {})) {
      if (this.#background.get(taskId)?.path === record.entry.realPath) continue;
      this.#background.set(taskId, { path: record.entry.realPath, command });
      news = true;
    }
    const tasks = Object.entries(facts.turn?.tasks ?? {});
    for (const [taskId, result] of tasks) {
      if (this.#tasks.get(taskId)?.status === result.status) continue;
      this.#tasks.set(taskId, result);
      news = true;
    }
    if (news) { for (const other of this.#byId.values()) this.#refresh(other); }
    else {
      this.#refresh(record);
      // Its workflow runs take its project.
      if (record.entry.source === "claude-session") this.#refreshChildren(record.entry.realPath);
    }
  }

  setMeta(path: string, meta: AgentMeta | null): void {
    const record = this.#byId.get(agentIdOf(path));
    if (!record) return;
    record.meta = meta;
    this.#refresh(record);
    // A run's record names its agents' labels.
    if (record.entry.source === "claude-workflow") this.#refreshChildren(record.entry.realPath);
  }

  /** The history index's running totals for an agent, by id. */
  setUsage(id: string, usage: AgentUsage | null): void {
    const record = this.#byId.get(id);
    if (!record) return;
    record.usage = usage;
    this.#refresh(record);
  }

  factsOf(path: string): AgentFacts | undefined {
    return this.#byId.get(agentIdOf(path))?.facts;
  }

  remove(path: string): boolean {
    const id = agentIdOf(path);
    const gone = this.#byId.get(id);
    if (!gone || gone.inline) return false;
    this.#forget(id, gone);
    this.#emit({ type: "remove", id });
    // Inline subagents live in the file: they go with it.
    this.#dropInline(gone.entry.realPath);
    // Children keep their parentId; the UI shows them at top level once the parent is gone.
    return true;
  }

  /** Re-evaluates running/idle as time passes; pushes only real changes. */
  tick(): void {
    const now = this.#now();
    const horizon = Math.max(this.#window, this.#quiet);
    // Thousands of idle files: only the ones time can still change are looked at.
    for (const record of this.#unsettled) {
      if (now - record.entry.mtime >= horizon) {
        record.settledAt = record.entry.mtime;
        this.#unsettled.delete(record);
      }
      const state = now - record.entry.mtime < this.#window ? "running" : "idle";
      if (state !== record.agent.state || this.#statusOf(record) !== record.agent.status) {
        this.#refresh(record);
      }
    }
  }

  /** Removes the inline subagents of the session file `path`, but those in `keep`. */
  #dropInline(path: string, keep?: Set<string>): void {
    for (const [id, record] of this.#byId) {
      if (record.inline && record.entry.parentPath === path && !keep?.has(id)) {
        this.#forget(id, record);
        this.#emit({ type: "remove", id });
      }
    }
  }

  /** Drops a record from every index (the caller emits the removal). */
  #forget(id: string, record: Record): void {
    this.#byId.delete(id);
    this.#unsettled.delete(record);
    if (!record.sessionId) return;
    const same = this.#sessions.get(record.sessionId);
    same?.delete(record);
    if (same?.size === 0) this.#sessions.delete(record.sessionId);
  }

  /** A record whose file changed may be changed by time again, until it settles. */
  #unsettle(record: Record): void {
    if (record.settledAt !== record.entry.mtime) this.#unsettled.add(record);
  }

  #refresh(record: Record): void {
    const next = this.#build(record.agent.id, record);
    if (sameAgent(next, record.agent)) return;
    record.agent = next;
    this.#emit({ type: "upsert", agent: next });
  }

  #build(id: string, record: Record): Agent {
    const { entry, facts, meta, usage } = record;
    const fileName = entry.realPath.slice(entry.realPath.lastIndexOf("/") + 1);
    const background = entry.source === "claude-task"
      ? this.#background.get(fileName.replace(/\.output$/, ""))
      : undefined;
    const folder = entry.realPath.slice(0, entry.realPath.lastIndexOf("/"));
    // A run's agents nest under the run, or under its session while the run is not listed.
    const run = entry.parentPath ? runOfJournal(entry.parentPath) : null;
    const runRecord = run ? this.#byId.get(agentIdOf(entry.parentPath!)) : undefined;
    const label = runRecord?.meta?.labels
      ?.[facts.agentId ?? fileName.replace(/^agent-|\.jsonl$/g, "")];
    const parentPath =
      (meta?.parentAgentId ? `${folder}/agent-${meta.parentAgentId}.jsonl` : null) ??
        (run && !runRecord ? run.sessionPath : null) ??
        entry.parentPath ?? background?.path ??
        (entry.source === "claude-subagent" && facts.sessionId &&
            !facts.sessionId.startsWith("agent-")
          ? `${folder}/${facts.sessionId}.jsonl`
          : null) ??
        (facts.parentSessionId ? this.#threads.get(facts.parentSessionId) ?? null : null);
    const agent: Agent = {
      id,
      path: entry.realPath,
      source: sourceOf(entry, facts),
      project: facts.cwd
        ? lastSegment(facts.cwd)
        // A run's journal names no folder: its session's project is the run's.
        : (entry.source === "claude-workflow" && entry.parentPath
          ? this.#projectOf(entry.parentPath)
          : undefined) ?? entry.projectHint,
      title: entry.source === "claude-workflow"
        ? runTitle(meta, entry.realPath)
        : facts.title ?? label ?? meta?.description ?? meta?.name ?? background?.command ??
          facts.firstPrompt ?? (meta?.agentType ? `${meta.agentType} agent` : fileName),
      state: this.#now() - entry.mtime < this.#window ? "running" : "idle",
      activity: facts.activity ?? null,
      mtime: entry.mtime,
      startedAt: facts.startedAt ?? record.firstSeen,
      size: entry.size,
      parentId: record.inline
        ? agentIdOf(entry.realPath)
        : parentPath && parentPath !== entry.realPath
        ? agentIdOf(parentPath)
        : null,
      usage,
      status: this.#statusOf(record),
    };
    // A run's record names its task; the session's `Workflow` call returned that task's id.
    const launch = entry.source === "claude-workflow" && meta?.taskId && entry.parentPath
      ? this.#byId.get(agentIdOf(entry.parentPath))?.facts.workflowCalls?.[meta.taskId]
      : undefined;
    const toolUseId = meta?.toolUseId ?? record.inline?.toolUseId ?? launch;
    if (toolUseId) agent.toolUseId = toolUseId;
    if (record.inline) agent.inline = true;
    return agent;
  }

  /** The project of the agent whose file is `path`, from its own facts (not its last build). */
  #projectOf(path: string): string | undefined {
    const record = this.#byId.get(agentIdOf(path));
    if (!record) return undefined;
    return record.facts.cwd ? lastSegment(record.facts.cwd) : record.entry.projectHint;
  }

  #statusOf(record: Record): Agent["status"] {
    const { entry, facts } = record;
    const name = entry.realPath.slice(entry.realPath.lastIndexOf("/") + 1);
    const sessionId = sessionIdOf(entry);
    const taskId = entry.source === "claude-task"
      ? name.replace(/\.output$/, "")
      : entry.source === "claude-subagent" && !record.inline
      ? facts.agentId ?? name.replace(/^agent-|\.jsonl$/g, "")
      : undefined;
    const task = entry.source === "claude-workflow"
      ? (record.meta?.taskId ? this.#tasks.get(record.meta.taskId) : undefined) ??
        runResult(record.meta)
      : taskId
      ? this.#tasks.get(taskId)
      : undefined;
    return deriveStatus({
      source: entry.source,
      turn: facts.turn,
      mtime: entry.mtime,
      now: this.#now(),
      runningWindowMs: this.#window,
      quietMs: this.#quiet,
      live: sessionId ? this.#live.get(sessionId) : undefined,
      task,
      previous: record.agent?.status,
    });
  }

  #emit(change: AgentChange): void {
    this.#listJson = null;
    for (const listener of this.#listeners) listener(change);
  }
}

/**
 * The path names most agents' files; a file found only by a `--watch` is
 * named by its lines instead, so a copied Codex rollout is still `codex`.
 */
function sourceOf(entry: FileEntry, facts: AgentFacts): Agent["source"] {
  if (entry.source !== "file") return entry.source;
  switch (facts.format) {
    case "codex":
    case "gemini":
    case "copilot":
      return facts.format;
    case "claude":
      return facts.agentId ? "claude-subagent" : "claude-session";
  }
  return "file";
}

/**
 * Claude Code names a session's file after its id; the lines of a resumed
 * session may still carry an older one.
 */
function sessionIdOf(entry: FileEntry): string | undefined {
  if (entry.source !== "claude-session") return undefined;
  return entry.realPath.slice(entry.realPath.lastIndexOf("/") + 1).replace(/\.jsonl$/, "");
}

function sameLive(a: LiveState | undefined, b: LiveState | undefined): boolean {
  return a?.alive === b?.alive && a?.status === b?.status && a?.waitingFor === b?.waitingFor &&
    a?.since === b?.since && a?.source === b?.source;
}

function sameAgent(a: Agent, b: Agent): boolean {
  // Claude Code's own running total changes without the estimate changing.
  if (a.usage?.reportedUsd !== b.usage?.reportedUsd) return false;
  return a.title === b.title && a.state === b.state && a.activity === b.activity &&
    a.mtime === b.mtime && a.size === b.size && a.project === b.project &&
    a.parentId === b.parentId && a.source === b.source && a.usage?.tokens === b.usage?.tokens &&
    a.usage?.usd === b.usage?.usd && a.status === b.status &&
    a.startedAt === b.startedAt && a.toolUseId === b.toolUseId;
}

/** An inline subagent's id: its session's file and its first line's uuid. */
export function inlineAgentId(path: string, root: string): string {
  return agentIdOf(`${path}#${root}`);
}

function lastSegment(path: string): string {
  const trimmed = path.replace(/[\\/]+$/, "");
  return trimmed.slice(Math.max(trimmed.lastIndexOf("/"), trimmed.lastIndexOf("\\")) + 1) ||
    trimmed;
}
