import assert from "node:assert/strict";
import { startHarness } from "../_harness/daemon.ts";

/** `/api/index/status` once it has settled (the index opens in its worker). */
async function settledStatus(url: string): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 8000;
  for (;;) {
    const body = await (await fetch(`${url}api/index/status`)).json();
    if (body.state === "off" || body.state === "ready" || Date.now() > deadline) return body;
    await new Promise((r) => setTimeout(r, 20));
  }
}

Deno.test("the daemon says why history is off: the setting", async () => {
  await using h = await startHarness();
  const status = await settledStatus(h.url);
  assert.equal(status.state, "off");
  assert.match(String(status.reason), /--no-history/);
  const res = await fetch(`${h.url}api/search?q=anything`);
  assert.equal(res.status, 503);
  assert.match((await res.json()).error, /--no-history/);
});

Deno.test("the daemon says why history is off: a data folder it cannot use", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "tailboard-off-" });
  try {
    // A file where the folder should be: nothing can be created under it.
    await Deno.writeTextFile(`${tmp}/not-a-folder`, "");
    await using h = await startHarness(["--data-dir", `${tmp}/not-a-folder/data`]);
    const status = await settledStatus(h.url);
    assert.equal(status.state, "off");
    assert.match(String(status.reason), /cannot keep the history index in .*not-a-folder\/data/);
    assert.doesNotMatch(String(status.reason), /--no-history/, "not the flag: it was not given");
    // The live views carry on.
    assert.equal((await fetch(`${h.url}api/health`)).status, 200);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("the daemon leaves another program's history.db alone and says so", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "tailboard-off-" });
  try {
    const bytes = new TextEncoder().encode("SQLite format 3\u0000".padEnd(4096, "\u0007"));
    await Deno.writeFile(`${tmp}/history.db`, bytes);
    {
      await using h = await startHarness(["--data-dir", tmp]);
      const status = await settledStatus(h.url);
      assert.equal(status.state, "off");
      assert.match(String(status.reason), /not written by tailboard/);
    }
    assert.deepEqual(await Deno.readFile(`${tmp}/history.db`), bytes);
    assert.deepEqual((await Array.fromAsync(Deno.readDir(tmp))).map((e) => e.name), [
      "history.db",
    ]);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
