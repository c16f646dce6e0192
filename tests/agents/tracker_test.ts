/**
 * The tracker with a root behind a symlink (a linked `~/.claude`, as many
 * keep it on another disk): watch events name the resolved folder (FSEvents
 * always does; tailboard watches the resolved folder so inotify does too),
 * and must still reach the agent the scan found under the link.
 */
import assert from "node:assert/strict";
import { silentLogger } from "../../core/log.ts";
import { TailPool } from "../../files/pool.ts";
import { AgentTracker } from "../../agents/tracker.ts";

const line = (text: string) =>
  JSON.stringify({
    type: "user",
    sessionId: "s",
    timestamp: new Date().toISOString(),
    message: { role: "user", content: text },
  }) + "\n";

async function until(what: string, ok: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface Linked extends AsyncDisposable {
  /** The project folder, spelled through the real folder. */
  realProject: string;
  tracker: AgentTracker;
}

/** `<tmp>/real/projects/-p/`, `<tmp>/link → real`; the tracker watches `<tmp>/link/projects`. */
async function linkedRoot(
  relistMs: number,
  seed?: { name: string; ageMs: number },
): Promise<Linked> {
  const tmp = await Deno.realPath(await Deno.makeTempDir({ prefix: "tailboard-link-" }));
  const realProject = `${tmp}/real/projects/-p`;
  await Deno.mkdir(realProject, { recursive: true });
  await Deno.symlink(`${tmp}/real`, `${tmp}/link`);
  if (seed) {
    const path = `${realProject}/${seed.name}`;
    await Deno.writeTextFile(path, line("old"));
    const then = new Date(Date.now() - seed.ageMs);
    await Deno.utime(path, then, then);
  }
  const pool = new TailPool();
  const tracker = new AgentTracker({
    roots: [{ path: `${tmp}/link/projects`, kind: "claude-projects" }],
    pool,
    log: silentLogger,
    runningWindowMs: 1000,
    relistMs,
    factsEveryMs: 50,
  });
  await tracker.start();
  return {
    realProject,
    tracker,
    async [Symbol.asyncDispose]() {
      tracker.close();
      pool.close();
      await Deno.remove(tmp, { recursive: true });
    },
  };
}

Deno.test("a new agent under a symlinked root appears from its watch event, not the next re-list", async () => {
  // A re-list a minute away: only the event can find the file in time.
  await using linked = await linkedRoot(60_000);
  const path = `${linked.realProject}/a1b2c3d4-0000-4000-8000-000000000001.jsonl`;
  await Deno.writeTextFile(path, line("hello"));
  await until("the agent", () => linked.tracker.registry.byPath(path) !== undefined);
});

Deno.test("an idle session under a symlinked root that is resumed gets its new size at once, and keeps it", async () => {
  const name = "a1b2c3d4-0000-4000-8000-000000000002.jsonl";
  // Re-lists every 100 ms, which keep the last stat of idle files: the event's stat must be that one.
  await using linked = await linkedRoot(100, { name, ageMs: 3_600_000 });
  const path = `${linked.realProject}/${name}`;
  const before = linked.tracker.registry.byPath(path)?.size;
  assert.ok(before, "the scan found it through the link");

  await Deno.writeTextFile(path, line("resumed"), { append: true });
  const size = (await Deno.stat(path)).size;
  await until("the new size", () => linked.tracker.registry.byPath(path)?.size === size);
  await new Promise((r) => setTimeout(r, 500)); // several re-lists later
  assert.equal(
    linked.tracker.registry.byPath(path)?.size,
    size,
    "no re-list brings the old size back",
  );
});

Deno.test("a file removed under a symlinked root goes from the list", async () => {
  const name = "a1b2c3d4-0000-4000-8000-000000000003.jsonl";
  await using linked = await linkedRoot(60_000, { name, ageMs: 0 });
  const path = `${linked.realProject}/${name}`;
  assert.ok(linked.tracker.registry.byPath(path));
  await Deno.remove(path);
  await until("the removal", () => linked.tracker.registry.byPath(path) === undefined);
});
