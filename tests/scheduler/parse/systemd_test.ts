import assert from "node:assert/strict";
import {
  jobFromSystemd,
  needsUnitFileOutputs,
  parseExecStart,
  parseListTimersJson,
  parseSystemctlShow,
  parseUnitFileOutputs,
  property,
  type UnitProperties,
} from "../../../scheduler/parse/systemd.ts";

const fixtures = new URL("../../fixtures/systemd/", import.meta.url);
const read = (name: string) => Deno.readTextFileSync(new URL(name, fixtures));

/** All recorded `show` blocks, by Id. */
function shown(): Map<string, UnitProperties> {
  const text = [
    "claude-digest.timer",
    "claude-digest.service",
    "codex-triage.timer",
    "codex-triage.service",
    "backup-photos.timer",
    "backup-photos.service",
  ].map((unit) => read(`show/${unit}.txt`)).join("\n");
  return new Map(parseSystemctlShow(text).map((block) => [property(block, "Id")!, block]));
}

Deno.test("parseListTimersJson() reads µs timestamps and null next/last", () => {
  const timers = parseListTimersJson(read("list-timers.txt"));
  assert.equal(timers.length, 3);
  assert.deepEqual(timers[0], {
    unit: "claude-digest.timer",
    activates: "claude-digest.service",
    next: new Date("2026-11-26T08:45:00.081Z"),
    last: new Date("2026-11-25T08:45:00.112Z"),
  });
  assert.equal(timers[2]!.next, null);
  const never = parseListTimersJson('[{"next":0,"last":0,"unit":"a.timer"}]')[0]!;
  assert.deepEqual(never, { unit: "a.timer", activates: "a.service", next: null, last: null });
  assert.throws(() => parseListTimersJson('{"unit":"a.timer"}'), /not a JSON array/);
});

