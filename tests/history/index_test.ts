import assert from "node:assert/strict";
import { agentIdOf } from "../../agents/agent.ts";
import { AgentRegistry } from "../../agents/registry.ts";
import { UsageCounter } from "../../cost/usage.ts";
import { DatabaseSync } from "node:sqlite";
import { defaultDataDir } from "../../history/db.ts";
import { localDay } from "../../history/days.ts";
import { HistoryIndex, IndexUnavailableError } from "../../history/index.ts";
import type { AgentUsageTotals } from "../../history/rollups.ts";
import { parseLine } from "../../transcript/line.ts";
import { createLogger } from "../../core/log.ts";
import type { Root } from "../../files/roots.ts";
import { scanRoots } from "../../files/scan.ts";
import { eventAt } from "../../files/cursor_range.ts";
import { tagAtSync } from "../../files/identity.ts";
import { TRANSCRIPTS_DIR } from "../_harness/corpus.ts";

const SESSION = "7f2abd2d-7cfc-4447-9ddd-3ca8d14e02e9";
const VIEWER = "1af7fc5e-8455-4414-9ccd-011d40f70b2a";
const ROLLOUT = "rollout-2025-12-10T04-55-16-019b04ae-b1c6-7c72-a134-a4c2de66058c.jsonl";

/** Real transcripts laid out as Claude Code and Codex keep them, in a temp folder. */
async function corpusFolder(tmp: string): Promise<{ roots: Root[]; session: string }> {
  const projects = `${tmp}/claude/projects`;
  const sample = `${projects}/-Users-zawakin-agent-sample`;
  await Deno.mkdir(sample, { recursive: true });
  await Deno.mkdir(`${projects}/-path-to-Demo`, { recursive: true });
  await Deno.mkdir(`${projects}/-tmp-edge`, { recursive: true });
  await Deno.mkdir(`${tmp}/codex/2025/12/10`, { recursive: true });
  const copies: [string, string][] = [
    [`agtrace/${SESSION}.jsonl`, `${sample}/${SESSION}.jsonl`],
    ["agtrace/agent-0c4c3cf8.jsonl", `${sample}/agent-0c4c3cf8.jsonl`],
    ["agtrace/agent-90fa40b6.jsonl", `${sample}/agent-90fa40b6.jsonl`],
    [`claude-code-viewer/${VIEWER}.jsonl`, `${projects}/-path-to-Demo/${VIEWER}.jsonl`],
    ["claude-code-log/edge_cases.jsonl", `${projects}/-tmp-edge/edge_cases.jsonl`],
    ["agent-sessions/claude/small.jsonl", `${projects}/-tmp-edge/small.jsonl`],
    [`agtrace/${ROLLOUT}`, `${tmp}/codex/2025/12/10/${ROLLOUT}`],
  ];
  for (const [from, to] of copies) await Deno.copyFile(`${TRANSCRIPTS_DIR}/${from}`, to);
  return {
    roots: [
      { path: projects, kind: "claude-projects" },
      { path: `${tmp}/codex`, kind: "watch" },
    ],
    session: `${sample}/${SESSION}.jsonl`,
  };
}

/** The registry as the tracker keeps it: every listed file upserted, vanished ones removed. */
async function relist(registry: AgentRegistry, roots: Root[]): Promise<void> {
  const { files } = await scanRoots(roots);
  const seen = new Set<string>();
  for (const file of files) {
    registry.upsert(file);
    seen.add(file.realPath);
  }
  for (const path of registry.paths()) if (!seen.has(path)) registry.remove(path);
}

interface Setup {
  tmp: string;
  roots: Root[];
  session: string;
  dataDir: string;
  registry: AgentRegistry;
  index: HistoryIndex;
  logs: string[];
  [Symbol.asyncDispose](): Promise<void>;
}

async function setup(): Promise<Setup> {
  const tmp = await Deno.makeTempDir({ prefix: "tailboard-history-" });
  const { roots, session } = await corpusFolder(tmp);
  const registry = new AgentRegistry();
  await relist(registry, roots);
  const logs: string[] = [];
  const dataDir = `${tmp}/data`;
  const s: Setup = {
    tmp,
    roots,
    session,
    dataDir,
    registry,
    logs,
    index: open(registry, dataDir, logs),
    async [Symbol.asyncDispose]() {
      await s.index.close();
      await Deno.remove(tmp, { recursive: true });
    },
  };
  return s;
}

