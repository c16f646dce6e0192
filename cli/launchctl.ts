/**
 * Starting and stopping the LaunchAgent without believing launchctl's exit
 * codes. `launchctl load` and `unload` exit 0 even when they fail (they only
 * print the error), and `bootout` returns before the service is gone: a
 * `bootstrap` right after it fails with "5: Input/output error". So every
 * step is checked with `launchctl print gui/<uid>/<label>`, which answers
 * what launchd really holds.
 */
import { LABEL } from "./launch_agent.ts";
import { call, firstLine, type ServiceContext, ServiceError, serviceState } from "./service.ts";

/** How long a booted-out service may take to leave launchd. */
export const SETTLE_MS = 10_000;

/** How often `launchctl print` is asked meanwhile. */
const POLL_MS = 250;

/**
 * Loads the LaunchAgent at `path` into the GUI domain, then checks launchd
 * holds it. `load -w` is the fallback for systems where bootstrap fails (and
 * clears a `disabled` override); it reports failure only in its output.
 */
export async function startLaunchAgent(path: string, ctx: ServiceContext): Promise<void> {
  const bootstrap = await call(ctx, "launchctl", ["bootstrap", `gui/${ctx.uid}`, path]);
  const said = [`bootstrap ${outcome(bootstrap)}`];
  if (bootstrap.code !== 0) {
    said.push(`load -w ${outcome(await call(ctx, "launchctl", ["load", "-w", path]))}`);
  }
  const state = await serviceState("launchd", ctx);
  if (!state.loaded) {
    throw new ServiceError(
      `launchctl did not load ${path}: ${said.join(", ")}; then launchctl print said ` +
        `"${state.detail}"`,
    );
  }
}

/**
 * Boots the LaunchAgent out (or, where bootout fails, unloads `path`), then
 * waits until launchd no longer holds it, at most `SETTLE_MS`.
 */
export async function stopLaunchAgent(path: string | null, ctx: ServiceContext): Promise<void> {
  const bootout = await call(ctx, "launchctl", ["bootout", `gui/${ctx.uid}/${LABEL}`]);
  const said = [`bootout ${outcome(bootout)}`];
  if (bootout.code !== 0 && path !== null) {
    said.push(`unload ${outcome(await call(ctx, "launchctl", ["unload", path]))}`);
  }
  const left = await untilGone(ctx);
  if (left !== null) {
    throw new ServiceError(
      `launchctl could not stop ${LABEL}: ${said.join(", ")}; ${SETTLE_MS / 1000} s later ` +
        `launchctl print still shows it (${left})`,
    );
  }
}

/** Polls until the service is gone: null, or what print last said of it. */
async function untilGone(ctx: ServiceContext): Promise<string | null> {
  const now = ctx.now ?? Date.now;
  const sleep = ctx.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deadline = now() + SETTLE_MS;
  for (;;) {
    const state = await serviceState("launchd", ctx);
    if (!state.loaded) return null;
    if (now() >= deadline) return state.detail;
    await sleep(POLL_MS);
  }
}

/** What a launchctl call did, in launchctl's own words. */
function outcome(res: { code: number; stdout: string; stderr: string }): string {
  const words = firstLine(res);
  if (res.code !== 0) return `failed: "${words || `exit ${res.code}`}"`;
  return words ? `said "${words}"` : "exited 0";
}
