import assert from "node:assert/strict";
import { agentIdOf } from "../../agents/agent.ts";
import { AgentRegistry } from "../../agents/registry.ts";
import { PRICE_SOURCE } from "../../cost/list_prices.ts";
import { addDays, localDay } from "../../history/days.ts";
import { HistoryIndex, type IndexProgress } from "../../history/index.ts";
import { segments, toFtsQuery } from "../../history/search.ts";
import { silentLogger } from "../../core/log.ts";
import { historyRoutes } from "../../server/routes/history.ts";
import { scanRoots } from "../../files/scan.ts";
import { TRANSCRIPTS_DIR } from "../_harness/corpus.ts";

const SESSION = "7f2abd2d-7cfc-4447-9ddd-3ca8d14e02e9";
const DAY = localDay("2025-12-09T19:47:42.930Z")!;
/** The agent id of the copied session (its path is under a fresh temp folder each time). */
let sessionId = "";

/** The history routes over an index of real transcripts in a temp folder. */
async function withRoutes(
  fn: (app: ReturnType<typeof historyRoutes>, index: HistoryIndex) => Promise<void>,
): Promise<void> {
  const tmp = await Deno.makeTempDir({ prefix: "tailboard-routes-" });
  const projects = `${tmp}/projects/-Users-zawakin-agent-sample`;
  await Deno.mkdir(projects, { recursive: true });
  for (const name of [`${SESSION}.jsonl`, "agent-0c4c3cf8.jsonl", "agent-90fa40b6.jsonl"]) {
    await Deno.copyFile(`${TRANSCRIPTS_DIR}/agtrace/${name}`, `${projects}/${name}`);
  }
  await Deno.copyFile(
    `${TRANSCRIPTS_DIR}/claude-code-viewer/1af7fc5e-8455-4414-9ccd-011d40f70b2a.jsonl`,
    `${projects}/1af7fc5e-8455-4414-9ccd-011d40f70b2a.jsonl`,
  );
  sessionId = agentIdOf(`${projects}/${SESSION}.jsonl`);
  const registry = new AgentRegistry();
  const { files } = await scanRoots([{ path: `${tmp}/projects`, kind: "claude-projects" }]);
  for (const file of files) registry.upsert(file);
  const index = new HistoryIndex({ registry, dataDir: `${tmp}/data`, log: silentLogger });
  try {
    await index.start();
    await fn(historyRoutes(index), index);
  } finally {
    await index.close();
    await Deno.remove(tmp, { recursive: true });
  }
}

async function get(app: ReturnType<typeof historyRoutes>, path: string) {
  const res = await app.request(path);
  return { status: res.status, body: await res.json() };
}

