/**
 * `tailboard install [options]`: a login item that runs this tailboard with
 * these options and this shell's agent locations (`CLAUDE_CONFIG_DIR`,
 * `CODEX_HOME`, `CLAUDE_CODE_TMPDIR`, `GEMINI_CLI_HOME`, `COPILOT_HOME`) and
 * `TAILBOARD_*` settings, started now and at every login. macOS: a LaunchAgent loaded
 * with `launchctl bootstrap` (`launchctl load -w` where bootstrap fails on
 * older systems), checked with `launchctl print` (cli/launchctl.ts). Linux: a
 * systemd user unit, `enable --now`.
 */
import { delimiter, dirname, resolve } from "node:path";
import { ConfigError, ENV_NAMES, expandHome, HELP, loadConfig, readConfigText } from "./config.ts";
import { isLoopback } from "../server/guard.ts";
import { localUrl, probeHealth } from "./health.ts";
import { generatePlist, generateUnit, LABEL, UNIT_NAME } from "./launch_agent.ts";
import { startLaunchAgent, stopLaunchAgent } from "./launchctl.ts";
import {
  call,
  definitionPath,
  detectManager,
  exists,
  firstLine,
  logDir,
  type Manager,
  type ServiceContext,
  ServiceError,
  serviceState,
  tilde,
} from "./service.ts";

/** Installs and starts the login item; resolves to the exit code. */
export async function install(argv: string[], ctx: ServiceContext): Promise<number> {
  const { config } = loadConfig({ argv, env: ctx.env, home: ctx.home, readFile: readConfigText });
  if (config.help) {
    ctx.print(HELP);
    return 0;
  }
  if (config.demo) throw new ConfigError("the demo is not something to install; drop --demo");
  if (config.port === 0) {
    throw new ConfigError("a login item needs a fixed --port, so its URL can be bookmarked");
  }
  if (!isLoopback(config.host)) {
    // DENO_RUN_PERMISSIONS and the compiled binary allow listening on loopback only.
    throw new ConfigError(
      `a login item listens on loopback only (its permissions allow no more), not on ${config.host}`,
    );
  }
  const manager = detectManager(ctx.env);
  const argvOut = [...ctx.program, "serve", ...absolutePaths(argv, ctx.home)];
  const env = settingsEnv(ctx.env, ctx.home);
  const path = definitionPath(manager, ctx);
  const existed = await exists(path);
  const secret = config.token !== undefined;

  const text = manager === "launchd"
    ? generatePlist({
      argv: argvOut,
      env,
      stdoutPath: `${logDir(ctx.home)}/tailboard.out.log`,
      stderrPath: `${logDir(ctx.home)}/tailboard.err.log`,
    })
    : generateUnit({ argv: argvOut, env });
  await Deno.mkdir(dirname(path), { recursive: true });
  if (manager === "launchd") await Deno.mkdir(logDir(ctx.home), { recursive: true });
  await Deno.writeTextFile(path, text);
  // A token in the definition is a password: keep it readable by its owner only.
  await Deno.chmod(path, secret ? 0o600 : 0o644);
  try {
    await (manager === "launchd" ? loadLaunchAgent(path, ctx) : enableUnit(existed, ctx));
  } catch (error) {
    // Leave nothing half-installed behind.
    if (!existed) await Deno.remove(path).catch(() => {});
    throw error;
  }
  ctx.print(`wrote ${tilde(path, ctx.home)}`);
  ctx.print(startedLine(manager, ctx));
  if (ctx.program[0]?.includes("/_npx/")) {
    ctx.print(
      "note: deno runs from the npx cache here, which npm may clear; for a login item, use the " +
        "compiled binary (deno task compile) or a deno installed with npm i -g deno@2.9.6",
    );
  }

  const url = localUrl(config.host, config.port);
  const bookmark = config.token ? `${url}?token=${encodeURIComponent(config.token)}` : url;
  if (await waitForHealth(url, config.token, ctx.waitMs ?? 5000)) {
    ctx.print(`tailboard is running: bookmark ${bookmark}`);
  } else {
    const logs = manager === "launchd"
      ? `the logs in ${tilde(logDir(ctx.home), ctx.home)}/`
      : `journalctl --user -u ${UNIT_NAME}`;
    ctx.print(`tailboard was started but ${url} does not answer yet; see ${logs}`);
    ctx.print(`once it does, bookmark ${bookmark}`);
  }
  return 0;
}

