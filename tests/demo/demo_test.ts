/**
 * `tailboard demo`: simulated agents of every source kind show up within
 * seconds, their transcripts are real Claude Code shapes, and the temp folder
 * is gone after a graceful shutdown.
 */
import assert from "node:assert/strict";
import { startSimulator } from "../../demo/simulator.ts";
import { parseLine } from "../../transcript/line.ts";
import type { TailEvent } from "../../core/event.ts";
import { eventually, freePort, spawnTailboard } from "../_harness/daemon.ts";

interface ListedAgent {
  id: string;
  path: string;
  source: string;
  state: string;
  title: string;
  parentId: string | null;
}

async function exists(path: string): Promise<boolean> {
  return await Deno.lstat(path).then(() => true, () => false);
}

/** The temp folder the demo announced on stdout. */
function demoDir(stdout: string): string {
  const dir = /removes (\S+)\)/.exec(stdout)?.[1];
  assert.ok(dir, `the demo names its folder: ${stdout}`);
  return dir;
}

Deno.test("tailboard demo shows running agents of several sources, and SIGTERM removes its folder", async () => {
  await using tb = await spawnTailboard([
    "demo",
    "--port",
    String(freePort()),
    "--scheduler",
    "none",
  ]);
  const dir = demoDir(tb.stdout());
  assert.ok(await exists(dir));

  const agents = await eventually("every kind of demo agent is listed", async () => {
    const { agents } = await (await fetch(`${tb.url}api/agents`)).json() as {
      agents: ListedAgent[];
    };
    const sources = new Set(agents.map((a) => a.source));
    return ["claude-session", "claude-subagent", "claude-task"].every((s) => sources.has(s)) &&
      agents;
  }, 8000);
  assert.ok(agents.length >= 5, `${agents.length} agents`);
  assert.ok(agents.every((a) => a.path.startsWith(dir)), "only the demo folder is watched");
  assert.ok(agents.some((a) => a.state === "running"), "one is running");
  assert.ok(agents.some((a) => a.state === "idle"), "one finished a while ago");
  const sub = agents.find((a) => a.source === "claude-subagent")!;
  const parent = agents.find((a) => a.id === sub.parentId);
  assert.ok(parent, "the subagent hangs under its session");
  assert.equal(parent.source, "claude-session");
  assert.equal(sub.title, "Audit routes for missing limits", "titled from its .meta.json");

  // Who needs you: a question, a permission prompt, a failure, a Codex
  // session and named background tasks, all within seconds.
  const statuses = await eventually("the demo's statuses", async () => {
    const { agents } = await (await fetch(`${tb.url}api/agents`)).json() as {
      agents: (ListedAgent & { status: { kind: string; reason: string; source: string } })[];
    };
    const has = (kind: string, reason?: string) =>
      agents.some((a) => a.status.kind === kind && (!reason || a.status.reason === reason));
    return has("needs-you", "question") && has("needs-you", "permission") && has("failed") &&
      agents.some((a) => a.source === "codex") && agents;
  }, 10_000);
  const permission = statuses.find((a) => a.status.reason === "permission")!;
  assert.equal(permission.status.source, "claude-sessions", "from its live-state file");
  const tasks = statuses.filter((a) => a.source === "claude-task");
  assert.ok(tasks.length >= 2);
  assert.ok(tasks.every((a) => !a.title.endsWith(".output")), "tasks are named");
  const jobs = await (await fetch(`${tb.url}api/jobs`)).json();
  assert.equal(jobs.scheduler, "demo");
  assert.equal(jobs.error, undefined);
  assert.ok(jobs.jobs.length >= 3 && jobs.jobs.some((j: { selected: boolean }) => j.selected));

  tb.child.kill("SIGTERM");
  const status = await tb.exited;
  assert.equal(status.code, 0, tb.stderr());
  assert.equal(await exists(dir), false, "the temp folder is removed");
});

Deno.test("--demo is the same as tailboard demo, and SIGINT cleans up too", async () => {
  await using tb = await spawnTailboard(["--demo", "--port", "0", "--scheduler", "none"]);
  assert.match(tb.stdout(), /^tailboard demo: simulated agents at http:/);
  const dir = demoDir(tb.stdout());
  tb.child.kill("SIGINT");
  assert.equal((await tb.exited).code, 0, tb.stderr());
  assert.equal(await exists(dir), false);
});

