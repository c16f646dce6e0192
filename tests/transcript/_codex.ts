/** Builders shared by the Codex adapter's tests: a rollout line in, its event out. */
import assert from "node:assert/strict";
import type { CodexEvent, ParsedEvent } from "../../core/event.ts";
import { parseLine } from "../../transcript/line.ts";

export type Codex = Omit<CodexEvent, "cursor">;

/** A `{timestamp, type, payload}` line that stays a `codex` event. */
export function codex(type: string, payload: unknown): Codex {
  const { event } = parseLine(
    JSON.stringify({ timestamp: "2025-12-09T19:55:16.336Z", type, payload }),
  );
  assert.equal(event.kind, "codex");
  return event as Codex;
}

export const item = (payload: Record<string, unknown>): Codex => codex("response_item", payload);
export const msg = (payload: Record<string, unknown>): Codex => codex("event_msg", payload);

/** A response item as the shared event it becomes. */
export function shared(payload: Record<string, unknown>, legacy = false): ParsedEvent {
  const line = legacy
    ? payload
    : { timestamp: "2025-12-09T19:55:16.336Z", type: "response_item", payload };
  const parsed = parseLine(JSON.stringify(line));
  assert.equal(parsed.format, "codex");
  return parsed.event;
}

export function only<K extends ParsedEvent["kind"]>(event: ParsedEvent, kind: K) {
  assert.equal(event.kind, kind);
  return event as Extract<ParsedEvent, { kind: K }>;
}
