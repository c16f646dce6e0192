import assert from "node:assert/strict";
import type { LiveState } from "../../agents/status.ts";
import type { Logger } from "../../core/log.ts";
import { createRunCommand } from "../../scheduler/run_command.ts";
import { parseClaudeAgents } from "../../state/claude_agents.ts";
import { parseJob } from "../../state/claude_jobs.ts";
import { parseSessionFile, readSessions } from "../../state/claude_sessions.ts";
import { claudeConfigDirs, LiveSources } from "../../state/live_sources.ts";
import { parseStatStart, processStart, sameProcess } from "../../state/process_start.ts";
import { spawnTailboard, within } from "../_harness/daemon.ts";
import { transcript } from "../_harness/corpus.ts";

const REGISTRY_FIXTURE =
  "lanegrid--agtrace/crates/agtrace-testing/fixtures/v2026_09/claude/home/sessions/4242.json";

const SESSION = "5b0c2f3e-8d4a-4c1b-9e6f-7a8b9c0d1e2f";
const run = createRunCommand();
const linuxOnly = Deno.build.os !== "linux";

/** A real process to stand in for `claude`: `sleep`, killed at the end. */
function sleeper(): Deno.ChildProcess & AsyncDisposable {
  const child = new Deno.Command("sleep", { args: ["600"], stdin: "null", stdout: "null" })
    .spawn();
  return Object.assign(child, {
    async [Symbol.asyncDispose]() {
      try {
        child.kill("SIGKILL");
      } catch {
        // Already killed by the test.
      }
      await child.status;
    },
  });
}

/** What Claude Code 2.1.x writes to `sessions/<pid>.json` (shape of its own registry). */
function sessionFile(pid: number, procStart: string, status: string, sessionId = SESSION) {
  return JSON.stringify(
    {
      pid,
      sessionId,
      cwd: "/work/demo-project",
      startedAt: Date.now() - 60_000,
      procStart,
      version: "2.1.281",
      peerProtocol: 1,
      kind: "interactive",
      entrypoint: "cli",
      name: "demo-lead",
      status,
      updatedAt: Date.now(),
      statusUpdatedAt: Date.now(),
    },
    null,
    2,
  );
}

async function ticksOf(pid: number): Promise<string> {
  return parseStatStart(await Deno.readTextFile(`/proc/${pid}/stat`))!;
}

function recordingLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const note = (m: string, f?: Record<string, unknown>) => lines.push(`${m} ${JSON.stringify(f)}`);
  return { lines, debug: note, info: note, warn: note, error: note };
}

Deno.test("parsers take Claude Code's shapes and shrug off bad ones", async (t) => {
  const noUnknown = (w: string) => assert.fail(`unexpected unknown ${w}`);
  await t.step("a session file", () => {
    const f = parseSessionFile(sessionFile(4242, "synthetic", "busy"), noUnknown);
    assert.deepEqual([f?.pid, f?.sessionId, f?.status], [4242, SESSION, "busy"]);
  });
  await t.step("the registry fixture in Claude Code 2.1.281's shape", async () => {
    const f = parseSessionFile(await Deno.readTextFile(transcript(REGISTRY_FIXTURE)), noUnknown);
    assert.deepEqual(f, {
      pid: 4242,
      sessionId: "00000000-0000-4000-8000-000000000001",
      status: "busy",
      procStart: "synthetic",
      since: 1789898460000,
    });
  });
  await t.step("not a session file", () => {
    for (const text of ["", "{", "[]", "null", '{"pid":"x","sessionId":"s"}', '{"pid":1}']) {
      assert.equal(parseSessionFile(text, noUnknown), null, text);
    }
  });
  await t.step("an unknown status counts as busy and is reported", () => {
    const heard: string[] = [];
    const f = parseSessionFile(sessionFile(1, "1", "pondering"), (w) => heard.push(w));
    assert.equal(f?.status, "busy");
    assert.deepEqual(heard, ["pondering"]);
  });
  await t.step("claude agents --json: state wins over status, waitingFor kept", () => {
    const live = parseClaudeAgents(
      JSON.stringify([
        { pid: 10, sessionId: "a", status: "idle", state: "blocked", waitingFor: "permission" },
        { pid: 11, sessionId: "b", status: "busy" },
        { sessionId: "c", state: "stopped" },
        { pid: 12 },
        "junk",
      ]),
      noUnknown,
    );
    assert.deepEqual(live.get("a"), {
      alive: true,
      status: "waiting",
      waitingFor: "permission",
      source: "claude-agents",
    });
    assert.equal(live.get("b")?.status, "busy");
    assert.deepEqual([live.get("c")?.alive, live.get("c")?.status], [false, "stopped"]);
    assert.equal(live.size, 3);
    assert.equal(parseClaudeAgents("not json", noUnknown).size, 0);
  });
  await t.step("a background job's state file, and its timeline when the file has none", () => {
    const job = parseJob(JSON.stringify({ state: "done", sessionId: "j1" }), null, noUnknown);
    assert.deepEqual([job?.sessionId, job?.state.status, job?.state.alive], ["j1", "done", false]);
    const fromTimeline = parseJob(
      JSON.stringify({ sessionId: "j2" }),
      JSON.stringify({ state: "working", ts: "2026-12-06T07:00:00Z" }),
      noUnknown,
    );
    assert.deepEqual([fromTimeline?.state.status, fromTimeline?.state.since], [
      "busy",
      Date.parse("2026-12-06T07:00:00Z"),
    ]);
    assert.equal(parseJob("{", null, noUnknown), null);
  });
  await t.step("config folders: CLAUDE_CONFIG_DIR first, then the defaults", () => {
    assert.deepEqual(claudeConfigDirs("/h", "/a/, /b"), [
      "/a",
      "/b",
      "/h/.claude",
      "/h/.config/claude",
    ]);
  });
});

