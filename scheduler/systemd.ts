/**
 * One poll of the user's systemd: timers from `systemctl --user list-timers`,
 * their state and their services' state from one `systemctl --user show`, and
 * log paths from `systemctl --user cat` where `show` only names the kind.
 */

import type { ObservedJob } from "../core/job.ts";
import {
  jobFromSystemd,
  needsUnitFileOutputs,
  parseListTimersJson,
  parseSystemctlShow,
  parseUnitFileOutputs,
  property,
  type UnitProperties,
} from "./parse/systemd.ts";
import type { PollResult } from "./launchd.ts";
import type { RunCommand } from "./run_command.ts";

/** Options for `createSystemdPoll`. */
export interface SystemdPollOptions {
  run: RunCommand;
  /** For `%h` in unit files' output paths. */
  home: string;
}

/** The properties one `show` call asks for, timers and services alike. */
const PROPERTIES = [
  "Id",
  "LoadState",
  "ActiveState",
  "SubState",
  "UnitFileState",
  "MainPID",
  "Result",
  "ExecMainCode",
  "ExecMainStatus",
  "ExecStart",
  "WorkingDirectory",
  "StandardOutput",
  "StandardError",
  "FragmentPath",
  "TimersCalendar",
  "TimersMonotonic",
];

/** A poll function; unit-file log paths are cached per unit and fragment path. */
export function createSystemdPoll(options: SystemdPollOptions): () => Promise<PollResult> {
  const outputs = new Map<string, { stdout: string | null; stderr: string | null }>();

  async function unitFileOutputs(unit: string, props: UnitProperties | undefined) {
    const key = `${unit}\0${property(props, "FragmentPath")}`;
    const cached = outputs.get(key);
    if (cached) return cached;
    const result = await options.run("systemctl", ["--user", "cat", unit]);
    const found = result.code === 0
      ? parseUnitFileOutputs(result.stdout, options.home)
      : { stdout: null, stderr: null };
    outputs.set(key, found);
    return found;
  }

  return async () => {
    const listed = await options.run("systemctl", [
      "--user",
      "list-timers",
      "--all",
      "--output=json",
    ]);
    if (listed.code !== 0) {
      throw new Error(
        `systemctl --user list-timers failed (exit ${listed.code})${firstLine(listed.stderr)}`,
      );
    }
    const timers = parseListTimersJson(listed.stdout);
    if (timers.length === 0) return { jobs: [], warnings: [] };
    const units = timers.flatMap((t) => [t.unit, t.activates]);
    const shown = await options.run("systemctl", [
      "--user",
      "show",
      ...units,
      "-p",
      PROPERTIES.join(","),
    ]);
    if (shown.code !== 0) {
      throw new Error(
        `systemctl --user show failed (exit ${shown.code})${firstLine(shown.stderr)}`,
      );
    }
    const byId = new Map<string, UnitProperties>();
    for (const block of parseSystemctlShow(shown.stdout)) {
      const id = property(block, "Id");
      if (id) byId.set(id, block);
    }
    const jobs = await Promise.all(timers.map(async (timer): Promise<ObservedJob> => {
      const serviceProps = byId.get(timer.activates);
      return jobFromSystemd({
        timer,
        timerProps: byId.get(timer.unit),
        serviceProps,
        unitFileOutputs: needsUnitFileOutputs(serviceProps)
          ? await unitFileOutputs(timer.activates, serviceProps)
          : undefined,
        home: options.home,
      });
    }));
    return { jobs: jobs.sort((a, b) => a.label.localeCompare(b.label)), warnings: [] };
  };
}

function firstLine(text: string): string {
  const line = text.trim().split("\n")[0]?.trim();
  return line ? `: ${line}` : "";
}
