/**
 * Graceful shutdown of the real process: SIGINT or SIGTERM while SSE streams
 * are open ends every stream, releases watchers and exits 0, promptly, and
 * without leaning on the forced-exit grace period.
 */
import assert from "node:assert/strict";
import { eventually, freePort, spawnTailboard, within } from "../_harness/daemon.ts";
import { SseClient } from "../_harness/sse_client.ts";

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.test({
    name: `${signal} with open streams exits 0 promptly and ends every stream`,
    ignore: Deno.build.os === "windows",
    async fn() {
      const watch = await Deno.makeTempDir({ prefix: "tailboard-watch-" });
      const transcript = `${watch}/0a1b2c3d-4e5f-4061-8071-2a3b4c5d6e7f.jsonl`;
      await Deno.writeTextFile(
        transcript,
        JSON.stringify({
          type: "user",
          uuid: "u1",
          timestamp: new Date().toISOString(),
          message: { role: "user", content: "still here" },
        }) + "\n",
      );
      await using tb = await spawnTailboard([
        "--port",
        String(freePort()),
        "--no-default-sources",
        "--no-history",
        "--watch",
        watch,
      ]);
      const streams: SseClient[] = [];
      try {
        const id = await eventually("the agent is listed", async () => {
          const { agents } = await (await fetch(`${tb.url}api/agents`)).json();
          return agents[0]?.id as string | undefined;
        });
        for (const path of ["api/agents/stream", `api/agents/${id}/events`, "api/jobs/stream"]) {
          const client = await SseClient.open(`${tb.url}${path}`);
          assert.equal(client.status, 200, path);
          streams.push(client);
        }
        for (const client of streams) await client.until((c) => c.messages.length > 0);

        tb.child.kill(signal);
        // How fast is the grace timer's business: no "did not close in time" means the
        // open streams closed themselves instead of being cut off at its end.
        const status = await within(tb.exited, 60_000, "the daemon to exit");
        assert.equal(status.code, 0, tb.stderr());
        assert.doesNotMatch(tb.stderr(), /did not close in time/);
        assert.match(tb.stderr(), new RegExp(`"msg":"shutting down","signal":"${signal}"`));
        for (const client of streams) {
          await client.until((c) => c.ended, 2000, "the stream to end");
        }
      } finally {
        for (const client of streams) await client.close();
        await Deno.remove(watch, { recursive: true });
      }
    },
  });
}
