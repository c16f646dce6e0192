import assert from "node:assert/strict";
import { GenerationTagger, HEAD_BYTES, headStamp, tagAtSync } from "../../files/identity.ts";
import { LineSplitter } from "../../files/lines.ts";

const encoder = new TextEncoder();

async function tempFile(text: string): Promise<{ path: string } & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "identity_test_" });
  const path = `${dir}/a.jsonl`;
  await Deno.writeTextFile(path, text);
  return { path, [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }) };
}

function tagsOf(path: string): Map<number, string> {
  using file = Deno.openSync(path);
  const ino = file.statSync().ino;
  const tagger = new GenerationTagger(file, ino);
  const tags = new Map<number, string>();
  for (const line of new LineSplitter().push(Deno.readFileSync(path))) {
    tags.set(line.end, tagger.tag(line.end));
  }
  return tags;
}

function tagNow(path: string, offset: number): string | null {
  using file = Deno.openSync(path);
  return tagAtSync(file, file.statSync().ino, offset);
}

/** Short lines, empty lines, CRLF, long lines, and enough of them to pass the head. */
const TEXT = [
  "a",
  "",
  "crlf\r",
  "x".repeat(70),
  ...Array.from({ length: 40 }, (_, i) => `{"n":${i},"text":"${"é".repeat(i)}"}`),
].join("\n") + "\n";

Deno.test("a tagger's tags equal a fresh read's, for every line end", async () => {
  await using f = await tempFile(TEXT);
  const tags = tagsOf(f.path);
  assert.ok([...tags.keys()].some((end) => end > HEAD_BYTES), "the sample passes the head");
  for (const [end, tag] of tags) assert.equal(tagNow(f.path, end), tag, `at ${end}`);
  assert.match(tagNow(f.path, 0)!, /^[0-9a-f]{8}$/);
});

Deno.test("appending keeps every earlier tag", async () => {
  await using f = await tempFile("first\nsecond\n");
  const before = tagsOf(f.path);
  await Deno.writeTextFile(f.path, "x".repeat(2000) + "\nmore\n", { append: true });
  for (const [end, tag] of before) assert.equal(tagNow(f.path, end), tag);
});

Deno.test("a same-length rewrite changes the tag at the old offset", async (t) => {
  const lines = Array.from({ length: 60 }, (_, i) => `{"seq":${String(i).padStart(4, "0")}}`);
  await t.step("the last line differs, the head does not", async () => {
    await using f = await tempFile(lines.join("\n") + "\n");
    const end = (await Deno.stat(f.path)).size;
    const old = tagNow(f.path, end);
    const rewritten = [...lines.slice(0, -1), `{"seq":9999}`];
    await Deno.writeTextFile(f.path, rewritten.join("\n") + "\n");
    assert.equal((await Deno.stat(f.path)).size, end);
    assert.notEqual(tagNow(f.path, end), old);
  });
  await t.step("the head differs, the line before the offset does not", async () => {
    await using f = await tempFile(lines.join("\n") + "\n");
    const end = (await Deno.stat(f.path)).size;
    const old = tagNow(f.path, end);
    await Deno.writeTextFile(f.path, [`{"seq":9999}`, ...lines.slice(1)].join("\n") + "\n");
    assert.notEqual(tagNow(f.path, end), old);
  });
});

Deno.test("the same bytes in a new file (a new inode) get another tag", async () => {
  await using f = await tempFile(TEXT);
  const end = encoder.encode(TEXT).length;
  const old = tagNow(f.path, end);
  await Deno.rename(f.path, `${f.path}.1`);
  await Deno.writeTextFile(f.path, TEXT);
  assert.notEqual(tagNow(f.path, end), old);
});

Deno.test("tagAtSync() is null past the end or inside a line", async () => {
  await using f = await tempFile("abc\ndef\n");
  assert.equal(tagNow(f.path, 9), null);
  assert.equal(tagNow(f.path, 2), null);
  assert.notEqual(tagNow(f.path, 4), null);
});

Deno.test("headStamp() keeps the `<length>:<hash>` format the history index stores", () => {
  assert.match(headStamp(encoder.encode("hello")), /^5:[0-9a-f]{9,16}$/);
  assert.notEqual(headStamp(encoder.encode("hello")), headStamp(encoder.encode("hellp")));
  assert.equal(headStamp(new Uint8Array(0)).split(":")[0], "0");
});
