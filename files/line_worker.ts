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
  const { seq, parts, end, maxStringChars, maxTotalChars } = e.data;
  let response: LineResponse;
  try {
    const line = decodeLine(parts.length === 1 ? parts[0]! : concatBytes(parts), end);
    response = { seq, event: clampEvent(eventOfLine(line), maxStringChars, maxTotalChars) };
  } catch (error) {
    response = { seq, error: error instanceof Error ? error.message : String(error) };
  }
  self.postMessage(response);
};
