/**
 * Starts the daemon exactly as `main.ts` does but with a one-page stand-in UI,
 * so the tail engine and the API can be benchmarked while `ui/assets.ts` does
 * not load (it is written separately). Same flags as `main.ts`:
 *
 *   deno run -A bench/serve.ts --port 8787 --no-default-sources --watch DIR
 */
import { ConfigError, parseFlags } from "../cli/config.ts";
import { startDaemon, StartError } from "../server/daemon.ts";
import { createLogger } from "../core/log.ts";

/** The smallest UI bundle `createApp` accepts: the benchmarks never load it. */
const STAND_IN_UI = {
  indexHtml: "<!doctype html><title>tailboard (bench)</title><p>benchmark build: no UI</p>",
  assets: new Map<string, { body: string; type: string }>(),
};

if (import.meta.main) {
  let config;
  try {
    config = parseFlags(Deno.args);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`error: ${error.message}`);
      Deno.exit(2);
    }
    throw error;
  }
  const log = createLogger(config.logLevel);
  let daemon;
  try {
    daemon = await startDaemon(config, {
      ui: STAND_IN_UI,
      version: "bench",
      log,
      env: Deno.env.toObject(),
    });
  } catch (error) {
    if (error instanceof StartError) {
      console.error(`error: ${error.message}`);
      Deno.exit(2);
    }
    throw error;
  }
  console.log(`tailboard (bench build) is watching at ${daemon.url}`);
  const stop = async () => {
    await daemon.close();
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
}
