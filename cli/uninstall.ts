/**
 * `tailboard uninstall`: stops the login item and removes its definition.
 * macOS: `launchctl bootout` (`launchctl unload` where bootout fails on older
 * systems), then waits until `launchctl print` no longer shows it. Linux:
 * `systemctl --user disable --now`, then `daemon-reload`.
 */
import { ConfigError, HELP } from "./config.ts";
import { LABEL, UNIT_NAME } from "./launch_agent.ts";
import { stopLaunchAgent } from "./launchctl.ts";
import {
  call,
  definitionPath,
  detectManager,
  exists,
  firstLine,
  type ServiceContext,
  ServiceError,
  serviceState,
  tilde,
} from "./service.ts";

/** Reverses `install`; resolves to the exit code. Not installed is not an error. */
export async function uninstall(argv: string[], ctx: ServiceContext): Promise<number> {
  if (argv.some((a) => a === "-h" || a === "--help")) {
    ctx.print(HELP);
    return 0;
  }
  if (argv.length > 0) throw new ConfigError(`uninstall takes no options, got '${argv[0]}'`);
  const manager = detectManager(ctx.env);
  const path = definitionPath(manager, ctx);
  const had = await exists(path);

  if (manager === "launchd") {
    const loaded = (await serviceState("launchd", ctx)).loaded;
    if (!had && !loaded) return notInstalled(ctx);
    if (loaded) {
      // The definition stays until launchd has really let the service go.
      await stopLaunchAgent(had ? path : null, ctx);
      ctx.print(`stopped ${LABEL}`);
    }
  } else {
    if (!had) return notInstalled(ctx);
    const disable = await call(ctx, "systemctl", ["--user", "disable", "--now", UNIT_NAME]);
    if (disable.code !== 0) {
      throw new ServiceError(
        `systemctl --user disable --now ${UNIT_NAME} failed: ${firstLine(disable)}`,
      );
    }
    ctx.print(`stopped and disabled ${UNIT_NAME}`);
  }
  if (had) {
    await Deno.remove(path);
    ctx.print(`removed ${tilde(path, ctx.home)}`);
  }
  if (manager === "systemd") {
    // Only tidies systemd's view of the removed file: a failure changes nothing that matters.
    await call(ctx, "systemctl", ["--user", "daemon-reload"]);
  }
  ctx.print("tailboard no longer starts at login");
  return 0;
}

function notInstalled(ctx: ServiceContext): number {
  ctx.print("tailboard is not installed as a login item; nothing to do");
  return 0;
}