Deno.test("GET /api/search answers hits newest first, pages, and 400s bad input", async (t) => {
  await withRoutes(async (app) => {
    await t.step("hits carry agent, cursor, kind and a highlighted snippet", async () => {
      const { status, body } = await get(app, "/api/search?q=hoge.py");
      assert.equal(status, 200);
      assert.equal(body.query, "hoge.py");
      assert.equal(body.fts, '"hoge.py"');
      assert.ok(body.hits.length >= 3);
      const hit = body.hits[0];
      assert.deepEqual(Object.keys(hit).sort(), [
        "agentId",
        "cursor",
        "id",
        "kind",
        "project",
        "snippet",
        "source",
        "title",
        "ts",
      ]);
      assert.ok(body.hits.every((h: { agentId: string }) => /^[0-9a-f]{16}$/.test(h.agentId)));
      assert.ok(body.hits.some((h: { agentId: string }) => h.agentId === sessionId));
      assert.ok(hit.snippet.some((s: { hit: boolean; text: string }) => s.hit));
      assert.equal(body.next, null);
    });

    await t.step("limit and before page through older hits", async () => {
      const all = (await get(app, "/api/search?q=hoge&limit=200")).body.hits;
      const first = await get(app, "/api/search?q=hoge&limit=2");
      assert.equal(first.body.hits.length, 2);
      assert.ok(first.body.next);
      const second = await get(app, `/api/search?q=hoge&limit=2&before=${first.body.next}`);
      assert.deepEqual(
        [...first.body.hits, ...second.body.hits].map((h: { id: string }) => h.id),
        all.slice(0, 4).map((h: { id: string }) => h.id),
      );
    });

    const bad: [string, RegExp][] = [
      ["/api/search", /q is required/],
      ["/api/search?q=%20%20", /q is required/],
      ["/api/search?q=%22unbalanced", /unbalanced quote/],
      ["/api/search?q=---%20!!!", /no words to find/],
      ["/api/search?q=-hoge", /only excludes words/],
      ["/api/search?q=ho*", /too short to match as a prefix/],
      ["/api/search?q=hoge&limit=0", /limit must be from 1 to 200/],
      ["/api/search?q=hoge&limit=201", /limit must be from 1 to 200/],
      ["/api/search?q=hoge&limit=ten", /limit must be a whole number/],
      ["/api/search?q=hoge&before=%3Cscript%3E", /before must be the `next` value/],
      [`/api/search?q=${"word ".repeat(120)}`, /too long/],
      ["/api/search?q=%00", /NUL character/],
      ["/api/search?q=hoge%00", /NUL character/],
      ["/api/search?q=%22ho%00ge%22", /NUL character/],
    ];
    for (const [path, message] of bad) {
      await t.step(`400 for ${decodeURIComponent(path).slice(0, 60)}`, async () => {
        const { status, body } = await get(app, path);
        assert.equal(status, 400);
        assert.match(body.error, message);
      });
    }

    await t.step("FTS5 syntax in the words is just text", async () => {
      for (const q of ["hoge AND OR NOT", "hoge NEAR(x)", "col:hoge", "hoge^", "(hoge", "a*b"]) {
        const { status } = await get(app, `/api/search?q=${encodeURIComponent(q)}`);
        assert.equal(status, 200, q);
      }
    });
  });
});

Deno.test("GET /api/history lists the agents active on a local day", async (t) => {
  await withRoutes(async (app) => {
    await t.step("the day of the corpus session", async () => {
      const { status, body } = await get(app, `/api/history?day=${DAY}`);
      assert.equal(status, 200);
      assert.equal(body.day, DAY);
      assert.equal(typeof body.timeZone, "string");
      const session = body.agents.find((a: { id: string }) => a.id === sessionId);
      assert.ok(session);
      assert.ok(session.usd > 0 && session.tokens > 0);
      assert.ok(session.firstTs <= session.lastTs);
      for (const agent of body.agents) {
        assert.deepEqual(Object.keys(agent).sort(), [
          "firstTs",
          "id",
          "lastTs",
          "project",
          "source",
          "title",
          "tokens",
          "usd",
        ]);
      }
      const withCost = body.agents.filter((a: { usd: number | null }) => (a.usd ?? 0) > 0);
      assert.ok(withCost.length >= 1);
    });

    await t.step("a quiet day is an empty list", async () => {
      const { status, body } = await get(app, "/api/history?day=2001-01-01");
      assert.equal(status, 200);
      assert.deepEqual(body.agents, []);
    });

    for (const day of ["", "2025-13-01", "2025-02-30", "25-12-09", "2025-12-9", "yesterday"]) {
      await t.step(`400 for day '${day}'`, async () => {
        const { status, body } = await get(app, `/api/history?day=${day}`);
        assert.equal(status, 400);
        assert.match(body.error, /day must be a date as YYYY-MM-DD/);
      });
    }
    await t.step("400 without a day", async () => {
      const { status, body } = await get(app, "/api/history");
      assert.equal(status, 400);
      assert.match(body.error, /day is required/);
    });
  });
});

