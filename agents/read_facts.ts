import { decodeLine } from "../files/lines.ts";
import { type AgentFacts, foldFacts } from "./facts.ts";
import { isZst, zstLines } from "../files/zst.ts";
import { isGeminiDocument, readablePath } from "../files/readable.ts";

/** How much of each end of a file is read for its facts. */
const WINDOW = 64 * 1024;

/**
 * Reads an agent's facts from the head of its file (cwd, first prompt) and its
 * tail (newest title, activity): at most 128 KiB however large the file is.
 * Only complete lines count.
 */
export async function readFacts(path: string, size: number): Promise<AgentFacts> {
  if (isZst(path)) return await readZstFacts(path);
  // An older Gemini chat is one JSON document: read its lines from the copy.
  if (isGeminiDocument(path)) {
    path = await readablePath(path);
    size = (await Deno.stat(path)).size;
  }
  using file = await Deno.open(path, { read: true });
  const facts: AgentFacts = {};
  const headBytes = Math.min(size, WINDOW);
  const head = await readSlice(file, 0, headBytes);
  const headLines = completeLines(head, false);
  foldFacts(headLines, facts);
  if (size > headBytes) {
    // One byte early: if it is a newline, the window's first line is whole.
    const start = Math.max(headBytes, size - WINDOW) - 1;
    const tail = await readSlice(file, start, size - start);
    foldFacts(completeLines(tail, true), facts);
  }
  return facts;
}

/**
 * The same two windows of a compressed rollout, read in one streaming pass:
 * the first 64 KiB of its text, and the last 64 KiB kept as it goes by.
 */
async function readZstFacts(path: string): Promise<AgentFacts> {
  const facts: AgentFacts = {};
  const head: string[] = [];
  const tail: { text: string; bytes: number }[] = [];
  let tailBytes = 0;
  for await (const line of zstLines(path)) {
    if (line.end <= WINDOW) {
      head.push(line.text);
      continue;
    }
    tail.push({ text: line.text, bytes: line.bytes });
    tailBytes += line.bytes + 1;
    while (tailBytes > WINDOW && tail.length > 1) tailBytes -= tail.shift()!.bytes + 1;
  }
  foldFacts(head, facts);
  foldFacts(tail.map((l) => l.text), facts);
  return facts;
}

/** What a subagent's `agent-<id>.meta.json` sidecar says (Claude Code 2.1.x). */
export interface AgentMeta {
  description?: string;
  agentType?: string;
  /** The Task/Agent call that started it: the card that links to it. */
  toolUseId?: string;
  /** The subagent that started this one, when it is nested deeper than the session. */
  parentAgentId?: string;
  /** `in_process_teammate` for teammates, which have no `toolUseId`. */
  taskKind?: string;
  /** A teammate's name; a workflow run's `workflowName`. */
  name?: string;
  /** A workflow run's task, as the `<task-notification>` about its end names it. */
  taskId?: string;
  /** A workflow run's status (its record is written when it ends: `completed`, `killed`…). */
  status?: string;
  /** A workflow run's agents' labels, by agent id (its `workflowProgress`). */
  labels?: Record<string, string>;
}

/** Reads a subagent's `agent-<id>.meta.json` sidecar; null when absent or unreadable. */
export async function readMeta(path: string): Promise<AgentMeta | null> {
  try {
    const raw = JSON.parse(await Deno.readTextFile(path));
    if (!raw || typeof raw !== "object") return null;
    const meta: AgentMeta = {};
    for (
      const key of [
        "description",
        "agentType",
        "toolUseId",
        "parentAgentId",
        "taskKind",
        "name",
        "taskId",
        "status",
      ] as const
    ) {
      if (typeof raw[key] === "string" && raw[key] !== "") meta[key] = raw[key];
    }
    if (typeof raw.workflowName === "string" && raw.workflowName !== "") {
      meta.name = raw.workflowName;
    }
    const labels = _labels(raw.workflowProgress);
    if (labels) meta.labels = labels;
    return meta;
  } catch {
    // A missing or half-written sidecar only costs the nicer title.
    return null;
  }
}

/** `workflowProgress` entries that pair an agent id with its label. */
function _labels(progress: unknown): Record<string, string> | undefined {
  if (!Array.isArray(progress)) return undefined;
  const labels: Record<string, string> = {};
  let any = false;
  for (const entry of progress) {
    const { agentId, label } = (entry ?? {}) as { agentId?: unknown; label?: unknown };
    if (typeof agentId === "string" && typeof label === "string" && label !== "") {
      labels[agentId] = label;
      any = true;
    }
  }
  return any ? labels : undefined;
}

async function readSlice(file: Deno.FsFile, start: number, length: number): Promise<Uint8Array> {
  const buf = new Uint8Array(length);
  await file.seek(start, Deno.SeekMode.Start);
  let got = 0;
  while (got < length) {
    const n = await file.read(buf.subarray(got));
    if (n === null) break;
    got += n;
  }
  return buf.subarray(0, got);
}

/** Lines of a slice, dropping a cut first line (when mid-file) and an unfinished last one. */
function completeLines(bytes: Uint8Array, midFile: boolean): string[] {
  const lines: string[] = [];
  let from = 0;
  if (midFile) {
    const first = bytes.indexOf(0x0a);
    if (first === -1) return lines;
    from = first + 1;
  }
  for (;;) {
    const nl = bytes.indexOf(0x0a, from);
    if (nl === -1) break;
    lines.push(decodeLine(bytes.subarray(from, nl), 0).text);
    from = nl + 1;
  }
  return lines;
}
