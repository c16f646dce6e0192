/**
 * Every agent's transcript reaches the feed in the one shared vocabulary: the
 * feed model has no Codex, Gemini or Copilot code, yet their tool calls show
 * with their results, their prompts as prompts and their replies as text.
 */
import assert from "node:assert/strict";
import { FeedModel } from "../../ui/feed/model.js";
import { encodeEvent } from "../../transcript/encode.ts";
import { parseLine } from "../../transcript/line.ts";
import { LineSplitter } from "../../files/lines.ts";
import type { TailEvent } from "../../core/event.ts";

const SHAPES = new URL("../fixtures/shapes/", import.meta.url);

/** A file's events as the tail sends them: split on bytes, parsed, clamped, serialised. */
async function wire(name: string): Promise<TailEvent[]> {
  const bytes = await Deno.readFile(new URL(name, SHAPES));
  const splitter = new LineSplitter(0);
  return splitter.push(bytes).map((line) => JSON.parse(encodeEvent(line).json));
}

async function feed(name: string) {
  const model = new FeedModel();
  model.append(await wire(name));
  return model;
}

function kinds(model: FeedModel) {
  const count = new Map<string, number>();
  for (const item of model.items) count.set(item.kind, (count.get(item.kind) ?? 0) + 1);
  return count;
}

Deno.test("feed: a Codex 0.147 rollout shows its prompt, its calls with results, and its reply", async () => {
  const model = await feed(
    "codex/rollout-2026-08-20T09-00-00-019d2a10-7c3e-7a01-9b55-3f0e1d2c4b6a.jsonl",
  );
  const tools = model.items.filter((i) => i.kind === "tool");
  assert.deepEqual(tools.map((t) => t.block.name), ["exec_command", "apply_patch", "exec_command"]);
  assert.ok(tools.every((t) => t.result), "every Codex call found its output");
  assert.deepEqual(tools.map((t) => t.result?.block.isError), [false, false, true]);
  assert.equal(kinds(model).get("result") ?? 0, 0, "no orphaned outputs");
  const users = model.items.filter((i) => i.kind === "user");
  assert.deepEqual(users.map((u) => u.event.text), [
    "The cart total ignores discounts; fix it and run the tests",
  ]);
  assert.deepEqual(
    model.items.filter((i) => i.kind === "text").map((t) => t.block.text),
    ["Discounts now apply per item; one test still fails on rounding."],
  );
  assert.equal(kinds(model).get("thinking"), 1);
});

Deno.test("feed: a Codex prompt, reply and reasoning show once, never again as Codex's echo", async (t) => {
  const rollouts = [
    "../transcripts/agtrace/rollout-2025-12-10T04-55-16-019b04ae-b1c6-7c72-a134-a4c2de66058c.jsonl",
    "../transcripts/sandialabs--conin/.codex/sessions/2026/09/02/rollout-2026-09-02T15-58-14-01a06421-3bf7-7ed2-a618-e42b6c961905.jsonl",
    "codex/rollout-2026-08-19T14-02-00-019cbf10-4a2e-7d31-8f06-1c2d3e4f5a6b.jsonl",
    "codex/rollout-2026-08-20T09-00-00-019d2a10-7c3e-7a01-9b55-3f0e1d2c4b6a.jsonl",
  ];
  for (const name of rollouts) {
    const events = await wire(name);
    const echoes = events.filter((e) => e.kind === "codex" && e.echo);
    assert.ok(echoes.length > 0, `${name} has echoes`);
    for (const page of [events.length, 3]) {
      await t.step(`${name.slice(name.lastIndexOf("/") + 1)} in pages of ${page}`, () => {
        const model = reopened(events, page);
        const shown = model.items.filter((i) => i.event.kind === "codex" && i.event.echo);
        assert.deepEqual(shown.map((i) => i.event.text), [], "no echo of a loaded item");
        const prompts = events.filter((e) => e.kind === "user" && !e.isMeta).length;
        assert.equal(model.items.filter((i) => i.kind === "user").length, prompts);
      });
    }
  }
  await t.step("a reasoning of two summary parts takes both of their echoes", () => {
    const parts = ["**Reading the cart**\n\nTotals live in cart.ts.", "**Planning the fix**"];
    const lines = [
      ...parts.map((text) => ({ type: "event_msg", payload: { type: "agent_reasoning", text } })),
      {
        type: "response_item",
        payload: {
          type: "reasoning",
          summary: parts.map((text) => ({ type: "summary_text", text })),
        },
      },
    ];
    const events = lines.map((l, i) =>
      ({
        ...parseLine(JSON.stringify({ timestamp: "2026-08-20T09:00:00.000Z", ...l })).event,
        cursor: 100 * (i + 1),
      }) as TailEvent
    );
    for (const model of [reopened(events, events.length), reopened(events, 1)]) {
      assert.deepEqual(model.items.map((i) => i.kind), ["thinking"]);
    }
  });
  await t.step(
    "an echo whose item the file lacks still shows (tailboard's demo writes those)",
    () => {
      const model = new FeedModel();
      model.append([
        { subtype: "user_message", role: "user", text: "Add a test" },
        { subtype: "agent_reasoning", text: "**Checking the query plan**" },
      ].map((e, i) =>
        ({
          kind: "codex",
          entry: "event_msg",
          echo: true,
          ...e,
          bytes: 10,
          cursor: 11 * (i + 1),
        }) as TailEvent
      ));
      assert.deepEqual(model.items.map((i) => i.kind), ["quiet", "quiet"]);
    },
  );
});