Deno.test("parseSystemctlShow() splits blocks on blank lines and collects repeated keys", () => {
  const byId = shown();
  assert.equal(byId.size, 6);
  const triage = byId.get("codex-triage.timer")!;
  assert.deepEqual(triage["TimersMonotonic"], [
    "{ OnBootUSec=5min ; next_elapse=5min }",
    "{ OnUnitActiveUSec=30min ; next_elapse=2h 31min 10.112s }",
  ]);
  assert.equal(property(triage, "TimersCalendar"), null);
  // `=` inside values stays in the value.
  assert.match(property(byId.get("claude-digest.service"), "ExecStart")!, /^\{ path=\/home/);
});

Deno.test("parseExecStart() reads path and argv", async (t) => {
  await t.step("the recorded form", () => {
    assert.deepEqual(
      parseExecStart(
        "{ path=/usr/bin/rsync ; argv[]=/usr/bin/rsync -a /src/ /dst/ ; ignore_errors=no ; start_time=[n/a] ; stop_time=[n/a] ; pid=0 ; code=(null) ; status=0/0 }",
      ),
      { program: "/usr/bin/rsync", args: ["/usr/bin/rsync", "-a", "/src/", "/dst/"] },
    );
  });
  await t.step("path only", () => {
    assert.deepEqual(parseExecStart("{ path=/usr/local/bin/x }"), {
      program: "/usr/local/bin/x",
      args: ["/usr/local/bin/x"],
    });
  });
  await t.step("empty", () => {
    assert.deepEqual(parseExecStart(null), { program: null, args: [] });
  });
});

Deno.test("parseUnitFileOutputs() takes the last StandardOutput= of [Service], drop-ins included", () => {
  assert.deepEqual(parseUnitFileOutputs(read("cat/claude-digest.service"), "/home/dev"), {
    stdout: "/home/dev/.local/state/claude-digest/out.jsonl",
    stderr: null,
  });
  const text = "[Unit]\nStandardOutput=file:/wrong\n[Service]\nStandardOutput=file:/a%%b\n" +
    "StandardError=truncate:/err\nStandardError=journal\n";
  assert.deepEqual(parseUnitFileOutputs(text), { stdout: "/a%b", stderr: null });
});

Deno.test("needsUnitFileOutputs() asks only when show names a file kind without a path", () => {
  const byId = shown();
  assert.equal(needsUnitFileOutputs(byId.get("claude-digest.service")), true);
  assert.equal(needsUnitFileOutputs(byId.get("codex-triage.service")), false);
  assert.equal(needsUnitFileOutputs(byId.get("backup-photos.service")), false);
});

Deno.test("jobFromSystemd() turns a timer and its service into a job", async (t) => {
  const timers = parseListTimersJson(read("list-timers.txt"));
  const byId = shown();
  const input = (i: number) => ({
    timer: timers[i]!,
    timerProps: byId.get(timers[i]!.unit),
    serviceProps: byId.get(timers[i]!.activates),
    home: "/home/dev",
  });

  await t.step("idle calendar timer, log path from the unit file, stderr inherits stdout", () => {
    const job = jobFromSystemd({
      ...input(0),
      unitFileOutputs: parseUnitFileOutputs(read("cat/claude-digest.service"), "/home/dev"),
    });
    assert.deepEqual(job, {
      label: "claude-digest",
      scheduler: "systemd",
      program: "/home/dev/.local/bin/claude",
      args: [
        "/home/dev/.local/bin/claude",
        "-p",
        "summarise-yesterday",
        "--output-format",
        "stream-json",
        "--verbose",
      ],
      workingDirectory: "/home/dev/src/shop",
      schedule: { systemd: { calendar: ["Mon..Fri *-*-* 08:45:00"], monotonic: [] } },
      stdoutPath: "/home/dev/.local/state/claude-digest/out.jsonl",
      stderrPath: "/home/dev/.local/state/claude-digest/out.jsonl",
      disabled: false,
      definitionPath: "/home/dev/.config/systemd/user/claude-digest.service",
      state: "idle",
      pid: null,
      lastExit: { code: 0, signal: null, text: "exit 0" },
      runs: null,
      nextFire: "2026-11-26T08:45:00.081Z",
      lastRun: "2026-11-25T08:45:00.112Z",
      unit: "claude-digest.service",
    });
  });

  await t.step("running oneshot service, journal output, monotonic timer", () => {
    const job = jobFromSystemd(input(1));
    assert.equal(job.state, "running");
    assert.equal(job.pid, 4242);
    assert.equal(job.lastExit, null);
    assert.equal(job.stdoutPath, null);
    assert.equal(job.stderrPath, null);
    assert.equal(job.workingDirectory, "/home/dev/src/shop");
    assert.deepEqual(job.schedule.systemd?.monotonic, [
      "OnBootUSec=5min",
      "OnUnitActiveUSec=30min",
    ]);
  });

  await t.step("disabled timer whose last run failed", () => {
    const job = jobFromSystemd(input(2));
    assert.equal(job.state, "disabled");
    assert.equal(job.disabled, true);
    assert.equal(job.nextFire, null);
    assert.deepEqual(job.lastExit, { code: 2, signal: null, text: "exit 2 (exit-code)" });
    assert.equal(job.stdoutPath, "/home/dev/.local/state/backup-photos.log");
    assert.equal(job.stderrPath, "/home/dev/.local/state/backup-photos.err");
    assert.equal(job.workingDirectory, null);
  });

  await t.step("a stopped but enabled timer is not loaded", () => {
    const timerProps = { ...byId.get("claude-digest.timer")!, ActiveState: ["inactive"] };
    assert.equal(jobFromSystemd({ ...input(0), timerProps }).state, "not-loaded");
  });

  await t.step("a service killed by a signal", () => {
    const serviceProps = {
      ...byId.get("backup-photos.service")!,
      ExecMainCode: ["2"],
      ExecMainStatus: ["9"],
      Result: ["signal"],
    };
    assert.deepEqual(jobFromSystemd({ ...input(2), serviceProps }).lastExit, {
      code: null,
      signal: 9,
      text: "killed by signal 9 (signal)",
    });
  });

  await t.step("a timer whose service shows nothing", () => {
    const job = jobFromSystemd({ timer: timers[0]! });
    assert.equal(job.program, null);
    assert.equal(job.state, "idle");
    assert.equal(job.lastExit, null);
  });
});
