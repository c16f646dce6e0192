/**
 * Claude Code 1.0.x inline subagents, pure: which chain each line belongs
 * to, which Task call started it, and what its own lines say about it.
 */
import assert from "node:assert/strict";
import { SidechainChains } from "../../transcript/claude_chains.ts";
import { InlineSidechains } from "../../agents/sidechains.ts";
import { foldFacts } from "../../agents/facts.ts";
import { SidechainReader } from "../../agents/sidechain_reader.ts";
import { UsageCounter } from "../../cost/usage.ts";

const FIXTURE = new URL(
  "../fixtures/shapes/claude/4b9d2e71-6c0a-4f3b-8e15-2d7a9c3f1b60.jsonl",
  import.meta.url,
);

/** A 1.0.x line: every one says whether it is a sidechain's. */
function rec(
  uuid: string,
  parentUuid: string | null,
  sidechain: boolean,
  body: Record<string, unknown>,
): string {
  return JSON.stringify({
    parentUuid,
    isSidechain: sidechain,
    userType: "external",
    sessionId: "s1",
    version: "1.0.98",
    uuid,
    timestamp: "2025-08-30T12:00:00.000Z",
    ...body,
  });
}
const prompt = (text: string) => ({ type: "user", message: { role: "user", content: text } });
const say = (text: string, id = `msg_${text.length}`) => ({
  type: "assistant",
  message: {
    id,
    role: "assistant",
    model: "claude-sonnet-4-20250514",
    content: [{ type: "text", text }],
    stop_reason: "end_turn",
    usage: { input_tokens: 10, output_tokens: 5 },
  },
});
const task = (id: string, text: string) => ({
  type: "assistant",
  message: {
    role: "assistant",
    content: [{ type: "tool_use", id, name: "Task", input: { description: "d", prompt: text } }],
  },
});
const taskResult = (id: string, isError = false) => ({
  type: "user",
  message: {
    role: "user",
    content: [{ type: "tool_result", tool_use_id: id, content: "done", is_error: isError }],
  },
});

function feed(lines: string[]): InlineSidechains {
  const s = new InlineSidechains(() => new UsageCounter());
  for (const l of lines) s.step(l, new TextEncoder().encode(l).length);
  return s;
}

Deno.test("SidechainChains: interleaved chains each keep their own lines; the session's lines belong to none", () => {
  const chains = new SidechainChains();
  const lines = [
    { uuid: "m1", sidechain: false },
    { uuid: "a1", sidechain: true },
    { uuid: "b1", sidechain: true },
    { uuid: "a2", parentUuid: "a1", sidechain: true },
    { uuid: "b2", parentUuid: "b1", sidechain: true },
    { uuid: "m2", parentUuid: "m1", sidechain: false },
    { uuid: "a3", parentUuid: "a2", sidechain: true },
  ];
  assert.deepEqual(lines.map((l) => chains.rootOf(l)), [null, "a1", "b1", "a1", "b1", null, "a1"]);
  // Asked again (a second reader of the same file), the same answers.
  assert.deepEqual(lines.map((l) => chains.rootOf(l)), [null, "a1", "b1", "a1", "b1", null, "a1"]);
});

Deno.test("SidechainChains: a chain whose first line names a session line as its parent starts there", () => {
  const chains = new SidechainChains();
  chains.rootOf({ uuid: "m1", sidechain: false });
  assert.equal(chains.rootOf({ uuid: "s1", parentUuid: "m1", sidechain: true }), "s1");
  assert.equal(chains.rootOf({ uuid: "s2", parentUuid: "s1", sidechain: true }), "s1");
  // A line with no uuid still belongs to the chain it names.
  assert.equal(chains.rootOf({ parentUuid: "s2", sidechain: true }), "s1");
});

Deno.test("InlineSidechains: the shaped 1.0.98 session has two subagents, each tied to its own Task call", async () => {
  const s = feed((await Deno.readTextFile(FIXTURE)).split("\n").filter(Boolean));
  const agents = s.agents();
  assert.deepEqual(agents.map((a) => [a.root, a.toolUseId]), [
    ["s1u", "toolu_01Cart"],
    ["s2u", "toolu_01Chk"],
  ]);
  assert.equal(
    agents[0]!.facts.firstPrompt,
    "Find rounding bugs in src/cart.ts and report file:line for each",
  );
  // Each counts its own two responses, not the session's.
  assert.equal(agents[0]!.usage?.input, 8);
  assert.equal(agents[0]!.usage?.output, 120);
  // The session returned both Task results: both subagents are over.
  assert.deepEqual(agents.map((a) => a.facts.turn?.phase), ["result", "result"]);
});

