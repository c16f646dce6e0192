/**
 * The daemon's settings and where they come from. One precedence, highest
 * first: command-line flags > `TAILBOARD_*` environment variables > the config
 * file (`~/.config/tailboard/config.json`, or `--config FILE`) > defaults.
 * Lists (watched folders, job filters) add up across those layers; every other
 * setting comes from the highest layer that sets it. Pure: argv, environment
 * and file text in, a Config or a ConfigError out.
 */
import { delimiter, dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { LOG_LEVELS } from "../core/log.ts";
import type { Config } from "../core/settings.ts";

export type { Config };

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
  history: true,
  sessionState: true,
};

export class ConfigError extends Error {}

export const HELP =
  `tailboard: watch every AI coding agent on this machine, live, in one browser tab.

Usage:
  tailboard [options]          serve the live view (also: tailboard serve [options])
  tailboard demo [options]     serve it with simulated agents writing into a temp folder
  tailboard install [options]  start at login (launchd or systemd --user) with these options
  tailboard uninstall          stop it and remove the login item
  tailboard status [options]   is the login item installed, running, and does its URL answer?

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
  --data-dir DIR           where the history index lives (default: ~/Library/Application Support/tailboard
                           on macOS, $XDG_DATA_HOME/tailboard or ~/.local/share/tailboard elsewhere)
  --no-history             do not build the history index (no search, cost or date picker)
  --no-session-state       do not read Claude Code's live state (sessions/, claude agents, jobs/)
  --log-level LEVEL        debug | info | warn | error (default info)
  --open                   open the browser once listening
  --config FILE            read settings from FILE (default ~/.config/tailboard/config.json)
  --demo                   the same as \`tailboard demo\`
  -h, --help               show this help
  -V, --version            print the version

Settings come from, highest first: flags > environment > config file > defaults.
Lists (--watch, --job-filter) add up across the three; any other setting is taken
from the highest one that sets it. Unknown keys and bad values stop tailboard.

  flag                   environment variable             config.json key
  --port                 TAILBOARD_PORT=8787              "port": 8787
  --host                 TAILBOARD_HOST=127.0.0.1         "host": "127.0.0.1"
  --token                TAILBOARD_TOKEN=...              "token": "..."
  --watch                TAILBOARD_WATCH=~/a${delimiter}~/b         "watch": ["~/a", "~/b"]
  --no-default-sources   TAILBOARD_DEFAULT_SOURCES=false  "defaultSources": false
  --running-window       TAILBOARD_RUNNING_WINDOW=90      "runningWindow": 90
  --scheduler            TAILBOARD_SCHEDULER=auto         "scheduler": "auto"
  --scheduler-interval   TAILBOARD_SCHEDULER_INTERVAL=5   "schedulerInterval": 5
  --job-filter           TAILBOARD_JOB_FILTER=a,b         "jobFilter": ["a", "b"]
  --data-dir             TAILBOARD_DATA_DIR=~/data        "dataDir": "~/data"
  --no-history           TAILBOARD_HISTORY=false          "history": false
  --no-session-state     TAILBOARD_SESSION_STATE=false    "sessionState": false
  --log-level            TAILBOARD_LOG_LEVEL=info         "logLevel": "info"
  --open                 TAILBOARD_OPEN=true              "open": true
  --config               TAILBOARD_CONFIG=FILE

Booleans in the environment are true/false or 1/0. Relative paths in the config
file are relative to the file's folder; ~/ means your home in the file and the
environment. $XDG_CONFIG_HOME, when set, replaces ~/.config.
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
        "data-dir": { type: "string" },
        "no-history": { type: "boolean" },
        "no-session-state": { type: "boolean" },
        "log-level": { type: "string" },
        open: { type: "boolean" },
        config: { type: "string" },
        demo: { type: "boolean" },
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
  if (v.scheduler !== undefined) config.scheduler = oneOf(v.scheduler, "--scheduler", SCHEDULERS);
  if (v["scheduler-interval"] !== undefined) {
    config.schedulerIntervalMs = integer(v["scheduler-interval"], "--scheduler-interval", 1, 3600) *
      1000;
  }
  if (v["data-dir"] !== undefined) config.dataDir = v["data-dir"];
  if (v["no-history"]) config.history = false;
  if (v["no-session-state"]) config.sessionState = false;
  if (v["job-filter"]) config.jobFilter = [...base.jobFilter, ...v["job-filter"]];
  if (v["log-level"] !== undefined) {
    config.logLevel = oneOf(v["log-level"], "--log-level", LOG_LEVELS);
  }
  if (v.open) config.open = true;
  if (v.config !== undefined) config.configFile = v.config;
  if (v.demo) config.demo = true;
  if (v.help) config.help = true;
  if (v.version) config.version = true;
  return config;
}

const SCHEDULERS = ["auto", "launchd", "systemd", "none"] as const;

/** How a setting's value is spelled in the environment and the config file. */
type Kind = "integer" | "boolean" | "string" | "strings" | "paths";

interface Setting {
  /** The config.json key. */
  key: string;
  /** The environment variable. */
  env: string;
  kind: Kind;
  /** Sets an already-typed value, checking its range; `name` is for messages. */
  set(config: Config, value: never, name: string): void;
}

function setting<K extends Kind>(
  key: string,
  env: string,
  kind: K,
  set: (config: Config, value: ValueOf<K>, name: string) => void,
): Setting {
  return { key, env, kind, set: set as Setting["set"] };
}

type ValueOf<K extends Kind> = K extends "integer" ? number
  : K extends "boolean" ? boolean
  : K extends "string" ? string
  : string[];

/** Every setting the environment and the config file may carry, in --help order. */
const SETTINGS: readonly Setting[] = [
  setting("port", "TAILBOARD_PORT", "integer", (c, v, n) => c.port = inRange(v, n, 0, 65535)),
  setting("host", "TAILBOARD_HOST", "string", (c, v) => c.host = v),
  setting("token", "TAILBOARD_TOKEN", "string", (c, v) => c.token = v),
  setting("watch", "TAILBOARD_WATCH", "paths", (c, v) => c.watch = [...c.watch, ...v]),
  setting("defaultSources", "TAILBOARD_DEFAULT_SOURCES", "boolean", (c, v) => {
    c.defaultSources = v;
  }),
  setting("runningWindow", "TAILBOARD_RUNNING_WINDOW", "integer", (c, v, n) => {
    c.runningWindowMs = inRange(v, n, 1, 86_400) * 1000;
  }),
  setting("scheduler", "TAILBOARD_SCHEDULER", "string", (c, v, n) => {
    c.scheduler = oneOf(v, n, SCHEDULERS);
  }),
  setting("schedulerInterval", "TAILBOARD_SCHEDULER_INTERVAL", "integer", (c, v, n) => {
    c.schedulerIntervalMs = inRange(v, n, 1, 3600) * 1000;
  }),
  setting("jobFilter", "TAILBOARD_JOB_FILTER", "strings", (c, v) => {
    c.jobFilter = [...c.jobFilter, ...v];
  }),
  setting("logLevel", "TAILBOARD_LOG_LEVEL", "string", (c, v, n) => {
    c.logLevel = oneOf(v, n, LOG_LEVELS);
  }),
  setting("open", "TAILBOARD_OPEN", "boolean", (c, v) => c.open = v),
  setting("dataDir", "TAILBOARD_DATA_DIR", "string", (c, v) => c.dataDir = v),
  setting("history", "TAILBOARD_HISTORY", "boolean", (c, v) => c.history = v),
  setting("sessionState", "TAILBOARD_SESSION_STATE", "boolean", (c, v) => c.sessionState = v),
];

/** Names the config file's location rather than a setting. */
const CONFIG_ENV = "TAILBOARD_CONFIG";

/**
 * `TAILBOARD_*` names that belong to the project's tooling, not the daemon
 * (`tests/browser.ts` reads TAILBOARD_CHROMIUM); they are left alone.
 */
const NOT_SETTINGS = new Set(["TAILBOARD_CHROMIUM"]);

/** Every environment variable tailboard reads. */
export const ENV_NAMES: readonly string[] = [...SETTINGS.map((s) => s.env), CONFIG_ENV];

/** Where the settings come from; `readFile` returns null for a missing file. */
export interface ConfigSources {
  argv: string[];
  env: Record<string, string | undefined>;
  home: string;
  readFile(path: string): string | null;
}

/** The settings in force, and the config file they were read from, if any. */
export interface LoadedConfig {
  config: Config;
  file: string | null;
}

/** Flags over environment over config file over defaults; throws ConfigError. */
export function loadConfig({ argv, env, home, readFile }: ConfigSources): LoadedConfig {
  const flags = parseFlags(argv);
  // --help and --version answer even when the file or environment is broken.
  if (flags.help || flags.version) return { config: flags, file: null };
  const named = flags.configFile ?? nonEmpty(env[CONFIG_ENV]);
  const path = named === undefined
    ? defaultConfigPath(env, home)
    : resolve(expandHome(named, home));
  let config: Config = { ...DEFAULTS };
  const text = readFile(path);
  if (text === null && named !== undefined) {
    throw new ConfigError(`config file ${path} does not exist`);
  }
  if (text !== null) config = applyConfigFile(config, text, path, home);
  config = applyEnv(config, env, home);
  config = parseFlags(argv, config);
  // A shell leaves `--watch=~/x` alone; read it as the environment and file are read.
  config.watch = config.watch.map((p) => expandHome(p, home));
  return { config, file: text === null ? null : path };
}

/** `$XDG_CONFIG_HOME/tailboard/config.json`, or `~/.config/tailboard/config.json`. */
export function defaultConfigPath(env: Record<string, string | undefined>, home: string): string {
  const base = nonEmpty(env.XDG_CONFIG_HOME) ?? `${home}/.config`;
  return `${base}/tailboard/config.json`;
}

/** Applies the `TAILBOARD_*` variables in `env` over `base`. */
export function applyEnv(
  base: Config,
  env: Record<string, string | undefined>,
  home: string,
): Config {
  const known = new Set(ENV_NAMES);
  for (const name of Object.keys(env).sort()) {
    if (name.startsWith("TAILBOARD_") && !known.has(name) && !NOT_SETTINGS.has(name)) {
      throw new ConfigError(
        `unknown environment variable ${name}; tailboard reads ${ENV_NAMES.join(", ")}`,
      );
    }
  }
  const config = copy(base);
  for (const s of SETTINGS) {
    const raw = nonEmpty(env[s.env]);
    if (raw === undefined) continue;
    s.set(config, fromEnv(s, raw, home) as never, s.env);
  }
  return config;
}

/** Applies a config.json's text over `base`; `path` names the file in messages. */
export function applyConfigFile(base: Config, text: string, path: string, home: string): Config {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(
      `${path} is not valid JSON: ${error instanceof Error ? error.message : error}`,
    );
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new ConfigError(`${path} must hold one JSON object, like {"port": 8787}`);
  }
  const byKey = new Map(SETTINGS.map((s) => [s.key, s]));
  const config = copy(base);
  for (const [key, value] of Object.entries(json)) {
    const s = byKey.get(key);
    if (!s) {
      throw new ConfigError(
        `${path}: unknown key "${key}"; known keys: ${SETTINGS.map((s) => s.key).join(", ")}`,
      );
    }
    const name = `${path}: "${key}"`;
    s.set(config, fromFile(s, value, name, dirname(path), home) as never, name);
  }
  return config;
}

function fromEnv(s: Setting, raw: string, home: string): ValueOf<Kind> {
  switch (s.kind) {
    case "integer":
      return wholeNumber(raw, s.env);
    case "boolean": {
      const v = raw.toLowerCase();
      if (v === "true" || v === "1") return true;
      if (v === "false" || v === "0") return false;
      throw new ConfigError(`${s.env} must be true, false, 1 or 0, got '${raw}'`);
    }
    case "string":
      return raw;
    case "strings":
      return raw.split(",").map((p) => p.trim()).filter(Boolean);
    case "paths":
      return raw.split(delimiter).filter(Boolean).map((p) => expandHome(p, home));
  }
}

function fromFile(
  s: Setting,
  value: unknown,
  name: string,
  folder: string,
  home: string,
): ValueOf<Kind> {
  const got = JSON.stringify(value);
  switch (s.kind) {
    case "integer":
      if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
        throw new ConfigError(`${name} needs a whole number, got ${got}`);
      }
      return value;
    case "boolean":
      if (typeof value !== "boolean") {
        throw new ConfigError(`${name} must be true or false, got ${got}`);
      }
      return value;
    case "string":
      if (typeof value !== "string") throw new ConfigError(`${name} must be a string, got ${got}`);
      return value;
    case "strings":
    case "paths": {
      if (!Array.isArray(value) || !value.every((v) => typeof v === "string" && v !== "")) {
        throw new ConfigError(`${name} must be a list of strings, like ["a", "b"], got ${got}`);
      }
      return s.kind === "strings"
        ? value
        : value.map((p: string) => resolve(folder, expandHome(p, home)));
    }
  }
}

/** `~` and `~/x` are under `home`; anything else is left as it is. */
export function expandHome(path: string, home: string): string {
  if (path === "~") return home;
  if (path.startsWith("~/")) return `${home}${path.slice(1)}`;
  return path;
}

function copy(config: Config): Config {
  return { ...config, watch: [...config.watch], jobFilter: [...config.jobFilter] };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

function integer(raw: string, name: string, min: number, max: number): number {
  return inRange(wholeNumber(raw, name), name, min, max);
}

function wholeNumber(raw: string, name: string): number {
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} needs a whole number, got '${raw}'`);
  return Number(raw);
}

function inRange(n: number, name: string, min: number, max: number): number {
  if (n < min || n > max) {
    throw new ConfigError(`${name} must be between ${min} and ${max}, got ${n}`);
  }
  return n;
}

function oneOf<T extends string>(raw: string, name: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  throw new ConfigError(`${name} must be one of ${allowed.join(", ")}, got '${raw}'`);
}

/**
 * A config file's text, or null when there is none: the one bit of I/O here,
 * for callers to hand `loadConfig` as `readFile`.
 */
export function readConfigText(path: string): string | null {
  try {
    return Deno.readTextFileSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw new ConfigError(
      `cannot read config file ${path}: ${error instanceof Error ? error.message : error}`,
    );
  }
}
