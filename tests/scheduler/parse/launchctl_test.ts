import assert from "node:assert/strict";
import {
  lastExitFromStatus,
  parseLaunchctlDisabled,
  parseLaunchctlList,
  parseLaunchctlPrint,
} from "../../../scheduler/parse/launchctl.ts";

const fixtures = new URL("../../fixtures/launchd/", import.meta.url);
const read = (name: string) => Deno.readTextFileSync(new URL(name, fixtures));

Deno.test("parseLaunchctlList() reads PID, status and label columns", () => {
  const rows = parseLaunchctlList(read("list.txt"));
  assert.equal(rows.length, 9);
  const byLabel = new Map(rows.map((row) => [row.label, row]));
  assert.deepEqual(byLabel.get("com.example.claude-review"), {
    label: "com.example.claude-review",
    pid: null,
    status: 0,
  });
  assert.deepEqual(byLabel.get("com.example.agent-watch"), {
    label: "com.example.agent-watch",
    pid: 80211,
    status: 0,
  });
  assert.deepEqual(byLabel.get("com.example.backup")?.status, -15);
  // A running job that never exited shows `-` in the status column.
  assert.deepEqual(byLabel.get("com.apple.Spotlight"), {
    label: "com.apple.Spotlight",
    pid: 588,
    status: null,
  });
});

Deno.test("parseLaunchctlList() skips the header, blank and malformed lines", async (t) => {
  await t.step("header only", () => {
    assert.deepEqual(parseLaunchctlList("PID\tStatus\tLabel\n"), []);
  });
  await t.step("CRLF, blank lines and junk", () => {
    const text = "PID\tStatus\tLabel\r\n\r\n-\t0\tcom.a\r\nnot a row\r\nx\ty\tcom.b\r\n";
    assert.deepEqual(parseLaunchctlList(text), [{ label: "com.a", pid: null, status: 0 }]);
  });
  await t.step("a label with spaces stays whole", () => {
    assert.deepEqual(parseLaunchctlList("-\t0\tcom.example.my job\n"), [
      { label: "com.example.my job", pid: null, status: 0 },
    ]);
  });
});

Deno.test("lastExitFromStatus() reads negative statuses as signals", () => {
  assert.deepEqual(lastExitFromStatus(0), { code: 0, signal: null, text: "exit 0" });
  assert.deepEqual(lastExitFromStatus(78), { code: 78, signal: null, text: "exit 78" });
  assert.deepEqual(lastExitFromStatus(-15), {
    code: null,
    signal: 15,
    text: "killed by SIGTERM (15)",
  });
  assert.deepEqual(lastExitFromStatus(-9)?.text, "killed by SIGKILL (9)");
  assert.equal(lastExitFromStatus(null), null);
});

Deno.test("parseLaunchctlPrint() reads an idle calendar job", () => {
  const print = parseLaunchctlPrint(read("print/com.example.claude-review.txt"));
  assert.equal(print.target, "gui/501/com.example.claude-review");
  assert.equal(print.state, "not running");
  assert.equal(print.pid, null);
  assert.equal(print.path, "/Users/dev/Library/LaunchAgents/com.example.claude-review.plist");
  assert.equal(print.program, "/bin/zsh");
  assert.deepEqual(print.arguments, [
    "/bin/zsh",
    "-lc",
    'claude -p "review the open pull requests" --output-format stream-json --verbose',
  ]);
  assert.equal(print.workingDirectory, "/Users/dev/src/shop");
  assert.equal(print.stdoutPath, "/Users/dev/Library/Logs/claude-review.jsonl");
  assert.equal(print.stderrPath, "/Users/dev/Library/Logs/claude-review.err.log");
  assert.equal(print.runs, 12);
  assert.deepEqual(print.lastExit, { code: 0, signal: null, text: "exit 0" });
  assert.equal(print.runIntervalSeconds, null);
  assert.deepEqual(print.properties, ["inferred program"]);
  // Nested blocks (coalitions, event triggers) never leak into the top level.
  assert.equal(print.fields["domain"], "gui/501 [100003]");
  assert.equal(print.fields["stream"], undefined);
  assert.equal(print.fields["ID"], undefined);
});

Deno.test("parseLaunchctlPrint() reads a running interval job", () => {
  const print = parseLaunchctlPrint(read("print/com.example.agent-watch.txt"));
  assert.equal(print.state, "running");
  // The top-level pid, not the ones inside nested blocks.
  assert.equal(print.pid, 80211);
  assert.equal(print.runs, 41);
  assert.equal(print.runIntervalSeconds, 900);
  assert.equal(print.fields["immediate reason"], "non-ipc demand");
  assert.deepEqual(print.properties, ["runatload", "inferred program"]);
});

Deno.test("parseLaunchctlPrint() reads every shape of last exit launchd prints", async (t) => {
  const frame = (lines: string) => `gui/501/x = {\n\tstate = not running\n${lines}}\n`;
  await t.step("a terminating signal replaces the exit code", () => {
    const print = parseLaunchctlPrint(read("print/com.example.backup.txt"));
    assert.deepEqual(print.lastExit, {
      code: null,
      signal: 15,
      text: "killed by SIGTERM (15): Terminated",
    });
  });
  await t.step("(never exited)", () => {
    assert.equal(parseLaunchctlPrint(frame("\tlast exit code = (never exited)\n")).lastExit, null);
  });
  await t.step("a sysexits code with its name", () => {
    assert.deepEqual(parseLaunchctlPrint(frame("\tlast exit code = 78: EX_CONFIG\n")).lastExit, {
      code: 78,
      signal: null,
      text: "exit 78: EX_CONFIG",
    });
  });
  await t.step("a plain non-zero code", () => {
    assert.deepEqual(
      parseLaunchctlPrint(read("print/com.example.codex-nightly.txt")).lastExit?.code,
      1,
    );
  });
  await t.step("with a last exit reason", () => {
    const print = parseLaunchctlPrint(
      frame("\tlast exit code = 1\n\tlast exit reason = OS_REASON_CODESIGNING\n"),
    );
    assert.equal(print.lastExit?.text, "exit 1 (OS_REASON_CODESIGNING)");
  });
  await t.step("Segmentation fault", () => {
    const print = parseLaunchctlPrint(
      frame("\tlast terminating signal = Segmentation fault: 11\n"),
    );
    assert.equal(print.lastExit?.text, "killed by SIGSEGV (11): Segmentation fault");
  });
});

Deno.test("parseLaunchctlPrint() tolerates bare key = value lines and empty input", () => {
  const print = parseLaunchctlPrint("state = running\npid = 42\nlast exit code = 0\n");
  assert.equal(print.state, "running");
  assert.equal(print.pid, 42);
  assert.equal(parseLaunchctlPrint("").target, null);
});

Deno.test("parseLaunchctlDisabled() reads both override spellings", () => {
  const disabled = parseLaunchctlDisabled(read("print-disabled.txt"));
  assert.equal(disabled.get("com.example.disabled-agent"), true);
  assert.equal(disabled.get("com.example.old-claude"), false);
  assert.equal(disabled.has("com.example.claude-review"), false);
  const older = parseLaunchctlDisabled(
    'disabled services = {\n\t"com.a" => true\n\t"com.b" => false\n}\n',
  );
  assert.deepEqual([...older], [["com.a", true], ["com.b", false]]);
});