Deno.test({
  name: "a reused pid is not the session: start times are compared",
  ignore: linuxOnly,
  async fn() {
    await using proc = sleeper();
    const start = await processStart(proc.pid, run);
    assert.ok(start?.ticks, "Linux gives clock ticks since boot");
    assert.ok(Math.abs(start!.ms! - Date.now()) < 60_000, "and a start time near now");
    assert.equal(sameProcess(start!.ticks, start!), true);
    assert.equal(sameProcess(String(Number(start!.ticks) - 500), start!), false);
    assert.equal(sameProcess(new Date(start!.ms!).toString(), start!), true);
    assert.equal(sameProcess(new Date(start!.ms! - 3_600_000).toString(), start!), false);
    assert.equal(sameProcess("synthetic", start!), true, "unreadable: cannot prove a reuse");
    assert.equal(await processStart(2 ** 22 + 12345, run), null, "no such pid");
  },
});

Deno.test({
  name: "sessions/<pid>.json for a live process: busy, then waiting, then killed",
  ignore: linuxOnly,
  async fn() {
    const home = await Deno.makeTempDir({ prefix: "tailboard-home-" });
    try {
      const dirs = claudeConfigDirs(home, undefined);
      await Deno.mkdir(`${home}/.claude/sessions`, { recursive: true });
      await using proc = sleeper();
      const file = `${home}/.claude/sessions/${proc.pid}.json`;
      const ticks = await ticksOf(proc.pid);
      const unknown: string[] = [];
      const read = () => readSessions(dirs, run, (w) => unknown.push(w));

      await Deno.writeTextFile(file, sessionFile(proc.pid, ticks, "busy"));
      let s = (await read()).get(SESSION);
      assert.deepEqual([s?.alive, s?.status, s?.source], [true, "busy", "claude-sessions"]);

      await Deno.writeTextFile(file, sessionFile(proc.pid, ticks, "waiting"));
      s = (await read()).get(SESSION);
      assert.deepEqual([s?.alive, s?.status], [true, "waiting"]);

      // The same pid, but the file says it started at another time: a reuse.
      const other = "11111111-1111-4111-8111-111111111111";
      await Deno.writeTextFile(
        `${home}/.claude/sessions/999999.json`,
        sessionFile(proc.pid, String(Number(ticks) - 1000), "busy", other),
      );
      assert.equal((await read()).get(other)?.alive, false);

      proc.kill("SIGKILL");
      await proc.status;
      s = (await read()).get(SESSION);
      assert.deepEqual([s?.alive, s?.status], [false, "waiting"]);
      assert.deepEqual(unknown, []);
    } finally {
      await Deno.remove(home, { recursive: true });
    }
  },
});

