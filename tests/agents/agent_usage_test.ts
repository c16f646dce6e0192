/**
 * Cost reaches the agents list: the real daemon, its history index in a temp
 * folder, and a real transcript whose cost was checked by hand.
 */
import assert from "node:assert/strict";
import { startHarness } from "../_harness/daemon.ts";
import { SseClient } from "../_harness/sse_client.ts";
import { transcript } from "../_harness/corpus.ts";

const SESSION = "7f2abd2d-7cfc-4447-9ddd-3ca8d14e02e9.jsonl";
const CORPUS = transcript("agtrace/");

interface ListedAgent {
  id: string;
  path: string;
  usage: { usd: number | null; tokens: number; output: number } | null;
}

/**
 * Generous: the index's worker starts with the daemon, and under `deno test`
 * Deno type-checks the worker's modules when it starts (they are not in the
 * test's own graph). With a cold cache on a loaded machine (2 cores, load
 * 30-38) that alone took 17-40 s before the first usage arrived; warm, 0.7 s.
 */
const FIRST_READ_MS = 120_000;
/** The worker is running by then; this only covers a slow machine. */
const WAIT_MS = 30_000;

/**
 * The agent's usage as a browser following the stream sees it: the snapshot,
 * then each upsert. The index may have read the file before the stream was
 * opened, and then the usage is only in the snapshot.
 */
function usageOf(client: SseClient, path: string): ListedAgent["usage"] | undefined {
  let agent: ListedAgent | undefined;
  for (const m of client.messages) {
    if (m.event === "snapshot") {
      const { agents } = JSON.parse(m.data) as { agents: ListedAgent[] };
      agent = agents.find((a) => a.path === path);
    } else if (m.event === "upsert") {
      const changed = JSON.parse(m.data).agent as ListedAgent;
      if (changed.path === path) agent = changed;
    } else if (m.event === "remove" && JSON.parse(m.data).id === agent?.id) {
      agent = undefined;
    }
  }
  return agent?.usage ?? undefined;
}

Deno.test("agents carry tokens and list-price cost once the index has read them, live", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "tailboard-data-" });
  await using h = await startHarness(["--data-dir", dataDir]);
  const path = `${h.dir}/${SESSION}`;
  await Deno.copyFile(new URL(SESSION, CORPUS), path);
  const list = await SseClient.open(`${h.url}api/agents/stream`);
  await list.until((c) => usageOf(c, path) !== undefined, FIRST_READ_MS, "usage on the agent");
  // Hand-checked in tests/cost_test.ts: 6 API responses, $0.0602904 at list prices.
  const usage = usageOf(list, path)!;
  assert.ok(Math.abs(usage.usd! - 0.0602904) < 1e-9, `usd ${usage.usd}`);
  const before = usage.tokens;

  // A new response on the live file raises the total without counting old ones again.
  await Deno.writeTextFile(
    path,
    JSON.stringify({
      type: "assistant",
      timestamp: new Date().toISOString(),
      requestId: "req_live",
      message: {
        id: "msg_live",
        role: "assistant",
        model: "claude-sonnet-4-5-20250929",
        content: [{ type: "text", text: "done" }],
        usage: { input_tokens: 100, output_tokens: 50 },
      },
    }) + "\n",
    { append: true },
  );
  await list.until(
    (c) => (usageOf(c, path)?.tokens ?? 0) === before + 150,
    WAIT_MS,
    "the live total",
  );
  const listed = (await h.agents()).find((a) => a.path === path) as unknown as ListedAgent;
  assert.equal(listed.usage?.tokens, before + 150);
  await list.close();
  await Deno.remove(dataDir, { recursive: true });
});
