/**
 * A machine at the seed's scale for the live-connection browser tests: eight
 * scheduled agent jobs (launchd, through the fake `launchctl` in
 * tests/fixtures/bin), each with a stdout and a stderr log, and four agents'
 * transcripts, served by the real daemon (`main.ts` as a subprocess, through the one harness).
 */
import { join } from "node:path";
import { denoDir, spawnTailboard, START_PERMISSIONS } from "./daemon.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const FIXTURES = join(ROOT, "tests/fixtures");

export interface LiveWorld extends AsyncDisposable {
  url: string;
  jobs: { label: string; stdout: string; stderr: string }[];
  /** The four transcripts, by file name. */
  transcripts: string[];
  health(): Promise<{ openStreams: number; openTails: number }>;
  /** The agents the daemon lists, by transcript path. */
  agentIds(): Promise<string[]>;
}

/** A Claude Code assistant line carrying `text`. */
export function claudeLine(text: string): string {
  return JSON.stringify({
    type: "assistant",
    uuid: crypto.randomUUID(),
    timestamp: new Date().toISOString(),
    message: { role: "assistant", content: [{ type: "text", text }] },
  }) + "\n";
}

function plist(label: string, stdout: string, stderr: string, hour: number): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>Label</key><string>${label}</string>
  <key>ProgramArguments</key>
  <array><string>/opt/homebrew/bin/claude</string><string>-p</string><string>job ${label}</string></array>
  <key>StartCalendarInterval</key><dict><key>Hour</key><integer>${hour}</integer><key>Minute</key><integer>0</integer></dict>
  <key>StandardOutPath</key><string>${stdout}</string>
  <key>StandardErrorPath</key><string>${stderr}</string>
</dict>
</plist>
`;
}

/** The temp folders of a launchd world: HOME with its LaunchAgents, the fake launchctl's state, logs, transcripts. */
export async function launchdDirs(prefix: string) {
  const root = await Deno.makeTempDir({ prefix });
  const home = join(root, "home");
  const agentsDir = join(home, "Library/LaunchAgents");
  const state = join(root, "state");
  const logs = join(root, "logs");
  const watch = join(root, "transcripts");
  for (const dir of [agentsDir, join(state, "print"), logs, watch]) {
    await Deno.mkdir(dir, { recursive: true });
  }
  return { root, home, agentsDir, state, logs, watch };
}

/** The real daemon on a launchd world: the fake `launchctl` first on PATH, polling every second. */
export async function spawnLaunchdDaemon(
  dirs: { home: string; state: string; watch: string },
  jobFilter: string,
  timeoutMs?: number,
) {
  return await spawnTailboard([
    "--port",
    "0",
    "--no-default-sources",
    "--no-history",
    "--watch",
    dirs.watch,
    "--scheduler",
    "launchd",
    "--scheduler-interval",
    "1",
    "--job-filter",
    jobFilter,
    "--log-level",
    "error",
  ], {
    permissions: [...START_PERMISSIONS],
    timeoutMs,
    env: {
      HOME: dirs.home,
      PATH: `${join(FIXTURES, "bin")}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}`,
      FAKE_LAUNCHCTL_DIR: join(FIXTURES, "launchd"),
      FAKE_LAUNCHCTL_STATE: dirs.state,
      FAKE_PLUTIL_DIR: join(FIXTURES, "launchd/plutil"),
      // A new HOME must not mean a new (empty) Deno cache.
      DENO_DIR: await denoDir(),
    },
  });
}

export async function startLiveWorld(): Promise<LiveWorld> {
  const { root, home, agentsDir, state, logs, watch } = await launchdDirs("tailboard-e2e-live-");
  const jobs = Array.from({ length: 8 }, (_, i) => ({
    label: `com.example.claude-job${i + 1}`,
    stdout: join(logs, `job${i + 1}.log`),
    stderr: join(logs, `job${i + 1}.err.log`),
  }));
  for (const [i, job] of jobs.entries()) {
    await Deno.writeTextFile(
      join(agentsDir, `${job.label}.plist`),
      plist(job.label, job.stdout, job.stderr, i + 1),
    );
    await Deno.writeTextFile(
      job.stdout,
      Array.from({ length: 120 }, (_, n) => `job${i + 1} line ${n}\n`).join(""),
    );
    await Deno.writeTextFile(job.stderr, `job${i + 1} warning 0\n`);
  }
  await Deno.writeTextFile(
    join(state, "list.txt"),
    "PID\tStatus\tLabel\n" +
      jobs.map((j, i) => `${i === 0 ? 4242 : "-"}\t0\t${j.label}\n`).join(""),
  );
  const transcripts = ["alpha", "bravo", "charlie", "delta"].map((name) =>
    join(watch, `${name}.jsonl`)
  );
  for (const path of transcripts) {
    const name = path.split("/").at(-1)!.replace(".jsonl", "");
    await Deno.writeTextFile(
      path,
      Array.from({ length: 40 }, (_, n) => claudeLine(`${name} event ${n}`)).join(""),
    );
  }

  const daemon = await spawnLaunchdDaemon({ home, state, watch }, "com.example.claude-job");
  const url = daemon.url;
  const agents = async () =>
    ((await (await fetch(`${url}api/agents`)).json()).agents ?? []) as {
      id: string;
      path: string;
    }[];
  return {
    url,
    jobs,
    transcripts,
    health: async () => await (await fetch(`${url}api/health`)).json(),
    async agentIds() {
      for (let i = 0; i < 200; i++) {
        const list = await agents();
        const ids = transcripts.map((p) => list.find((a) => a.path === p)?.id);
        if (ids.every(Boolean)) return ids as string[];
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error("the four agents were never listed");
    },
    async [Symbol.asyncDispose]() {
      await daemon.stop();
      await Deno.remove(root, { recursive: true }).catch(() => {});
    },
  };
}
