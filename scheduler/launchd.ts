/**
 * One poll of launchd: job definitions from `~/Library/LaunchAgents/*.plist`
 * and live state from `launchctl list` (plus `launchctl print` for the exit
 * details, re-asked only when a job's row changes).
 */

import { join } from "node:path";
import {
  lastExitFromStatus,
  type LaunchctlListEntry,
  type LaunchctlPrint,
  parseLaunchctlDisabled,
  parseLaunchctlList,
  parseLaunchctlPrint,
} from "./parse/launchctl.ts";
import type { JobDefinition, ObservedJob } from "../core/job.ts";
import { localTimeZone, nextFire } from "./parse/schedule.ts";
import { jobFromPlist, jobFromPlutilJson, parsePlist } from "./parse/plist.ts";
import type { RunCommand } from "./run_command.ts";

/** What one poll found: the jobs, and problems with single plists (the poll itself went fine). */
export interface PollResult {
  jobs: ObservedJob[];
  warnings: string[];
}

/** Options for `createLaunchdPoll`. */
export interface LaunchdPollOptions {
  run: RunCommand;
  /** Where the user's agents live. */
  agentsDir: string;
  /** The GUI domain to ask `launchctl print` about. */
  uid: number;
  /** Convert plists with `plutil -convert json` (macOS); else parse them in process. */
  usePlutil: boolean;
  /** Ask `launchctl print` for exit details. @default true */
  printDetails?: boolean;
  /**
   * A loaded job's details are asked again at least this often, even when its
   * `list` row is the same: a run shorter than a poll that exits as the last
   * one did changes only its run count. @default 60000
   */
  printMaxAgeMs?: number;
  /** The zone calendar intervals follow, to know when a job was due. @default the local zone */
  timeZone?: string;
  /** @default () => new Date() */
  now?: () => Date;
}

/**
 * A poll function with its caches: plists are re-read only when their mtime
 * or size changes, and `launchctl print` re-runs only when a job's `list` row
 * (PID, status) changes, when its schedule had it fire since the last print
 * (a run shorter than a poll leaves the row as it was), or once its print is
 * `printMaxAgeMs` old, so a quiet poll costs one or two commands.
 */
export function createLaunchdPoll(options: LaunchdPollOptions): () => Promise<PollResult> {
  const plists = new Map<string, { stamp: string; job: JobDefinition | null; error?: string }>();
  const prints = new Map<string, { key: string; at: Date; print: LaunchctlPrint | null }>();
  const now = options.now ?? (() => new Date());

  /** Whether the job may have run since its details were read, with its `list` row unchanged. */
  function mayHaveRun(definition: JobDefinition, since: Date, at: Date): boolean {
    if (at.getTime() - since.getTime() >= (options.printMaxAgeMs ?? 60_000)) return true;
    const due = nextFire(definition.schedule, since, {
      timeZone: options.timeZone ?? localTimeZone(),
      lastRun: since,
    });
    return due !== null && due <= at;
  }

  async function readDefinitions(warnings: string[]): Promise<JobDefinition[]> {
    const definitions: JobDefinition[] = [];
    const seen = new Set<string>();
    let entries: Deno.DirEntry[] = [];
    try {
      entries = await Array.fromAsync(Deno.readDir(options.agentsDir));
    } catch (error) {
      // No LaunchAgents folder means no user agents, not a broken scheduler.
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (!entry.name.endsWith(".plist")) continue;
      const path = join(options.agentsDir, entry.name);
      seen.add(path);
      let stamp: string;
      try {
        const info = await Deno.stat(path);
        stamp = `${info.mtime?.getTime()}:${info.size}`;
      } catch {
        continue; // Removed between readDir and stat.
      }
      let cached = plists.get(path);
      if (cached?.stamp !== stamp) {
        try {
          cached = { stamp, job: await loadPlist(path) };
        } catch (error) {
          const why = error instanceof Error ? error.message : String(error);
          cached = { stamp, job: null, error: why.startsWith(path) ? why : `${path}: ${why}` };
        }
        plists.set(path, cached);
      }
      if (cached.job) definitions.push(cached.job);
      else if (cached.error) warnings.push(cached.error);
    }
    for (const path of plists.keys()) if (!seen.has(path)) plists.delete(path);
    return definitions;
  }

  async function loadPlist(path: string): Promise<JobDefinition> {
    if (options.usePlutil) {
      // plutil refuses plists holding <date> or <data> as JSON: fall through then.
      const converted = await options.run("plutil", ["-convert", "json", "-o", "-", path]);
      if (converted.code === 0) return jobFromPlutilJson(converted.stdout, path);
    }
    return jobFromPlist(parsePlist(await Deno.readFile(path)), path);
  }

  async function printFor(
    entry: LaunchctlListEntry,
    definition: JobDefinition,
  ): Promise<LaunchctlPrint | null> {
    const key = `${entry.pid}:${entry.status}`;
    const cached = prints.get(entry.label);
    const at = now();
    if (cached?.key === key && !mayHaveRun(definition, cached.at, at)) return cached.print;
    let print: LaunchctlPrint | null = null;
    try {
      const result = await options.run("launchctl", ["print", `gui/${options.uid}/${entry.label}`]);
      if (result.code === 0) print = parseLaunchctlPrint(result.stdout);
    } catch {
      // Details are optional: `list` already said what matters.
    }
    prints.set(entry.label, { key, at, print });
    return print;
  }

  return async () => {
    const warnings: string[] = [];
    const listed = await options.run("launchctl", ["list"]);
    if (listed.code !== 0) {
      throw new Error(`launchctl list failed (exit ${listed.code})${firstLine(listed.stderr)}`);
    }
    const rows = new Map(parseLaunchctlList(listed.stdout).map((row) => [row.label, row]));
    const definitions = await readDefinitions(warnings);

    let overrides = new Map<string, boolean>();
    if (definitions.some((d) => !rows.has(d.label))) {
      try {
        const result = await options.run("launchctl", ["print-disabled", `gui/${options.uid}`]);
        if (result.code === 0) overrides = parseLaunchctlDisabled(result.stdout);
      } catch {
        // Without the override database, the plist's own Disabled key decides.
      }
    }

    const jobs = await mapLimit(definitions, 4, async (definition): Promise<ObservedJob> => {
      const row = rows.get(definition.label);
      const print = row && options.printDetails !== false ? await printFor(row, definition) : null;
      const disabled = overrides.get(definition.label) ?? definition.disabled;
      return {
        ...definition,
        stdoutPath: definition.stdoutPath ?? print?.stdoutPath ?? null,
        stderrPath: definition.stderrPath ?? print?.stderrPath ?? null,
        disabled,
        scheduler: "launchd",
        state: row ? (row.pid ? "running" : "idle") : disabled ? "disabled" : "not-loaded",
        pid: row?.pid ?? null,
        lastExit: row ? (print ? print.lastExit : lastExitFromStatus(row.status)) : null,
        runs: print?.runs ?? null,
        nextFire: null,
        lastRun: null,
        unit: null,
      };
    });
    for (const label of prints.keys()) if (!rows.has(label)) prints.delete(label);
    return { jobs: jobs.sort((a, b) => a.label.localeCompare(b.label)), warnings };
  };
}

/**
 * `Promise.all(items.map(fn))` with at most `limit` running at once: the first
 * poll asks `launchctl print` about every loaded job, and a user with fifty
 * agents should not fork fifty processes in the same instant.
 */
async function mapLimit<T, R>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function firstLine(text: string): string {
  const line = text.trim().split("\n")[0]?.trim();
  return line ? `: ${line}` : "";
}