function open(registry: AgentRegistry, dataDir: string, logs: string[]): HistoryIndex {
  return new HistoryIndex({
    registry,
    dataDir,
    log: createLogger("info", (line) => logs.push(line)),
    // Small chunks and batches, so the corpus files cross chunk and batch edges.
    chunkBytes: 4096,
    batchBytes: 16 * 1024,
  });
}

/** The text of the line that ends at `cursor`, read from the file itself. */
async function lineAt(path: string, cursor: number): Promise<string> {
  const bytes = await Deno.readFile(path);
  assert.equal(bytes[cursor - 1], 0x0a, "a cursor is just after a newline");
  const start = bytes.subarray(0, cursor - 1).lastIndexOf(0x0a) + 1;
  return new TextDecoder().decode(bytes.subarray(start, cursor - 1));
}

const line = (value: Record<string, unknown>) => `${JSON.stringify(value)}\n`;
const prompt = (text: string, ts = "2026-11-24T09:00:00.000Z") =>
  line({ type: "user", timestamp: ts, message: { role: "user", content: text } });

Deno.test("HistoryIndex builds from real transcripts and finds words at their cursor", async (t) => {
  await using s = await setup();
  await s.index.start();
  const sessionId = agentIdOf(s.session);

  await t.step("progress is complete once ready", () => {
    const p = s.index.progress();
    assert.equal(p.state, "ready");
    assert.equal(p.filesTotal, s.registry.size);
    assert.equal(p.files, p.filesTotal);
    assert.equal(p.bytes, p.bytesTotal);
    assert.ok(p.bytesTotal > 50_000);
  });

  await t.step("a prompt word finds the right agent and the live API's cursor", async () => {
    const { hits } = await s.index.search("hoge.py");
    const inSession = hits.filter((h) => h.agentId === sessionId);
    assert.ok(inSession.length >= 3, "prompt, Write and Bash lines of the session");
    const first = inSession.findLast((h) => h.kind === "prompt")!;
    assert.ok(first, "the prompt itself is a hit");
    assert.match(await lineAt(s.session, first.cursor), /create myapp\/hoge\.py/);
    const event = await eventAt(s.session, first.cursor);
    assert.equal(event.kind, "user");
    assert.equal(event.cursor, first.cursor);
    assert.equal(first.ts, event.ts);
    assert.ok(first.snippet.some((seg) => seg.hit && /hoge/i.test(seg.text)));
    assert.equal(first.snippet.map((seg) => seg.text).join("").includes("\u0001"), false);
  });

  await t.step("hits come newest first across agents, Codex included", async () => {
    const { hits } = await s.index.search("hoge");
    const codex = hits.find((h) => h.agentId !== sessionId && h.source === "codex");
    assert.ok(codex, "the Codex rollout has the same prompt");
    const times = hits.map((h) => Date.parse(h.ts!));
    assert.deepEqual(times, [...times].sort((a, b) => b - a));
  });

  await t.step("tool names, Bash commands and file paths are searchable", async () => {
    const bash = (await s.index.search('"mkdir -p myapp"')).hits.find((h) =>
      h.agentId === sessionId
    );
    assert.equal(bash?.kind, "tool");
    assert.match(await lineAt(s.session, bash!.cursor), /"command":"mkdir -p myapp"/);
    const write = (await s.index.search("/Users/zawakin/agent-sample/myapp/hoge.py")).hits;
    assert.ok(write.some((h) => h.agentId === sessionId && h.kind === "tool"));
    assert.ok((await s.index.search("TodoWrite")).hits.length >= 3);
  });

  await t.step(
    "a day lists its agents with their cost, titles as the registry has them",
    async () => {
      s.registry.setFacts(s.session, { cwd: "/Users/zawakin/agent-sample", title: "Hoge maker" });
      await s.index.idle();
      const day = localDay("2025-12-09T19:47:42.930Z")!;
      const agents = await s.index.agentsOn(day);
      const session = agents.find((a) => a.id === sessionId);
      assert.ok(session);
      assert.equal(session.project, "agent-sample");
      assert.equal(session.title, "Hoge maker");
      const hit = (await s.index.search("hoge.py")).hits.find((h) => h.agentId === sessionId);
      assert.equal(hit?.title, "Hoge maker");
      assert.ok(session.tokens > 0 && session.usd! > 0);
      assert.equal((await s.index.agentsOn("2001-01-01")).length, 0);
    },
  );

  await t.step("agentUsage counts each response once, largest snapshot kept", async () => {
    const counter = new UsageCounter();
    for (const text of (await Deno.readTextFile(s.session)).split("\n")) {
      if (text) counter.add(parseLine(text).event);
    }
    const expected = counter.totals();
    const usage = (await s.index.agentUsage(sessionId))!;
    assert.equal(usage.tokens, expected.tokens);
    assert.equal(usage.output, expected.output);
    assert.ok(Math.abs(usage.usd! - expected.usd!) < 1e-9);
  });
});

