import assert from "node:assert/strict";
import { foldFacts } from "../../agents/facts.ts";
import { defaultRoots } from "../../files/roots.ts";
import { transcript } from "../_harness/corpus.ts";

const ROLLOUT = transcript(
  "agtrace/rollout-2025-12-10T04-55-16-019b04ae-b1c6-7c72-a134-a4c2de66058c.jsonl",
);

Deno.test("a Codex rollout gets its project, first prompt and turn state from its lines", async () => {
  const lines = (await Deno.readTextFile(ROLLOUT)).split("\n").filter(Boolean);
  const facts = foldFacts(lines);
  assert.equal(facts.cwd, "/Users/zawakin/agent-sample");
  assert.equal(
    facts.firstPrompt,
    "add myapp directory and create myapp/hoge.py which shows result of print(1+1).",
  );
  assert.equal(facts.activity, "waiting", "the rollout ends after the assistant's answer");
  const prompt = lines.findIndex((l) => l.includes('"user_message"'));
  assert.equal(foldFacts(lines.slice(0, prompt + 1)).activity, "working", "right after the prompt");
});

Deno.test("Codex sessions are watched by default, under CODEX_HOME when set", () => {
  const base = { home: "/home/ada", platform: "linux", uid: 1000 };
  assert.ok(defaultRoots({ ...base, env: {} }).some((r) => r.path === "/home/ada/.codex/sessions"));
  assert.ok(
    defaultRoots({ ...base, env: { CODEX_HOME: "/data/codex/" } }).some((r) =>
      r.path === "/data/codex/sessions"
    ),
  );
});
