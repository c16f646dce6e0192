import assert from "node:assert/strict";
import { FeedModel, isInjected, startOf } from "../../ui/feed/model.js";
import { parseLine } from "../../transcript/line.ts";
import type { TailEvent } from "../../core/event.ts";
import { TRANSCRIPTS } from "../_harness/corpus.ts";

/** Events with cursors as a tail would assign them (each line 100 bytes + newline). */
function events(...partial: Record<string, unknown>[]): TailEvent[] {
  return partial.map((p, i) =>
    ({ bytes: 100, cursor: (i + 1) * 101, ...p }) as unknown as TailEvent
  );
}

const call = (id: string, name = "Bash", input: unknown = { command: "ls" }) => ({
  kind: "assistant",
  blocks: [{ type: "tool_use", id, name, input }],
});
const result = (id: string, text = "ok") => ({
  kind: "tool_result",
  blocks: [{ type: "tool_result", toolUseId: id, isError: false, text, images: 0 }],
});

Deno.test("FeedModel folds a tool result into its call", () => {
  const model = new FeedModel();
  model.append(events({ kind: "user", text: "hi", blocks: [] }, call("t1"), result("t1", "files")));
  assert.deepEqual(model.items.map((i) => i.kind), ["user", "tool"]);
  assert.equal(model.items[1]?.result?.block.text, "files");
  assert.equal(model.itemAt(303), model.items[1], "the result's cursor finds the call");
});

Deno.test("FeedModel splits an assistant line into one item per block", () => {
  const model = new FeedModel();
  model.append(events({
    kind: "assistant",
    blocks: [
      { type: "thinking", text: "hmm" },
      { type: "text", text: "  " },
      { type: "text", text: "Done." },
      { type: "tool_use", id: "a", name: "Read", input: {} },
    ],
  }));
  assert.deepEqual(model.items.map((i) => [i.kind, i.key]), [["thinking", "101.0"], [
    "text",
    "101.2",
  ], ["tool", "101.3"]]);
});

Deno.test("FeedModel bumps the call's revision when its result arrives live", () => {
  const model = new FeedModel();
  const all = events(call("t1"), {
    kind: "progress",
    subtype: "bash_progress",
    text: "…",
    toolUseId: "t1",
  }, result("t1"));
  model.append(all.slice(0, 1));
  const tool = model.items[0]!;
  const rev = tool.rev;
  const { added } = model.append(all.slice(1));
  assert.equal(added, 0, "progress and result fold in; no new items");
  assert.equal(tool.progress?.count, 1);
  assert.ok(tool.rev > rev);
  assert.ok(tool.result);
});

Deno.test("FeedModel drops events it already has (resumed streams)", () => {
  const model = new FeedModel();
  const all = events({ kind: "text", text: "a" }, { kind: "text", text: "b" }, {
    kind: "text",
    text: "c",
  });
  model.append(all.slice(0, 2));
  const { added } = model.append(all.slice(1));
  assert.equal(added, 1);
  assert.deepEqual(model.items.map((i) => i.event.text), ["a", "b", "c"]);
});

Deno.test("FeedModel prepends older pages and adopts orphaned results", () => {
  const all = events(call("old"), { kind: "text", text: "x" }, result("old", "late"), {
    kind: "text",
    text: "y",
  });
  const model = new FeedModel();
  model.append(all.slice(2));
  assert.equal(model.hasOlder, true, "the first event does not start at byte 0");
  assert.deepEqual(model.items.map((i) => i.kind), ["result", "log"]);
  const added = model.prepend(all.slice(0, 2), false);
  assert.equal(added, 1, "two items in front, one orphan folded into its call");
  assert.deepEqual(model.items.map((i) => i.kind), ["tool", "log", "log"]);
  assert.equal(model.items[0]?.result?.block.text, "late");
  assert.equal(model.hasOlder, false);
  assert.equal(model.firstCursor, 101);
});