Deno.test("HistoryIndex keeps up with appends, truncation and replacement", async (t) => {
  await using s = await setup();
  const announced: [string, AgentUsageTotals][] = [];
  s.index.onAgentUsage((id, usage) => announced.push([id, usage]));
  await s.index.start();
  const sessionId = agentIdOf(s.session);

  await t.step("an appended prompt becomes searchable at its cursor", async () => {
    await Deno.writeTextFile(s.session, prompt("please feed the zebracorn"), { append: true });
    const before = s.index.readBytes;
    await relist(s.registry, s.roots);
    await s.index.idle();
    const size = (await Deno.stat(s.session)).size;
    const [hit] = (await s.index.search("zebracorn")).hits;
    assert.equal(hit?.agentId, sessionId);
    assert.equal(hit?.cursor, size);
    assert.equal(s.index.readBytes - before, prompt("please feed the zebracorn").length);
  });

  await t.step("an assistant line appended adds its usage and tells listeners", async () => {
    announced.length = 0;
    const before = (await s.index.agentUsage(sessionId))!.tokens;
    await Deno.writeTextFile(
      s.session,
      line({
        type: "assistant",
        timestamp: "2026-11-24T09:00:05.000Z",
        requestId: "req_zebra",
        message: {
          id: "msg_zebra",
          role: "assistant",
          model: "claude-sonnet-4-5-20250929",
          content: [{ type: "text", text: "the zebracorn is fed" }],
          usage: { input_tokens: 10, output_tokens: 20 },
        },
      }),
      { append: true },
    );
    await relist(s.registry, s.roots);
    await s.index.idle();
    assert.equal((await s.index.agentUsage(sessionId))!.tokens, before + 30);
    assert.deepEqual(announced.map(([id, u]) => [id, u.tokens]), [[sessionId, before + 30]]);
  });

  await t.step("a half-written line waits for its newline", async () => {
    await Deno.writeTextFile(s.session, prompt("half written okapi").slice(0, 40), {
      append: true,
    });
    await relist(s.registry, s.roots);
    await s.index.idle();
    const rest = prompt("half written okapi").slice(40);
    await Deno.writeTextFile(s.session, rest, { append: true });
    await relist(s.registry, s.roots);
    await s.index.idle();
    assert.equal((await s.index.search("okapi")).hits.length, 1);
  });

  await t.step("a truncated file is indexed again without stale hits", async () => {
    const ino = (await Deno.stat(s.session)).ino;
    await Deno.truncate(s.session, 0);
    await Deno.writeTextFile(s.session, prompt("only the narwhal remains"), { append: true });
    assert.equal((await Deno.stat(s.session)).ino, ino, "same file, shorter");
    await relist(s.registry, s.roots);
    await s.index.idle();
    assert.equal((await s.index.search("zebracorn")).hits.length, 0);
    assert.equal((await s.index.search("okapi")).hits.length, 0);
    assert.equal(
      (await s.index.search("hoge.py")).hits.some((h) => h.agentId === sessionId),
      false,
    );
    const [hit] = (await s.index.search("narwhal")).hits;
    assert.equal(hit?.cursor, prompt("only the narwhal remains").length);
    assert.equal(await s.index.agentUsage(sessionId), null, "its usage went with its lines");
    const rows = (await s.index.usage("2025-01-01", "2026-12-31", "agent")).rows;
    assert.equal(rows.some((r) => r.key === sessionId), false, "and left the rollups");
    assert.ok(s.logs.some((l) => l.includes("truncated or replaced")));
  });

  await t.step("a file replaced by a new one (new inode, larger) is indexed again", async () => {
    const fresh = `${s.tmp}/replacement.jsonl`;
    await Deno.writeTextFile(fresh, prompt("the capybara arrives") + prompt("x".repeat(200)));
    const oldIno = (await Deno.stat(s.session)).ino;
    await Deno.rename(fresh, s.session);
    assert.notEqual((await Deno.stat(s.session)).ino, oldIno);
    await relist(s.registry, s.roots);
    await s.index.idle();
    assert.equal((await s.index.search("narwhal")).hits.length, 0);
    assert.equal((await s.index.search("capybara")).hits[0]?.agentId, sessionId);
  });

  await t.step("a file rewritten in place past its old size is noticed by its head", async () => {
    // Same inode, bigger: only the changed first bytes tell it is not an append.
    await Deno.writeTextFile(s.session, prompt("a wombat rewrote it all") + "\n".repeat(600));
    await relist(s.registry, s.roots);
    await s.index.idle();
    assert.equal((await s.index.search("capybara")).hits.length, 0);
    assert.equal((await s.index.search("wombat")).hits.length, 1);
  });

  await t.step(
    "a same-length rewrite of the last line is noticed, as the live tail sees it",
    async () => {
      // Past the head's 1 KiB: only the end of the line before the offset can tell.
      const before = prompt("x".repeat(1100)) + prompt("the last word is lynx");
      await Deno.writeTextFile(s.session, before);
      await relist(s.registry, s.roots);
      await s.index.idle();
      assert.equal((await s.index.search("lynx")).hits.length, 1);
      // The stored tag is the one the live tail computes for that offset (files/identity.ts).
      const db = new DatabaseSync(`${s.dataDir}/history.db`, { readOnly: true });
      const row = db.prepare("SELECT offset, tag FROM files WHERE path = ?").get(s.session) as {
        offset: number;
        tag: string;
      };
      db.close();
      {
        using file = await Deno.open(s.session);
        const ino = (await Deno.stat(s.session)).ino ?? null;
        assert.equal(row.offset, before.length);
        assert.equal(row.tag, tagAtSync(file, ino, row.offset));
      }
      const after = prompt("x".repeat(1100)) + prompt("the last word is puma");
      assert.equal(after.length, before.length);
      await Deno.writeTextFile(s.session, after);
      const later = new Date(Date.now() + 5000);
      await Deno.utime(s.session, later, later);
      await relist(s.registry, s.roots);
      await s.index.idle();
      assert.equal((await s.index.search("lynx")).hits.length, 0, "the old line is gone");
      assert.equal((await s.index.search("puma")).hits.length, 1, "the new one found");
    },
  );

  await t.step("a touch that changes no bytes reads nothing again", async () => {
    const read = s.index.readBytes;
    const later = new Date(Date.now() + 10_000);
    await Deno.utime(s.session, later, later);
    await relist(s.registry, s.roots);
    await s.index.idle();
    assert.equal(s.index.readBytes, read);
    assert.equal((await s.index.search("puma")).hits.length, 1);
  });

  await t.step("a deleted transcript stays searchable", async () => {
    await Deno.remove(s.session);
    await relist(s.registry, s.roots);
    await s.index.idle();
    assert.equal(s.registry.byPath(s.session), undefined);
    assert.equal((await s.index.search("puma")).hits[0]?.agentId, sessionId);
    const p = s.index.progress();
    assert.equal(p.filesTotal, s.registry.size, "it leaves the progress totals");
  });
});

