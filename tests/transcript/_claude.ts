/** Helpers shared by the Claude Code line tests (claude_*_test.ts). */
import assert from "node:assert/strict";
import type { ParsedEvent } from "../../core/event.ts";
import { parseLine } from "../../transcript/line.ts";

export function parse(rec: Record<string, unknown>): ParsedEvent {
  return parseLine(JSON.stringify(rec)).event;
}

/** Narrows an event to one kind, failing the test otherwise. */
export function as<K extends ParsedEvent["kind"]>(
  event: ParsedEvent,
  kind: K,
): Extract<ParsedEvent, { kind: K }> {
  assert.equal(event.kind, kind);
  return event as Extract<ParsedEvent, { kind: K }>;
}

/** The fields every Claude Code line carries. */
export const common = {
  uuid: "u-1",
  parentUuid: "u-0",
  timestamp: "2025-12-16T00:00:01.000Z",
  isSidechain: false,
  cwd: "/repo",
  sessionId: "s-1",
};
