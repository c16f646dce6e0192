/**
 * Tokens and cost rolled up: per agent, per local day and per project (from
 * `usage_days`, the per-day-and-agent sums the writer keeps), per model (from
 * `usage` itself, by its day index), and the agents active on a day.
 */
import type { DatabaseSync } from "node:sqlite";
import type { AgentUsage } from "../agents/agent.ts";
import { addDays, dayStart } from "./days.ts";
import { ID_SLOTS } from "./writer.ts";

export type UsageBy = "day" | "project" | "agent" | "model";

/** Tokens and cost of a group of API responses. */
export interface UsageTotals {
  input: number;
  output: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  cacheRead: number;
  tokens: number;
  /**
   * Estimated USD at list prices; `null` when any tokens have no price, so a
   * partial sum is never shown as the whole (`pricedUsd` has that part).
   */
  usd: number | null;
  pricedUsd: number;
  unpricedTokens: number;
}

export interface UsageRow extends UsageTotals {
  /** The day (`YYYY-MM-DD`), project name, agent id or model id. */
  key: string;
  /** What to show: the day, the project, the agent's title or the model. */
  label: string;
  /**
   * By agent: Claude Code's own running total for the whole session (its
   * latest `cost-state` line), a cross-check; null when it wrote none.
   */
  reportedUsd?: number | null;
}

/** An agent's usage as the agents list carries it, plus what has no price. */
export interface AgentUsageTotals extends AgentUsage {
  pricedUsd: number;
  unpricedTokens: number;
  /** Claude Code's own running total for this session, when it wrote one: never summed. */
  reportedUsd: number | null;
}

export interface DayAgent {
  id: string;
  title: string;
  project: string;
  source: string;
  /** The agent's first and last activity within that day. */
  firstTs: string | null;
  lastTs: string | null;
  /** Cost and tokens of that day only. */
  usd: number | null;
  tokens: number;
}

/** Sums of `usage_days` rows (alias d). */
const DAY_SUMS = `
  coalesce(sum(d.input), 0) AS input,
  coalesce(sum(d.output), 0) AS output,
  coalesce(sum(d.cw5), 0) AS cw5,
  coalesce(sum(d.cw1), 0) AS cw1,
  coalesce(sum(d.cr), 0) AS cr,
  coalesce(sum(d.usd), 0) AS usd,
  coalesce(sum(d.unpriced), 0) AS unpriced`;

/** Column sums of a set of usage rows; `usd` is the priced part. */
export interface Sums {
  input: number;
  output: number;
  cw5: number;
  cw1: number;
  cr: number;
  usd: number;
  unpriced: number;
}

const ZERO: Sums = { input: 0, output: 0, cw5: 0, cw1: 0, cr: 0, usd: 0, unpriced: 0 };

/** Sums as totals: `usd` is null when any tokens have no price. */
export function totalsOf(r: Sums): UsageTotals {
  const tokens = r.input + r.output + r.cw5 + r.cw1 + r.cr;
  return {
    input: r.input,
    output: r.output,
    cacheWrite5m: r.cw5,
    cacheWrite1h: r.cw1,
    cacheRead: r.cr,
    tokens,
    usd: r.unpriced > 0 ? null : r.usd,
    pricedUsd: r.usd,
    unpricedTokens: r.unpriced,
  };
}

/** One agent's column sums, every response counted once. */
export function agentSums(db: DatabaseSync, agentId: string): Sums {
  return {
    ...(db.prepare(`SELECT ${DAY_SUMS} FROM usage_days d WHERE d.agent_id = ?`).get(
      agentId,
    ) as unknown as Sums),
  };
}

/** Every agent's totals at once (start-up), keyed by agent id. */
export function allAgentUsage(db: DatabaseSync): Map<string, AgentUsageTotals> {
  const rows = db.prepare(
    `SELECT d.agent_id AS id, ${DAY_SUMS} FROM usage_days d GROUP BY d.agent_id`,
  ).all() as unknown as (Sums & { id: string })[];
  const reported = _reported(db);
  return new Map(rows.map((r) => [r.id, agentTotalsOf(r, reported.get(r.id) ?? null)]));
}

/** Claude Code's own running totals, by agent. */
function _reported(db: DatabaseSync): Map<string, number> {
  const rows = db.prepare(
    "SELECT agent_id AS id, reported_usd AS usd FROM agents WHERE reported_usd IS NOT NULL",
  ).all() as unknown as {
    id: string;
    usd: number;
  }[];
  return new Map(rows.map((r) => [r.id, r.usd]));
}

export function agentTotalsOf(row: Sums, reportedUsd: number | null = null): AgentUsageTotals {
  return { ...totalsOf(row), reportedUsd };
}

/**
 * Usage between two local days (both included), grouped. `by: "day"` has a
 * row for every day of the range, zero where nothing ran, oldest first; the
 * other groupings come costliest first.
 */