Deno.test("HistoryIndex gives an agent its totals again when its file leaves and comes back", async () => {
  await using s = await setup();
  await s.index.start();
  await s.index.idle();
  const id = agentIdOf(s.session);
  const announced: number[] = [];
  s.index.onAgentUsage((agentId, usage) => {
    if (agentId === id) announced.push(usage.tokens);
  });
  // Moved away and back unchanged (same inode, same size): nothing to read again,
  // but the agents list made a new agent, which has no totals until it is told.
  const away = `${s.tmp}/away.jsonl`;
  await Deno.rename(s.session, away);
  await relist(s.registry, s.roots);
  await s.index.idle();
  assert.equal(s.registry.byPath(s.session), undefined);
  await Deno.rename(away, s.session);
  await relist(s.registry, s.roots);
  await s.index.idle();
  assert.equal(announced.length, 1, "announced once, on its return");
  assert.ok(announced[0]! > 0);
});

Deno.test("HistoryIndex restarts without reading anything again", async () => {
  await using s = await setup();
  await s.index.start();
  s.registry.setFacts(s.session, { cwd: "/Users/zawakin/agent-sample", title: "Hoge maker" });
  await s.index.idle();
  const db = new DatabaseSync(`${s.dataDir}/history.db`, { readOnly: true });
  const files = () => db.prepare("SELECT * FROM files ORDER BY path").all();
  const stored = files();
  assert.equal(stored.length, s.registry.size);
  await s.index.close();

  const registry = new AgentRegistry();
  await relist(registry, s.roots);
  s.index = open(registry, s.dataDir, s.logs);
  const announced = new Map<string, number>();
  s.index.onAgentUsage((id, usage) => announced.set(id, usage.tokens));
  await s.index.start();
  assert.equal(s.index.readBytes, 0, "not one byte read again");
  assert.deepEqual(files(), stored, "offsets unchanged");
  assert.equal(s.index.progress().state, "ready");
  // Every agent with usage gets its totals without a read.
  assert.ok((announced.get(agentIdOf(s.session)) ?? 0) > 0);
  const hit = (await s.index.search("hoge.py")).hits.find((h) =>
    h.agentId === agentIdOf(s.session)
  );
  assert.equal(hit?.title, "Hoge maker", "a title read last run outlives a registry without facts");
  db.close();
});