Deno.test("GET /api/usage rolls tokens and cost up by day, project, agent or model", async (t) => {
  await withRoutes(async (app, index) => {
    const from = addDays(DAY, -2);
    const to = addDays(DAY, 2);

    await t.step("by day: every day of the range, zeros included", async () => {
      const { status, body } = await get(app, `/api/usage?from=${from}&to=${to}&by=day`);
      assert.equal(status, 200);
      assert.equal(body.pricesAsOf, PRICE_SOURCE.asOf);
      assert.deepEqual(body.prices, {
        ...PRICE_SOURCE,
        overrides: null,
        codexTier: null,
      });
      assert.deepEqual(body.rows.map((r: { key: string }) => r.key), [
        from,
        addDays(DAY, -1),
        DAY,
        addDays(DAY, 1),
        to,
      ]);
      const row = body.rows.find((r: { key: string }) => r.key === DAY);
      for (const field of ["input", "output", "cacheWrite5m", "cacheWrite1h", "cacheRead"]) {
        assert.equal(typeof row[field], "number", field);
      }
      assert.equal(
        row.tokens,
        row.input + row.output + row.cacheWrite5m + row.cacheWrite1h + row.cacheRead,
      );
      assert.ok(row.usd > 0);
      assert.equal(row.unpricedTokens, 0);
      assert.equal(body.rows[0].tokens, 0);
      assert.equal(
        body.totals.tokens,
        body.rows.reduce((n: number, r: { tokens: number }) => n + r.tokens, 0),
      );
    });

    await t.step("by agent agrees with each agent's own totals", async () => {
      const { body } = await get(app, `/api/usage?from=${from}&to=${to}&by=agent`);
      assert.ok(body.rows.length >= 2);
      for (const row of body.rows) {
        assert.equal(row.tokens, (await index.agentUsage(row.key))?.tokens);
        assert.equal(typeof row.label, "string");
      }
    });

    await t.step("by project sums to the same totals", async () => {
      const byDay = (await get(app, `/api/usage?from=${from}&to=${to}&by=day`)).body.totals;
      const byProject = (await get(app, `/api/usage?from=${from}&to=${to}&by=project`)).body;
      assert.deepEqual(byProject.totals, byDay);
    });

    await t.step("by model: one row per model, the same totals", async () => {
      const byDay = (await get(app, `/api/usage?from=${from}&to=${to}&by=day`)).body.totals;
      const { body } = await get(app, `/api/usage?from=${from}&to=${to}&by=model`);
      assert.deepEqual(
        body.rows.map((r: { key: string }) => r.key).sort(),
        // The viewer's Sonnet 4 session ran on another day: only this range's models.
        ["claude-haiku-4-5-20251001", "claude-sonnet-4-5-20250929"],
      );
      assert.equal(body.totals.tokens, byDay.tokens);
      assert.ok(Math.abs(body.totals.usd - byDay.usd) < 1e-12);
    });

    await t.step("defaults: the last 30 days, by day", async () => {
      const { status, body } = await get(app, "/api/usage");
      assert.equal(status, 200);
      assert.equal(body.by, "day");
      assert.equal(body.rows.length, 30);
      assert.equal(body.from, addDays(body.to, -29));
    });

    const bad: [string, RegExp][] = [
      ["/api/usage?by=week", /by must be one of day, project, agent, model/],
      [`/api/usage?from=${to}&to=${from}`, /is after/],
      ["/api/usage?from=2025-02-30", /from must be a date/],
      ["/api/usage?to=tomorrow", /to must be a date/],
      ["/api/usage?from=1900-01-01&to=2025-01-01", /range is too long/],
    ];
    for (const [path, message] of bad) {
      await t.step(`400 for ${path}`, async () => {
        const { status, body } = await get(app, path);
        assert.equal(status, 400);
        assert.match(body.error, message);
      });
    }
  });
});

