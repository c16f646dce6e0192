/** The Codex adapter: rollout entries, the legacy format, child threads and 0.148's entries. */
import assert from "node:assert/strict";
import { parseLine } from "../../transcript/line.ts";
import { type Codex, codex, msg, only, shared } from "./_codex.ts";

Deno.test("parseLine() reads session_meta, with the session's cwd and id", () => {
  const parsed = parseLine(JSON.stringify({
    timestamp: "T",
    type: "session_meta",
    payload: {
      id: "019b04ae",
      cwd: "/Users/me/app",
      cli_version: "0.66.0",
      model_provider: "openai",
      git: { branch: "main" },
    },
  }));
  assert.equal(parsed.cwd, "/Users/me/app");
  assert.equal(parsed.sessionId, "019b04ae");
  const event = parsed.event as Codex;
  assert.equal(event.entry, "session_meta");
  assert.equal(event.subtype, "session_meta");
  assert.equal(event.ts, "T");
  assert.equal(event.text, "Codex 0.66.0 · openai · /Users/me/app · branch main");
});

Deno.test("parseLine() reads turn_context as model and policies", () => {
  const event = codex("turn_context", {
    cwd: "/r",
    model: "gpt-5.1-codex-max",
    effort: "medium",
    approval_policy: "on-request",
    sandbox_policy: { type: "workspace-write" },
  });
  assert.equal(event.subtype, "turn_context");
  assert.equal(
    event.text,
    "gpt-5.1-codex-max · effort medium · approval on-request · sandbox workspace-write",
  );
});

Deno.test("parseLine() reads the legacy rollout format of September 2025", () => {
  const header = parseLine(JSON.stringify({
    id: "5973b6c0-94b8-487b-a530-2aeb6098ae0e",
    timestamp: "2025-09-03T10:12:01.123Z",
    instructions: null,
    git: { commit_hash: "abc", branch: "main" },
  }));
  assert.equal(header.format, "codex");
  assert.equal(header.sessionId, "5973b6c0-94b8-487b-a530-2aeb6098ae0e");
  assert.equal((header.event as Codex).entry, "session_meta");

  const state = parseLine('{"record_type":"state"}');
  assert.equal(state.event.kind, "codex");
  assert.equal((state.event as Codex).text, "state record");

  const prompt = only(
    shared({ type: "message", role: "user", content: [{ type: "input_text", text: "hi" }] }, true),
    "user",
  );
  assert.equal(prompt.text, "hi");
  const call = only(
    shared({
      type: "function_call",
      id: "fc_1",
      name: "shell",
      arguments: '{"command":["bash","-lc","ls"]}',
      call_id: "call_9",
    }, true),
    "assistant",
  );
  assert.deepEqual(call.blocks[0], {
    type: "tool_use",
    id: "call_9",
    name: "shell",
    input: { command: ["bash", "-lc", "ls"] },
  });
});

Deno.test("parseLine() names a child thread's parent from session_meta", () => {
  const child = parseLine(JSON.stringify({
    timestamp: "T",
    type: "session_meta",
    payload: {
      id: "child",
      parent_thread_id: "019b04ae-b1c6-7c72-a134-a4c2de66058c",
      source: { subagent: { thread_spawn: { parent_thread_id: "ignored", depth: 1 } } },
    },
  }));
  assert.equal(child.parentSessionId, "019b04ae-b1c6-7c72-a134-a4c2de66058c");
  const spawned = parseLine(JSON.stringify({
    timestamp: "T",
    type: "session_meta",
    payload: { id: "c2", source: { subagent: { thread_spawn: { parent_thread_id: "p2" } } } },
  }));
  assert.equal(spawned.parentSessionId, "p2");
});