export function usageBetween(
  db: DatabaseSync,
  from: string,
  to: string,
  by: UsageBy,
): { rows: UsageRow[]; totals: UsageTotals } {
  if (by === "model") return _byModel(db, from, to);
  const group = by === "day" ? { key: "d.day", label: "d.day", join: "" } : by === "project"
    ? {
      key: "coalesce(a.project, '')",
      label: "coalesce(a.project, '')",
      join: "LEFT JOIN agents a ON a.agent_id = d.agent_id",
    }
    : {
      key: "d.agent_id",
      label: "coalesce(a.title, d.agent_id)",
      join: "LEFT JOIN agents a ON a.agent_id = d.agent_id",
    };
  const found = db.prepare(
    `SELECT ${group.key} AS key, ${group.label} AS label, ${DAY_SUMS}
    FROM usage_days d ${group.join}
    WHERE d.day >= ? AND d.day <= ?
    GROUP BY 1`,
  ).all(from, to) as unknown as (Sums & { key: string; label: string })[];
  let rows = found.map((r): UsageRow => ({ key: r.key, label: r.label, ...totalsOf(r) }));
  if (by === "day") {
    const byDay = new Map(rows.map((r) => [r.key, r]));
    rows = [];
    for (let day = from; day <= to; day = addDays(day, 1)) {
      rows.push(byDay.get(day) ?? { key: day, label: day, ...totalsOf(ZERO) });
    }
  } else {
    rows.sort((a, b) => b.pricedUsd - a.pricedUsd || b.tokens - a.tokens);
  }
  if (by === "agent") {
    const reported = _reported(db);
    for (const r of rows) r.reportedUsd = reported.get(r.key) ?? null;
  }
  return { rows, totals: _sum(rows) };
}

/** Usage per model: summed from the responses themselves, costliest first. */
function _byModel(
  db: DatabaseSync,
  from: string,
  to: string,
): { rows: UsageRow[]; totals: UsageTotals } {
  const found = db.prepare(
    `SELECT model AS key, sum(input) AS input, sum(output) AS output,
      sum(cache_write_5m) AS cw5, sum(cache_write_1h) AS cw1, sum(cache_read) AS cr,
      coalesce(sum(usd), 0) AS usd,
      coalesce(sum(CASE WHEN usd IS NULL
        THEN input + output + cache_write_5m + cache_write_1h + cache_read END), 0) AS unpriced
    FROM usage WHERE day >= ? AND day <= ? GROUP BY model`,
  ).all(from, to) as unknown as (Sums & { key: string })[];
  const rows = found.map((r): UsageRow => ({
    key: r.key,
    label: r.key || "(no model named)",
    ...totalsOf(r),
  }));
  rows.sort((a, b) => b.pricedUsd - a.pricedUsd || b.tokens - a.tokens);
  return { rows, totals: _sum(rows) };
}

function _sum(rows: UsageRow[]): UsageTotals {
  const sum = { ...ZERO };
  for (const r of rows) {
    sum.input += r.input;
    sum.output += r.output;
    sum.cw5 += r.cacheWrite5m;
    sum.cw1 += r.cacheWrite1h;
    sum.cr += r.cacheRead;
    sum.usd += r.pricedUsd;
    sum.unpriced += r.unpricedTokens;
  }
  return totalsOf(sum);
}

/**
 * The agents with any indexed activity (a prompt, a reply, a tool call, or a
 * billed response) on a local day, latest activity first.
 */
export function agentsOnDay(db: DatabaseSync, day: string): DayAgent[] {
  const start = dayStart(day) * ID_SLOTS;
  const end = dayStart(addDays(day, 1)) * ID_SLOTS;
  // Event ids are timestamp-ordered (history/writer.ts): a day is one rowid range.
  const active = db.prepare(
    `SELECT e.agent_id AS id, min(e.ts) AS first, max(e.ts) AS last
    FROM events e WHERE e.id >= ? AND e.id < ? GROUP BY e.agent_id`,
  ).all(start, end) as unknown as { id: string; first: string | null; last: string | null }[];
  const billed = db.prepare(
    `SELECT d.agent_id AS id, ${DAY_SUMS} FROM usage_days d WHERE d.day = ? GROUP BY d.agent_id`,
  ).all(day) as unknown as (Sums & { id: string })[];
  const agents = new Map<string, { first: string | null; last: string | null; sums: Sums }>();
  for (const a of active) agents.set(a.id, { first: a.first, last: a.last, sums: ZERO });
  // Billed lines with no searchable text (thinking only) still say when the agent ran.
  const span = db.prepare(
    "SELECT min(ts) AS first, max(ts) AS last FROM usage WHERE agent_id = ? AND day = ?",
  );
  for (const b of billed) {
    const seen = agents.get(b.id);
    const s = span.get(b.id, day) as { first: string | null; last: string | null };
    agents.set(b.id, {
      first: _min(seen?.first ?? null, s.first),
      last: _max(seen?.last ?? null, s.last),
      sums: b,
    });
  }
  const meta = db.prepare("SELECT title, project, source FROM agents WHERE agent_id = ?");
  const out: DayAgent[] = [];
  for (const [id, a] of agents) {
    const m = meta.get(id) as { title: string; project: string; source: string } | undefined;
    const t = totalsOf(a.sums);
    out.push({
      id,
      title: m?.title ?? "(unknown agent)",
      project: m?.project ?? "",
      source: m?.source ?? "",
      firstTs: a.first,
      lastTs: a.last,
      usd: t.usd,
      tokens: t.tokens,
    });
  }
  return out.sort((a, b) => (b.lastTs ?? "").localeCompare(a.lastTs ?? ""));
}

function _min(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return Date.parse(a) <= Date.parse(b) ? a : b;
}

function _max(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return Date.parse(a) >= Date.parse(b) ? a : b;
}