Deno.test("InlineSidechains: two Task calls with the same prompt take their subagents in order", () => {
  const s = feed([
    rec("m1", null, false, prompt("twice")),
    rec("m2", "m1", false, task("t1", "look")),
    rec("m3", "m2", false, task("t2", "look")),
    rec("a1", null, true, prompt("look")),
    rec("b1", null, true, prompt("look")),
  ]);
  assert.deepEqual(s.agents().map((a) => a.toolUseId), ["t1", "t2"]);
});

Deno.test("InlineSidechains: a subagent still running works; a failed Task result fails it", () => {
  const s = feed([
    rec("m1", null, false, prompt("go")),
    rec("m2", "m1", false, task("t1", "one")),
    rec("m3", "m2", false, task("t2", "two")),
    rec("a1", null, true, prompt("one")),
    rec("b1", null, true, prompt("two")),
    rec("b2", "b1", true, {
      type: "assistant",
      message: {
        role: "assistant",
        content: [{ type: "tool_use", id: "g1", name: "Grep", input: {} }],
        stop_reason: "tool_use",
      },
    }),
    rec("m4", "m3", false, taskResult("t1", true)),
  ]);
  const [one, two] = s.agents();
  assert.equal(one!.facts.turn?.phase, "error-result");
  assert.equal(two!.facts.turn?.phase, "tool");
  assert.deepEqual(two!.facts.turn?.tools, ["Grep"]);
  assert.equal(two!.facts.activity, "working");
});

Deno.test("InlineSidechains: a session with no subagent lines has none", () => {
  const s = feed([rec("m1", null, false, prompt("hi")), rec("m2", "m1", false, say("hello"))]);
  assert.equal(s.any, false);
  assert.deepEqual(s.agents(), []);
});

Deno.test("foldFacts: a session's facts leave its inline subagents' lines out", () => {
  const facts = foldFacts([
    rec("m1", null, false, prompt("audit it")),
    rec("m2", "m1", false, task("t1", "look at cart")),
    rec("a1", null, true, prompt("look at cart")),
    rec("a2", "a1", true, say("cart is fine")),
  ]);
  // The session still waits on its Task call; the subagent's "end_turn" is not the session's.
  assert.equal(facts.turn?.phase, "tool");
  assert.deepEqual(facts.turn?.tools, ["Task"]);
  assert.equal(facts.firstPrompt, "audit it");
  assert.equal(facts.sidechainLines, true);
  assert.equal(facts.version, "1.0.98");
});

Deno.test("SidechainReader reads what was appended, and a rewritten file from the top", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tailboard-sidechain-" });
  try {
    const path = `${dir}/s.jsonl`;
    await Deno.writeTextFile(
      path,
      [rec("m1", null, false, prompt("go")), rec("m2", "m1", false, task("t1", "one"))].join("\n") +
        "\n",
    );
    const reader = new SidechainReader(path);
    assert.deepEqual(await reader.agents(), []);
    // Half a line: nothing until its newline arrives.
    const next = rec("a1", null, true, prompt("one"));
    await Deno.writeTextFile(path, next.slice(0, 20), { append: true });
    assert.deepEqual(await reader.agents(), []);
    await Deno.writeTextFile(path, next.slice(20) + "\n", { append: true });
    assert.deepEqual((await reader.agents()).map((a) => [a.root, a.toolUseId]), [["a1", "t1"]]);
    // Shorter than read: read again from the top, forgetting the old chains.
    await Deno.writeTextFile(path, rec("b1", null, true, prompt("other")) + "\n");
    assert.deepEqual((await reader.agents()).map((a) => a.root), ["b1"]);
    const view = reader.viewOf("b1");
    await view.ready?.();
    assert.equal(view.keeps({ kind: "user", sidechain: true, uuid: "b1" } as never), true);
    assert.equal(view.keeps({ kind: "user", sidechain: true, uuid: "a1" } as never), false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
