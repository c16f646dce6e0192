/**
 * The census: every line of every transcript fixture in the repo (real ones
 * and faithfully shaped ones; see tests/fixtures/*PROVENANCE*) is typed. No
 * line of a known agent format comes out as `other`, and no line that is a
 * JSON record comes out as raw text. This is what tailboard claims to read.
 */

import assert from "node:assert/strict";
import { type Format, parseLine } from "../../transcript/line.ts";
import { clampEvent } from "../../transcript/clamp.ts";
import type { TailEvent } from "../../core/event.ts";
import { isRecord } from "../../transcript/record.ts";
import { zstLines } from "../../files/zst.ts";

const FIXTURES = new URL("../fixtures/", import.meta.url);

const KINDS = new Set([
  "user",
  "assistant",
  "tool_result",
  "system",
  "attachment",
  "progress",
  "title",
  "meta",
  "text",
  "codex",
]);

/**
 * Lines that are deliberately damaged in a fixture: JSON objects that are no
 * agent's record. Each is named with the reason it may read as text.
 */
const DAMAGED = new Map<string, string>([
  ['{"silly": "this"}', "claude-code-log's edge cases: an object with no type and no message"],
]);

async function transcripts(dir: URL, prefix = ""): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const name = `${prefix}${entry.name}`;
    if (entry.isDirectory) {
      found.push(...await transcripts(new URL(`${entry.name}/`, dir), `${name}/`));
    } else if (entry.name.endsWith(".jsonl") || entry.name.endsWith(".jsonl.zst")) {
      found.push(name);
    }
  }
  return found.sort();
}

interface Census {
  lines: number;
  byFormat: Map<Format | "none", number>;
}

async function census(name: string): Promise<Census> {
  const path = new URL(name, FIXTURES);
  // Compressed rollouts are read as the tail reads them: streaming, decompressed.
  const lines = name.endsWith(".zst")
    ? (await Array.fromAsync(zstLines(path.pathname))).map((l) => l.text)
    : (await Deno.readTextFile(path)).split("\n");
  if (lines.at(-1) === "") lines.pop();
  const result: Census = { lines: 0, byFormat: new Map() };
  lines.forEach((line, i) => {
    const where = `${name}:${i + 1}`;
    const parsed = parseLine(line);
    const event = parsed.event;
    result.lines++;
    result.byFormat.set(
      parsed.format ?? "none",
      (result.byFormat.get(parsed.format ?? "none") ?? 0) + 1,
    );
    assert.ok(KINDS.has(event.kind), `${where}: untyped kind ${event.kind}`);
    assert.notEqual(event.kind, "other", `${where}: ${event.kind === "other" ? event.text : ""}`);
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      json = undefined;
    }
    if (isRecord(json) && !DAMAGED.has(line.trim())) {
      assert.notEqual(event.kind, "text", `${where}: a JSON record read as raw text`);
      assert.ok(parsed.format, `${where}: a JSON record with no format`);
    }
    // Every event survives the wire: clamped and serialised without loss of its kind.
    const wire = JSON.parse(JSON.stringify(clampEvent({ ...event, cursor: 1 } as TailEvent)));
    assert.equal(wire.kind, event.kind, where);
  });
  return result;
}

const files = await transcripts(FIXTURES);

Deno.test("census: the fixtures hold every agent format tailboard reads", async () => {
  const formats = new Set<string>();
  for (const name of files) {
    for (const format of (await census(name)).byFormat.keys()) formats.add(format);
  }
  for (const format of ["claude", "codex", "gemini", "copilot"]) {
    assert.ok(formats.has(format), `no fixture of ${format}`);
  }
});

for (const name of files) {
  Deno.test(`census: ${name} is typed line by line`, async () => {
    const { lines } = await census(name);
    assert.ok(lines > 0, "an empty fixture proves nothing");
  });
}
