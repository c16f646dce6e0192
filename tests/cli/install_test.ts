/**
 * install / uninstall / status, end to end: the real code, its real
 * `RunCommand`, and fake `launchctl` / `systemctl` executables alone on PATH
 * (tests/fixtures/service/), with a temp HOME. The fakes record every call.
 * launchctl's slow and silent failures: tests/cli/launchctl_test.ts.
 */
import assert from "node:assert/strict";
import { install } from "../../cli/install.ts";
import { LABEL, parseUnitWords, unitEnvironment, unitValue } from "../../cli/launch_agent.ts";
import { status } from "../../cli/status.ts";
import { uninstall } from "../../cli/uninstall.ts";
import { ConfigError } from "../../cli/config.ts";
import { parsePlist } from "../../scheduler/parse/plist.ts";
import { denoDir, freePort, MAIN, runTailboard, spawnTailboard } from "../_harness/daemon.ts";
import { exists, FIXTURES, PROGRAM, sandbox, UID } from "../_harness/service_sandbox.ts";

Deno.test("install on macOS writes the LaunchAgent and bootstraps it into the GUI domain", async () => {
  await using box = await sandbox("launchd");
  const port = freePort();
  const watch = await Deno.makeTempDir();
  const plistPath = `${box.home}/Library/LaunchAgents/${LABEL}.plist`;

  assert.equal(await install(["--port", String(port), "--watch", watch], box.ctx), 0);

  const plist = parsePlist(await Deno.readTextFile(plistPath)) as Record<string, unknown>;
  assert.equal(plist.Label, LABEL);
  assert.deepEqual(plist.ProgramArguments, [
    PROGRAM,
    "serve",
    "--port",
    String(port),
    "--watch",
    watch,
  ]);
  assert.equal(plist.RunAtLoad, true);
  assert.equal(plist.KeepAlive, true);
  assert.equal(plist.StandardOutPath, `${box.home}/Library/Logs/tailboard/tailboard.out.log`);
  assert.equal(plist.StandardErrorPath, `${box.home}/Library/Logs/tailboard/tailboard.err.log`);
  assert.ok(await exists(`${box.home}/Library/Logs/tailboard`), "the log folder exists");
  assert.equal((await Deno.stat(plistPath)).mode! & 0o777, 0o644);
  assert.deepEqual(await box.calls(), [
    `launchctl print gui/${UID}/${LABEL}`,
    `launchctl bootstrap gui/${UID} ${plistPath}`,
    `launchctl print gui/${UID}/${LABEL}`,
  ]);
  assert.ok(
    box.printed.some((l) => l.includes(`http://127.0.0.1:${port}/`)),
    `the URL to bookmark is printed: ${box.printed.join("\n")}`,
  );
  await Deno.remove(watch);
});

Deno.test("status reads the installed plist's own port and reports the pid", async () => {
  await using box = await sandbox("launchd");
  const port = freePort();
  await install(["--port", String(port)], box.ctx);
  await box.calls();
  box.printed.length = 0;

  // This shell's options do not matter: the installed definition's do.
  assert.equal(await status(["--port", "1"], box.ctx), 1, "exit 1: the URL does not answer");
  const out = box.printed.join("\n");
  assert.match(
    out,
    /login item: installed \(~\/Library\/LaunchAgents\/dev\.tailboard\.daemon\.plist\)/,
  );
  assert.match(out, /service: +running, pid 4242/);
  assert.match(out, new RegExp(`URL: +http://127\\.0\\.0\\.1:${port}/ does not answer`));
  assert.deepEqual(await box.calls(), [`launchctl print gui/${UID}/${LABEL}`]);
});