Deno.test("feed: a legacy Codex rollout (September 2025) reads like any other", async () => {
  const model = await feed(
    "codex/rollout-2025-09-03T10-12-01-5973b6c0-94b8-487b-a530-2aeb6098ae0e.jsonl",
  );
  const tool = model.items.find((i) => i.kind === "tool");
  assert.equal(tool?.block.name, "shell");
  assert.match(tool?.result?.block.text ?? "", /52 total/);
  assert.equal(tool?.result?.event.durationMs, 100);
  assert.deepEqual(model.items.filter((i) => i.kind === "user").map((u) => u.event.text), [
    "List the markdown files and count their lines",
  ]);
  assert.equal(kinds(model).get("log") ?? 0, 0, "no line reads as raw text");
});

Deno.test("feed: a Gemini message's tool results fold into the calls it made", async () => {
  const model = new FeedModel();
  // Up to the rewind, which retracts m3 and what follows it (see the next test).
  const events = await wire(GEMINI_SHAPE);
  model.append(events.filter((e) => !(e.kind === "meta" && e.rewindTo !== undefined)));
  const tools = model.items.filter((i) => i.kind === "tool");
  assert.deepEqual(tools.map((t) => t.block.name), ["replace", "run_shell_command", "write_file"]);
  assert.ok(tools.every((t) => t.result));
  assert.equal(kinds(model).get("result") ?? 0, 0);
});

const GEMINI_SHAPE = "gemini/session-2026-05-02T08-00-7d3f0c1e.jsonl";

/** What a Gemini feed shows: each item as its record id and kind. */
function records(model: FeedModel): string[] {
  return model.items.filter((i) => i.event.recordId).map((i) => `${i.event.recordId} ${i.kind}`);
}

/** The feed as a reopened page builds it: the newest page first, then older ones before it. */
function reopened(events: TailEvent[], page: number): FeedModel {
  const model = new FeedModel();
  let end = events.length;
  let start = Math.max(0, end - page);
  model.append(events.slice(start, end));
  while (start > 0) {
    end = start;
    start = Math.max(0, end - page);
    model.prepend(events.slice(start, end), start > 0);
  }
  return model;
}

Deno.test("feed: a Gemini rewind retracts its target and everything after it, live and reopened", async (t) => {
  const events = await wire(GEMINI_SHAPE);
  const expected = [
    "m1 user",
    "m2 thinking",
    "m2 text",
    "m2 tool",
    "m6 user",
    "m7 quiet",
    "m8 quiet",
  ];
  await t.step("live: line by line", () => {
    const model = new FeedModel();
    for (const event of events) model.append([event]);
    assert.deepEqual(records(model), expected);
    assert.equal(model.callFor("run_shell_command-1746172812-2"), undefined);
    assert.ok(
      model.items.some((i) => i.event.kind === "meta" && i.event.rewindTo === "m3"),
      "the rewind itself shows as a quiet line",
    );
  });
  for (const page of [1, 2, 3, 5, 100]) {
    await t.step(`reopened in pages of ${page}`, () => {
      assert.deepEqual(records(reopened(events, page)), expected);
    });
  }
});