/**
 * `bootstrap` refuses a label that is still loaded, so a reinstall boots the
 * old definition out and waits until launchd has let it go.
 */
async function loadLaunchAgent(path: string, ctx: ServiceContext): Promise<void> {
  if ((await serviceState("launchd", ctx)).loaded) await stopLaunchAgent(path, ctx);
  await startLaunchAgent(path, ctx);
}

/** A rewritten unit of a running service only takes effect on restart. */
async function enableUnit(existed: boolean, ctx: ServiceContext): Promise<void> {
  const steps = [["daemon-reload"], ["enable", "--now", UNIT_NAME]];
  if (existed) steps.push(["restart", UNIT_NAME]);
  for (const step of steps) {
    const res = await call(ctx, "systemctl", ["--user", ...step]);
    if (res.code !== 0) {
      throw new ServiceError(
        `systemctl --user ${step.join(" ")} failed: ${firstLine(res)}` +
          " (is a systemd user session running? `loginctl enable-linger` keeps one without a login)",
      );
    }
  }
}

function startedLine(manager: Manager, ctx: ServiceContext): string {
  return manager === "launchd"
    ? `loaded ${LABEL} into gui/${ctx.uid}: it starts at every login; logs in ${
      tilde(logDir(ctx.home), ctx.home)
    }/`
    : `enabled and started ${UNIT_NAME}: it starts with your session; logs: journalctl --user -u ${UNIT_NAME}`;
}

async function waitForHealth(url: string, token: string | undefined, ms: number) {
  const deadline = Date.now() + ms;
  do {
    const health = await probeHealth(url, { token, timeoutMs: 1000 });
    if (health.answer === "tailboard" || health.answer === "tailboard-locked") return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 250));
  } while (Date.now() < deadline);
  return false;
}

/**
 * The options as given, with `--watch` and `--config` paths made absolute:
 * the service starts in `/` (launchd) or home (systemd), not here.
 */
export function absolutePaths(argv: string[], home: string): string[] {
  const absolute = (p: string) => resolve(expandHome(p, home));
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = /^--(watch|config)=(.*)$/s.exec(arg);
    if (eq) {
      out.push(`--${eq[1]}=${absolute(eq[2]!)}`);
    } else if ((arg === "--watch" || arg === "--config") && i + 1 < argv.length) {
      out.push(arg, absolute(argv[++i]!));
    } else {
      out.push(arg);
    }
  }
  return out;
}

/**
 * Where the user's shell says agents write. launchd and systemd start the
 * service without the shell's environment, so without these the login item
 * would watch the default folders instead.
 */
export const LOCATION_NAMES = [
  "CLAUDE_CONFIG_DIR",
  "CODEX_HOME",
  "CLAUDE_CODE_TMPDIR",
  "GEMINI_CLI_HOME",
  "COPILOT_HOME",
];

/** The locations that are one folder each (CLAUDE_CONFIG_DIR may be a comma list). */
const FOLDER_NAMES = new Set([
  "TAILBOARD_CONFIG",
  "CODEX_HOME",
  "CLAUDE_CODE_TMPDIR",
  "GEMINI_CLI_HOME",
  "COPILOT_HOME",
]);

/**
 * The caller's agent locations and TAILBOARD_* settings, as set now, so the
 * service sees what this shell sees; paths made absolute.
 */
export function settingsEnv(env: Record<string, string>, home: string): Record<string, string> {
  const absolute = (p: string) => resolve(expandHome(p, home));
  const out: Record<string, string> = {};
  for (const name of [...LOCATION_NAMES, ...ENV_NAMES]) {
    const value = env[name];
    if (!value) continue;
    if (FOLDER_NAMES.has(name)) out[name] = absolute(value);
    else if (name === "CLAUDE_CONFIG_DIR") {
      // One folder or a comma list, as files/roots.ts reads it.
      out[name] = value.split(",").map((d) => d.trim()).filter(Boolean).map(absolute).join(",");
    } else if (name === "TAILBOARD_WATCH") {
      out[name] = value.split(delimiter).filter(Boolean).map(absolute).join(delimiter);
    } else out[name] = value;
  }
  return out;
}
