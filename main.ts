/**
 * tailboard: a local daemon that shows every AI coding agent on this machine,
 * live, in one browser tab. This file only reads the flags and wires the parts.
 */
import { ConfigError, HELP, parseFlags } from "./cli/config.ts";
import { startDaemon, StartError } from "./server/daemon.ts";
import { createLogger } from "./server/log.ts";
import { assets, indexHtml } from "./ui/assets.ts";
import denoJson from "./deno.json" with { type: "json" };

function fatal(message: string): never {
  console.error(`error: ${message}`);
  Deno.exit(2);
}

if (import.meta.main) {
  let config;
  try {
    config = parseFlags(Deno.args);
  } catch (error) {
    if (error instanceof ConfigError) fatal(error.message);
    throw error;
  }
  if (config.help) {
    console.log(HELP);
    Deno.exit(0);
  }
  if (config.version) {
    console.log(`tailboard ${denoJson.version}`);
    Deno.exit(0);
  }
  const log = createLogger(config.logLevel);
  let daemon;
  try {
    daemon = await startDaemon(config, {
      ui: { indexHtml, assets },
      version: denoJson.version,
      log,
    });
  } catch (error) {
    if (error instanceof StartError) fatal(error.message);
    throw error;
  }
  console.log(`tailboard is watching your agents at ${daemon.url}`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("shutting down", { signal });
    await daemon.close();
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGINT", () => stop("SIGINT"));
  if (Deno.build.os !== "windows") Deno.addSignalListener("SIGTERM", () => stop("SIGTERM"));
}
