/**
 * A launchd world in a temp folder for the scheduler's browser test: plists
 * in a temp HOME's Library/LaunchAgents, the fake `launchctl` from
 * tests/fixtures/bin first on PATH, and the real daemon started on it
 * through the one harness.
 */
import { join } from "node:path";
import { launchdDirs, spawnLaunchdDaemon } from "../_harness/live_world.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const FIXTURES = join(ROOT, "tests/fixtures");
export const ESC = "\x1b";

interface PlistOptions {
  label: string;
  args: string[];
  stdout: string;
  stderr?: string;
  /** `StartCalendarInterval` dicts. */
  calendar?: Record<string, number>[];
  interval?: number;
}

/** A real XML plist, as `launchctl` would load it (no plutil record: the daemon parses it). */
function plist(o: PlistOptions): string {
  const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  const dict = (d: Record<string, number>) =>
    `<dict>${
      Object.entries(d).map(([k, v]) => `<key>${k}</key><integer>${v}</integer>`).join("")
    }</dict>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>Label</key><string>${esc(o.label)}</string>
  <key>ProgramArguments</key>
  <array>${o.args.map((a) => `<string>${esc(a)}</string>`).join("")}</array>
  ${
    o.calendar
      ? `<key>StartCalendarInterval</key><array>${o.calendar.map(dict).join("")}</array>`
      : ""
  }
  ${o.interval ? `<key>StartInterval</key><integer>${o.interval}</integer>` : ""}
  <key>StandardOutPath</key><string>${esc(o.stdout)}</string>
  ${o.stderr ? `<key>StandardErrorPath</key><string>${esc(o.stderr)}</string>` : ""}
</dict>
</plist>
`;
}

/** `launchctl list` output: the recorded one plus our jobs' rows. */
export function listing(rows: Record<string, string>): string {
  const recorded = Deno.readTextFileSync(join(FIXTURES, "launchd/list.txt"));
  return recorded + Object.entries(rows).map(([label, pid]) => `${pid}\t0\t${label}\n`).join("");
}

/** A Claude Code stream-json line (what `claude -p --output-format stream-json` prints). */
export function claudeLine(text: string): string {
  return JSON.stringify({
    type: "assistant",
    uuid: crypto.randomUUID(),
    timestamp: new Date().toISOString(),
    message: {
      role: "assistant",
      model: "claude-sonnet-4-5-20250929",
      content: [{ type: "text", text }],
    },
  }) + "\n";
}

export const DIGEST = "com.example.claude-digest";
export const TRIAGE = "com.example.claude-triage";

export interface World extends AsyncDisposable {
  url: string;
  /** The fake launchctl's state dir. */
  state: string;
  digestLog: string;
  digestErr: string;
  triageLog: string;
}

/** The world on disk, and the daemon (a subprocess) reading it; resolves once it listens. */
export async function startWorld(): Promise<World> {
  const { root, home, agentsDir, state, logs, watch } = await launchdDirs("tailboard-e2e-jobs-");
  for await (const entry of Deno.readDir(join(FIXTURES, "launchd/LaunchAgents"))) {
    if (entry.name.endsWith(".plist") && entry.name !== "broken.plist") {
      await Deno.copyFile(
        join(FIXTURES, "launchd/LaunchAgents", entry.name),
        join(agentsDir, entry.name),
      );
    }
  }
  const digestLog = join(logs, "digest.log");
  const digestErr = join(logs, "digest.err.log");
  const triageLog = join(logs, "triage.jsonl");
  await Deno.writeTextFile(
    join(agentsDir, `${DIGEST}.plist`),
    plist({
      label: DIGEST,
      args: ["/bin/zsh", "-lc", "claude -p 'digest the inbox' --verbose"],
      calendar: [1, 2, 3, 4, 5].map((Weekday) => ({ Weekday, Hour: 7, Minute: 45 })),
      stdout: digestLog,
      stderr: digestErr,
    }),
  );
  await Deno.writeTextFile(
    join(agentsDir, `${TRIAGE}.plist`),
    plist({
      label: TRIAGE,
      args: [
        "/opt/homebrew/bin/claude",
        "-p",
        "triage new issues",
        "--output-format",
        "stream-json",
      ],
      interval: 1800,
      stdout: triageLog,
      stderr: triageLog,
    }),
  );
  await Deno.writeTextFile(join(state, "list.txt"), listing({ [DIGEST]: "-", [TRIAGE]: "-" }));
  await Deno.writeTextFile(
    digestLog,
    [
      `${ESC}[1mdigest${ESC}[0m run 2025-12-15 07:45`,
      `${ESC}[2m· fetching 14 threads${ESC}[0m`,
      `${ESC}[32m✔${ESC}[0m summarised ${ESC}[1m14${ESC}[0m threads`,
      `${ESC}[33m⚠ 2 threads need a reply${ESC}[0m`,
      "",
    ].join("\n"),
  );
  await Deno.writeTextFile(
    triageLog,
    claudeLine("Looking at the **3 new issues** opened since yesterday.") +
      claudeLine("Labelled #412 as `bug`, #413 as `question`; #414 needs a repro."),
  );

  const daemon = await spawnLaunchdDaemon({ home, state, watch }, "com.example.claude-", 30_000);
  return {
    url: daemon.url,
    state,
    digestLog,
    digestErr,
    triageLog,
    async [Symbol.asyncDispose]() {
      await daemon.stop();
      await Deno.remove(root, { recursive: true }).catch(() => {});
    },
  };
}
