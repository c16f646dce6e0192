/**
 * The daemon's settings and how command-line flags become them. Pure: argv in,
 * a Config or an error message out.
 */
import { parseArgs } from "node:util";
import { LOG_LEVELS, type LogLevel } from "../server/log.ts";

export interface Config {
  host: string;
  port: number;
  token?: string;
  /** Extra files or folders to watch (`--watch`, repeatable). */
  watch: string[];
  /** Watch the places agents write by default (Claude Code projects and task output). */
  defaultSources: boolean;
  runningWindowMs: number;
  scheduler: "auto" | "launchd" | "systemd" | "none";
  schedulerIntervalMs: number;
  jobFilter: string[];
  logLevel: LogLevel;
  open: boolean;
  help: boolean;
  version: boolean;
}

export const DEFAULTS: Config = {
  host: "127.0.0.1",
  port: 8787,
  watch: [],
  defaultSources: true,
  runningWindowMs: 90_000,
  scheduler: "auto",
  schedulerIntervalMs: 5_000,
  jobFilter: [],
  logLevel: "info",
  open: false,
  help: false,
  version: false,
};

export class ConfigError extends Error {}

export const HELP =
  `tailboard: watch every AI coding agent on this machine, live, in one browser tab.

Usage: tailboard [options]

Options:
  --port N                 port to listen on (default ${DEFAULTS.port}; 0 picks a free one)
  --host ADDR              address to bind (default 127.0.0.1; non-loopback needs --token)
  --token T                require this token from every client
  --watch PATH             also watch this folder (every *.jsonl and *.output in it) or file; repeatable
  --no-default-sources     watch only what --watch names
  --running-window SECS    an agent whose file changed this recently is running (default 90)
  --scheduler KIND         auto | launchd | systemd | none (default auto)
  --scheduler-interval S   how often scheduled jobs are polled (default 5)
  --job-filter PATTERN     jobs shown as Sessions: label prefix or glob; repeatable
                           (default: labels or programs mentioning claude, codex or agent)
  --log-level LEVEL        debug | info | warn | error (default info)
  --open                   open the browser once listening
  -h, --help               show this help
  -V, --version            print the version
`;

/** Parses command-line flags over `base`; throws ConfigError with a clear message. */
export function parseFlags(argv: string[], base: Config = DEFAULTS): Config {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: "string" },
        host: { type: "string" },
        token: { type: "string" },
        watch: { type: "string", multiple: true },
        "no-default-sources": { type: "boolean" },
        "running-window": { type: "string" },
        scheduler: { type: "string" },
        "scheduler-interval": { type: "string" },
        "job-filter": { type: "string", multiple: true },
        "log-level": { type: "string" },
        open: { type: "boolean" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "V" },
      },
    });
  } catch (error) {
    throw new ConfigError(`${error instanceof Error ? error.message : error} (see --help)`);
  }
  const v = parsed.values;
  const config: Config = { ...base };
  if (v.port !== undefined) config.port = integer(v.port, "--port", 0, 65535);
  if (v.host !== undefined) config.host = v.host;
  if (v.token !== undefined) config.token = v.token;
  if (v.watch) config.watch = [...base.watch, ...v.watch];
  if (v["no-default-sources"]) config.defaultSources = false;
  if (v["running-window"] !== undefined) {
    config.runningWindowMs = integer(v["running-window"], "--running-window", 1, 86_400) * 1000;
  }
  if (v.scheduler !== undefined) {
    config.scheduler = oneOf(
      v.scheduler,
      "--scheduler",
      ["auto", "launchd", "systemd", "none"] as const,
    );
  }
  if (v["scheduler-interval"] !== undefined) {
    config.schedulerIntervalMs = integer(v["scheduler-interval"], "--scheduler-interval", 1, 3600) *
      1000;
  }
  if (v["job-filter"]) config.jobFilter = [...v["job-filter"]];
  if (v["log-level"] !== undefined) {
    config.logLevel = oneOf(v["log-level"], "--log-level", LOG_LEVELS);
  }
  if (v.open) config.open = true;
  if (v.help) config.help = true;
  if (v.version) config.version = true;
  return config;
}

function integer(raw: string, name: string, min: number, max: number): number {
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} needs a whole number, got '${raw}'`);
  const n = Number(raw);
  if (n < min || n > max) {
    throw new ConfigError(`${name} must be between ${min} and ${max}, got ${n}`);
  }
  return n;
}

function oneOf<T extends string>(raw: string, name: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  throw new ConfigError(`${name} must be one of ${allowed.join(", ")}, got '${raw}'`);
}
