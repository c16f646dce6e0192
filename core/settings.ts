/**
 * The daemon's settings, as `main.ts` resolves them once (flags >
 * `TAILBOARD_*` variables > config file > defaults, in `cli/config.ts`) and
 * passes down. Types only: every part of the daemon receives values, none
 * reads the process's arguments or environment itself.
 */
import type { LogLevel } from "./log.ts";

/** Every setting, resolved. */
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
  /** `--config FILE`: the settings file to read instead of the default one. */
  configFile?: string;
  /** `--demo`: serve simulated agents from a temp folder (as `tailboard demo`). */
  demo?: boolean;
  /** Where the history index lives; unset means the platform's data folder. */
  dataDir?: string;
  /** Build and keep the history index (search, cost, date picker). */
  history: boolean;
  /**
   * Read Claude Code's own live state (`sessions/<pid>.json`, `claude agents
   * --json`, `jobs/`) for each agent's status.
   */
  sessionState: boolean;
  /**
   * Where Claude Code's live state is read; unset means its config folders
   * (`CLAUDE_CONFIG_DIR`, `~/.claude`, `~/.config/claude`). Set by the demo.
   */
  liveStateDirs?: string[];
}

/**
 * The process environment, as `main.ts` read it: the daemon takes `HOME` and
 * the agents' own variables (`CLAUDE_CONFIG_DIR`, `CODEX_HOME`, `TMPDIR`,
 * `XDG_*`, `PATH`) from here.
 */
export type Environment = Readonly<Record<string, string>>;
