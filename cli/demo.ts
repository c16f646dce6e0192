/**
 * `tailboard demo` (or `--demo`): the daemon watching only a temp folder that
 * simulated agents write into. The folder is removed when the demo stops.
 */
import { startSimulator } from "../demo/simulator.ts";
import type { Logger } from "../core/log.ts";
import type { Config } from "./config.ts";
import type { JobSource } from "../scheduler/board.ts";

/** A running demo: the config to serve it with, and its cleanup. */
export interface Demo {
  /** The temp folder the simulated agents write into. */
  dir: string;
  /** `config` watching only `dir`. */
  config: Config;
  /** The simulated scheduler, for the daemon's scheduler board. */
  jobSource: JobSource;
  /** Stops the agents and removes `dir`. */
  close(): Promise<void>;
}

/** Options for `startDemo`. */
export interface DemoOptions {
  /** Divides the simulated agents' pauses. @default 1 */
  speed?: number;
}

/** Creates the temp folder, writes the agents' history and sets them going. */
export async function startDemo(
  config: Config,
  log: Logger,
  opts: DemoOptions = {},
): Promise<Demo> {
  // The real path: on macOS the temp dir is behind the /var -> /private/var link.
  const dir = await Deno.realPath(await Deno.makeTempDir({ prefix: "tailboard-demo-" }));
  let simulator;
  try {
    simulator = await startSimulator({
      dir,
      speed: opts.speed,
      onError: (error) => log.warn("demo: a simulated agent stopped", { error: String(error) }),
    });
  } catch (error) {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    throw error;
  }
  log.info("demo: simulated agents are writing into a temp folder", { dir });
  // The demo's history index lives and dies with the demo: a user's real
  // history never sees simulated agents.
  const dataDir = await Deno.makeTempDir({ prefix: "tailboard-demo-index-" });
  let closed: Promise<void> | null = null;
  return {
    dir,
    config: {
      ...config,
      defaultSources: false,
      watch: [dir],
      demo: true,
      dataDir,
      // The simulated agents' live state, instead of the user's real sessions.
      liveStateDirs: [simulator.stateDir],
    },
    jobSource: { name: "demo", poll: simulator.poll },
    close() {
      closed ??= (async () => {
        await simulator.close();
        await Deno.remove(dir, { recursive: true });
        await Deno.remove(dataDir, { recursive: true }).catch(() => {});
        log.info("demo: removed its temp folder", { dir });
      })();
      return closed;
    },
  };
}