Deno.test("FeedModel starts over when the file is truncated", () => {
  const model = new FeedModel();
  model.append(events({ kind: "text", text: "a" }, { kind: "text", text: "b" }));
  const { reset } = model.append([
    { kind: "file", change: "truncated", text: "", cursor: 0, bytes: 0 } as TailEvent,
    { kind: "text", text: "new", cursor: 4, bytes: 3 } as TailEvent,
  ]);
  assert.equal(reset, true);
  assert.deepEqual(model.items.map((i) => i.kind), ["marker", "log"]);
  assert.equal(model.lastCursor, 4);
});

Deno.test("FeedModel shows a deleted marker even at the last cursor", () => {
  const model = new FeedModel();
  model.append(events({ kind: "text", text: "a" }));
  model.append([{ kind: "file", change: "deleted", text: "", cursor: 101, bytes: 0 } as TailEvent]);
  assert.deepEqual(model.items.map((i) => i.kind), ["log", "marker"]);
  assert.equal(new Set(model.items.map((i) => i.key)).size, 2);
});

Deno.test("FeedModel replaces a truncated event by its full line", () => {
  const model = new FeedModel();
  model.append(events(call("t"), { ...result("t", "cut…"), truncated: true }));
  const tool = model.items[0]!;
  model.replaceEvent({ ...result("t", "the whole output"), cursor: 202, bytes: 100 });
  assert.equal(tool.result?.block.text, "the whole output");
});

Deno.test("FeedModel makes CLI-injected prompts quiet", () => {
  assert.equal(isInjected("<command-name>/exit</command-name>"), true);
  assert.equal(isInjected("please run <command-name>"), false);
  const model = new FeedModel();
  model.append(
    events({ kind: "user", text: "<local-command-stdout>bye</local-command-stdout>", blocks: [] }),
  );
  assert.equal(model.items[0]?.kind, "quiet");
});

Deno.test("startOf() is where an event's line begins", () => {
  assert.equal(startOf({ cursor: 101, bytes: 100 }), 0);
  assert.equal(startOf({ cursor: 303, bytes: 100 }), 202);
});

Deno.test("FeedModel takes every corpus transcript with unique keys and paired results", async (t) => {
  const root = TRANSCRIPTS;
  const files: URL[] = [];
  const walk = async (dir: URL) => {
    for await (const entry of Deno.readDir(dir)) {
      const url = new URL(entry.name + (entry.isDirectory ? "/" : ""), dir);
      if (entry.isDirectory) await walk(url);
      else if (entry.name.endsWith(".jsonl")) files.push(url);
    }
  };
  await walk(root);
  assert.ok(files.length >= 8);
  for (const file of files) {
    await t.step(file.pathname.slice(root.pathname.length), () => {
      const lines = Deno.readTextFileSync(file).split("\n");
      if (lines.at(-1) === "") lines.pop();
      let cursor = 0;
      const list = lines.map((line) => {
        const bytes = new TextEncoder().encode(line).length;
        cursor += bytes + 1;
        return { ...parseLine(line, bytes).event, cursor } as TailEvent;
      });
      // Feed them in awkward batches, newest half first, then the older half as a page.
      const half = Math.floor(list.length / 2);
      const model = new FeedModel();
      model.append(list.slice(half));
      model.prepend(list.slice(0, half), false);
      const whole = new FeedModel();
      whole.append(list);
      assert.deepEqual(model.items.map((i) => i.key), whole.items.map((i) => i.key));
      assert.equal(new Set(whole.items.map((i) => i.key)).size, whole.items.length);
      for (const item of whole.items) {
        if (item.kind === "result") {
          // Unpaired only when its call is not loaded, or already answered (ids reused, as in trimmed fixtures).
          assert.ok(
            whole.callFor(item.block.toolUseId)?.result ?? true,
            "a result with a waiting call is folded",
          );
        }
      }
    });
  }
});
