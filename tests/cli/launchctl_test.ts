/**
 * install and uninstall against a launchctl that behaves as the real one:
 * `bootout` returns before the service is gone, `bootstrap` of a label still
 * there fails with error 5, `load` and `unload` exit 0 when they fail. The
 * fake (tests/fixtures/service/launchd/launchctl) keeps a booted-out service
 * for the next two `print` calls; the clock is fake, so waits take no time.
 */
import assert from "node:assert/strict";
import { install } from "../../cli/install.ts";
import { LABEL } from "../../cli/launch_agent.ts";
import { SETTLE_MS } from "../../cli/launchctl.ts";
import { ServiceError, serviceState } from "../../cli/service.ts";
import { uninstall } from "../../cli/uninstall.ts";
import { parsePlist } from "../../scheduler/parse/plist.ts";
import { freePort } from "../_harness/daemon.ts";
import { exists, type Sandbox, sandbox, UID } from "../_harness/service_sandbox.ts";

const PRINT = `launchctl print gui/${UID}/${LABEL}`;
const BOOTOUT = `launchctl bootout gui/${UID}/${LABEL}`;

function plistOf(box: Sandbox): string {
  return `${box.home}/Library/LaunchAgents/${LABEL}.plist`;
}

/** Asks launchd (the fake) a few times: is the service there, and does it stay? */
async function staysLoaded(box: Sandbox): Promise<boolean[]> {
  const answers: boolean[] = [];
  for (let i = 0; i < 4; i++) answers.push((await serviceState("launchd", box.ctx)).loaded);
  return answers;
}

Deno.test("reinstall waits for the booted-out service to go, then bootstraps, and the new one stays loaded", async () => {
  await using box = await sandbox("launchd");
  await install(["--port", String(freePort())], box.ctx);
  await box.calls();

  // The old service is loaded: install must boot it out, and bootstrap only once it is gone.
  assert.equal(await install(["--port", String(freePort()), "--log-level", "debug"], box.ctx), 0);
  assert.deepEqual(await staysLoaded(box), [true, true, true, true], "tailboard runs after it");
  assert.deepEqual((await box.calls()).slice(0, 6), [
    PRINT,
    BOOTOUT,
    PRINT, // still there, as launchd keeps it a moment
    PRINT, // gone
    `launchctl bootstrap gui/${UID} ${plistOf(box)}`,
    PRINT, // loaded, checked
  ]);
  assert.equal(box.waited(), 250);
  const plist = parsePlist(await Deno.readTextFile(plistOf(box))) as { ProgramArguments: string[] };
  assert.deepEqual(plist.ProgramArguments.slice(-2), ["--log-level", "debug"]);
});

Deno.test("reinstall gives up, saying so, when the old service is still there after 10 s", async () => {
  await using box = await sandbox("launchd");
  await install(["--port", String(freePort())], box.ctx);
  await box.set("bootout-hangs");
  await box.calls();

  await assert.rejects(
    () => install(["--port", String(freePort())], box.ctx),
    (error: unknown) => {
      assert.ok(error instanceof ServiceError);
      assert.match(
        error.message,
        /could not stop dev\.tailboard\.daemon: bootout exited 0; 10 s later launchctl print still shows it \(launchd state: running\)/,
      );
      return true;
    },
  );
  const calls = await box.calls();
  assert.ok(!calls.some((c) => c.includes("bootstrap")), "no bootstrap into a busy label");
  assert.ok(box.waited() >= SETTLE_MS && box.waited() < SETTLE_MS + 1000, `${box.waited()} ms`);
  assert.equal(calls.filter((c) => c === PRINT).length, 1 + SETTLE_MS / 250 + 1);
});

Deno.test("install falls back to launchctl load -w where bootstrap fails, and checks it loaded", async () => {
  await using box = await sandbox("launchd");
  await box.set("bootstrap-fails");
  assert.equal(await install(["--port", String(freePort())], box.ctx), 0);
  assert.deepEqual(await box.calls(), [
    PRINT,
    `launchctl bootstrap gui/${UID} ${plistOf(box)}`,
    `launchctl load -w ${plistOf(box)}`,
    PRINT,
  ]);
  assert.equal(await Deno.readTextFile(`${box.state}/loaded`), `${plistOf(box)}\n`);
});

Deno.test("install fails with launchctl's own words when load exits 0 but loads nothing, and leaves no plist", async () => {
  await using box = await sandbox("launchd");
  await box.set("bootstrap-fails");
  await box.set("load-fails");
  await assert.rejects(
    () => install(["--port", String(freePort())], box.ctx),
    (error: unknown) => {
      assert.ok(error instanceof ServiceError);
      assert.match(
        error.message,
        /bootstrap failed: "Bootstrap failed: 5: Input\/output error", load -w said "Load failed: 5: Input\/output error"; then launchctl print said "Could not find service "dev\.tailboard\.daemon"/,
      );
      return true;
    },
  );
  assert.equal(await exists(plistOf(box)), false);
});

Deno.test("uninstall falls back to unload where bootout fails, and waits until the service is gone", async () => {
  await using box = await sandbox("launchd");
  await install(["--port", String(freePort())], box.ctx);
  await box.set("bootout-fails");
  await box.calls();
  assert.equal(await uninstall([], box.ctx), 0);
  assert.deepEqual(await box.calls(), [
    PRINT,
    BOOTOUT,
    `launchctl unload ${plistOf(box)}`,
    PRINT,
    PRINT,
  ]);
  assert.equal(await exists(plistOf(box)), false);
  assert.deepEqual(await staysLoaded(box), [false, false, false, false]);
});

Deno.test("uninstall whose unload fails silently says so after 10 s and keeps the plist", async () => {
  await using box = await sandbox("launchd");
  await install(["--port", String(freePort())], box.ctx);
  await box.set("bootout-fails");
  await box.set("unload-fails");
  await assert.rejects(
    () => uninstall([], box.ctx),
    /could not stop dev\.tailboard\.daemon: bootout failed: "Boot-out failed: 5: Input\/output error", unload said "Unload failed: 5: Input\/output error"; 10 s later launchctl print still shows it/,
  );
  assert.ok(await exists(plistOf(box)), "kept, so the user can retry");
  assert.ok(box.waited() >= SETTLE_MS);
});

Deno.test("uninstall of a service launchd never lets go fails after 10 s and keeps the plist", async () => {
  await using box = await sandbox("launchd");
  await install(["--port", String(freePort())], box.ctx);
  await box.set("bootout-hangs");
  await assert.rejects(() => uninstall([], box.ctx), /10 s later launchctl print still shows it/);
  assert.ok(await exists(plistOf(box)));
});