/** Every parsed event of every transcript under `dir`, by file name. */
async function transcripts(dir: string): Promise<Map<string, TailEvent[]>> {
  const found = new Map<string, TailEvent[]>();
  const walk = async (folder: string) => {
    for await (const entry of Deno.readDir(folder)) {
      const path = `${folder}/${entry.name}`;
      if (entry.isDirectory) await walk(path);
      else if (entry.name.endsWith(".jsonl")) {
        const lines = (await Deno.readTextFile(path)).split("\n").filter(Boolean);
        found.set(path, lines.map((l) => parseLine(l).event as TailEvent));
      }
    }
  };
  await walk(dir);
  return found;
}

Deno.test("the simulated transcripts are Claude Code lines of every shape the demo promises", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tailboard-sim-" });
  const simulator = await startSimulator({ dir, speed: 40 });
  try {
    await new Promise((r) => setTimeout(r, 2500));
  } finally {
    await simulator.close();
  }
  try {
    const files = await transcripts(dir);
    const events = [...files.values()].flat();
    assert.deepEqual(
      events.filter((e) => e.kind === "other" || e.kind === "text"),
      [],
      "every line is a known Claude Code kind",
    );
    const tools = new Set(
      events.flatMap((e) =>
        e.kind === "assistant"
          ? e.blocks.flatMap((b) => (b.type === "tool_use" ? [b.name] : []))
          : []
      ),
    );
    for (const tool of ["Bash", "Read", "Edit", "Grep", "Task"]) {
      assert.ok(tools.has(tool), `a ${tool} call among ${[...tools]}`);
    }
    assert.ok(
      events.some((e) => e.kind === "assistant" && e.blocks.some((b) => b.type === "thinking")),
      "thinking",
    );
    assert.ok(
      events.some((e) => e.kind === "tool_result" && e.result?.type === "edit" && e.result.patch),
      "an Edit result with its structured patch",
    );
    assert.ok(
      events.some((e) =>
        e.kind === "tool_result" && e.blocks.some((b) => b.type === "tool_result" && b.isError)
      ),
      "a failed tool call",
    );
    assert.ok(
      events.some((e) => e.kind === "system" && e.subtype === "api_error" && e.isError),
      "an API error",
    );
    assert.ok(
      events.some((e) => e.kind === "assistant" && e.isApiError),
      "the final API error message",
    );

    const subagents = [...files.keys()].filter((p) =>
      /\/subagents\/agent-a[0-9a-f]{16}\.jsonl$/.test(p)
    );
    assert.equal(subagents.length, 1, "one subagent in the 2.1.x layout");
    const meta = JSON.parse(
      await Deno.readTextFile(subagents[0]!.replace(/\.jsonl$/, ".meta.json")),
    );
    assert.equal(meta.agentType, "Explore");
    assert.ok(
      files.get(subagents[0]!)!.every((e) => e.sidechain),
      "subagent lines are a sidechain",
    );

    const outputs: string[] = [];
    for await (const entry of Deno.readDir(`${dir}/claude-501/-Users-dev-gateway/tasks`)) {
      outputs.push(
        await Deno.readTextFile(`${dir}/claude-501/-Users-dev-gateway/tasks/${entry.name}`),
      );
    }
    assert.ok(outputs.length >= 2, "the dev server and a test run");
    assert.ok(outputs.some((o) => o.includes("\x1b[32m")), "task output prints ANSI colours");

    // close() means nothing writes any more.
    const before = JSON.stringify([...(await transcripts(dir)).values()].map((e) => e.length));
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(
      JSON.stringify([...(await transcripts(dir)).values()].map((e) => e.length)),
      before,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the simulated agents are still at work after 30 simulated minutes", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tailboard-sim-" });
  const errors: unknown[] = [];
  // 600× faster: five seconds are fifty simulated minutes.
  const simulator = await startSimulator({ dir, speed: 600, onError: (e) => errors.push(e) });
  const sizes = async () => {
    const found = new Map<string, number>();
    const walk = async (folder: string) => {
      for await (const entry of Deno.readDir(folder)) {
        const path = `${folder}/${entry.name}`;
        if (entry.isDirectory) await walk(path);
        else found.set(path, (await Deno.stat(path)).size);
      }
    };
    await walk(dir);
    return found;
  };
  try {
    await new Promise((r) => setTimeout(r, 4000));
    const before = await sizes();
    await new Promise((r) => setTimeout(r, 1000));
    const after = await sizes();
    const grew = [...after].filter(([path, size]) => size > (before.get(path) ?? 0))
      .map(([path]) => path.slice(dir.length));
    // (webshop failed for good a long while ago: that is its story.)
    for (const who of ["billing", "infra", "gateway", "codex"]) {
      assert.ok(grew.some((p) => p.includes(who)), `${who} still writes: ${grew.join(", ")}`);
    }
  } finally {
    await simulator.close();
    await Deno.remove(dir, { recursive: true });
  }
  assert.deepEqual(errors, []);
});
