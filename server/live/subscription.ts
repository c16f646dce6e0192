/**
 * What a page may subscribe to on its live connection, and the checks a
 * request body passes before the hub sees it. Pure: no I/O.
 */
import { parseCursor, type ParsedCursor } from "../../files/identity.ts";

/** One subscription; `key` is the client's own name for it, echoed on every message. */
export type Subscription =
  | { key: string; kind: "agents" }
  | { key: string; kind: "jobs" }
  | { key: string; kind: "index" }
  | { key: string; kind: "agent"; id: string; after?: ParsedCursor; tail?: number }
  | {
    key: string;
    kind: "job-log";
    id: string;
    stream: "stdout" | "stderr";
    after?: ParsedCursor;
    tail?: number;
  };

/** A change to a connection's subscriptions: drops first, then adds. */
export interface SubscriptionChange {
  add: Subscription[];
  drop: string[];
}

/** Longest client key. */
export const MAX_KEY = 128;
/** Most subscriptions in one request (a page with many tabs re-adds all of them at once). */
export const MAX_CHANGE = 1000;
/** Largest `tail` a subscription may ask for (as on the per-file endpoints). */
export const MAX_TAIL = 5000;

/** Checks a parsed request body; a string is the error message. */
export function parseChange(body: unknown): SubscriptionChange | string {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return "the body must be a JSON object with `add` and/or `drop`";
  }
  const { add = [], drop = [] } = body as Record<string, unknown>;
  if (!Array.isArray(add) || !Array.isArray(drop)) return "`add` and `drop` must be arrays";
  if (add.length + drop.length > MAX_CHANGE) {
    return `at most ${MAX_CHANGE} subscriptions per request`;
  }
  const change: SubscriptionChange = { add: [], drop: [] };
  for (const key of drop) {
    const bad = badKey(key);
    if (bad) return `drop: ${bad}`;
    change.drop.push(key as string);
  }
  for (const raw of add) {
    const sub = parseSubscription(raw);
    if (typeof sub === "string") return `add: ${sub}`;
    change.add.push(sub);
  }
  return change;
}

function parseSubscription(raw: unknown): Subscription | string {
  if (typeof raw !== "object" || raw === null) return "each subscription must be an object";
  const o = raw as Record<string, unknown>;
  const bad = badKey(o.key);
  if (bad) return bad;
  const key = o.key as string;
  switch (o.kind) {
    case "agents":
    case "jobs":
    case "index":
      return { key, kind: o.kind };
    case "agent":
    case "job-log": {
      if (typeof o.id !== "string" || o.id.length === 0 || o.id.length > 200) {
        return `${key}: id must be a non-empty string`;
      }
      const after = resumeToken(o.after);
      const tail = count(o.tail, "tail", MAX_TAIL);
      if (typeof after === "string") return `${key}: ${after}`;
      if (typeof tail === "string") return `${key}: ${tail}`;
      const from = {
        ...(after !== undefined ? { after } : {}),
        ...(tail !== undefined ? { tail } : {}),
      };
      if (o.kind === "agent") return { key, kind: "agent", id: o.id, ...from };
      if (o.stream !== "stdout" && o.stream !== "stderr") {
        return `${key}: stream must be stdout or stderr`;
      }
      return { key, kind: "job-log", id: o.id, stream: o.stream, ...from };
    }
    default:
      return `${key}: kind must be agents, jobs, index, agent or job-log`;
  }
}

function badKey(key: unknown): string | null {
  if (typeof key !== "string" || key.length === 0 || key.length > MAX_KEY) {
    return `key must be a string of 1 to ${MAX_KEY} characters`;
  }
  return null;
}

/**
 * A resume token (`<offset>.<tag>`, the `id` of an `events` message) or a bare
 * offset; absent when null, -1 or missing ("no cursor yet").
 */
function resumeToken(v: unknown): ParsedCursor | undefined | string {
  if (v === undefined || v === null || v === -1 || v === "") return undefined;
  const parsed = typeof v === "number"
    ? (Number.isSafeInteger(v) && v >= 0 ? { offset: v, tag: null } : null)
    : typeof v === "string"
    ? parseCursor(v)
    : null;
  return parsed ?? "after must be a resume token (<offset>.<tag>) or a byte offset";
}

/** A non-negative integer or absent (`null` and `-1` also mean absent: "no cursor yet"). */
function count(v: unknown, name: string, max: number): number | undefined | string {
  if (v === undefined || v === null || v === -1) return undefined;
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) {
    return `${name} must be a non-negative integer`;
  }
  if (v > max) return `${name} must be at most ${max}`;
  return v;
}
