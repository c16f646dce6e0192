import assert from "node:assert/strict";
import { type Line, LineSplitter } from "../../files/lines.ts";
import { type PositionalReader, readLinesBefore } from "../../files/read_back.ts";

const encoder = new TextEncoder();

/** A file in memory that counts what it is asked for; `maxPerRead` forces short reads. */
class MemoryFile implements PositionalReader {
  reads = 0;
  bytesRead = 0;
  lowest = Infinity;
  constructor(readonly bytes: Uint8Array, readonly maxPerRead = Infinity) {}

  readAt(buffer: Uint8Array, position: number): Promise<number> {
    this.reads++;
    const n = Math.max(0, Math.min(buffer.length, this.bytes.length - position, this.maxPerRead));
    buffer.set(this.bytes.subarray(position, position + n));
    this.bytesRead += n;
    this.lowest = Math.min(this.lowest, position);
    return Promise.resolve(n);
  }
}

function forwardLines(bytes: Uint8Array): Line[] {
  return new LineSplitter().push(bytes);
}

/** What reading back must return, from splitting the same bytes forwards. */
function expected(all: Line[], end: number, limit: number): { lines: Line[]; hasMore: boolean } {
  const before = all.filter((l) => l.end <= end);
  const lines = before.slice(Math.max(0, before.length - limit));
  return { lines, hasMore: before.length > lines.length };
}

const SAMPLE = encoder.encode(
  [
    '{"type":"user","message":"first"}',
    "",
    "ünïcödé → 😀 line",
    "crlf line\r",
    "a",
    "",
    "x".repeat(40),
    "last complete",
  ].join("\n") + "\nhalf a li",
);

Deno.test("readLinesBefore() agrees with forward splitting for every end, limit and chunk size", async () => {
  const all = forwardLines(SAMPLE);
  assert.equal(all.length, 8);
  const ends = [0, ...all.map((l) => l.end)];
  for (const chunkSize of [1, 2, 3, 7, 16, 1024]) {
    for (const end of ends) {
      for (let limit = 1; limit <= all.length + 1; limit++) {
        const file = new MemoryFile(SAMPLE);
        const got = await readLinesBefore(file, end, { limit, chunkSize });
        const want = expected(all, end, limit);
        const where = `chunkSize ${chunkSize}, end ${end}, limit ${limit}`;
        assert.deepEqual(got.lines, want.lines, where);
        assert.equal(got.hasMore, want.hasMore, where);
      }
    }
  }
});

Deno.test("readLinesBefore() handles short reads from the file", async () => {
  const all = forwardLines(SAMPLE);
  const end = all.at(-1)!.end;
  const file = new MemoryFile(SAMPLE, 1);
  const got = await readLinesBefore(file, end, { limit: 100, chunkSize: 5 });
  assert.deepEqual(got, { lines: all, hasMore: false });
  assert.equal(file.bytesRead, end);
});

Deno.test("readLinesBefore() returns the file's first line though no newline precedes it", async () => {
  const file = new MemoryFile(encoder.encode("first\nsecond\n"));
  const got = await readLinesBefore(file, 6, { limit: 5, chunkSize: 2 });
  assert.deepEqual(got, {
    lines: [{ text: "first", bytes: 5, start: 0, end: 6 }],
    hasMore: false,
  });
});

Deno.test("readLinesBefore() reads a file that starts with an empty line", async () => {
  const file = new MemoryFile(encoder.encode("\nabc\n"));
  const got = await readLinesBefore(file, 5, { limit: 10, chunkSize: 1 });
  assert.deepEqual(got, {
    lines: [
      { text: "", bytes: 0, start: 0, end: 1 },
      { text: "abc", bytes: 3, start: 1, end: 5 },
    ],
    hasMore: false,
  });
});

Deno.test("readLinesBefore() assembles lines far longer than its chunk", async (t) => {
  const long = "L".repeat(50) + "é".repeat(10); // 70 bytes
  const bytes = encoder.encode(`short\n${long}\nend\n`);
  for (const chunkSize of [1, 3, 7]) {
    await t.step(`chunk of ${chunkSize}`, async () => {
      const got = await readLinesBefore(new MemoryFile(bytes), bytes.length, {
        limit: 2,
        chunkSize,
      });
      assert.deepEqual(got, {
        lines: [
          { text: long, bytes: 70, start: 6, end: 77 },
          { text: "end", bytes: 3, start: 77, end: 81 },
        ],
        hasMore: true,
      });
    });
  }
});

Deno.test("readLinesBefore() stops after maxBytes and says more lines exist", async (t) => {
  // Ten lines of 9 characters and a newline: line k spans [10k, 10k+10).
  const bytes = encoder.encode(
    Array.from({ length: 10 }, (_, i) => `line-${i}...`.slice(0, 9) + "\n").join(""),
  );
  assert.equal(bytes.length, 100);

  await t.step("only lines whose preceding newline was scanned come back", async () => {
    const file = new MemoryFile(bytes);
    const got = await readLinesBefore(file, 100, { limit: 100, chunkSize: 4, maxBytes: 20 });
    assert.deepEqual(got.lines.map((l) => [l.start, l.end]), [[90, 100]]);
    assert.equal(got.hasMore, true);
    assert.equal(file.bytesRead, 20);
    assert.equal(file.lowest, 80);
  });

  await t.step("a scan that reaches the start still returns the first line", async () => {
    const file = new MemoryFile(bytes);
    const got = await readLinesBefore(file, 30, { limit: 100, chunkSize: 64, maxBytes: 20 });
    assert.deepEqual(got.lines.map((l) => [l.start, l.end]), [[0, 10], [10, 20], [20, 30]]);
    assert.equal(got.hasMore, false);
  });

  await t.step("the limit reached before maxBytes reads no further", async () => {
    const file = new MemoryFile(bytes);
    const got = await readLinesBefore(file, 100, { limit: 2, chunkSize: 10, maxBytes: 1000 });
    assert.deepEqual(got.lines.map((l) => l.text), ["line-8...", "line-9..."]);
    assert.equal(got.hasMore, true);
    assert.equal(file.bytesRead, 30);
  });
});

Deno.test("readLinesBefore() reads nothing of an empty file or from offset 0", async () => {
  for (const bytes of [new Uint8Array(0), encoder.encode("a\nb\n")]) {
    const file = new MemoryFile(bytes);
    const got = await readLinesBefore(file, 0, { limit: 10, chunkSize: 3 });
    assert.deepEqual(got, { lines: [], hasMore: false });
    assert.equal(file.reads, 0);
  }
});

Deno.test("readLinesBefore() collects nothing for a limit of 0 and says what lies before", async () => {
  const got = await readLinesBefore(new MemoryFile(encoder.encode("a\nb\n")), 4, { limit: 0 });
  assert.deepEqual(got, { lines: [], hasMore: true });
});

Deno.test("readLinesBefore() fails clearly when the file is shorter than end", async () => {
  const file = new MemoryFile(encoder.encode("abc\n"));
  await assert.rejects(
    () => readLinesBefore(file, 10, { limit: 1, chunkSize: 4 }),
    { message: "file ended early at byte 6" },
  );
});
