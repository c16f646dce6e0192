import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { AgentRegistry } from "../../agents/registry.ts";
import { createLogger } from "../../core/log.ts";
import { scanRoots } from "../../files/scan.ts";
import { HistoryIndex } from "../../history/index.ts";
import { APPLICATION_ID, ownerOf } from "../../history/owner.ts";
import { historyRoutes } from "../../server/routes/history.ts";

const prompt = (text: string) =>
  `${
    JSON.stringify({
      type: "user",
      timestamp: "2026-11-24T09:00:00.000Z",
      message: { role: "user", content: text },
    })
  }\n`;

/** A temp folder with one transcript listed in a registry, and a data folder beside it. */
async function folder() {
  const tmp = await Deno.makeTempDir({ prefix: "tailboard-owner-" });
  const projects = `${tmp}/projects/-home-me-proj`;
  await Deno.mkdir(projects, { recursive: true });
  await Deno.mkdir(`${tmp}/data`);
  await Deno.writeTextFile(
    `${projects}/00000000-0000-4000-8000-000000000001.jsonl`,
    prompt("find the pangolin"),
  );
  const registry = new AgentRegistry();
  const { files } = await scanRoots([{ path: `${tmp}/projects`, kind: "claude-projects" }]);
  for (const file of files) registry.upsert(file);
  const logs: string[] = [];
  return {
    tmp,
    dataDir: `${tmp}/data`,
    dbPath: `${tmp}/data/history.db`,
    logs,
    open: () =>
      new HistoryIndex({
        registry,
        dataDir: `${tmp}/data`,
        log: createLogger("info", (line) => logs.push(line)),
      }),
    async [Symbol.asyncDispose]() {
      await Deno.remove(tmp, { recursive: true });
    },
  };
}

/** A SQLite file shaped like atuin's shell history (another tool's, with a row in it). */
function atuinLike(path: string): void {
  const db = new DatabaseSync(path);
  db.exec("PRAGMA journal_mode = WAL");
  db.exec(`CREATE TABLE history (id TEXT PRIMARY KEY, timestamp INTEGER NOT NULL,
    duration INTEGER NOT NULL, exit INTEGER NOT NULL, command TEXT NOT NULL, cwd TEXT NOT NULL,
    session TEXT NOT NULL, hostname TEXT NOT NULL, deleted_at INTEGER)`);
  db.prepare("INSERT INTO history VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)")
    .run("01h", 1_700_000_000, 5, 0, "git status", "/home/me", "s1", "box:me");
  db.close();
}

function otherAppId(path: string): void {
  const db = new DatabaseSync(path);
  db.exec("PRAGMA application_id = 1096107087"); // another program's stamp
  db.exec("CREATE TABLE notes (body TEXT)");
  db.close();
}

const foreignFiles: [string, (path: string) => void | Promise<void>][] = [
  ["a SQLite file with another schema (atuin's)", atuinLike],
  ["a SQLite file with another application_id", otherAppId],
  ["a file that is not SQLite at all", (p) => Deno.writeTextFile(p, "milk\neggs\n".repeat(20))],
];

Deno.test("a history.db tailboard did not write survives a start, byte for byte", async (t) => {
  for (const [what, make] of foreignFiles) {
    await t.step(what, async () => {
      await using f = await folder();
      await make(f.dbPath);
      const before = await Deno.readFile(f.dbPath);
      const names = async () =>
        (await Array.fromAsync(Deno.readDir(f.dataDir))).map((e) => e.name).sort();
      const listed = await names();

      const index = f.open();
      try {
        await index.start();
        await index.idle();
        const status = index.progress();
        assert.equal(status.state, "off");
        assert.ok("reason" in status);
        assert.match(status.reason, /not written by tailboard/);
        assert.ok(status.reason.includes(f.dbPath), "the reason names the file");
        assert.ok(f.logs.some((l) => l.includes("not written by tailboard")), "a clear warning");

        const app = historyRoutes(index);
        const res = await app.request("/api/index/status");
        assert.equal((await res.json()).reason, status.reason, "the API says why");
        const search = await app.request("/api/search?q=pangolin");
        assert.equal(search.status, 503);
        assert.match((await search.json()).error, /not written by tailboard/);
      } finally {
        await index.close();
      }
      assert.deepEqual(await Deno.readFile(f.dbPath), before, "not one byte changed");
      assert.deepEqual(await names(), listed, "nothing created or moved beside it");
    });
  }
});

Deno.test("tailboard's own history.db from before the stamp is kept and stamped", async () => {
  await using f = await folder();
  let index = f.open();
  await index.start();
  assert.equal((await index.search("pangolin")).hits.length, 1);
  await index.close();
  // Clear the stamp, as a file written before stamps existed has it.
  const bytes = await Deno.readFile(f.dbPath);
  assert.equal(new DataView(bytes.buffer).getUint32(68), APPLICATION_ID);
  new DataView(bytes.buffer).setUint32(68, 0);
  await Deno.writeFile(f.dbPath, bytes);

  index = f.open();
  try {
    await index.start();
    assert.equal(index.progress().state, "ready");
    assert.equal(index.readBytes, 0, "nothing read again: the same file, kept");
    assert.equal((await index.search("pangolin")).hits.length, 1);
  } finally {
    await index.close();
  }
  const header = (await Deno.readFile(f.dbPath)).subarray(0, 100);
  assert.deepEqual(ownerOf(header), { kind: "ours" }, "stamped now");
});

Deno.test("an empty history.db is used (nothing in it to lose)", async () => {
  await using f = await folder();
  await Deno.writeFile(f.dbPath, new Uint8Array());
  const index = f.open();
  try {
    await index.start();
    assert.equal((await index.search("pangolin")).hits.length, 1);
  } finally {
    await index.close();
  }
});

Deno.test("ownerOf() reads whose database a header says it is", () => {
  const header = (appId: number, magic = "SQLite format 3\u0000") => {
    const bytes = new Uint8Array(100);
    bytes.set(new TextEncoder().encode(magic));
    new DataView(bytes.buffer).setUint32(68, appId);
    return bytes;
  };
  assert.deepEqual(ownerOf(new Uint8Array()), { kind: "empty" });
  assert.deepEqual(ownerOf(header(APPLICATION_ID)), { kind: "ours" });
  assert.deepEqual(ownerOf(header(0)), { kind: "unstamped" });
  assert.equal(ownerOf(header(7)).kind, "foreign");
  assert.equal(ownerOf(header(APPLICATION_ID, "SQLite format 2\u0000")).kind, "foreign");
  assert.equal(ownerOf(header(APPLICATION_ID).subarray(0, 60)).kind, "foreign", "too short");
});
