/**
 * tailboard: a local daemon that shows every AI coding agent on this machine,
 * live, in one browser tab. This file only picks the subcommand, reads the
 * settings and wires the parts.
 */
import { ConfigError, HELP, loadConfig, readConfigText } from "./cli/config.ts";
import { type Demo, startDemo } from "./cli/demo.ts";
import { alreadyRunning } from "./cli/health.ts";
import { install } from "./cli/install.ts";
import { openBrowser } from "./cli/open.ts";
import { currentProgram, type ServiceContext, ServiceError } from "./cli/service.ts";
import { status } from "./cli/status.ts";
import { uninstall } from "./cli/uninstall.ts";
import { createRunCommand } from "./scheduler/run_command.ts";
import { startDaemon, StartError } from "./server/daemon.ts";
import { createLogger } from "./core/log.ts";
import type { Environment } from "./core/settings.ts";
import { assets, indexHtml } from "./ui/assets.ts";
import denoJson from "./deno.json" with { type: "json" };

const COMMANDS = ["serve", "demo", "install", "uninstall", "status"];

/** How long open streams get to close on SIGINT/SIGTERM before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 3000;

function fatal(message: string, code = 1): never {
  console.error(`error: ${message}`);
  Deno.exit(code);
}

/** The user's home folder, from the environment main() read. */
function home(env: Environment): string {
  const dir = env.HOME ?? env.USERPROFILE;
  if (!dir) fatal("HOME is not set");
  return dir;
}

function serviceContext(env: Environment): ServiceContext {
  return {
    home: home(env),
    uid: Deno.uid() ?? 0,
    env: { ...env },
    run: createRunCommand({ timeoutMs: 20_000 }),
    print: (line) => console.log(line),
    program: currentProgram(),
  };
}

/** Runs the daemon until SIGINT or SIGTERM; with `demo`, over simulated agents. */
async function serve(argv: string[], demoCommand: boolean, env: Environment): Promise<void> {
  const { config: loaded, file } = loadConfig({
    argv,
    env,
    home: home(env),
    readFile: readConfigText,
  });
  if (loaded.help) {
    console.log(HELP);
    Deno.exit(0);
  }
  if (loaded.version) {
    console.log(`tailboard ${denoJson.version}`);
    Deno.exit(0);
  }
  const log = createLogger(loaded.logLevel);
  if (file) log.info("settings read from a config file", { file });

  const running = await alreadyRunning(loaded);
  if (running) fatal(running);

  // Listen before anything starts: a signal during start-up must still clean up (the demo's folder).
  const stopRequested = Promise.withResolvers<string>();
  let signals = 0;
  const onSignal = (signal: string) => {
    if (++signals > 1) Deno.exit(130); // a second Ctrl-C: no more waiting
    stopRequested.resolve(signal);
  };
  Deno.addSignalListener("SIGINT", () => onSignal("SIGINT"));
  if (Deno.build.os !== "windows") Deno.addSignalListener("SIGTERM", () => onSignal("SIGTERM"));

  let demo: Demo | null = null;
  let config = loaded;
  if (demoCommand || loaded.demo) {
    demo = await startDemo(loaded, log);
    config = demo.config;
  }
  let daemon;
  try {
    daemon = await startDaemon(config, {
      ui: { indexHtml, assets },
      version: denoJson.version,
      log,
      jobSource: demo?.jobSource,
      env,
    });
  } catch (error) {
    await demo?.close();
    if (error instanceof StartError) fatal(error.message);
    if (error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied) {
      fatal(
        `${error.message}: this build may only listen on loopback ` +
          `(--allow-net=127.0.0.1,localhost,[::1]); to bind ${config.host}, run main.ts with ` +
          `deno run and a wider --allow-net`,
      );
    }
    throw error;
  }
  const url = config.token ? `${daemon.url}?token=${encodeURIComponent(config.token)}` : daemon.url;
  console.log(
    demo
      ? `tailboard demo: simulated agents at ${url} (Ctrl-C stops it and removes ${demo.dir})`
      : `tailboard is watching your agents at ${url}`,
  );
  if (config.open) openBrowser(url, log);

  const signal = await stopRequested.promise;
  log.info("shutting down", { signal });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = await Promise.race([
    daemon.close().then(() => false),
    new Promise<boolean>((r) => timer = setTimeout(() => r(true), SHUTDOWN_GRACE_MS)),
  ]);
  clearTimeout(timer);
  if (late) log.warn("streams did not close in time; exiting anyway", { ms: SHUTDOWN_GRACE_MS });
  await demo?.close();
  Deno.exit(0);
}

async function main(args: string[], env: Environment): Promise<void> {
  const [command, ...rest] = args;
  switch (command) {
    case "install":
      return Deno.exit(await install(rest, serviceContext(env)));
    case "uninstall":
      return Deno.exit(await uninstall(rest, serviceContext(env)));
    case "status":
      return Deno.exit(await status(rest, serviceContext(env)));
    case "demo":
      return serve(rest, true, env);
    case "serve":
      return serve(rest, false, env);
  }
  if (command !== undefined && !command.startsWith("-")) {
    fatal(`unknown command '${command}'; commands: ${COMMANDS.join(", ")} (see --help)`, 2);
  }
  return serve(args, false, env);
}

if (import.meta.main) {
  try {
    // The one place that reads the process's arguments and environment.
    await main(Deno.args, Deno.env.toObject());
  } catch (error) {
    if (error instanceof ConfigError) fatal(error.message, 2);
    if (error instanceof ServiceError) fatal(error.message);
    throw error;
  }
}
