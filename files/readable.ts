/**
 * Some transcripts cannot be tailed as written: a Codex rollout compressed
 * with zstd, and the single pretty-printed `session-*.json` older Gemini CLI
 * versions wrote. Each is read through a copy in JSON Lines that tailboard
 * writes to a temp folder of its own (copy_dir.ts, and only there), made again whenever
 * the original changes and swapped in by a rename, so a reader sees a new
 * file (a rotation), never a half-written one. Cursors are offsets in the copy.
 */
import { copyFolder } from "./copy_dir.ts";
import { isZst, zstChunks } from "./zst.ts";

/** An older Gemini CLI chat: one JSON document, not JSON Lines. */
export function isGeminiDocument(path: string): boolean {
  return /\/session-[^/]*\.json$/.test(path);
}

interface Copy {
  size: number;
  mtime: number;
  dest: string;
}

const copies = new Map<string, Copy>();
const pending = new Map<string, Promise<string>>();

/** The path to read `path`'s lines from: itself, or its copy in JSON Lines. */
export function readablePath(path: string): Promise<string> {
  if (!isZst(path) && !isGeminiDocument(path)) return Promise.resolve(path);
  const running = pending.get(path);
  if (running) return running;
  const made = _copy(path).finally(() => pending.delete(path));
  pending.set(path, made);
  return made;
}

async function _copy(path: string): Promise<string> {
  const info = await Deno.stat(path);
  const mtime = info.mtime?.getTime() ?? 0;
  const folder = await copyFolder();
  // A copy in a folder since removed (copy_dir.ts) is made again in the new one.
  const known = copies.get(path)?.dest.startsWith(`${folder}/`) ? copies.get(path) : undefined;
  if (known && known.size === info.size && known.mtime === mtime) return known.dest;
  const name = path.slice(path.lastIndexOf("/") + 1).replace(/\.zst$/, "").replace(
    /\.json$/,
    ".jsonl",
  );
  const dest = known?.dest ?? `${folder}/${copies.size}-${name}`;
  const part = `${dest}.part`;
  {
    using out = await Deno.open(part, { write: true, create: true, truncate: true });
    const chunks = isZst(path) ? zstChunks(path) : _geminiLines(path);
    for await (const chunk of chunks) {
      let written = 0;
      while (written < chunk.length) written += await out.write(chunk.subarray(written));
    }
  }
  await Deno.rename(part, dest);
  copies.set(path, { size: info.size, mtime, dest });
  return dest;
}

/**
 * An older Gemini chat as the JSON Lines newer versions write: its header
 * (the document without `messages`), then one line per message. A document
 * that does not parse (being rewritten) yields its text as it is.
 */
async function* _geminiLines(path: string): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  const text = await Deno.readTextFile(path);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    yield encoder.encode(text.endsWith("\n") ? text : `${text}\n`);
    return;
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    yield encoder.encode(`${JSON.stringify(doc)}\n`);
    return;
  }
  const { messages, ...header } = doc as Record<string, unknown>;
  yield encoder.encode(`${JSON.stringify(header)}\n`);
  if (Array.isArray(messages)) {
    for (const message of messages) yield encoder.encode(`${JSON.stringify(message)}\n`);
  }
}
