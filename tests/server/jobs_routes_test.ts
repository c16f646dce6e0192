import assert from "node:assert/strict";
import { join } from "node:path";
import { JobBoard, type JobsSnapshot } from "../../scheduler/board.ts";
import { jobRoutes } from "../../server/routes/jobs.ts";

const FIXTURES = new URL("../fixtures/", import.meta.url).pathname;

/** A real board on the fake launchctl, with a state dir to flip jobs in. */
async function fakeLaunchd(mode = "ok") {
  const root = await Deno.makeTempDir({ prefix: "tailboard-routes-" });
  await Deno.mkdir(join(root, "bin"));
  await Deno.mkdir(join(root, "state/print"), { recursive: true });
  await Deno.symlink(join(FIXTURES, "bin/launchctl"), join(root, "bin/launchctl"));
  const board = new JobBoard({
    env: {
      PATH: `${join(root, "bin")}:/usr/bin:/bin`,
      FAKE_LAUNCHCTL_DIR: join(FIXTURES, "launchd"),
      FAKE_LAUNCHCTL_STATE: join(root, "state"),
      FAKE_LAUNCHCTL_MODE: mode,
    },
    launchAgentsDir: join(FIXTURES, "launchd/LaunchAgents"),
    uid: 501,
    timeZone: "UTC",
    now: () => new Date("2025-01-15T10:00:00Z"),
    intervalMs: 60_000,
    logger: () => {},
  });
  await board.start();
  return {
    board,
    /** Make claude-review run from the next poll on. */
    flip() {
      Deno.copyFileSync(
        join(FIXTURES, "launchd/list-claude-running.txt"),
        join(root, "state/list.txt"),
      );
    },
    async [Symbol.asyncDispose]() {
      await board.close();
      await Deno.remove(root, { recursive: true });
    },
  };
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Reads SSE events (and comments) off a response body, however the chunks split. */
function sseReader(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  return {
    async next(): Promise<{ event?: string; data?: string; comment?: string }> {
      while (!buffer.includes("\n\n")) {
        const { value, done } = await reader.read();
        if (done) throw new Error("stream ended");
        buffer += decoder.decode(value, { stream: true });
      }
      const at = buffer.indexOf("\n\n");
      const block = buffer.slice(0, at);
      buffer = buffer.slice(at + 2);
      const message: { event?: string; data?: string; comment?: string } = {};
      for (const line of block.split("\n")) {
        if (line.startsWith(":")) message.comment = line.slice(1).trim();
        else if (line.startsWith("event: ")) message.event = line.slice(7);
        else if (line.startsWith("data: ")) message.data = (message.data ?? "") + line.slice(6);
      }
      return message;
    },
    cancel: () => reader.cancel(),
  };
}

Deno.test("GET /api/jobs serves jobs, scheduler and summary", async () => {
  await using launchd = await fakeLaunchd();
  const res = await jobRoutes(launchd.board).request("/api/jobs");
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /application\/json/);
  const body: JobsSnapshot = await res.json();
  assert.equal(body.scheduler, "launchd");
  assert.equal("error" in body, false);
  assert.equal(body.jobs.length, 6);
  assert.deepEqual(body.summary, launchd.board.summary());
  assert.deepEqual(body, JSON.parse(JSON.stringify(launchd.board.snapshot())));
});

Deno.test("GET /api/jobs carries the scheduler's error", async () => {
  await using launchd = await fakeLaunchd("fail");
  const body: JobsSnapshot = await (await jobRoutes(launchd.board).request("/api/jobs")).json();
  assert.match(body.error ?? "", /^launchctl list failed \(exit 5\)/);
  assert.deepEqual(body.jobs, []);
});

Deno.test("GET /api/jobs/stream sends the snapshot, then one message per change", async () => {
  await using launchd = await fakeLaunchd();
  const res = await jobRoutes(launchd.board).request("/api/jobs/stream");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "text/event-stream");
  const sse = sseReader(res.body!);

  const first = await sse.next();
  assert.equal(first.event, "jobs");
  assert.deepEqual(JSON.parse(first.data!), JSON.parse(JSON.stringify(launchd.board.snapshot())));

  await launchd.board.refresh(); // nothing changed: nothing sent
  launchd.flip();
  await launchd.board.refresh();
  const second = await sse.next();
  assert.equal(second.event, "jobs");
  const snapshot: JobsSnapshot = JSON.parse(second.data!);
  assert.equal(
    snapshot.jobs.find((j) => j.label === "com.example.claude-review")?.state,
    "running",
  );
  assert.equal(snapshot.summary.running, 2);

  // Leaving unsubscribes (and, in the same `finally`, stops the heartbeat).
  assert.equal(launchd.board.subscriberCount, 1);
  await sse.cancel();
  await waitFor(() => launchd.board.subscriberCount === 0, "the stream to unsubscribe");
});

Deno.test("GET /api/jobs/stream sends comment heartbeats", async () => {
  await using launchd = await fakeLaunchd();
  const res = await jobRoutes(launchd.board, { heartbeatMs: 20 }).request("/api/jobs/stream");
  const sse = sseReader(res.body!);
  assert.equal((await sse.next()).event, "jobs");
  assert.deepEqual(await sse.next(), { comment: "heartbeat" });
  await sse.cancel();
  await waitFor(() => launchd.board.subscriberCount === 0, "the stream to unsubscribe");
});

Deno.test("GET /api/jobs/stream over a real Deno.serve connection", async () => {
  await using launchd = await fakeLaunchd();
  const app = jobRoutes(launchd.board);
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    app.fetch,
  );
  const controller = new AbortController();
  const res = await fetch(`http://127.0.0.1:${server.addr.port}/api/jobs/stream`, {
    signal: controller.signal,
  });
  assert.equal(res.headers.get("content-type"), "text/event-stream");
  const sse = sseReader(res.body!);
  const first = await sse.next();
  assert.equal(first.event, "jobs");
  assert.equal((JSON.parse(first.data!) as JobsSnapshot).jobs.length, 6);

  launchd.flip();
  await launchd.board.refresh();
  const second: JobsSnapshot = JSON.parse((await sse.next()).data!);
  assert.equal(second.summary.running, 2);

  controller.abort();
  await sse.cancel().catch(() => {});
  await waitFor(() => launchd.board.subscriberCount === 0, "the server to notice the disconnect");
});
