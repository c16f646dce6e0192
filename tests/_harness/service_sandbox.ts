/**
 * A temp HOME with fake `launchctl` / `systemctl` executables alone on PATH
 * (tests/fixtures/service/), for install / uninstall / status. The fakes keep
 * state in a folder and record every call; the clock the launchd waits run
 * on is fake too, so waiting ten seconds takes none.
 */
import { fileURLToPath } from "node:url";
import type { Manager, ServiceContext } from "../../cli/service.ts";
import { createRunCommand } from "../../scheduler/run_command.ts";

export const FIXTURES = fileURLToPath(new URL("../fixtures/service/", import.meta.url));
export const PROGRAM = "/opt/tailboard/bin/tailboard";
export const UID = 501;

export interface Sandbox extends AsyncDisposable {
  home: string;
  state: string;
  ctx: ServiceContext;
  printed: string[];
  /** Every call the fake made, as "launchctl ARGS" lines, since the last `calls()`. */
  calls(): Promise<string[]>;
  /** Turns a fake's switch on (`bootstrap-fails`, `no-bus`, …), or sets it to `value`. */
  set(name: string, value?: string): Promise<void>;
  /** The fake time the code under test has waited, in ms. */
  waited(): number;
}

export async function sandbox(
  manager: Manager,
  env: Record<string, string> = {},
): Promise<Sandbox> {
  const home = await Deno.makeTempDir({ prefix: "tailboard-home-" });
  const state = `${home}/.fake-state`;
  await Deno.mkdir(state);
  const path = `${FIXTURES}${manager}`;
  const printed: string[] = [];
  let seen = 0;
  let clock = 0;
  return {
    home,
    state,
    printed,
    ctx: {
      home,
      uid: UID,
      env: { PATH: path, HOME: home, ...env },
      run: createRunCommand({ env: { PATH: path, FAKE_SERVICE_STATE: state } }),
      print: (line) => printed.push(line),
      program: [PROGRAM],
      waitMs: 0,
      now: () => clock,
      sleep: (ms) => {
        clock += ms;
        return Promise.resolve();
      },
    },
    async calls() {
      const log = await Deno.readTextFile(`${state}/calls.log`).catch(() => "");
      const lines = log.split("\n").filter(Boolean);
      const fresh = lines.slice(seen);
      seen = lines.length;
      return fresh;
    },
    async set(name, value = "on") {
      await Deno.writeTextFile(`${state}/${name}`, value);
    },
    waited: () => clock,
    async [Symbol.asyncDispose]() {
      await Deno.remove(home, { recursive: true });
    },
  };
}

export async function exists(path: string): Promise<boolean> {
  return await Deno.lstat(path).then(() => true, () => false);
}