Deno.test("feed: a rewind to an id the chat does not hold retracts every earlier message", () => {
  const model = new FeedModel();
  const line = (p: Record<string, unknown>, i: number) =>
    ({ bytes: 10, cursor: (i + 1) * 11, ...p }) as unknown as TailEvent;
  model.append([
    { kind: "user", recordId: "a", text: "one", blocks: [] },
    { kind: "meta", subtype: "rewind", text: "rewound to zz", rewindTo: "zz" },
    { kind: "user", recordId: "b", text: "two", blocks: [] },
  ].map(line));
  assert.deepEqual(records(model), ["b user"]);
});

Deno.test("feed: a Gemini message written twice shows once, as its later copy", async (t) => {
  const real = await wire(
    "../transcripts/Mai0313--VibeCodingTracker/tests/fixtures/sessions/gemini.jsonl",
  );
  const ids = real.filter((e) => e.recordId).map((e) => e.recordId!);
  assert.equal(ids.length - new Set(ids).size, 5, "the real chat rewrites five messages");
  for (const page of [real.length, 1, 4]) {
    await t.step(page === real.length ? "live" : `reopened in pages of ${page}`, () => {
      const model = page === real.length ? new FeedModel() : reopened(real, page);
      if (page === real.length) model.append(real);
      const shown = model.items.filter((i) => i.event.recordId);
      // Every item comes from the last copy of its record.
      for (const item of shown) {
        const last = real.findLast((e) => e.recordId === item.event.recordId);
        assert.equal(item.event.cursor, last?.cursor, `${item.event.recordId} is its last copy`);
      }
      const tools = model.items.filter((i) => i.kind === "tool").map((i) => i.block.name);
      assert.deepEqual(tools, [
        "update_topic",
        "read_file",
        "read_file",
        "read_file",
        "read_file",
        "read_file",
        "read_file",
        "read_file",
        "write_file",
        "update_topic",
        "update_topic",
        "replace",
      ]);
      assert.ok(model.items.filter((i) => i.kind === "tool").every((i) => i.result));
      assert.equal(kinds(model).get("result") ?? 0, 0, "no result lost its call");
    });
  }
});

Deno.test("feed: Copilot calls get their completions and their progress", async () => {
  const model = await feed("copilot/events.jsonl");
  const tools = model.items.filter((i) => i.kind === "tool");
  assert.deepEqual(tools.map((t) => t.block.name), ["edit", "bash", "task"]);
  assert.ok(tools.every((t) => t.result));
  assert.equal(tools[2]?.progress?.count, 2, "the subagent's start and end fold into its call");
  assert.equal(tools[1]?.result?.block.isError, true);
});

Deno.test("feed: Claude Code 1.0.x subagents inside their session's file fold into their Task calls", async () => {
  const model = await feed("claude/4b9d2e71-6c0a-4f3b-8e15-2d7a9c3f1b60.jsonl");
  const users = model.items.filter((i) => i.kind === "user");
  assert.deepEqual(
    users.map((u) => u.event.text),
    ["Check the cart module and the checkout module for rounding bugs, in parallel"],
    "a subagent's prompt is never the user's",
  );
  const tasks = model.items.filter((i) => i.kind === "tool" && i.block.name === "Task");
  assert.equal(tasks.length, 2);
  // Each subagent's lines (prompt, call, result, answer) follow its own chain, interleaved or not.
  assert.deepEqual(tasks.map((t) => t.progress?.count), [4, 4]);
  assert.match(tasks[0]!.progress!.last.blocks[0].text, /cart\.ts:14/);
  assert.match(tasks[1]!.progress!.last.blocks[0].text, /checkout\.ts:2/);
  assert.ok(tasks.every((t) => t.result), "each Task has its result");
  // None of the subagents' own tool calls is drawn as the session's work.
  assert.deepEqual(
    model.items.filter((i) => i.kind === "tool").map((i) => i.block.name),
    ["Task", "Task"],
  );
});

Deno.test("feed: a subagent's own file (all sidechain) shows as usual", async () => {
  const model = new FeedModel();
  model.append(
    (await wire("claude/4b9d2e71-6c0a-4f3b-8e15-2d7a9c3f1b60.jsonl")).filter((e) =>
      e.sidechain === true
    ),
  );
  assert.equal(model.items.filter((i) => i.kind === "user").length, 2);
  assert.deepEqual(
    model.items.filter((i) => i.kind === "tool").map((i) => i.block.name),
    ["Grep", "Read"],
  );
});
