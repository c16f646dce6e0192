/**
 * The decompressed copies tailboard reads compressed rollouts through live in
 * a temp folder of its own: the real daemon (its own process, its own
 * TMPDIR) removes it when it stops, and sweeps what a killed run left when it
 * starts, without touching anything it did not write or a running one's.
 */
import assert from "node:assert/strict";
import { spawnTailboard, type TailboardProcess } from "../_harness/daemon.ts";
import { COPY_FOLDER_PREFIX } from "../../files/copy_dir.ts";

const ZST = new URL(
  "../fixtures/shapes/codex/zst/rollout-2026-08-13T09-00-00-019d0f00-1111-7222-8333-444455556666.jsonl.zst",
  import.meta.url,
);

async function world() {
  const tmp = await Deno.makeTempDir({ prefix: "tailboard-copydir-tmp-" });
  const watch = await Deno.makeTempDir({ prefix: "tailboard-copydir-watch-" });
  await Deno.copyFile(ZST, `${watch}/${ZST.pathname.slice(ZST.pathname.lastIndexOf("/") + 1)}`);
  return {
    tmp,
    watch,
    start: () =>
      spawnTailboard(
        ["--port", "0", "--no-default-sources", "--no-history", "--watch", watch],
        { env: { TMPDIR: tmp } },
      ),
    async [Symbol.asyncDispose]() {
      await Deno.remove(tmp, { recursive: true }).catch(() => {});
      await Deno.remove(watch, { recursive: true }).catch(() => {});
    },
  };
}

/** Opens the compressed rollout's feed, as the page does: its events come through a copy. */
async function openRollout(daemon: TailboardProcess): Promise<string> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const { agents } = await (await fetch(`${daemon.url}api/agents`)).json() as {
      agents: { id: string; path: string }[];
    };
    const agent = agents.find((a) => a.path.endsWith(".jsonl.zst"));
    if (agent) {
      const res = await fetch(`${daemon.url}api/agents/${agent.id}/events.json`);
      const body = await res.text();
      assert.equal(res.status, 200, body);
      return body;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the compressed rollout was never listed");
}

async function folders(tmp: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(tmp)) names.push(entry.name);
  return names.filter((n) => n.startsWith(COPY_FOLDER_PREFIX)).sort();
}

async function filesIn(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) names.push(entry.name);
  return names.sort();
}

Deno.test("the daemon removes its decompressed copies when it stops", async () => {
  await using w = await world();
  const daemon = await w.start();
  try {
    const body = await openRollout(daemon);
    assert.match(body, /The cart total ignores discounts/, "read through the decompressed copy");
    const [mine, ...others] = await folders(w.tmp);
    assert.ok(mine, "a copy folder while it runs");
    assert.deepEqual(others, []);
    const files = await filesIn(`${w.tmp}/${mine}`);
    assert.ok(files.some((f) => /^\d+-rollout-.*\.jsonl$/.test(f)), files.join(", "));
  } finally {
    await daemon.stop();
  }
  assert.equal((await daemon.exited).code, 0);
  assert.deepEqual(await filesIn(w.tmp), [], "the temp folder is empty again");
});

Deno.test("the daemon sweeps the copies a killed run left, and nothing else", async () => {
  await using w = await world();
  const killed = await w.start();
  await openRollout(killed);
  killed.child.kill("SIGKILL");
  await killed.exited;
  const [left] = await folders(w.tmp);
  assert.ok(left, "a killed run leaves its copies behind");

  // Beside it: a folder of ours with a file we never write, and folders that are not ours.
  const foreign = `${w.tmp}/${COPY_FOLDER_PREFIX}kept`;
  await Deno.mkdir(foreign);
  await Deno.writeTextFile(`${foreign}/.lock`, "");
  await Deno.writeTextFile(`${foreign}/0-rollout-x.jsonl`, "{}\n");
  await Deno.writeTextFile(`${foreign}/notes.txt`, "mine, not tailboard's");
  await Deno.mkdir(`${w.tmp}/other-program`);
  await Deno.writeTextFile(`${w.tmp}/other-program/0-a.jsonl`, "{}\n");

  const running = await w.start();
  try {
    const [own] = (await folders(w.tmp)).filter((n) => n !== `${COPY_FOLDER_PREFIX}kept`);
    assert.ok(own && own !== left, "the killed run's folder is gone, the new run has its own");
    assert.deepEqual(await filesIn(foreign), ["notes.txt"], "only tailboard's own files went");
    assert.deepEqual(await filesIn(`${w.tmp}/other-program`), ["0-a.jsonl"]);

    // A second daemon sharing the temp folder leaves the running one's copies alone.
    const second = await w.start();
    await second.stop();
    assert.ok((await folders(w.tmp)).includes(own), "a running daemon's folder is kept");
  } finally {
    await running.stop();
  }
  assert.deepEqual(await folders(w.tmp), [`${COPY_FOLDER_PREFIX}kept`]);
});
