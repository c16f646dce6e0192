/**
 * Fake `launchctl`, `plutil` and `systemctl` executables (tests/fixtures/bin)
 * first on PATH, replaying recorded output, with a state folder a test edits
 * between polls: the real JobBoard and parsers run end to end on Linux.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { JobsSnapshot } from "../../scheduler/board.ts";

export const FIXTURES = new URL("../fixtures/", import.meta.url).pathname;
export const AGENTS = join(FIXTURES, "launchd/LaunchAgents");

export interface FakeTools extends AsyncDisposable {
  env: Record<string, string>;
  /** The fakes' state dir: files here override the fixtures between polls. */
  state: string;
  /** Every fake launchctl/systemctl call so far, one argument string each. */
  calls(): string[];
}

/** A temp bin dir holding only `tools` (first on PATH), and a state dir for the fakes. */
export async function fakeTools(
  tools: ("launchctl" | "plutil" | "systemctl")[],
  env: Record<string, string> = {},
): Promise<FakeTools> {
  const root = await Deno.makeTempDir({ prefix: "tailboard-jobs-" });
  const bin = join(root, "bin");
  const state = join(root, "state");
  await Deno.mkdir(bin);
  await Deno.mkdir(join(state, "print"), { recursive: true });
  for (const tool of tools) await Deno.symlink(join(FIXTURES, "bin", tool), join(bin, tool));
  const lines = (file: string) => {
    try {
      return Deno.readTextFileSync(join(state, file)).split("\n").filter(Boolean);
    } catch {
      return [];
    }
  };
  return {
    env: {
      PATH: `${bin}:/usr/bin:/bin`,
      FAKE_LAUNCHCTL_DIR: join(FIXTURES, "launchd"),
      FAKE_LAUNCHCTL_STATE: state,
      FAKE_PLUTIL_DIR: join(FIXTURES, "launchd/plutil"),
      FAKE_PLUTIL_LOG: join(state, "plutil.log"),
      FAKE_SYSTEMCTL_DIR: join(FIXTURES, "systemd"),
      FAKE_SYSTEMCTL_STATE: state,
      ...env,
    },
    state,
    calls: () => lines("calls.log"),
    [Symbol.asyncDispose]: () => Deno.remove(root, { recursive: true }),
  };
}

export async function waitFor(
  condition: () => boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export function job(snapshot: JobsSnapshot, label: string) {
  const found = snapshot.jobs.find((j) => j.label === label);
  assert.ok(found, `no job ${label}`);
  return found;
}