Deno.test("uninstall on macOS boots the job out, waits until it is gone, and removes the plist", async () => {
  await using box = await sandbox("launchd");
  const plistPath = `${box.home}/Library/LaunchAgents/${LABEL}.plist`;
  await install(["--port", String(freePort())], box.ctx);
  await box.calls();

  assert.equal(await uninstall([], box.ctx), 0);
  assert.deepEqual(await box.calls(), [
    `launchctl print gui/${UID}/${LABEL}`,
    `launchctl bootout gui/${UID}/${LABEL}`,
    // The fake, like launchd, keeps a booted-out service for a moment.
    `launchctl print gui/${UID}/${LABEL}`,
    `launchctl print gui/${UID}/${LABEL}`,
  ]);
  assert.equal(box.waited(), 250, "one poll interval");
  assert.equal(await exists(plistPath), false);

  box.printed.length = 0;
  assert.equal(await status(["--port", String(freePort())], box.ctx), 1);
  assert.match(box.printed.join("\n"), /login item: not installed/);
  assert.match(box.printed.join("\n"), /service: +not loaded/);
});

Deno.test("uninstall when nothing is installed says so and changes nothing", async () => {
  await using box = await sandbox("launchd");
  assert.equal(await uninstall([], box.ctx), 0);
  assert.deepEqual(await box.calls(), [`launchctl print gui/${UID}/${LABEL}`]);
  assert.match(box.printed.join("\n"), /not installed/);
});

Deno.test("install makes paths absolute, keeps TAILBOARD_* settings, and makes a token's plist private", async () => {
  await using box = await sandbox("launchd", {
    TAILBOARD_TOKEN: "s3cret",
    TAILBOARD_WATCH: "~/logs",
    UNRELATED: "x",
  });
  const plistPath = `${box.home}/Library/LaunchAgents/${LABEL}.plist`;
  const port = String(freePort());
  await install(["--port", port, "--watch=~/notes", "--watch", "rel"], box.ctx);
  const plist = parsePlist(await Deno.readTextFile(plistPath)) as Record<string, unknown>;
  assert.deepEqual(
    (plist.ProgramArguments as string[]).slice(1),
    ["serve", "--port", port, `--watch=${box.home}/notes`, "--watch", `${Deno.cwd()}/rel`],
    "paths are absolute: launchd starts it in /",
  );
  assert.deepEqual(plist.EnvironmentVariables, {
    TAILBOARD_TOKEN: "s3cret",
    TAILBOARD_WATCH: `${box.home}/logs`,
  });
  assert.equal((await Deno.stat(plistPath)).mode! & 0o777, 0o600);
  assert.ok(box.printed.some((l) => l.includes("?token=s3cret")), "the bookmark carries the token");
});

Deno.test("the login item carries the agent locations this shell sets, and status shows them", async (t) => {
  const shell = {
    CLAUDE_CONFIG_DIR: "~/work-claude, ~/.claude",
    CODEX_HOME: "~/codex-home",
    CLAUDE_CODE_TMPDIR: "/var/tmp/agents",
    GEMINI_CLI_HOME: "~/gem",
    COPILOT_HOME: "/srv/copilot/",
    TAILBOARD_TOKEN: "s3cret",
    TAILBOARD_LOG_LEVEL: "warn",
  };
  for (const manager of ["launchd", "systemd"] as const) {
    await t.step(manager, async () => {
      await using box = await sandbox(manager, shell);
      await install(["--port", String(freePort())], box.ctx);
      const expected = {
        CLAUDE_CONFIG_DIR: `${box.home}/work-claude,${box.home}/.claude`,
        CODEX_HOME: `${box.home}/codex-home`,
        CLAUDE_CODE_TMPDIR: "/var/tmp/agents",
        GEMINI_CLI_HOME: `${box.home}/gem`,
        COPILOT_HOME: "/srv/copilot",
        TAILBOARD_TOKEN: "s3cret",
        TAILBOARD_LOG_LEVEL: "warn",
      };
      if (manager === "launchd") {
        const plist = parsePlist(
          await Deno.readTextFile(`${box.home}/Library/LaunchAgents/${LABEL}.plist`),
        ) as Record<string, unknown>;
        assert.deepEqual(plist.EnvironmentVariables, expected);
      } else {
        const unit = await Deno.readTextFile(`${box.home}/.config/systemd/user/tailboard.service`);
        assert.deepEqual(unitEnvironment(unit), expected);
      }

      // Later, from a shell that sets none of them: status shows what the item starts with.
      box.printed.length = 0;
      const bare = { ...box.ctx, env: { PATH: box.ctx.env.PATH!, HOME: box.home } };
      await status([], bare);
      assert.ok(
        box.printed.includes(
          `  environment: CLAUDE_CODE_TMPDIR=/var/tmp/agents, CLAUDE_CONFIG_DIR=${expected.CLAUDE_CONFIG_DIR}, ` +
            `CODEX_HOME=${expected.CODEX_HOME}, COPILOT_HOME=/srv/copilot, ` +
            `GEMINI_CLI_HOME=${expected.GEMINI_CLI_HOME}, TAILBOARD_LOG_LEVEL=warn, TAILBOARD_TOKEN=(set)`,
        ),
        box.printed.join("\n"),
      );
      assert.ok(!box.printed.join("\n").includes("s3cret"), "the token is not printed");
    });
  }
});

