import assert from "node:assert/strict";
import { HUGE_LINE_BYTES, LineParser } from "../../files/line_parser.ts";
import { linePage } from "../../files/line_read.ts";
import { readLinesBefore } from "../../files/read_back.ts";
import { eventsBefore, eventsBetween } from "../../files/cursor_range.ts";
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

Deno.test("readLinesBefore() hands lines over rawOver back undecoded, in pieces", async () => {
  const bytes = encoder.encode("first\n" + "x".repeat(50) + "\r\nlast\n");
  const file = {
    readAt: (buf: Uint8Array, pos: number) => {
      const got = bytes.subarray(pos, pos + buf.length);
      buf.set(got);
      return Promise.resolve(got.length);
    },
  };
  const { lines } = await readLinesBefore(file, bytes.length, {
    limit: 10,
    rawOver: 40,
    chunkSize: 16,
  });
  assert.deepEqual(lines.map((l) => [l.text, l.bytes, l.start, l.end, l.raw !== undefined]), [
    ["first", 5, 0, 6, false],
    ["", 50, 6, 58, true],
    ["last", 4, 58, 63, false],
  ]);
  assert.equal(new TextDecoder().decode(concatBytes(lines[1]!.raw!)), "x".repeat(50) + "\r");
});

Deno.test("reading back past a huge line parses it on the worker, as the live tail does", async () => {
  const dir = await Deno.makeTempDir();
  const parser = new LineParser();
  try {
    const huge = assistant("h".repeat(HUGE_LINE_BYTES + 10));
    const path = `${dir}/a.jsonl`;
    await Deno.writeTextFile(path, `${assistant("one")}\n${huge}\n\n${assistant("two")}\n`);
    const end = encoder.encode(`${assistant("one")}\n${huge}\n`).length;
    const inline = clampEvent(eventOfLine(decodeLine(encoder.encode(huge), end)));
    const back = await eventsBefore(path, undefined, 10, parser);
    const ahead = (await Array.fromAsync(eventsBetween(path, 0, end + 1 + 1000, parser, 4096)))
      .flat();
    for (const events of [back.events, ahead]) {
      assert.deepEqual(events.map((e) => e.cursor).slice(0, 2), [
        encoder.encode(`${assistant("one")}\n`).length,
        end,
      ]);
      assert.deepEqual(
        JSON.parse(events[1]!.json),
        JSON.parse(JSON.stringify({ ...inline, cursor: end })),
      );
    }
    assert.equal(back.events.length, 3, "the blank line is no event, the huge one is");
  } finally {
    parser.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("LineParser.parseFile() has the worker read the line itself, and refuses a moved one", async () => {
  const dir = await Deno.makeTempDir();
  const parser = new LineParser();
  try {
    const huge = assistant("f".repeat(HUGE_LINE_BYTES + 3));
    const head = `${assistant("one")}\n`;
    const path = `${dir}/a.jsonl`;
    await Deno.writeTextFile(path, `${head}${huge}\n`);
    const start = encoder.encode(head).length;
    const end = start + encoder.encode(huge).length + 1;
    const event = await parser.parseFile(path, start, end, { maxStringChars: 100 });
    assert.deepEqual(event, clampEvent(eventOfLine(decodeLine(encoder.encode(huge), end)), 100));
    // One byte more in front: the line no longer starts and ends where it did.
    await Deno.writeTextFile(path, `x${head}${huge}\n`);
    await assert.rejects(() => parser.parseFile(path, start, end), /the file changed/);
  } finally {
    parser.close();
    await Deno.remove(dir, { recursive: true });
  }
});
