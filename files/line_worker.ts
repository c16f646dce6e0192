/**
 * Parses huge transcript lines on a thread of their own: a 66 MB line takes
 * seconds to decode, parse and clamp, and on the daemon's thread that would
 * stall every stream and request meanwhile. Only the small clamped event comes
 * back. The daemon talks to it through files/line_parser.ts.
 *
 * Started as `new Worker(new URL("./line_worker.ts", import.meta.url))`, which
 * puts it in the module graph `deno compile` embeds.
 */
/// <reference lib="deno.worker" />
import { decodeLine } from "./lines.ts";
import { concatBytes } from "./bytes.ts";
import { eventOfLine } from "../transcript/encode.ts";
import { clampEvent } from "../transcript/clamp.ts";
import type { LineRequest, LineResponse } from "./line_parser.ts";

self.onmessage = (e: MessageEvent<LineRequest>) => {
  const { seq, parts, file, end, maxStringChars, maxTotalChars } = e.data;
  let response: LineResponse;
  try {
    const bytes = file ? readLine(file.path, file.start, end) : concatBytes(parts ?? []);
    const line = decodeLine(bytes, end);
    response = { seq, event: clampEvent(eventOfLine(line), maxStringChars, maxTotalChars) };
  } catch (error) {
    response = { seq, error: error instanceof Error ? error.message : String(error) };
  }
  self.postMessage(response);
};

/**
 * The bytes of the line `[start, end)` without its `\n`, checked to still be
 * one line: a `\n` just before it (or the file's start) and at its end.
 */
function readLine(path: string, start: number, end: number): Uint8Array {
  using file = Deno.openSync(path, { read: true });
  const from = Math.max(0, start - 1);
  const buf = new Uint8Array(end - from);
  let got = 0;
  while (got < buf.length) {
    file.seekSync(from + got, Deno.SeekMode.Start);
    const n = file.readSync(buf.subarray(got));
    if (n === null || n <= 0) break;
    got += n;
  }
  const ok = got === buf.length && buf[buf.length - 1] === 0x0a &&
    (start === 0 || buf[0] === 0x0a);
  if (!ok) throw new Error("the file changed while the line was read");
  return buf.subarray(start - from, buf.length - 1);
}
