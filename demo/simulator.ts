/**
 * Simulated agents for `tailboard demo`: they write realistic Claude Code
 * transcripts into a folder over time, so a newcomer sees the product working
 * in the first minute.
 *
 * - `gateway`: a long-running session (thinking, Grep, Read, Edit with a
 *   structured patch, Bash) that never stops; it starts a subagent through a
 *   Task call (2.1.x layout: `<session>/subagents/agent-<id>.jsonl` and its
 *   `.meta.json`) and background test runs whose `.output` prints ANSI colours.
 * - `webshop`: a session that fails: tool errors (`is_error`), then API errors.
 * - `notes-cli`: a finished session from two hours ago.
 * - `billing`: asks the user a question (`AskUserQuestion`) and waits.
 * - `infra`: waits on a permission prompt (with its live-state file).
 * - `search-api`: a Codex session that waits for command approvals.
 * - a simulated scheduler's agent jobs, one of which keeps failing.
 */
import { devServer, gatewayLoop, writeGatewayHistory } from "./gateway.ts";
import { writeFinishedSession } from "./notes.ts";
import { sleep } from "./shared.ts";
import { shopFailure, writeShopStart } from "./webshop.ts";
import { billingLoop, infraLoop, writeBillingStart, writeInfraStart } from "./waiting.ts";
import { codexLoop, writeCodexStart } from "./codex.ts";
import { DemoScheduler } from "./scheduler.ts";

/** Options for `startSimulator`. */
export interface SimulatorOptions {
  /** The folder to write into; the caller creates and removes it. */
  dir: string;
  /** Divides every pause: tests run the script faster. @default 1 */
  speed?: number;
  /** Told when an agent stops on an error (a full disk, a folder removed under it). @default console.error */
  onError?: (error: unknown) => void;
}

export interface Simulator {
  /** The simulated scheduler's jobs, for the scheduler board. */
  poll: DemoScheduler["poll"];
  /** A Claude Code config folder holding the simulated live state (`sessions/`). */
  stateDir: string;
  /** Stops every agent and waits until none is writing. */
  close(): Promise<void>;
}

/**
 * Writes each agent's history at once (so the first listing shows them all),
 * then keeps them writing until `close()`.
 */
export async function startSimulator(opts: SimulatorOptions): Promise<Simulator> {
  const abort = new AbortController();
  const speed = opts.speed ?? 1;
  const pause = (ms: number) => sleep(ms / speed, abort.signal);
  const projects = `${opts.dir}/projects`;
  const tasks = `${opts.dir}/claude-501/-Users-dev-gateway/tasks`;
  await Deno.mkdir(projects, { recursive: true });
  await Deno.mkdir(tasks, { recursive: true });

  const stateDir = `${opts.dir}/claude-state`;
  await Deno.mkdir(`${stateDir}/sessions`, { recursive: true });

  await writeFinishedSession(`${projects}/-Users-dev-notes-cli`);
  const gateway = await writeGatewayHistory(`${projects}/-Users-dev-gateway`, tasks);
  const shop = await writeShopStart(`${projects}/-Users-dev-webshop`);
  const billing = await writeBillingStart(`${projects}/-Users-dev-billing`);
  const infra = await writeInfraStart(`${projects}/-Users-dev-infra`);
  const rollout = await writeCodexStart(opts.dir);
  const scheduler = new DemoScheduler(opts.dir);

  const loops = [
    gatewayLoop(gateway, tasks, pause),
    devServer(gateway.devServerOutput, pause),
    shopFailure(shop, pause),
    billingLoop(billing, pause),
    infraLoop(infra, `${stateDir}/sessions/${Deno.pid}.json`, pause),
    codexLoop(rollout, pause),
    scheduler.run(pause),
  ].map((loop) =>
    loop.catch((error) => {
      // An abort ends a loop mid-pause; anything else is a real bug, but the
      // demo is better left running with one agent quiet than brought down.
      if (!abort.signal.aborted) (opts.onError ?? console.error)(error);
    })
  );
  return {
    poll: () => scheduler.poll(),
    stateDir,
    async close() {
      abort.abort();
      await Promise.all(loops);
    },
  };
}
