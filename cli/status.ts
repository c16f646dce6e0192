/**
 * `tailboard status`: is the login item installed, is it running (and as
 * which pid), and does its URL answer as tailboard? The URL comes from the
 * installed definition's own options, read back from the file.
 */
import { parsePlist } from "../scheduler/parse/plist.ts";
import { type Config, HELP, loadConfig, readConfigText } from "./config.ts";
import { localUrl, probeHealth } from "./health.ts";
import { parseUnitWords, unitEnvironment, unitValue } from "./launch_agent.ts";
import {
  definitionPath,
  detectManager,
  exists,
  type Manager,
  type ServiceContext,
  ServiceError,
  serviceState,
  tilde,
} from "./service.ts";

/** Prints the login item's state; exit code 0 when the URL answers as tailboard, else 1. */
export async function status(argv: string[], ctx: ServiceContext): Promise<number> {
  let { config } = loadConfig({ argv, env: ctx.env, home: ctx.home, readFile: readConfigText });
  if (config.help) {
    ctx.print(HELP);
    return 0;
  }
  let manager: Manager | null = null;
  try {
    manager = detectManager(ctx.env);
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    ctx.print(`login item: unknown (${error.message})`);
  }
  if (manager) {
    const path = definitionPath(manager, ctx);
    if (await exists(path)) {
      ctx.print(`login item: installed (${tilde(path, ctx.home)})`);
      const installed = await installedConfig(manager, path, ctx);
      if (typeof installed === "string") ctx.print(`  (${installed}; using this shell's options)`);
      else {
        config = installed.config;
        ctx.print(`  environment: ${describeEnv(installed.env)}`);
      }
    } else {
      ctx.print(`login item: not installed (tailboard install adds it)`);
    }
    try {
      const state = await serviceState(manager, ctx);
      ctx.print(
        state.running
          ? `service:    running${state.pid ? `, pid ${state.pid}` : ""} (${state.detail})`
          : state.loaded
          ? `service:    loaded but not running (${state.detail})`
          : `service:    not loaded`,
      );
    } catch (error) {
      // No user manager to ask (a container, an SSH session): the URL still tells something.
      if (!(error instanceof ServiceError)) throw error;
      ctx.print(`service:    unknown (${error.message})`);
    }
  }
  const url = localUrl(config.host, config.port);
  const health = await probeHealth(url, { token: config.token });
  switch (health.answer) {
    case "tailboard":
      ctx.print(`URL:        ${url} answers: tailboard ${health.version}, ${health.agents} agents`);
      return 0;
    case "tailboard-locked":
      ctx.print(`URL:        ${url} answers, asking for a token`);
      return 0;
    case "other":
      ctx.print(`URL:        ${url} answers, but not as tailboard (${health.detail})`);
      return 1;
    case "none":
      ctx.print(`URL:        ${url} does not answer`);
      return 1;
  }
}

/** The settings the installed service runs with: its own options and environment. */
async function installedConfig(
  manager: Manager,
  path: string,
  ctx: ServiceContext,
): Promise<{ config: Config; env: Record<string, string> } | string> {
  let argv: string[];
  let env: Record<string, string>;
  try {
    const text = await Deno.readTextFile(path);
    if (manager === "launchd") {
      const plist = parsePlist(text) as Record<string, unknown>;
      argv = stringList(plist.ProgramArguments);
      env = stringRecord(plist.EnvironmentVariables);
    } else {
      argv = parseUnitWords(unitValue(text, "ExecStart") ?? "");
      env = unitEnvironment(text);
    }
  } catch (error) {
    return `cannot read it: ${error instanceof Error ? error.message : error}`;
  }
  const serve = argv.indexOf("serve", 1);
  // The service sees the baked TAILBOARD_* variables, not this shell's.
  const base = Object.fromEntries(
    Object.entries(ctx.env).filter(([name]) => !name.startsWith("TAILBOARD_")),
  );
  try {
    const { config } = loadConfig({
      argv: serve === -1 ? [] : argv.slice(serve + 1),
      env: { ...base, ...env },
      home: ctx.home,
      readFile: readConfigText,
    });
    return { config, env };
  } catch (error) {
    return `its options do not parse: ${error instanceof Error ? error.message : error}`;
  }
}

/** The variables the login item starts with; a token is a password, so only its presence. */
export function describeEnv(env: Record<string, string>): string {
  const names = Object.keys(env).sort();
  if (names.length === 0) return "none (default agent folders, no TAILBOARD_* settings)";
  return names.map((name) => `${name}=${name === "TAILBOARD_TOKEN" ? "(set)" : env[name]}`)
    .join(", ");
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function stringRecord(value: unknown): Record<string, string> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(
    Object.entries(value).filter((e): e is [string, string] => typeof e[1] === "string"),
  );
}
