/**
 * Older Gemini CLI versions wrote a chat as one pretty-printed
 * `session-*.json`: it is read through a JSON Lines copy, a header line then
 * one line per message, like the chats newer versions write.
 */
import assert from "node:assert/strict";
import { isGeminiDocument, readablePath } from "../../files/readable.ts";
import { classify } from "../../files/classify.ts";
import { readFacts } from "../../agents/read_facts.ts";
import { TailPool } from "../../files/pool.ts";
import { parseLine } from "../../transcript/line.ts";
import { transcript } from "../_harness/corpus.ts";

const REAL = transcript(
  "lanegrid--agtrace/crates/agtrace-engine/tests/samples/gemini_session.json",
);

Deno.test("an older Gemini chat document reads as a header and one line per message", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tailboard-gemini-doc-" });
  const pool = new TailPool({ pollMs: 20, lingerMs: 0 });
  try {
    await Deno.mkdir(`${dir}/tmp/myapp/chats`, { recursive: true });
    const path = `${dir}/tmp/myapp/chats/session-2025-12-09T19-51-15a79f8b.json`;
    await Deno.copyFile(REAL, path);
    assert.ok(isGeminiDocument(path));
    const got = classify(path, { path: `${dir}/tmp`, kind: "gemini-tmp" });
    assert.equal(got.source, "gemini");
    assert.equal(got.projectHint, "myapp");

    const lines = (await Deno.readTextFile(await readablePath(path))).split("\n").filter(Boolean);
    assert.equal(lines.length, 10, "the header and nine messages");
    const parsed = lines.map((l) => parseLine(l));
    assert.ok(parsed.every((p) => p.format === "gemini"));
    assert.ok(parsed.every((p) => p.event.kind !== "text" && p.event.kind !== "other"));
    assert.equal(parsed[0]!.sessionId !== undefined, true);
    const calls = parsed.flatMap((p) =>
      p.event.kind === "assistant" ? p.event.blocks.filter((b) => b.type === "tool_use") : []
    );
    assert.deepEqual(
      [...new Set(calls.map((c) => c.type === "tool_use" ? c.name : ""))].sort(),
      ["run_shell_command", "write_file"],
    );

    const facts = await readFacts(path, (await Deno.stat(path)).size);
    assert.equal(
      facts.firstPrompt,
      "add myapp directory and create myapp/hoge.py which shows result of print(1+1).",
    );

    const tail = await pool.acquire(path);
    assert.equal(tail.recent.length, 10);
    pool.release(path, tail);
  } finally {
    pool.close();
    await Deno.remove(dir, { recursive: true });
  }
});
