/**
 * Where coding agents write today. Pure: the environment comes in as data so
 * macOS and Linux layouts are both testable on either.
 */

/** How files under a root are classified. */
export type RootKind =
  | "claude-projects"
  | "claude-tasks"
  | "codex-sessions"
  | "gemini-tmp"
  | "copilot-state"
  | "watch";

export interface Root {
  path: string;
  kind: RootKind;
}

export interface RootsEnv {
  home: string;
  platform: "darwin" | "linux" | string;
  uid: number | null;
  /** Process environment variables that matter here. */
  env: Record<string, string | undefined>;
}

/**
 * The default roots: Claude Code project transcripts (`CLAUDE_CONFIG_DIR`,
 * `~/.claude`, `~/.config/claude`) and background task output folders
 * (`<tmp>/claude-<uid>/`, relocated by `CLAUDE_CODE_TMPDIR`), Codex CLI
 * sessions (`~/.codex/sessions`, or `$CODEX_HOME/sessions`), Gemini CLI chats
 * (`~/.gemini/tmp`, or `$GEMINI_CLI_HOME/.gemini/tmp`) and Copilot CLI
 * sessions (`~/.copilot/session-state`, or `$COPILOT_HOME/session-state`;
 * versions before 1.0 honoured `$XDG_CONFIG_HOME/.copilot`).
 */
export function defaultRoots({ home, platform, uid, env }: RootsEnv): Root[] {
  const roots: Root[] = [];
  const configDirs = env.CLAUDE_CONFIG_DIR
    ? env.CLAUDE_CONFIG_DIR.split(",").map((d) => d.trim()).filter(Boolean)
    : [];
  for (const dir of [...configDirs, `${home}/.claude`, `${home}/.config/claude`]) {
    roots.push({ path: `${stripSlash(dir)}/projects`, kind: "claude-projects" });
  }
  const tmpDirs = env.CLAUDE_CODE_TMPDIR
    ? [env.CLAUDE_CODE_TMPDIR]
    : platform === "darwin"
    ? ["/private/tmp", env.TMPDIR ?? ""] // /tmp is a link to /private/tmp there
    : [env.TMPDIR ?? "", "/tmp"];
  const suffix = uid === null ? "claude" : `claude-${uid}`;
  for (const dir of tmpDirs) {
    if (dir) roots.push({ path: `${stripSlash(dir)}/${suffix}`, kind: "claude-tasks" });
  }
  const codexHome = env.CODEX_HOME ? stripSlash(env.CODEX_HOME) : `${home}/.codex`;
  roots.push({ path: `${codexHome}/sessions`, kind: "codex-sessions" });
  const geminiHome = env.GEMINI_CLI_HOME ? stripSlash(env.GEMINI_CLI_HOME) : home;
  roots.push({ path: `${geminiHome}/.gemini/tmp`, kind: "gemini-tmp" });
  const copilotHomes = env.COPILOT_HOME ? [stripSlash(env.COPILOT_HOME)] : [
    `${home}/.copilot`,
    ...(env.XDG_CONFIG_HOME ? [`${stripSlash(env.XDG_CONFIG_HOME)}/.copilot`] : []),
  ];
  for (const dir of copilotHomes) {
    roots.push({ path: `${dir}/session-state`, kind: "copilot-state" });
  }
  return dedupe(roots);
}

function stripSlash(p: string): string {
  return p.length > 1 && p.endsWith("/") ? p.slice(0, -1) : p;
}

function dedupe(roots: Root[]): Root[] {
  const seen = new Set<string>();
  return roots.filter((r) => !seen.has(r.path) && seen.add(r.path));
}
