import assert from "node:assert/strict";
import { agentIdOf } from "../../agents/agent.ts";
import { AgentRegistry } from "../../agents/registry.ts";
import { createApp, type UiBundle } from "../../server/app.ts";
import { allowedHosts, isLoopback } from "../../server/guard.ts";
import { TailPool } from "../../files/pool.ts";

const PORT = 8787;
const HOST = `127.0.0.1:${PORT}`;
const INDEX = "<!doctype html><title>tailboard</title><script src=/app.js></script>";
const APP_JS = "console.log('tailboard');";

const ui: UiBundle = {
  indexHtml: INDEX,
  assets: new Map([
    ["/app.js", { body: APP_JS, type: "text/javascript; charset=utf-8" }],
    ["/style.css", { body: "body{margin:0}", type: "text/css; charset=utf-8" }],
    ["/v/1/app.js", { body: APP_JS, type: "text/javascript; charset=utf-8", immutable: true }],
  ]),
};

interface Fixture extends AsyncDisposable {
  app: ReturnType<typeof createApp>;
  registry: AgentRegistry;
  /** Id of an agent whose file is real: two lines, 14 bytes. */
  id: string;
  path: string;
  /** `app.request` with this server's Host unless the headers say otherwise. */
  get(path: string, headers?: Record<string, string>): Promise<Response>;
}

const LINES = '{"a":1}\n{"b":2}\n';