Deno.test("HistoryIndex sets a corrupt database aside and rebuilds it", async (t) => {
  await using s = await setup();
  await s.index.start();
  const dbPath = `${s.dataDir}/history.db`;
  const asides = async () =>
    (await Array.fromAsync(Deno.readDir(s.dataDir)))
      .filter((e) => e.name.startsWith("history.db.corrupt-"));

  await t.step("garbage over the schema page: found at open", async () => {
    await s.index.close();
    const bytes = await Deno.readFile(dbPath);
    // After the 100-byte file header (which says the file is tailboard's): the schema's page.
    bytes.set(
      new TextEncoder().encode("this is not a database, it is a shopping list".repeat(3)),
      100,
    );
    await Deno.writeFile(dbPath, bytes);
    s.logs.length = 0;
    s.index = open(s.registry, s.dataDir, s.logs);
    await s.index.start();
    const lines = s.logs.filter((l) => l.includes("corrupt"));
    assert.equal(lines.length, 1, "one clear log line");
    assert.match(lines[0]!, /moved it aside and rebuilding/);
    assert.equal((await asides()).length, 1);
    assert.ok((await s.index.search("hoge.py")).hits.length > 0, "rebuilt");
  });

  await t.step(
    "garbage over the search pages: open passes, a query finds it, then rebuilt",
    async () => {
      await s.index.close();
      // Only the full-text index's pages: open does not read them, a search does.
      const db = new DatabaseSync(dbPath, { readOnly: true });
      const size = (db.prepare("PRAGMA page_size").get() as { page_size: number }).page_size;
      const pages = db.prepare("SELECT pageno FROM dbstat WHERE name = 'events_fts_data'").all()
        .map((r) => (r as { pageno: number }).pageno);
      db.close();
      assert.ok(pages.length > 0);
      const bytes = await Deno.readFile(dbPath);
      for (const page of pages) {
        for (let i = (page - 1) * size; i < page * size; i++) bytes[i] = (i * 7919) & 0xff;
      }
      await Deno.writeFile(dbPath, bytes);
      s.logs.length = 0;
      s.index = open(s.registry, s.dataDir, s.logs);
      await s.index.start();
      assert.equal(s.logs.filter((l) => l.includes("corrupt")).length, 0, "not seen at open");
      await assert.rejects(s.index.search("hoge.py"), IndexUnavailableError);
      assert.equal(s.logs.filter((l) => l.includes("corrupt")).length, 1, "one clear log line");
      await s.index.start();
      await s.index.idle();
      assert.ok((await s.index.search("hoge.py")).hits.length > 0, "rebuilt");
      assert.equal((await asides()).length, 2);
    },
  );

  await t.step("deleting the database only costs a rebuild", async () => {
    await s.index.close();
    for (const suffix of ["", "-wal", "-shm"]) await Deno.remove(dbPath + suffix).catch(() => {});
    s.index = open(s.registry, s.dataDir, s.logs);
    await s.index.start();
    assert.ok((await s.index.search("hoge.py")).hits.length > 0);
  });
});

