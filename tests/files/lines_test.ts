import assert from "node:assert/strict";
import { decodeLine, type Line, LineSplitter } from "../../files/lines.ts";

const encoder = new TextEncoder();

function bytesOf(...parts: (string | number[])[]): Uint8Array {
  const chunks = parts.map((p) => typeof p === "string" ? encoder.encode(p) : Uint8Array.from(p));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * Every awkward thing at once: multi-byte UTF-8 (2, 3 and 4 bytes), CRLF, a
 * lone `\r` inside a line, an empty line, a CR-only line, invalid UTF-8 and a
 * half-written last line.
 */
const SAMPLE = bytesOf(
  "héllo €\n", // 0..10: h, é(2), l, l, o, space, €(3) = 10 bytes, then \n at 10
  "😀 crlf\r\n", // 11..21: 😀(4) + " crlf" (5) + \r = 10 bytes, \n at 21
  "\n", // 22: empty line
  "a\rb\n", // 23..26: lone \r stays
  "\r\n", // 27..28: CR-only line reads as empty
  [0x78, 0xff, 0x79, 0xe2, 0x82, 0x0a], // 29..34: x, invalid, y, truncated €
  "tail half", // 35..43: no newline yet
);

const SAMPLE_LINES: Line[] = [
  { text: "héllo €", bytes: 10, start: 0, end: 11 },
  { text: "😀 crlf", bytes: 9, start: 11, end: 22 },
  { text: "", bytes: 0, start: 22, end: 23 },
  { text: "a\rb", bytes: 3, start: 23, end: 27 },
  { text: "", bytes: 0, start: 27, end: 29 },
  { text: "x\uFFFDy\uFFFD", bytes: 5, start: 29, end: 35 },
];

function splitAll(
  chunks: Uint8Array[],
  startOffset = 0,
): { lines: Line[]; splitter: LineSplitter } {
  const splitter = new LineSplitter(startOffset);
  const lines: Line[] = [];
  for (const chunk of chunks) lines.push(...splitter.push(chunk));
  return { lines, splitter };
}

Deno.test("LineSplitter reads a whole buffer into lines with exact byte offsets", () => {
  const { lines, splitter } = splitAll([SAMPLE]);
  assert.deepEqual(lines, SAMPLE_LINES);
  assert.equal(splitter.offset, 35);
  assert.equal(splitter.pendingBytes, 9);
  assert.equal(splitter.readOffset, SAMPLE.length);
});

Deno.test("LineSplitter gives the same lines however the bytes are chunked", async (t) => {
  await t.step("split once at every byte position", () => {
    for (let cut = 0; cut <= SAMPLE.length; cut++) {
      const { lines, splitter } = splitAll([SAMPLE.subarray(0, cut), SAMPLE.subarray(cut)]);
      assert.deepEqual(lines, SAMPLE_LINES, `cut at ${cut}`);
      assert.equal(splitter.offset, 35, `cut at ${cut}`);
      assert.equal(splitter.readOffset, SAMPLE.length, `cut at ${cut}`);
    }
  });

  await t.step("split twice at every pair of positions", () => {
    for (let a = 0; a <= SAMPLE.length; a++) {
      for (let b = a; b <= SAMPLE.length; b++) {
        const { lines } = splitAll([
          SAMPLE.subarray(0, a),
          SAMPLE.subarray(a, b),
          SAMPLE.subarray(b),
        ]);
        assert.deepEqual(lines, SAMPLE_LINES, `cuts at ${a} and ${b}`);
      }
    }
  });

  await t.step("one byte at a time", () => {
    const chunks = [...SAMPLE].map((b) => Uint8Array.of(b));
    const { lines, splitter } = splitAll(chunks);
    assert.deepEqual(lines, SAMPLE_LINES);
    assert.equal(splitter.pendingBytes, 9);
  });

  await t.step("inside a 4-byte emoji and between \\r and \\n", () => {
    // 😀 is bytes 11..14 and the CRLF's \r is byte 20.
    for (const cut of [12, 13, 14, 20]) {
      const first = splitAll([SAMPLE.subarray(0, cut)]);
      assert.equal(first.lines.length, 1, `cut at ${cut}`);
      assert.equal(first.splitter.offset, 11);
      assert.equal(first.splitter.pendingBytes, cut - 11);
      const second = first.splitter.push(SAMPLE.subarray(cut, 22));
      assert.deepEqual(second, [SAMPLE_LINES[1]], `cut at ${cut}`);
    }
  });
});

Deno.test("LineSplitter carries a half-written line until its newline arrives", () => {
  const splitter = new LineSplitter();
  assert.deepEqual(splitter.push(encoder.encode('{"type":"us')), []);
  assert.equal(splitter.offset, 0);
  assert.equal(splitter.pendingBytes, 11);
  assert.equal(splitter.readOffset, 11);
  assert.deepEqual(splitter.push(encoder.encode('er"}')), []);
  assert.equal(splitter.pendingBytes, 15);
  assert.deepEqual(splitter.push(encoder.encode("\nnext")), [
    { text: '{"type":"user"}', bytes: 15, start: 0, end: 16 },
  ]);
  assert.equal(splitter.offset, 16);
  assert.equal(splitter.pendingBytes, 4);
  assert.equal(splitter.readOffset, 20);
});

Deno.test("LineSplitter copies a carried half line so the caller can reuse its buffer", () => {
  const splitter = new LineSplitter();
  const buffer = encoder.encode("abc");
  splitter.push(buffer);
  buffer.set(encoder.encode("XYZ"));
  assert.deepEqual(splitter.push(encoder.encode("d\n")), [
    { text: "abcd", bytes: 4, start: 0, end: 5 },
  ]);
});

Deno.test("LineSplitter drops the \\r of CRLF from text and byte count but not from offsets", () => {
  const { lines } = splitAll([encoder.encode("one\r\ntwo\r\n\r\n")]);
  assert.deepEqual(lines, [
    { text: "one", bytes: 3, start: 0, end: 5 },
    { text: "two", bytes: 3, start: 5, end: 10 },
    { text: "", bytes: 0, start: 10, end: 12 },
  ]);
});

Deno.test("LineSplitter turns invalid UTF-8 into U+FFFD instead of failing", async (t) => {
  await t.step("a stray continuation byte and an invalid lead byte", () => {
    const { lines } = splitAll([bytesOf([0x80, 0x61, 0xfe, 0x0a])]);
    assert.deepEqual(lines, [{ text: "\uFFFDa\uFFFD", bytes: 3, start: 0, end: 4 }]);
  });
  await t.step("a multi-byte character cut off by the newline", () => {
    const { lines } = splitAll([bytesOf([0xf0, 0x9f, 0x98, 0x0a, 0x62, 0x0a])]);
    assert.deepEqual(lines, [
      { text: "\uFFFD", bytes: 3, start: 0, end: 4 },
      { text: "b", bytes: 1, start: 4, end: 6 },
    ]);
  });
});

Deno.test("LineSplitter keeps a byte order mark in the text for the parser to skip", () => {
  const { lines } = splitAll([bytesOf([0xef, 0xbb, 0xbf], "{}\n")]);
  assert.deepEqual(lines, [{ text: "\uFEFF{}", bytes: 5, start: 0, end: 6 }]);
});

Deno.test("LineSplitter numbers lines from the offset it starts at", () => {
  const { lines, splitter } = splitAll([encoder.encode("a\nbb\n")], 1000);
  assert.deepEqual(lines, [
    { text: "a", bytes: 1, start: 1000, end: 1002 },
    { text: "bb", bytes: 2, start: 1002, end: 1005 },
  ]);
  assert.equal(splitter.offset, 1005);
});

Deno.test("LineSplitter.reset() forgets the carried half line and restarts at an offset", async (t) => {
  await t.step("to the top after truncation", () => {
    const splitter = new LineSplitter();
    splitter.push(encoder.encode("old line\nhalf of an old"));
    assert.equal(splitter.pendingBytes, 14);
    splitter.reset();
    assert.equal(splitter.offset, 0);
    assert.equal(splitter.pendingBytes, 0);
    assert.equal(splitter.readOffset, 0);
    assert.deepEqual(splitter.push(encoder.encode("new\n")), [
      { text: "new", bytes: 3, start: 0, end: 4 },
    ]);
  });
  await t.step("to a given offset", () => {
    const splitter = new LineSplitter(50);
    splitter.push(encoder.encode("pending"));
    splitter.reset(200);
    assert.equal(splitter.offset, 200);
    assert.equal(splitter.readOffset, 200);
    assert.deepEqual(splitter.push(encoder.encode("x\n")), [
      { text: "x", bytes: 1, start: 200, end: 202 },
    ]);
  });
});

Deno.test("LineSplitter returns nothing for an empty chunk", () => {
  const splitter = new LineSplitter(7);
  assert.deepEqual(splitter.push(new Uint8Array(0)), []);
  assert.equal(splitter.offset, 7);
  assert.equal(splitter.pendingBytes, 0);
});

Deno.test("decodeLine() places a line by the offset after its newline", () => {
  assert.deepEqual(decodeLine(encoder.encode("ab\r"), 10), {
    text: "ab",
    bytes: 2,
    start: 6,
    end: 10,
  });
  assert.deepEqual(decodeLine(new Uint8Array(0), 1), { text: "", bytes: 0, start: 0, end: 1 });
});
