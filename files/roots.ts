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

/** A watched path placed under its root, in both spellings. */
export interface Located {
  root: Root;
  /** The path under the root as configured: how a scan of the root names it. */
  given: string;
  /** The path under the root's resolved folder: how FSEvents (and a watch on it) names it. */
  resolved: string;
}

/**
 * The root a watch event's path is under, matched against each root as
 * configured and as resolved (`realRoots`: root path → its realpath). A root
 * behind a symlink (a linked `~/.claude`, `CLAUDE_CONFIG_DIR`, `--watch`) is
 * reported under its real folder, never under the link.
 */
export function locate(
  path: string,
  roots: readonly Root[],
  realRoots: ReadonlyMap<string, string>,
): Located | undefined {
  let best: { length: number; located: Located } | undefined;
  for (const root of roots) {
    const real = realRoots.get(root.path) ?? root.path;
    for (const base of [root.path, real]) {
      const rest = under(path, base);
      if (rest === null || (best && best.length >= base.length)) continue;
      best = {
        length: base.length,
        located: { root, given: joinRest(root.path, rest), resolved: joinRest(real, rest) },
      };
    }
  }
  return best?.located;
}

/** What follows `base` in `path` ("" or "/…"), or null when `path` is not under it. */
function under(path: string, base: string): string | null {
  const folder = stripSlash(base);
  if (path === folder) return "";
  if (folder === "/") return path.startsWith("/") ? path : null;
  return path.startsWith(`${folder}/`) ? path.slice(folder.length) : null;
}

function joinRest(base: string, rest: string): string {
  const folder = stripSlash(base);
  return folder === "/" && rest !== "" ? rest : `${folder}${rest}`;
}
