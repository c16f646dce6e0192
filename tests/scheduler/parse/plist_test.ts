import assert from "node:assert/strict";
import { jobFromPlist, jobFromPlutilJson, parsePlist } from "../../../scheduler/parse/plist.ts";

const agents = new URL("../../fixtures/launchd/LaunchAgents/", import.meta.url);
const plutil = new URL("../../fixtures/launchd/plutil/", import.meta.url);
const bytes = (name: string) => Deno.readFileSync(new URL(name, agents));

Deno.test("parsePlist() reads an XML plist", () => {
  const plist = parsePlist(bytes("com.example.agent-watch.plist")) as Record<string, unknown>;
  assert.equal(plist.Label, "com.example.agent-watch");
  assert.equal(plist.StartInterval, 900);
  assert.equal(plist.RunAtLoad, true);
  assert.deepEqual(plist.ProgramArguments, ["/usr/local/bin/agent-watch", "--poll"]);
});

Deno.test("parsePlist() reads a binary plist", () => {
  const file = bytes("com.example.codex-nightly.plist");
  assert.equal(new TextDecoder().decode(file.subarray(0, 8)), "bplist00");
  const plist = parsePlist(file) as Record<string, unknown>;
  assert.equal(plist.Label, "com.example.codex-nightly");
  assert.deepEqual(plist.StartCalendarInterval, { Hour: 3, Minute: 0 });
  assert.deepEqual(plist.KeepAlive, { SuccessfulExit: false });
});

Deno.test("parsePlist() reads a binary plist from a view into a larger buffer", () => {
  const file = bytes("com.example.disabled-agent.plist");
  const padded = new Uint8Array(file.length + 16);
  padded.set(file, 8);
  const plist = parsePlist(padded.subarray(8, 8 + file.length)) as Record<string, unknown>;
  assert.equal(plist.Label, "com.example.disabled-agent");
});

Deno.test("parsePlist() keeps dates and string-looking numbers as they are", () => {
  const plist = parsePlist(bytes("com.example.backup.plist")) as Record<string, unknown>;
  assert.ok(plist.InstalledAt instanceof Date);
  const xml = `<?xml version="1.0"?><plist version="1.0"><dict>
    <key>Label</key><string>007</string></dict></plist>`;
  assert.equal((parsePlist(xml) as Record<string, unknown>).Label, "007");
});

Deno.test("parsePlist() throws on a truncated plist", () => {
  assert.throws(() => parsePlist(bytes("broken.plist")));
});

Deno.test("jobFromPlist() extracts the fields tailboard shows", async (t) => {
  await t.step("calendar array, arguments, working directory, logs", () => {
    const path = "/Users/dev/Library/LaunchAgents/com.example.claude-review.plist";
    const job = jobFromPlist(parsePlist(bytes("com.example.claude-review.plist")), path);
    assert.deepEqual(job, {
      label: "com.example.claude-review",
      program: "/bin/zsh",
      args: [
        "/bin/zsh",
        "-lc",
        'claude -p "review the open pull requests" --output-format stream-json --verbose',
      ],
      workingDirectory: "/Users/dev/src/shop",
      schedule: {
        calendar: [1, 2, 3, 4, 5].map((Weekday) => ({ Hour: 9, Minute: 30, Weekday })),
      },
      stdoutPath: "/Users/dev/Library/Logs/claude-review.jsonl",
      stderrPath: "/Users/dev/Library/Logs/claude-review.err.log",
      disabled: false,
      definitionPath: path,
    });
  });
  await t.step("Program beside ProgramArguments, one calendar dict, conditional KeepAlive", () => {
    const job = jobFromPlist(parsePlist(bytes("com.example.codex-nightly.plist")), "p");
    assert.equal(job.program, "/opt/homebrew/bin/codex");
    assert.deepEqual(job.args, [
      "/opt/homebrew/bin/codex",
      "exec",
      "--full-auto",
      "tidy the nightly build",
    ]);
    assert.deepEqual(job.schedule, {
      calendar: [{ Hour: 3, Minute: 0 }],
      keepAlive: "conditional",
    });
  });
  await t.step("StartInterval and RunAtLoad", () => {
    const job = jobFromPlist(parsePlist(bytes("com.example.agent-watch.plist")), "p");
    assert.deepEqual(job.schedule, { intervalSeconds: 900, runAtLoad: true });
    assert.equal(job.workingDirectory, null);
  });
  await t.step("Program only, KeepAlive true, no logs", () => {
    const job = jobFromPlist(parsePlist(bytes("com.example.old-claude.plist")), "p");
    assert.equal(job.program, "/usr/local/bin/claude-sync");
    assert.deepEqual(job.args, ["/usr/local/bin/claude-sync"]);
    assert.deepEqual(job.schedule, { keepAlive: true });
    assert.equal(job.stdoutPath, null);
  });
  await t.step("Disabled, Weekday 7 kept as written", () => {
    const job = jobFromPlist(parsePlist(bytes("com.example.disabled-agent.plist")), "p");
    assert.equal(job.disabled, true);
    assert.deepEqual(job.schedule.calendar, [{ Hour: 18, Minute: 0, Weekday: 7 }]);
  });
});

Deno.test("jobFromPlist() ignores wrong types on optional keys, as launchd does", () => {
  const job = jobFromPlist({
    Label: "x",
    ProgramArguments: ["/bin/a", 3, "b"],
    StartInterval: "60",
    StartCalendarInterval: [{ Hour: "9", Minute: 5.5 }, "nope", { Minute: 0 }],
    RunAtLoad: "yes",
    StandardOutPath: 7,
  }, "p");
  assert.deepEqual(job.args, ["/bin/a", "b"]);
  assert.deepEqual(job.schedule, { calendar: [{}, { Minute: 0 }] });
  assert.equal(job.stdoutPath, null);
});

Deno.test("jobFromPlist() accepts bigint integers from binary plists", () => {
  const job = jobFromPlist(
    { Label: "x", StartInterval: 300n, StartCalendarInterval: { Hour: 4n } },
    "p",
  );
  assert.deepEqual(job.schedule, { calendar: [{ Hour: 4 }], intervalSeconds: 300 });
});

Deno.test("jobFromPlist() refuses a plist launchd would refuse", () => {
  assert.throws(() => jobFromPlist({ Program: "/bin/x" }, "/a.plist"), /\/a\.plist: no Label/);
  assert.throws(() => jobFromPlist(["Label"], "/b.plist"), /not a plist dictionary/);
});

Deno.test("jobFromPlutilJson() reads plutil's JSON like the parsed plist", () => {
  for (
    const name of [
      "com.example.claude-review",
      "com.example.codex-nightly",
      "com.example.agent-watch",
    ]
  ) {
    const fromJson = jobFromPlutilJson(Deno.readTextFileSync(new URL(`${name}.txt`, plutil)), "p");
    const fromPlist = jobFromPlist(parsePlist(bytes(`${name}.plist`)), "p");
    assert.deepEqual(fromJson, fromPlist);
  }
});