Deno.test("parseLine() reads compacted, world_state and unknown payloads without failing", () => {
  assert.equal(codex("compacted", { message: "summary of the work" }).text, "summary of the work");
  assert.equal(
    codex("compacted", { message: "", replacement_history: [{}, {}] }).text,
    "history compacted: 2 items kept",
  );
  const world = codex("world_state", { full: false, state: { model: "gpt", environments: {} } });
  assert.equal(world.subtype, "world_state");
  assert.equal(world.text, "world state update: {model, environments}");
  assert.equal(
    codex("inter_agent_communication_metadata", { trigger_turn: false }).text,
    "inter-agent message (no turn)",
  );
  assert.equal(msg({ type: "brand_new_event", status: "fine" }).text, "fine");
  const noPayload = codex("event_msg", null);
  assert.equal(noPayload.subtype, "event_msg");
});

Deno.test("parseLine() reads 0.148's inter-agent entries in words", () => {
  const message = codex("inter_agent_communication", {
    author: "/root",
    recipient: "/root/tester",
    other_recipients: ["/root/docs"],
    content: "Run the cart tests.",
    trigger_turn: true,
  });
  assert.equal(
    message.text,
    "/root → /root/tester, /root/docs (starts a turn): Run the cart tests.",
  );
  const sealed = codex("inter_agent_communication", {
    author: "/root/tester",
    recipient: "/root",
    encrypted_content: "gAAAA",
    trigger_turn: false,
  });
  assert.equal(sealed.text, "/root/tester → /root: (encrypted)");
  assert.equal(
    codex("inter_agent_communication_metadata", { trigger_turn: true }).text,
    "inter-agent message (starts a turn)",
  );
});

const ROLLOUTS = [
  "transcripts/agtrace/rollout-2025-12-10T04-55-16-019b04ae-b1c6-7c72-a134-a4c2de66058c.jsonl",
  "transcripts/sandialabs--conin/.codex/sessions/2026/09/02/rollout-2026-09-02T15-58-14-01a06421-3bf7-7ed2-a618-e42b6c961905.jsonl",
  "shapes/codex/rollout-2026-08-19T14-02-00-019cbf10-4a2e-7d31-8f06-1c2d3e4f5a6b.jsonl",
  "shapes/codex/rollout-2026-08-20T09-00-00-019d2a10-7c3e-7a01-9b55-3f0e1d2c4b6a.jsonl",
  "shapes/codex/rollout-2025-09-03T10-12-01-5973b6c0-94b8-487b-a530-2aeb6098ae0e.jsonl",
];

/**
 * What the human typed, as Codex's own UI records it: `event_msg`
 * `user_message` (to 0.147) or `item_completed` `UserMessage` (0.147+).
 * The legacy format has neither; there the prompts are listed by hand.
 */
function typedPrompts(lines: string[]): string[] {
  const typed: string[] = [];
  for (const line of lines) {
    const p = JSON.parse(line).payload ?? {};
    if (p.type === "user_message") typed.push(p.message);
    if (p.type === "item_completed" && p.item?.type === "UserMessage") {
      typed.push(p.item.content.map((c: { text: string }) => c.text).join("\n"));
    }
  }
  return typed;
}

Deno.test("every Codex rollout fixture shows each typed prompt as the user's exactly once", async (t) => {
  for (const name of ROLLOUTS) {
    await t.step(name.slice(name.lastIndexOf("/") + 1), async () => {
      const text = await Deno.readTextFile(new URL(`../fixtures/${name}`, import.meta.url));
      const lines = text.split("\n").filter(Boolean);
      const prompts = lines.map((l) => parseLine(l).event).filter((e) =>
        e.kind === "user" && !e.isMeta
      ).map((e) => (e as { text: string }).text);
      const typed = typedPrompts(lines);
      assert.ok(prompts.length > 0, "a rollout with no prompt proves nothing");
      // Injected context (environment, AGENTS.md, permissions, turn_aborted) never reads as a prompt.
      for (const prompt of prompts) assert.doesNotMatch(prompt, /^\s*(<|# AGENTS\.md)/);
      if (typed.length > 0) assert.deepEqual(prompts, typed);
      else assert.ok(name.includes("2025-09-03"), "only the legacy format records no echo");
    });
  }
});
