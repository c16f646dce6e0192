/**
 * What reading a Claude Code 1.0.x session whole for its inline subagents
 * costs (agents/sidechain_reader.ts): a generated session of `--mb` MB whose
 * lines are mostly its subagents' (as in a real 1.0.98 session, where 405 of
 * 438 lines belonged to 5 subagents), read once from the top, then again
 * after one appended line. Prints CPU time (user+system of this process,
 * less noisy than wall time on a shared machine), the lines parsed against
 * the lines read, and the peak RSS.
 *
 *   deno run -A --v8-flags=--expose-gc bench/sidechains.ts [--mb 50] [--json]
 */
import { parseArgs } from "node:util";
import process from "node:process";
import { SidechainReader } from "../agents/sidechain_reader.ts";

const { values: flags } = parseArgs({
  args: Deno.args,
  options: { mb: { type: "string", default: "50" }, json: { type: "boolean", default: false } },
});
const target = Number(flags.mb) * 1024 * 1024;
const AGENTS = 5;

const base = { userType: "external", cwd: "/w", sessionId: "s", version: "1.0.98" };
const text = (n: number) => `finding ${n}: `.padEnd(600, "x");
let at = Date.parse("2025-08-30T12:00:00Z");
const ts = () => new Date(at += 50).toISOString();

/** One round: a Task call per subagent, then 80 lines of each subagent, then the results. */
function* session(): Generator<string> {
  let round = 0;
  let last: string | null = null;
  for (;;) {
    round++;
    const tails: string[] = [];
    for (let a = 0; a < AGENTS; a++) {
      const id = `t${round}-${a}`;
      const uuid = `m${round}-${a}`;
      yield JSON.stringify({
        ...base,
        isSidechain: false,
        parentUuid: last,
        uuid,
        timestamp: ts(),
        type: "assistant",
        message: {
          role: "assistant",
          content: [{ type: "tool_use", id, name: "Task", input: { prompt: `job ${id}` } }],
        },
      });
      last = uuid;
      yield JSON.stringify({
        ...base,
        isSidechain: true,
        parentUuid: null,
        uuid: `s${id}-0`,
        timestamp: ts(),
        type: "user",
        message: { role: "user", content: `job ${id}` },
      });
      tails.push(`s${id}-0`);
    }
    for (let n = 1; n <= 80; n++) {
      for (let a = 0; a < AGENTS; a++) {
        const uuid = `s${`t${round}-${a}`}-${n}`;
        yield JSON.stringify({
          ...base,
          isSidechain: true,
          parentUuid: tails[a],
          uuid,
          timestamp: ts(),
          type: "assistant",
          message: {
            id: `msg_${uuid}`,
            role: "assistant",
            model: "claude-sonnet-4-20250514",
            content: [{ type: "text", text: text(n) }],
            usage: { input_tokens: 10, output_tokens: 20 },
          },
        });
        tails[a] = uuid;
      }
    }
    for (let a = 0; a < AGENTS; a++) {
      const uuid = `r${round}-${a}`;
      yield JSON.stringify({
        ...base,
        isSidechain: false,
        parentUuid: last,
        uuid,
        timestamp: ts(),
        type: "user",
        message: {
          role: "user",
          content: [{ type: "tool_result", tool_use_id: `t${round}-${a}`, content: "done" }],
        },
      });
      last = uuid;
    }
  }
}

function retained(): number | null {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return null;
  gc();
  return Math.round(Deno.memoryUsage().heapUsed / 1024 / 1024);
}

const dir = await Deno.makeTempDir({ prefix: "tailboard-sidechains-" });
const path = `${dir}/session.jsonl`;
try {
  const file = await Deno.open(path, { write: true, create: true });
  const encoder = new TextEncoder();
  let size = 0;
  let lines = 0;
  const batch: string[] = [];
  for (const line of session()) {
    batch.push(line);
    size += line.length + 1;
    lines++;
    if (batch.length === 1000 || size >= target) {
      await file.write(encoder.encode(batch.join("\n") + "\n"));
      batch.length = 0;
    }
    if (size >= target) break;
  }
  file.close();

  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const heapBeforeMb = retained();
  const reader = new SidechainReader(path);
  let before = cpu();
  const agents = await reader.agents();
  const firstMs = cpu() - before;
  await Deno.writeTextFile(
    path,
    JSON.stringify({ ...base, isSidechain: false, uuid: "late", type: "user", message: "x" }) +
      "\n",
    { append: true },
  );
  before = cpu();
  await reader.agents();
  const appendMs = cpu() - before;
  const result = {
    mb: +(size / 1024 / 1024).toFixed(1),
    heapBeforeMb,
    lines,
    subagents: agents.length,
    linked: agents.filter((a) => a.toolUseId).length,
    firstPassCpuMs: Math.round(firstMs),
    cpuMsPerMb: +(firstMs / (size / 1024 / 1024)).toFixed(1),
    appendPassCpuMs: +appendMs.toFixed(2),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    // With --v8-flags=--expose-gc: what the reader keeps, garbage collected first.
    heapAfterGcMb: retained(),
    load: Deno.loadavg().map((l) => l.toFixed(2)).join(" "),
  };
  console.log(flags.json ? JSON.stringify(result) : result);
} finally {
  await Deno.remove(dir, { recursive: true });
}