Deno.test("GET /api/index/status and /api/index/stream report progress", async (t) => {
  await withRoutes(async (app) => {
    await t.step("status", async () => {
      const { status, body } = await get(app, "/api/index/status");
      assert.equal(status, 200);
      assert.equal(body.state, "ready");
      assert.equal(body.files, body.filesTotal);
      assert.equal(body.bytes, body.bytesTotal);
    });

    await t.step("stream starts with the current progress", async () => {
      const res = await app.request("/api/index/stream");
      assert.equal(res.headers.get("content-type"), "text/event-stream; charset=utf-8");
      const reader = res.body!.getReader();
      const { value } = await reader.read();
      const text = new TextDecoder().decode(value);
      assert.match(text, /^event: progress\ndata: \{"state":"ready",/);
      await reader.cancel();
    });
  });
});

Deno.test("GET /api/index/stream sends at most 4 progress events a second", async () => {
  // A stand-in index that reports progress far faster than any real one.
  const listeners = new Set<(p: IndexProgress) => void>();
  let bytes = 0;
  const progress = (): IndexProgress => ({
    state: "building",
    files: 0,
    filesTotal: 1,
    bytes,
    bytesTotal: 1e9,
  });
  const fake = {
    progress,
    subscribe(listener: (p: IndexProgress) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  } as unknown as HistoryIndex;
  const res = await historyRoutes(fake).request("/api/index/stream");
  const reader = res.body!.getReader();
  let events = 0;
  let text = "";
  const reading = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      text += new TextDecoder().decode(value);
      events = text.split("event: progress").length - 1;
    }
  })();
  const started = Date.now();
  while (Date.now() - started < 1100) {
    bytes += 1000;
    for (const l of listeners) l(progress());
    await new Promise((r) => setTimeout(r, 5));
  }
  // Coalesced, not dropped: the newest progress still goes out once the interval allows.
  const deadline = Date.now() + 30_000;
  while (!text.includes(`"bytes":${bytes},`)) {
    if (Date.now() > deadline) throw new Error(`the last progress never came: ${text}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  const elapsed = Date.now() - started;
  await reader.cancel();
  await reading;
  // A loaded machine only spaces them further: the bound is from the time that really passed.
  assert.ok(events >= 2, `${events} events`);
  assert.ok(events <= 2 + elapsed / 250, `${events} events in ${elapsed} ms`);
  assert.ok(events < bytes / 1000, "far fewer events than updates");
  assert.equal(listeners.size, 0, "unsubscribed when the client went away");
});

Deno.test("toFtsQuery() quotes every word, so user input is never FTS5 syntax", () => {
  assert.equal(toFtsQuery("npm test"), '"npm" AND "test"');
  assert.equal(toFtsQuery('"stack trace" fix*'), '"stack trace" AND "fix"*');
  assert.equal(toFtsQuery('say "hey"*'), '"say" AND "hey"*');
  assert.throws(() => toFtsQuery("hi*"), /too short to match as a prefix/);
  assert.equal(toFtsQuery("patch -error -fails"), '("patch") NOT ("error" OR "fails")');
  assert.throws(() => toFtsQuery('a"b'), /unbalanced quote/);
  assert.equal(toFtsQuery("src/app.ts"), '"src/app.ts"');
  assert.equal(toFtsQuery("OR AND NOT"), '"OR" AND "AND" AND "NOT"');
  assert.equal(toFtsQuery('x""y'), '"x" AND "y"');
});

Deno.test("segments() splits a marked snippet into plain text and hits", () => {
  assert.deepEqual(segments("a \u0001b\u0002 c"), [
    { text: "a ", hit: false },
    { text: "b", hit: true },
    { text: " c", hit: false },
  ]);
  assert.deepEqual(segments("\u0001<b>\u0002"), [{ text: "<b>", hit: true }]);
  assert.deepEqual(segments("plain"), [{ text: "plain", hit: false }]);
});
