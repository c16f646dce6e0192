/**
 * The line that says why a scheduled job failed: the last line mentioning an
 * error in its stderr log (else its stdout log), for the Scheduler and Job
 * runs pages. Only the end of a log is read.
 */

/** Terminal colour and cursor codes (ESC `[` … letter). */
const ANSI = new RegExp(String.fromCharCode(27) + "\\[[0-9;?]*[A-Za-z]", "g");

/** How much of a log's end is read. */
const TAIL = 8 * 1024;

/** The error line of a log's end; null when it has no lines. Pure. */
export function errorLineOf(text: string): string | null {
  const lines = text.replace(ANSI, "").split(/\r?\n/)
    .map((l) => l.trim()).filter(Boolean);
  const line = lines.findLast((l) => /error|fail|fatal|exception|panic/i.test(l)) ??
    lines.at(-1);
  if (!line) return null;
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}

/** Reads the end of `path`; null when it cannot be read. */
export async function readErrorLine(path: string | null): Promise<string | null> {
  if (!path) return null;
  try {
    using file = await Deno.open(path, { read: true });
    const size = (await file.stat()).size;
    const start = Math.max(0, size - TAIL);
    await file.seek(start, Deno.SeekMode.Start);
    const buf = new Uint8Array(size - start);
    let got = 0;
    while (got < buf.length) {
      const n = await file.read(buf.subarray(got));
      if (n === null) break;
      got += n;
    }
    return errorLineOf(new TextDecoder().decode(buf.subarray(0, got)));
  } catch {
    // A log that is gone or unreadable only costs the line.
    return null;
  }
}
