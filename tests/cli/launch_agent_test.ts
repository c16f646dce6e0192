import assert from "node:assert/strict";
import {
  generatePlist,
  generateUnit,
  LABEL,
  parseUnitWords,
  unitEnvironment,
  unitValue,
} from "../../cli/launch_agent.ts";
import { jobFromPlist, parsePlist } from "../../scheduler/parse/plist.ts";
import { findOnPath } from "../../scheduler/run_command.ts";

/** Arguments that break naive XML or shell-style quoting. */
const TRICKY = [
  "--watch",
  "/Users/a b/Claude & Co <logs>",
  `--token=it's "quoted" \\ 100% $HOME`,
  "--job-filter",
  "*claude*;rm -rf",
  "ünïcødé ✓",
  "",
];

const PROGRAM = ["/Applications/tailboard.app/tailboard", "serve"];
const LOGS = "/Users/dev/Library/Logs/tailboard";

function plist(env: Record<string, string> = {}): string {
  return generatePlist({
    argv: [...PROGRAM, ...TRICKY],
    env,
    stdoutPath: `${LOGS}/tailboard.out.log`,
    stderrPath: `${LOGS}/tailboard.err.log`,
  });
}

Deno.test("generatePlist() parses back to the same label, arguments and settings", () => {
  const text = plist({ TAILBOARD_TOKEN: "a&b<c>" });
  const dict = parsePlist(text) as Record<string, unknown>;
  assert.equal(dict.Label, LABEL);
  assert.match(LABEL, /^[a-z]+\.[a-z]+\.[a-z]+$/, "reverse-DNS");
  assert.deepEqual(dict.ProgramArguments, [...PROGRAM, ...TRICKY]);
  assert.deepEqual(dict.EnvironmentVariables, { TAILBOARD_TOKEN: "a&b<c>" });
  assert.equal(dict.RunAtLoad, true);
  assert.equal(dict.KeepAlive, true);
  assert.equal(dict.WorkingDirectory, undefined, "nothing depends on the working directory");

  // And the scheduler reads it as it reads any other LaunchAgent.
  const job = jobFromPlist(dict, "/x.plist");
  assert.equal(job.label, LABEL);
  assert.equal(job.program, PROGRAM[0]);
  assert.deepEqual(job.schedule, { runAtLoad: true, keepAlive: true });
  assert.equal(job.stdoutPath, `${LOGS}/tailboard.out.log`);
  assert.equal(job.stderrPath, `${LOGS}/tailboard.err.log`);
});

Deno.test("generatePlist() escapes XML and leaves out an empty environment", () => {
  const text = plist();
  assert.ok(text.includes("<string>/Users/a b/Claude &amp; Co &lt;logs&gt;</string>"));
  assert.ok(text.includes("&quot;quoted&quot;"));
  assert.ok(!text.includes("EnvironmentVariables"));
  assert.ok(text.startsWith(`<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist`));
  assert.ok(text.endsWith("</plist>\n"));
});

Deno.test("generatePlist() refuses what launchd could not run", async (t) => {
  const base = { stdoutPath: "/o", stderrPath: "/e" };
  await t.step("a relative program", () => {
    assert.throws(() => generatePlist({ ...base, argv: ["tailboard"] }), /absolute path/);
  });
  await t.step("a control character XML cannot carry", () => {
    assert.throws(
      () => generatePlist({ ...base, argv: ["/bin/x", "a\u0001b"] }),
      /control characters/,
    );
  });
});

Deno.test({
  name: "generatePlist() passes plutil -lint",
  ignore: Deno.build.os !== "darwin" || !findOnPath("plutil", Deno.env.get("PATH")),
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const path = `${dir}/${LABEL}.plist`;
      await Deno.writeTextFile(path, plist({ TAILBOARD_LOG_LEVEL: "debug" }));
      const out = await new Deno.Command("plutil", { args: ["-lint", path] }).output();
      assert.equal(out.code, 0, new TextDecoder().decode(out.stdout));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

function unit(argv = [...PROGRAM, ...TRICKY], env: Record<string, string> = {}): string {
  return generateUnit({ argv, env });
}

Deno.test("generateUnit() writes a user service that restarts on failure and starts with the session", () => {
  const text = unit(["/opt/tailboard", "serve", "--port", "8787"]);
  assert.equal(
    text,
    [
      "[Unit]",
      "Description=tailboard: every AI coding agent on this machine, live, in one browser tab",
      "",
      "[Service]",
      "Type=simple",
      "ExecStart=/opt/tailboard serve --port 8787",
      "Restart=on-failure",
      "RestartSec=5",
      "",
      "[Install]",
      "WantedBy=default.target",
      "",
    ].join("\n"),
  );
});

Deno.test("generateUnit() quotes ExecStart so systemd reads back every argument", () => {
  const text = unit();
  const exec = unitValue(text, "ExecStart")!;
  assert.deepEqual(parseUnitWords(exec), [...PROGRAM, ...TRICKY]);
  assert.ok(exec.includes("100%%"), "% is a specifier in unit files");
  assert.ok(exec.includes("$$HOME"), "$ expands variables in command lines");
  assert.ok(exec.includes(`"/Users/a b/Claude & Co <logs>"`));
  assert.ok(exec.includes(`"*claude*;rm -rf"`), "a ; never separates commands");
});

Deno.test("generateUnit() carries the environment, quoted, and reads it back", () => {
  const env = { TAILBOARD_TOKEN: `a "b" 100% $x`, TAILBOARD_WATCH: "/a:/b c" };
  const text = unit(["/opt/tailboard", "serve"], env);
  assert.ok(text.includes(`Environment="TAILBOARD_TOKEN=a \\"b\\" 100%% $x"`));
  assert.deepEqual(unitEnvironment(text), env);
  assert.throws(() => unit(["/opt/t"], { "BAD NAME": "x" }), /not an environment variable name/);
});

Deno.test({
  name: "generateUnit() passes systemd-analyze verify",
  ignore: !findOnPath("systemd-analyze", Deno.env.get("PATH")),
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const path = `${dir}/tailboard.service`;
      // verify checks that the program exists: use one that does.
      await Deno.writeTextFile(
        path,
        unit([Deno.execPath(), "serve", ...TRICKY], { TAILBOARD_TOKEN: "a b %" }),
      );
      const out = await new Deno.Command("systemd-analyze", {
        args: ["verify", "--man=no", path],
      }).output();
      const stderr = new TextDecoder().decode(out.stderr);
      assert.equal(out.code, 0, stderr);
      assert.ok(!stderr.includes("tailboard.service"), stderr);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
