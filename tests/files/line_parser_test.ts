import assert from "node:assert/strict";
import { HUGE_LINE_BYTES, LineParser } from "../../files/line_parser.ts";
import { linePage } from "../../files/line_read.ts";
import { decodeLine, LineSplitter } from "../../files/lines.ts";
import { concatBytes } from "../../files/bytes.ts";
import { eventOfLine } from "../../transcript/encode.ts";
import { clampEvent } from "../../transcript/clamp.ts";

const encoder = new TextEncoder();

function assistant(text: string): string {
  return JSON.stringify({
    type: "assistant",
    message: { role: "assistant", content: [{ type: "text", text }] },
  });
}

Deno.test("LineParser parses a huge line on its worker exactly as inline", async () => {
  const parser = new LineParser();
  try {
    const bytes = encoder.encode(assistant("é".repeat(HUGE_LINE_BYTES)));
    const end = 100 + bytes.length + 1;
    const inline = clampEvent(eventOfLine(decodeLine(bytes, end)));
    const [a, b] = await Promise.all([
      parser.parseBytes(bytes, end),
      parser.parseBytes(encoder.encode(assistant("small")), 10),
    ]);
    assert.deepEqual(a, inline);
    assert.equal(a.truncated, true);
    assert.equal(b.kind, "assistant");
  } finally {
    parser.close();
  }
});

Deno.test("a closed LineParser still parses, on the calling thread", async () => {
  const parser = new LineParser();
  parser.close();
  const event = await parser.parseBytes(encoder.encode(assistant("x".repeat(HUGE_LINE_BYTES))), 1);
  assert.equal(event.kind, "assistant");
});

Deno.test("linePage() pages a line's raw text on character boundaries", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const line = assistant("ü😀".repeat(1000));
    const path = `${dir}/a.jsonl`;
    await Deno.writeTextFile(path, `first\n${line}\nlast\n`);
    const cursor = encoder.encode(`first\n${line}\n`).length;
    let text = "";
    let pages = 0;
    for (let offset: number | null = 0; offset !== null; pages++) {
      const page = await linePage(path, cursor, offset, 333);
      assert.equal(page.bytes, encoder.encode(line).length);
      assert.ok(encoder.encode(page.text).length <= 333);
      text += page.text;
      offset = page.next;
    }
    assert.equal(text, line);
    assert.ok(pages > 10);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("LineSplitter hands a line over rawOver in pieces, CR and offsets right", () => {
  const splitter = new LineSplitter(5, 10);
  const lines = [
    ...splitter.push(encoder.encode("short\nabcdefgh")),
    ...splitter.push(encoder.encode("ijklmn\r")),
    ...splitter.push(encoder.encode("\nok\n")),
  ];
  assert.deepEqual(lines.map((l) => [l.text, l.bytes, l.start, l.end]), [
    ["short", 5, 5, 11],
    ["", 14, 11, 27],
    ["ok", 2, 27, 30],
  ]);
  assert.equal(new TextDecoder().decode(concatBytes(lines[1]!.raw!)), "abcdefghijklmn\r");
});

Deno.test("LineParser.parseParts() moves the pieces to its worker and parses them whole", async () => {
  const parser = new LineParser();
  try {
    const bytes = encoder.encode(assistant("z".repeat(HUGE_LINE_BYTES)));
    const parts = [bytes.slice(0, 1000), bytes.slice(1000)];
    const event = await parser.parseParts(parts, bytes.length, bytes.length + 1);
    assert.deepEqual(event, clampEvent(eventOfLine(decodeLine(bytes, bytes.length + 1))));
    assert.equal(parts[0]!.length, 0, "moved, not copied");
  } finally {
    parser.close();
  }
});