Deno.test("claude agents --json from a fake claude on PATH: succeeds, fails, hangs", async (t) => {
  const bin = await Deno.makeTempDir({ prefix: "tailboard-bin-" });
  const mode = `${bin}/mode`;
  // Writes what the real CLI prints; `mode` picks success, failure or a hang.
  await Deno.writeTextFile(
    `${bin}/claude`,
    `#!/bin/sh
[ "$1 $2" = "agents --json" ] || exit 2
case "$(cat "${mode}")" in
  ok) printf '%s' '[{"pid":4242,"sessionId":"${SESSION}","cwd":"/p","kind":"interactive","status":"idle","state":"blocked","waitingFor":"permission prompt"},{"pid":4243,"sessionId":"s2","state":"dreaming"}]' ;;
  fail) echo "error: not logged in" >&2; exit 1 ;;
  hang) sleep 30 ;;
esac
`,
  );
  await Deno.chmod(`${bin}/claude`, 0o755);
  const seen: Map<string, LiveState>[] = [];
  const log = recordingLog();
  // The 500 ms timeout is for the hang; a loaded machine can take longer than
  // that just to start the healthy fake, so until then calls get a generous one.
  let hanging = false;
  const sources = new LiveSources({
    configDirs: [`${bin}/no-such-config`],
    run: (cmd, args, opts) => run(cmd, args, hanging ? opts : { ...opts, timeoutMs: 30_000 }),
    log,
    path: bin,
    onChange: (live) => seen.push(live),
    sessionsEveryMs: 60_000,
    slowEveryMs: 0,
    claudeTimeoutMs: 500,
  });
  try {
    await t.step("it succeeds: blocked sessions need you, with what they wait for", async () => {
      await Deno.writeTextFile(mode, "ok");
      await sources.poll();
      const s = seen.at(-1)?.get(SESSION);
      assert.deepEqual([s?.status, s?.waitingFor, s?.source], [
        "waiting",
        "permission prompt",
        "claude-agents",
      ]);
      assert.equal(seen.at(-1)?.get("s2")?.status, "busy", "an unknown state counts as busy");
    });
    await t.step("an unknown state is logged once", async () => {
      await sources.poll();
      assert.equal(log.lines.filter((l) => l.includes("dreaming")).length, 1);
    });
    await t.step("it fails: the last answer stands, nothing is thrown", async () => {
      await Deno.writeTextFile(mode, "fail");
      const before = seen.length;
      await sources.poll();
      assert.equal(seen.length, before, "no change pushed");
    });
    await t.step("it hangs: killed after the timeout, the poll returns", async () => {
      await Deno.writeTextFile(mode, "hang");
      hanging = true;
      const started = Date.now();
      // The fake sleeps 30 s: back before that, the hung call was killed.
      await within(sources.poll(), 20_000, "the poll to come back");
      const took = Date.now() - started;
      assert.ok(took >= 400, `it waited for the timeout (${took} ms)`);
    });
  } finally {
    await sources.close();
    await Deno.remove(bin, { recursive: true });
  }
});

Deno.test({
  name: "the daemon with a throwaway HOME: a live session works, waits, then dies",
  ignore: linuxOnly,
  async fn() {
    const home = await Deno.makeTempDir({ prefix: "tailboard-home-" });
    await using proc = sleeper();
    try {
      const project = `${home}/.claude/projects/-work-demo-project`;
      await Deno.mkdir(project, { recursive: true });
      await Deno.mkdir(`${home}/.claude/sessions`, { recursive: true });
      const ts = new Date().toISOString();
      await Deno.writeTextFile(
        `${project}/${SESSION}.jsonl`,
        [
          {
            type: "user",
            timestamp: ts,
            cwd: "/work/demo-project",
            sessionId: SESSION,
            message: { role: "user", content: "build it" },
          },
          {
            type: "assistant",
            timestamp: ts,
            cwd: "/work/demo-project",
            sessionId: SESSION,
            message: {
              role: "assistant",
              content: [{ type: "tool_use", id: "t1", name: "Bash", input: { command: "make" } }],
              stop_reason: "tool_use",
            },
          },
        ].map((l) => JSON.stringify(l)).join("\n") + "\n",
      );
      const file = `${home}/.claude/sessions/${proc.pid}.json`;
      const ticks = await ticksOf(proc.pid);
      await Deno.writeTextFile(file, sessionFile(proc.pid, ticks, "busy"));
      await using tb = await spawnTailboard(
        ["--port", "0", "--no-history", "--scheduler", "none", "--running-window", "1"],
        {
          env: {
            HOME: home,
            XDG_CONFIG_HOME: `${home}/.config`,
            TMPDIR: `${home}/tmp`,
            PATH: "/usr/bin:/bin",
          },
        },
      );
      const statusOf = async () => {
        const { agents } = await (await fetch(`${tb.url}api/agents`)).json();
        return agents.find((a: { path: string }) => a.path.endsWith(`${SESSION}.jsonl`))?.status;
      };
      const until = async (want: string, source: string) => {
        const deadline = Date.now() + 10_000;
        let last;
        while (Date.now() < deadline) {
          last = await statusOf();
          if (last && `${last.kind}/${last.reason}` === want && last.source === source) return;
          await new Promise((r) => setTimeout(r, 100));
        }
        assert.fail(`wanted ${want} from ${source}, last ${JSON.stringify(last)}`);
      };
      await until("working/tool", "claude-sessions");
      // Past the running window, the live process keeps it working.
      await new Promise((r) => setTimeout(r, 1500));
      await until("working/tool", "claude-sessions");
      await Deno.writeTextFile(file, sessionFile(proc.pid, ticks, "waiting"));
      await until("needs-you/permission", "claude-sessions");
      proc.kill("SIGKILL");
      await proc.status;
      await until("failed/died", "claude-sessions");
    } finally {
      await Deno.remove(home, { recursive: true }).catch(() => {});
    }
  },
});