Deno.test("status says when the login item carries no environment", async () => {
  await using box = await sandbox("launchd");
  await install(["--port", String(freePort())], box.ctx);
  box.printed.length = 0;
  await status([], box.ctx);
  assert.ok(
    box.printed.includes("  environment: none (default agent folders, no TAILBOARD_* settings)"),
    box.printed.join("\n"),
  );
});

Deno.test("install refuses what cannot be a login item", async (t) => {
  await using box = await sandbox("launchd");
  await t.step("--port 0", async () => {
    await assert.rejects(() => install(["--port", "0"], box.ctx), ConfigError);
  });
  await t.step("a non-loopback --host, which its permissions could not bind", async () => {
    await assert.rejects(
      () => install(["--host", "0.0.0.0", "--token", "t"], box.ctx),
      /listens on loopback only/,
    );
  });
  await t.step("--demo", async () => {
    await assert.rejects(() => install(["--demo"], box.ctx), /drop --demo/);
  });
  await t.step("a bad flag", async () => {
    await assert.rejects(() => install(["--prot", "1"], box.ctx), /Unknown option '--prot'/);
  });
  await t.step("no service manager on PATH", async () => {
    const ctx = { ...box.ctx, env: { ...box.ctx.env, PATH: box.state } };
    await assert.rejects(() => install([], ctx), /neither launchctl .* nor systemctl/);
  });
  assert.deepEqual(await box.calls(), [], "nothing was run");
});

Deno.test("install on Linux writes a systemd user unit and enables it now", async () => {
  await using box = await sandbox("systemd", { TAILBOARD_LOG_LEVEL: "debug" });
  const port = freePort();
  const unitPath = `${box.home}/.config/systemd/user/tailboard.service`;
  assert.equal(await install(["--port", String(port), "--watch", "/srv/a b"], box.ctx), 0);

  const unit = await Deno.readTextFile(unitPath);
  assert.deepEqual(parseUnitWords(unitValue(unit, "ExecStart")!), [
    PROGRAM,
    "serve",
    "--port",
    String(port),
    "--watch",
    "/srv/a b",
  ]);
  assert.deepEqual(unitEnvironment(unit), { TAILBOARD_LOG_LEVEL: "debug" });
  assert.match(unit, /^Restart=on-failure$/m);
  assert.match(unit, /^WantedBy=default\.target$/m);
  assert.deepEqual(await box.calls(), [
    "systemctl --user daemon-reload",
    "systemctl --user enable --now tailboard.service",
  ]);

  box.printed.length = 0;
  assert.equal(await status([], box.ctx), 1);
  const out = box.printed.join("\n");
  assert.match(out, /login item: installed \(~\/\.config\/systemd\/user\/tailboard\.service\)/);
  assert.match(out, /service: +running, pid 4343 \(systemd: active \(running\), enabled\)/);
  assert.match(out, new RegExp(`http://127\\.0\\.0\\.1:${port}/ does not answer`));
  await box.calls();

  assert.equal(await uninstall([], box.ctx), 0);
  assert.deepEqual(await box.calls(), [
    "systemctl --user disable --now tailboard.service",
    "systemctl --user daemon-reload",
  ]);
  assert.equal(await exists(unitPath), false);
});