async function fixture(token?: string): Promise<Fixture> {
  const dir = await Deno.makeTempDir({ prefix: "tailboard_app_" });
  const path = `${dir}/${"0a1b2c3d-4e5f-4061-8071-2a3b4c5d6e7f"}.jsonl`;
  await Deno.writeTextFile(path, LINES);
  const registry = new AgentRegistry();
  registry.upsert({
    path,
    realPath: path,
    source: "claude-session",
    parentPath: null,
    projectHint: "app",
    metaPath: null,
    size: LINES.length,
    mtime: Date.now(),
    ino: null,
  });
  const pool = new TailPool();
  const app = createApp({
    registry,
    pool,
    ui,
    hosts: allowedHosts("127.0.0.1", PORT),
    token,
    version: "0.0.0-test",
  });
  return {
    app,
    registry,
    id: agentIdOf(path),
    path,
    get: (url, headers = {}) => {
      const h = new Headers(headers);
      if (!h.has("host")) h.set("host", HOST);
      return Promise.resolve(app.request(url, { headers: h }));
    },
    async [Symbol.asyncDispose]() {
      pool.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

async function json(res: Response): Promise<Record<string, unknown>> {
  assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
  return await res.json();
}

async function assertError(res: Response, status: number, message: string | RegExp) {
  assert.equal(res.status, status);
  const body = await json(res);
  assert.equal(typeof body.error, "string");
  if (typeof message === "string") assert.equal(body.error, message);
  else assert.match(body.error as string, message);
}

// ---- guard -------------------------------------------------------------------------

Deno.test("allowedHosts() answers to every loopback name, and a bound address with loopback", () => {
  assert.deepEqual(allowedHosts("127.0.0.1", 8787), [
    "127.0.0.1:8787",
    "localhost:8787",
    "[::1]:8787",
  ]);
  assert.deepEqual(allowedHosts("::1", 9), ["127.0.0.1:9", "localhost:9", "[::1]:9"]);
  assert.deepEqual(allowedHosts("192.168.1.5", 80), [
    "192.168.1.5:80",
    "127.0.0.1:80",
    "localhost:80",
    "[::1]:80",
    "192.168.1.5",
    "127.0.0.1",
    "localhost",
    "[::1]",
  ]);
  assert.deepEqual(allowedHosts("fe80::1", 80)[0], "[fe80::1]:80");
  assert.equal(isLoopback("127.9.8.7"), true);
  assert.equal(isLoopback("0.0.0.0"), false);
  assert.equal(isLoopback("127.0.0.1.evil.com"), false);
});

Deno.test("the guard refuses a Host header that is not this server with 421", async (t) => {
  await using f = await fixture();
  for (const host of ["evil.example:8787", "127.0.0.1:9999", "127.0.0.1", "localhost.evil:8787"]) {
    await t.step(host, async () => {
      const res = await f.get("/api/health", { host });
      await assertError(
        res,
        421,
        `refused: Host '${host}' is not this server (expected 127.0.0.1:8787)`,
      );
      assert.equal(res.headers.get("access-control-allow-origin"), null);
    });
  }
  await t.step("no Host at all", async () => {
    const res = await f.app.request("/api/health");
    assert.equal(res.status, 421);
    await res.body?.cancel();
  });
});

Deno.test("the guard accepts every loopback spelling of this server", async (t) => {
  await using f = await fixture();
  for (const host of [HOST, `localhost:${PORT}`, `[::1]:${PORT}`, `LOCALHOST:${PORT}`]) {
    await t.step(host, async () => {
      const res = await f.get("/api/health", { host });
      assert.equal(res.status, 200);
      const body = await json(res);
      assert.equal(body.ok, true);
      assert.equal(body.version, "0.0.0-test");
      assert.equal(body.agents, 1);
      assert.equal(body.openTails, 0);
    });
  }
});

Deno.test("the guard refuses a foreign Origin with 403 and allows this server's own", async (t) => {
  await using f = await fixture();
  await t.step("another site", async () => {
    const res = await f.get("/api/agents", { origin: "https://evil.example" });
    await assertError(
      res,
      403,
      "refused: requests from origin 'https://evil.example' are not allowed",
    );
  });
  await t.step("the same host on another port", async () => {
    const res = await f.get("/api/agents", { origin: "http://127.0.0.1:9999" });
    assert.equal(res.status, 403);
    await res.body?.cancel();
  });
  await t.step("an opaque null origin", async () => {
    const res = await f.get("/api/agents", { origin: "null" });
    assert.equal(res.status, 403);
    await res.body?.cancel();
  });
  await t.step("this server's own origin, any loopback name", async () => {
    for (const origin of [`http://${HOST}`, `http://localhost:${PORT}`, `http://[::1]:${PORT}`]) {
      const res = await f.get("/api/agents", { origin });
      assert.equal(res.status, 200, origin);
      await res.body?.cancel();
    }
  });
});

Deno.test("no response ever carries CORS headers", async () => {
  await using f = await fixture();
  const requests: [string, Record<string, string>][] = [
    ["/api/health", {}],
    ["/api/agents", { origin: `http://${HOST}` }],
    ["/api/agents", { origin: "https://evil.example" }],
    ["/api/health", { host: "evil:1" }],
    ["/", {}],
    ["/app.js", {}],
    ["/nope", {}],
    ["/api/nope", {}],
  ];
  for (const [url, headers] of requests) {
    const res = await f.get(url, headers);
    assert.equal(res.headers.get("access-control-allow-origin"), null, url);
    assert.equal(res.headers.get("access-control-allow-credentials"), null, url);
    await res.body?.cancel();
  }
  const preflight = await f.app.request("/api/agents", {
    method: "OPTIONS",
    headers: { host: HOST, origin: "https://evil.example", "access-control-request-method": "GET" },
  });
  assert.equal(preflight.status, 403);
  assert.equal(preflight.headers.get("access-control-allow-origin"), null);
  await preflight.body?.cancel();
});

Deno.test("token mode: a token in a header or cookie lets a request through", async (t) => {
  await using f = await fixture("s3cret");
  await t.step("no token: 401", async () => {
    await assertError(
      await f.get("/api/health"),
      401,
      "a token is required: open the URL tailboard printed at start-up",
    );
  });
  await t.step("a wrong token: 401", async () => {
    const res = await f.get("/api/health", { authorization: "Bearer nope" });
    assert.equal(res.status, 401);
    await res.body?.cancel();
  });
  await t.step("Authorization: Bearer", async () => {
    const res = await f.get("/api/health", { authorization: "Bearer s3cret" });
    assert.equal(res.status, 200);
    await res.body?.cancel();
  });
  await t.step("the tailboard_token cookie among others", async () => {
    const res = await f.get("/api/health", { cookie: "a=1; tailboard_token=s3cret; b=2" });
    assert.equal(res.status, 200);
    await res.body?.cancel();
  });
  await t.step("?token= on an API call", async () => {
    const res = await f.get("/api/health?token=s3cret");
    assert.equal(res.status, 200);
    await res.body?.cancel();
  });
  await t.step("a page without a token: 401", async () => {
    const res = await f.get("/");
    assert.equal(res.status, 401);
    await res.body?.cancel();
  });
  await t.step("the Host check still applies with a token on loopback", async () => {
    const res = await f.get("/api/health", { host: "evil:1", authorization: "Bearer s3cret" });
    assert.equal(res.status, 421);
    await res.body?.cancel();
  });
});

Deno.test("token mode: ?token= on a page becomes an HttpOnly cookie and a clean URL", async (t) => {
  await using f = await fixture("s3cret");
  await t.step("303 to the same page without the token", async () => {
    const res = await f.get("/agents/abc?token=s3cret&x=1");
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("location"), "/agents/abc?x=1");
    const cookie = res.headers.get("set-cookie") ?? "";
    assert.match(cookie, /^tailboard_token=s3cret;/);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    assert.match(cookie, /Path=\//);
    await res.body?.cancel();
  });
  await t.step("the root page redirects to /", async () => {
    const res = await f.get("/?token=s3cret");
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("location"), "/");
    await res.body?.cancel();
  });
  await t.step("a wrong ?token= is a 401, not a cookie", async () => {
    const res = await f.get("/?token=guess");
    assert.equal(res.status, 401);
    assert.equal(res.headers.get("set-cookie"), null);
    await res.body?.cancel();
  });
});

async function requestBeyondLoopback(hosts: string[]): Promise<[number, number]> {
  const pool = new TailPool();
  const app = createApp({
    registry: new AgentRegistry(),
    pool,
    ui,
    hosts,
    token: "t",
    openHost: true,
    version: "x",
  });
  try {
    const host = "my-box.lan:8787";
    const anon = await app.request("/api/health", { headers: { host } });
    await anon.body?.cancel();
    const res = await app.request("/api/health", {
      headers: { host, origin: "http://my-box.lan:8787", authorization: "Bearer t" },
    });
    await res.body?.cancel();
    return [anon.status, res.status];
  } finally {
    pool.close();
  }
}

Deno.test("token mode beyond loopback accepts any Host and Origin but still needs the token", async () => {
  assert.deepEqual(await requestBeyondLoopback(["192.168.1.5:8787"]), [401, 200]);
});

Deno.test({
  name: "token mode bound to 0.0.0.0 as the daemon wires it accepts a LAN host name",
  async fn() {
    assert.deepEqual(await requestBeyondLoopback(allowedHosts("0.0.0.0", PORT)), [401, 200]);
  },
});

// ---- API ---------------------------------------------------------------------------

Deno.test("an unknown /api/ path is a 404 JSON error for any method", async () => {
  await using f = await fixture();
  await assertError(await f.get("/api/x"), 404, "no such endpoint: GET /api/x");
  const post = await f.app.request("/api/agents", { method: "POST", headers: { host: HOST } });
  await assertError(post, 404, "no such endpoint: POST /api/agents");
});

Deno.test("GET /api/agents lists the registry's agents", async () => {
  await using f = await fixture();
  const res = await f.get("/api/agents");
  assert.equal(res.status, 200);
  const body = await json(res);
  assert.equal(await Promise.resolve(JSON.stringify(body)), f.registry.listJson());
  const one = await json(await f.get(`/api/agents/${f.id}`));
  assert.deepEqual(one, { agent: f.registry.get(f.id) });
});

Deno.test("an unknown agent id is a 404 on every agent route", async (t) => {
  await using f = await fixture();
  for (
    const url of [
      "/api/agents/ffffffffffffffff",
      "/api/agents/ffffffffffffffff/events.json",
      "/api/agents/ffffffffffffffff/line?cursor=8",
      "/api/agents/ffffffffffffffff/events",
      "/api/agents/ffffffffffffffff/events?tail=10",
    ]
  ) {
    await t.step(url, async () => {
      await assertError(await f.get(url), 404, "no such agent");
    });
  }
});

Deno.test("bad query values are a 400 with a message naming the parameter", async (t) => {
  await using f = await fixture();
  const cases: [string, string | RegExp][] = [
    ["events?tail=abc", "tail must be a non-negative integer, got 'abc'"],
    ["events?tail=-1", "tail must be a non-negative integer, got '-1'"],
    ["events?tail=5001", "tail must be at most 5000"],
    ["events?after=1.5", "cursor must be a byte offset or an SSE id (<offset>.<tag>), got '1.5'"],
    ["events?after=-1", "cursor must be a non-negative integer, got '-1'"],
    ["events.json?limit=x", "limit must be a non-negative integer, got 'x'"],
    ["events.json?limit=0", "limit must be at least 1"],
    ["events.json?limit=5001", "limit must be at most 5000"],
    ["events.json?before=-3", "before must be a non-negative integer, got '-3'"],
    ["events.json?before=3", "cursor 3 is not at the end of a line"],
    ["events.json?before=99", "cursor 99 is past the end of the file (16 bytes)"],
    ["line", "cursor is required"],
    ["line?cursor=abc", "cursor must be a non-negative integer, got 'abc'"],
    ["line?cursor=0", "cursor must be the end of a line (a positive byte offset)"],
    ["line?cursor=5", "cursor 5 is not at the end of a line"],
    ["line?cursor=" + "9".repeat(60), "cursor must be at most 9007199254740991"],
    ["line?cursor=1%2B1", "cursor must be a non-negative integer, got '1+1'"],
  ];
  for (const [query, message] of cases) {
    await t.step(query, async () => {
      await assertError(await f.get(`/api/agents/${f.id}/${query}`), 400, message);
    });
  }
});

Deno.test("events.json and line read the agent's file by cursor", async () => {
  await using f = await fixture();
  const page = await json(await f.get(`/api/agents/${f.id}/events.json?limit=1`));
  assert.equal(page.hasMore, true);
  const events = page.events as { cursor: number }[];
  assert.deepEqual(events.map((e) => e.cursor), [16]);
  const older = await json(await f.get(`/api/agents/${f.id}/events.json?before=8`));
  assert.equal(older.hasMore, false);
  assert.deepEqual((older.events as { cursor: number }[]).map((e) => e.cursor), [8]);
  const line = await json(await f.get(`/api/agents/${f.id}/line?cursor=16`));
  assert.equal((line.event as { cursor: number }).cursor, 16);
});

Deno.test("a vanished agent file is a 404 JSON error", async () => {
  await using f = await fixture();
  await Deno.remove(f.path);
  await assertError(
    await f.get(`/api/agents/${f.id}/events.json`),
    404,
    "the file is gone",
  );
});

// ---- pages and assets --------------------------------------------------------------

Deno.test("UI pages get the index HTML with a Content-Security-Policy", async (t) => {
  await using f = await fixture();
  for (const url of ["/", "/agents", "/agents/abc", "/agents/abc/", "/scheduler", "/sessions"]) {
    await t.step(url, async () => {
      const res = await f.get(url);
      assert.equal(res.status, 200);
      assert.match(res.headers.get("content-type") ?? "", /^text\/html/);
      const csp = res.headers.get("content-security-policy") ?? "";
      assert.match(csp, /default-src 'self'/);
      assert.match(csp, /script-src 'self'(;|$)/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.equal(res.headers.get("x-content-type-options"), "nosniff");
      assert.equal(res.headers.get("referrer-policy"), "no-referrer");
      assert.equal(await res.text(), INDEX);
    });
  }
});

Deno.test("an unknown page is a 404 JSON error", async (t) => {
  await using f = await fixture();
  for (const url of ["/nope", "/agents/a/b", "/scheduler/x", "/app.js/x"]) {
    await t.step(url, async () => {
      const res = await f.get(url);
      await assertError(res, 404, `not found: ${url}`);
      assert.equal(res.headers.get("content-security-policy"), null);
    });
  }
});

Deno.test("assets are served with their type and an ETag, and revalidate with 304", async () => {
  await using f = await fixture();
  const res = await f.get("/app.js");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "text/javascript; charset=utf-8");
  assert.equal(res.headers.get("cache-control"), "no-cache");
  assert.equal(res.headers.get("x-content-type-options"), "nosniff");
  const etag = res.headers.get("etag") ?? "";
  assert.match(etag, /^"[0-9a-f]+-[0-9a-f]+"$/);
  assert.equal(await res.text(), APP_JS);

  const css = await f.get("/style.css");
  assert.equal(css.headers.get("content-type"), "text/css; charset=utf-8");
  assert.notEqual(css.headers.get("etag"), etag);
  await css.body?.cancel();

  const again = await f.get("/app.js", { "if-none-match": etag });
  assert.equal(again.status, 304);
  assert.equal(await again.text(), "");

  const stale = await f.get("/app.js", { "if-none-match": '"0-0"' });
  assert.equal(stale.status, 200);
  assert.equal(await stale.text(), APP_JS);

  // A file at a URL that names its build never changes there: the browser may keep it.
  const kept = await f.get("/v/1/app.js");
  assert.equal(kept.headers.get("cache-control"), "public, max-age=31536000, immutable");
  assert.equal(await kept.text(), APP_JS);
});

Deno.test({
  name: "a 304 repeats the asset's ETag and Cache-Control",
  async fn() {
    await using f = await fixture();
    const first = await f.get("/app.js");
    const etag = first.headers.get("etag")!;
    await first.body?.cancel();
    const again = await f.get("/app.js", { "if-none-match": etag });
    assert.equal(again.status, 304);
    assert.equal(again.headers.get("etag"), etag);
    assert.equal(again.headers.get("cache-control"), "no-cache");
    await again.body?.cancel();
  },
});
