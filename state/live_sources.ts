/**
 * Polls Claude Code's own live state and hands the fused result to the
 * agents registry: `sessions/<pid>.json` every second, `claude agents --json`
 * (when a `claude` is on PATH) and `jobs/` at most every five seconds. Each
 * source is optional; a missing or odd one is quiet, never an error.
 */
import type { LiveState } from "../agents/status.ts";
import type { Logger } from "../core/log.ts";
import { findOnPath, type RunCommand } from "../scheduler/run_command.ts";
import { askClaudeAgents } from "./claude_agents.ts";
import { readJobs } from "./claude_jobs.ts";
import { readSessions } from "./claude_sessions.ts";

export interface LiveSourcesOptions {
  /** Claude Code config folders (`CLAUDE_CONFIG_DIR`, `~/.claude`, ...). */
  configDirs: readonly string[];
  run: RunCommand;
  log: Logger;
  /** The `PATH` a `claude` CLI is looked for on; none means do not ask it. */
  path?: string;
  onChange(live: Map<string, LiveState>): void;
  /** @default 1000 */
  sessionsEveryMs?: number;
  /** `claude agents --json` and jobs, at most this often. @default 5000 */
  slowEveryMs?: number;
  /** @default 4000 */
  claudeTimeoutMs?: number;
}

/** Where Claude Code keeps its state: `CLAUDE_CONFIG_DIR` (a comma list), `~/.claude`, `~/.config/claude`. */
export function claudeConfigDirs(home: string, claudeConfigDir: string | undefined): string[] {
  const dirs = (claudeConfigDir ?? "").split(",").map((d) => d.trim().replace(/\/+$/, ""))
    .filter(Boolean);
  dirs.push(`${home}/.claude`, `${home}/.config/claude`);
  return [...new Set(dirs)];
}

export class LiveSources {
  #o: LiveSourcesOptions;
  #timer: ReturnType<typeof setInterval> | null = null;
  #busy = false;
  #inflight: Promise<void> = Promise.resolve();
  #closed = false;
  #lastSlow = 0;
  #agents = new Map<string, LiveState>();
  #jobs = new Map<string, LiveState>();
  #lastJson = "";
  #unknownLogged = new Set<string>();

  constructor(options: LiveSourcesOptions) {
    this.#o = options;
  }

  async start(): Promise<void> {
    await this.poll();
    this.#timer = setInterval(() => void this.poll(), this.#o.sessionsEveryMs ?? 1000);
  }

  /** One round: never overlaps the previous one. */
  poll(): Promise<void> {
    if (this.#busy || this.#closed) return this.#inflight;
    this.#busy = true;
    this.#inflight = this.#round();
    return this.#inflight;
  }

  async #round(): Promise<void> {
    try {
      const onUnknown = (word: string) => this.#unknown(word);
      if (Date.now() - this.#lastSlow >= (this.#o.slowEveryMs ?? 5000)) {
        this.#lastSlow = Date.now();
        this.#jobs = await readJobs(this.#o.configDirs, onUnknown);
        const claude = this.#o.path === undefined ? null : findOnPath("claude", this.#o.path);
        if (claude) {
          const asked = await askClaudeAgents(
            this.#o.run,
            claude,
            onUnknown,
            this.#o.claudeTimeoutMs,
          );
          // A failed or hung run keeps the last answer rather than dropping every session.
          if (asked) this.#agents = asked;
        } else this.#agents = new Map();
      }
      const sessions = await readSessions(this.#o.configDirs, this.#o.run, onUnknown);
      if (this.#closed) return;
      const fused = fuseLive(this.#agents, sessions, this.#jobs);
      const json = JSON.stringify([...fused]);
      if (json === this.#lastJson) return;
      this.#lastJson = json;
      this.#o.onChange(fused);
    } catch (error) {
      this.#o.log.debug("live state poll failed", { error: String(error) });
    } finally {
      this.#busy = false;
    }
  }

  #unknown(word: string): void {
    if (this.#unknownLogged.has(word)) return;
    this.#unknownLogged.add(word);
    this.#o.log.info("unknown Claude Code session status; counting it as busy", { status: word });
  }

  /** Stops polling; resolves once a round in flight has finished. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#inflight;
  }
}

/**
 * One state per session: `claude agents --json` (it alone says what a
 * blocked session waits for), then `sessions/<pid>.json`, then jobs. The
 * session file's pid check is the freshest word on whether the process is
 * gone, so a dead pid there wins over an older "working".
 */
export function fuseLive(
  agents: Map<string, LiveState>,
  sessions: Map<string, LiveState>,
  jobs: Map<string, LiveState>,
): Map<string, LiveState> {
  const fused = new Map<string, LiveState>(jobs);
  for (const [id, s] of sessions) fused.set(id, s);
  for (const [id, a] of agents) {
    const file = sessions.get(id);
    fused.set(id, file && !file.alive ? file : a);
  }
  return fused;
}
