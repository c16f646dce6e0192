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

/** A tracker over `<tmp>/projects` (its real path) that lists in full only when told. */
async function plainRoot(): Promise<{ projects: string; tracker: AgentTracker } & AsyncDisposable> {
  const tmp = await Deno.realPath(await Deno.makeTempDir({ prefix: "tailboard-track-" }));
  const projects = `${tmp}/projects`;
  await Deno.mkdir(`${projects}/-p`, { recursive: true });
  const pool = new TailPool();
  const tracker = new AgentTracker({
    roots: [{ path: projects, kind: "claude-projects" }],
    pool,
    log: silentLogger,
    runningWindowMs: 1000,
    relistMs: 100,
    auditMs: 3_600_000,
    factsEveryMs: 50,
  });
  await tracker.start();
  return {
    projects,
    tracker,
    async [Symbol.asyncDispose]() {
      tracker.close();
      pool.close();
      await Deno.remove(tmp, { recursive: true });
    },
  };
}

Deno.test("a folder made with sessions already in it lists them from its own event", async () => {
  await using root = await plainRoot();
  // Written into a folder made beside the root, then moved in whole: the
  // files never get events of their own, only the folder does.
  const outside = `${root.projects}/../staging`;
  await Deno.mkdir(`${outside}/sub/subagents`, { recursive: true });
  await Deno.writeTextFile(`${outside}/a1b2c3d4-0000-4000-8000-000000000010.jsonl`, line("one"));
  await Deno.writeTextFile(`${outside}/sub/subagents/agent-a1.jsonl`, line("two"));
  await Deno.rename(outside, `${root.projects}/-q`);
  const first = `${root.projects}/-q/a1b2c3d4-0000-4000-8000-000000000010.jsonl`;
  const nested = `${root.projects}/-q/sub/subagents/agent-a1.jsonl`;
  await until("both files", () =>
    root.tracker.registry.byPath(first) !== undefined &&
    root.tracker.registry.byPath(nested) !== undefined);
});

Deno.test("a folder moved out of the sources takes its agents with it, with no re-list", async () => {
  await using root = await plainRoot();
  const path = `${root.projects}/-p/a1b2c3d4-0000-4000-8000-000000000011.jsonl`;
  await Deno.writeTextFile(path, line("here"));
  await until("the agent", () => root.tracker.registry.byPath(path) !== undefined);
  // Idle, so no poll looks at it again; only the folder's own move is reported.
  const old = new Date(Date.now() - 3_600_000);
  await Deno.utime(path, old, old);
  await new Promise((r) => setTimeout(r, 300));
  await Deno.rename(`${root.projects}/-p`, `${root.projects}/../gone`);
  await until("the removal", () => root.tracker.registry.byPath(path) === undefined);
});

Deno.test("a change the OS never reported is caught by the next full listing", async () => {
  await using root = await plainRoot();
  const name = "a1b2c3d4-0000-4000-8000-000000000012.jsonl";
  const path = `${root.projects}/-p/${name}`;
  await Deno.writeTextFile(path, line("first"));
  await until("the agent", () => root.tracker.registry.byPath(path) !== undefined);
  // Written through a hard link in a folder nobody watches: inotify reports a
  // change to the folder it was made through, so the watched one hears nothing.
  const link = `${root.projects}/../${name}`;
  await Deno.link(path, link);
  const old = new Date(Date.now() - 3_600_000);
  await Deno.utime(path, old, old);
  await new Promise((r) => setTimeout(r, 300)); // let polls see it idle
  await Deno.writeTextFile(link, line("unseen"), { append: true });
  await Deno.utime(link, old, old);
  const size = (await Deno.stat(path)).size;
  await root.tracker.relist();
  assert.equal(root.tracker.registry.byPath(path)?.size, size);
});