Deno.test("install on Linux restarts a service it rewrote, and honours XDG_CONFIG_HOME", async () => {
  await using box = await sandbox("systemd");
  box.ctx.env.XDG_CONFIG_HOME = `${box.home}/xdg`;
  await install(["--port", String(freePort())], box.ctx);
  await box.calls();
  await install(["--port", String(freePort())], box.ctx);
  assert.deepEqual(await box.calls(), [
    "systemctl --user daemon-reload",
    "systemctl --user enable --now tailboard.service",
    "systemctl --user restart tailboard.service",
  ]);
  assert.ok(await exists(`${box.home}/xdg/systemd/user/tailboard.service`));
});

Deno.test("where no systemd user manager runs, install says so and leaves no unit behind; status still answers", async () => {
  await using box = await sandbox("systemd");
  await box.set("no-bus");
  await assert.rejects(
    () => install(["--port", String(freePort())], box.ctx),
    /systemctl --user daemon-reload failed: Failed to connect to bus: No medium found/,
  );
  assert.equal(await exists(`${box.home}/.config/systemd/user/tailboard.service`), false);

  box.printed.length = 0;
  assert.equal(await status(["--port", String(freePort())], box.ctx), 1);
  assert.match(
    box.printed.join("\n"),
    /service: +unknown \(systemctl --user show .* Failed to connect to bus/,
  );
});

Deno.test("main.ts install, status, uninstall: the whole command line, against a live tailboard", async () => {
  await using box = await sandbox("launchd");
  const watch = await Deno.makeTempDir();
  const port = freePort();
  const env = {
    HOME: box.home,
    PATH: `${FIXTURES}launchd`,
    FAKE_SERVICE_STATE: box.state,
    DENO_DIR: await denoDir(),
  };
  // The tailboard the login item would run, so install and status see it answer.
  await using _daemon = await spawnTailboard(
    ["--port", String(port), "--no-default-sources", "--watch", watch, "--scheduler", "none"],
    { env },
  );
  try {
    const installed = await runTailboard([
      "install",
      "--port",
      String(port),
      "--no-default-sources",
    ], {
      env,
      cwd: watch,
    });
    assert.equal(installed.code, 0, installed.stdout + installed.stderr);
    assert.match(
      installed.stdout,
      new RegExp(`tailboard is running: bookmark http://127\\.0\\.0\\.1:${port}/`),
    );
    const plistPath = `${box.home}/Library/LaunchAgents/${LABEL}.plist`;
    const plist = parsePlist(await Deno.readTextFile(plistPath)) as { ProgramArguments: string[] };
    assert.deepEqual(plist.ProgramArguments, [
      Deno.execPath(),
      "run",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      "--allow-net=127.0.0.1,localhost,[::1]",
      "--allow-run",
      "--allow-sys",
      MAIN,
      "serve",
      "--port",
      String(port),
      "--no-default-sources",
    ]);

    const shown = await runTailboard(["status"], { env });
    assert.equal(shown.code, 0, shown.stdout + shown.stderr);
    assert.match(shown.stdout, /login item: installed/);
    assert.match(shown.stdout, /running, pid 4242/);
    assert.match(shown.stdout, new RegExp(`http://127\\.0\\.0\\.1:${port}/ answers: tailboard`));

    const removed = await runTailboard(["uninstall"], { env });
    assert.equal(removed.code, 0, removed.stdout + removed.stderr);
    assert.equal(await exists(plistPath), false);
    assert.deepEqual((await box.calls()).map((c) => c.split(" ").slice(0, 2).join(" ")), [
      "launchctl print", // install: loaded already?
      "launchctl bootstrap",
      "launchctl print", // install: loaded now?
      "launchctl print", // status
      "launchctl print", // uninstall: loaded?
      "launchctl bootout",
      "launchctl print", // uninstall: gone yet? (not at first, as with launchd)
      "launchctl print",
    ]);
  } finally {
    await Deno.remove(watch, { recursive: true });
  }
});
