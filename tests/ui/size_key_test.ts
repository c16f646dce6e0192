/**
 * A feed guesses an unmeasured card's height from the last card measured with
 * the same size key: cards alike in kind, tool, result and text length share
 * one, cards that differ in any of those do not.
 */
import assert from "node:assert/strict";
import { HeightGuesses, sizeKey } from "../../ui/feed/heights.js";
import type { Item } from "../../ui/feed/model.js";

const text = (s: string) => ({ kind: "text", key: s, block: { type: "text", text: s } }) as Item;
const tool = (name: string, result: boolean) =>
  ({
    kind: "tool",
    key: name,
    block: { type: "tool_use", name },
    result: result ? { event: {}, block: {} } : null,
  }) as unknown as Item;

Deno.test("texts of about the same length share a size key; longer ones do not", () => {
  assert.equal(
    sizeKey(text("board 1 17 at 1765000000000")),
    sizeKey(text("board 3 99 at 1765000000123")),
  );
  assert.notEqual(sizeKey(text("short")), sizeKey(text("x".repeat(400))));
});

Deno.test("tool cards differ by tool and by whether their result came", () => {
  assert.equal(sizeKey(tool("Bash", true)), sizeKey(tool("Bash", true)));
  assert.notEqual(sizeKey(tool("Bash", true)), sizeKey(tool("Read", true)));
  assert.notEqual(sizeKey(tool("Bash", false)), sizeKey(tool("Bash", true)));
  assert.notEqual(sizeKey(tool("Bash", true)), sizeKey(text("Bash")));
});

Deno.test("a live card is guessed only from a key whose cards kept one height", () => {
  const guesses = new HeightGuesses();
  const a = text("board 1 1 at 1765000000000");
  guesses.learn(a, 64);
  const once = text("board 1 2 at 1765000000001");
  guesses.guess([once]);
  assert.equal(once.h0, undefined, "one measurement is not yet a steady height");
  guesses.learn(a, 64);
  const twice = text("board 1 3 at 1765000000002");
  guesses.guess([twice]);
  assert.equal(twice.h0, 64);
  guesses.learn(a, 400);
  const after = text("board 1 4 at 1765000000003");
  guesses.guess([after]);
  assert.equal(after.h0, undefined, "a key whose cards differ is not trusted");
});