function tokensOf(text: string): { once: number; naive: number } {
  const counter = new UsageCounter();
  let naive = 0;
  for (const l of text.split("\n")) {
    if (!l) continue;
    const { event } = parseLine(l);
    counter.add(event);
    const u = event.kind === "assistant" ? event.usage : undefined;
    if (u) {
      naive += (u.input_tokens ?? 0) + (u.output_tokens ?? 0) +
        (u.cache_creation_input_tokens ?? 0) + (u.cache_read_input_tokens ?? 0);
    }
  }
  return { once: counter.totals().tokens, naive };
}

Deno.test("HistoryIndex counts a message replayed into a resumed session's file once", async (t) => {
  const more = line({
    type: "assistant",
    timestamp: "2025-12-10T08:00:00.000Z",
    requestId: "req_more",
    message: {
      id: "msg_more",
      role: "assistant",
      model: "claude-sonnet-4-5-20250929",
      content: [{ type: "text", text: "continuing" }],
      usage: { input_tokens: 100, output_tokens: 50, cache_read_input_tokens: 1000 },
    },
  });
  const check = async (s: Setup, resumed: string, original: string) => {
    const a = (await s.index.agentUsage(agentIdOf(s.session)))!.tokens;
    const b = (await s.index.agentUsage(agentIdOf(resumed)))!.tokens;
    const both = tokensOf(original + original + more);
    assert.equal(a + b, both.once, "each response counted once, by exactly one agent");
    assert.ok(both.naive > 2 * both.once, "summing every line would overcount");
    assert.equal(a, tokensOf(original).once, "the replayed messages stay the original's");
    assert.equal(b, 1150, "the resumed session has only what it added");
    const rows = (await s.index.usage("2025-12-01", "2025-12-31", "agent")).rows
      .filter((r) => r.key === agentIdOf(s.session) || r.key === agentIdOf(resumed));
    assert.equal(rows.reduce((n, r) => n + r.tokens, 0), both.once, "rollups agree");

    // Across every agent, the index agrees with an in-memory count of all the files.
    let all = "";
    for (const agent of s.registry.list()) all += await Deno.readTextFile(agent.path) + "\n";
    let sum = 0;
    for (const x of s.registry.list()) sum += (await s.index.agentUsage(x.id))?.tokens ?? 0;
    assert.equal(sum, tokensOf(all).once);
  };

  await t.step("both files there at start (the newer, resumed one is read first)", async () => {
    await using s = await setup();
    const original = await Deno.readTextFile(s.session);
    const resumed = s.session.replace(SESSION, "11111111-2222-4333-8444-555555555555");
    await Deno.writeTextFile(resumed, original + more);
    const [older, newer] = [new Date(Date.now() - 60_000), new Date()];
    await Deno.utime(s.session, older, older);
    await Deno.utime(resumed, newer, newer);
    await relist(s.registry, s.roots);
    await s.index.start();
    await check(s, resumed, original);
  });

  await t.step("the resumed file appears after the original was indexed", async () => {
    await using s = await setup();
    await s.index.start();
    const original = await Deno.readTextFile(s.session);
    const resumed = s.session.replace(SESSION, "11111111-2222-4333-8444-555555555555");
    await Deno.writeTextFile(resumed, original + more);
    await relist(s.registry, s.roots);
    await s.index.idle();
    await check(s, resumed, original);
  });
});

Deno.test("defaultDataDir() follows each platform's convention", () => {
  assert.equal(
    defaultDataDir({ home: "/Users/me", platform: "darwin", env: {} }),
    "/Users/me/Library/Application Support/tailboard",
  );
  assert.equal(
    defaultDataDir({ home: "/home/me", platform: "linux", env: { XDG_DATA_HOME: "/data/" } }),
    "/data/tailboard",
  );
  assert.equal(
    defaultDataDir({ home: "/home/me", platform: "linux", env: {} }),
    "/home/me/.local/share/tailboard",
  );
  assert.equal(
    defaultDataDir({ home: "/home/me", platform: "linux", env: { XDG_DATA_HOME: "rel" } }),
    "/home/me/.local/share/tailboard",
    "a relative XDG_DATA_HOME is ignored, as the spec says",
  );
});
