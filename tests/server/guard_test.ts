import assert from "node:assert/strict";
import { Hono } from "hono";
import { allowedHosts, guard, sameToken } from "../../server/guard.ts";

function appOn(port: number): Hono {
  const app = new Hono();
  app.use(guard({ hosts: allowedHosts("127.0.0.1", port) }));
  app.get("/", (c) => c.text("ok"));
  return app;
}

Deno.test("guard() on port 80 accepts the Host and Origin browsers send without ':80'", async () => {
  const app = appOn(80);
  for (const host of ["localhost", "127.0.0.1", "localhost:80"]) {
    const res = await app.request("/", { headers: { host, origin: `http://${host}` } });
    assert.equal(res.status, 200, host);
    await res.body?.cancel();
  }
});

Deno.test("guard() on another port still wants the port in Host", async () => {
  const app = appOn(8787);
  const res = await app.request("/", { headers: { host: "localhost" } });
  assert.equal(res.status, 421);
  await res.body?.cancel();
  const foreign = await appOn(80).request("/", { headers: { host: "evil.example" } });
  assert.equal(foreign.status, 421);
  await foreign.body?.cancel();
});

/** Every printable ASCII character, the space inside (a header trims it at either end). */
const PRINTABLE = (() => {
  const all = String.fromCharCode(...Array.from({ length: 94 }, (_, i) => 0x21 + i));
  return `${all.slice(0, 40)} ${all.slice(40)}`;
})();

function tokenApp(token: string): Hono {
  const app = new Hono();
  app.use(guard({ hosts: allowedHosts("127.0.0.1", 8787), token }));
  app.get("/", (c) => c.text("page"));
  app.get("/api/health", (c) => c.text("ok"));
  return app;
}

const HOST = { host: "127.0.0.1:8787" };

/** What a browser keeps of a Set-Cookie header and sends back: the pair before the first `;`. */
function cookieFrom(setCookie: string | null): string {
  assert.ok(setCookie, "a cookie was set");
  return setCookie.split(";")[0]!;
}

Deno.test("guard() lets in a token made of any printable characters, by link, cookie and header", async (t) => {
  for (const token of [PRINTABLE, "a;b=c", 'say "hi" to me', "tailboard_token=x; other=y", "%3B"]) {
    await t.step(JSON.stringify(token), async () => {
      const app = tokenApp(token);
      const link = await app.request(`/?token=${encodeURIComponent(token)}`, { headers: HOST });
      assert.equal(link.status, 303);
      const cookie = cookieFrom(link.headers.get("set-cookie"));
      assert.match(link.headers.get("set-cookie")!, /; Path=\/; HttpOnly; SameSite=Strict$/);

      const withCookie = await app.request("/api/health", { headers: { ...HOST, cookie } });
      assert.equal(withCookie.status, 200, `cookie ${cookie}`);
      await withCookie.body?.cancel();
      const among = await app.request("/", {
        headers: { ...HOST, cookie: `a=1; ${cookie}; b="2"` },
      });
      assert.equal(among.status, 200, "among other cookies");
      await among.body?.cancel();

      const bearer = await app.request("/api/health", {
        headers: { ...HOST, authorization: `Bearer ${token}` },
      });
      assert.equal(bearer.status, 200);
      await bearer.body?.cancel();
    });
  }
});

Deno.test("guard() refuses a token that is nearly right, in every place it is looked for", async () => {
  const token = PRINTABLE;
  const app = tokenApp(token);
  const link = await app.request(`/?token=${encodeURIComponent(token)}`, { headers: HOST });
  const [name, value] = cookieFrom(link.headers.get("set-cookie")).split("=") as [string, string];
  const attempts: Record<string, string>[] = [
    { cookie: `${name}=${value.slice(0, -1)}` },
    { cookie: `${name}=${value}x` },
    // Sent raw, as the old hand-made cookie was: cut at its first `;` by any parser.
    { cookie: `${name}=${token}` },
    { authorization: `Bearer ${token.slice(1)}` },
    { authorization: `Bearer ${token}${token}` },
    {},
  ];
  for (const headers of attempts) {
    const res = await app.request("/api/health", { headers: { ...HOST, ...headers } });
    assert.equal(res.status, 401, JSON.stringify(headers));
    await res.body?.cancel();
  }
  const wrongLink = await app.request(`/?token=${encodeURIComponent(token.slice(0, -1))}`, {
    headers: HOST,
  });
  assert.equal(wrongLink.status, 401);
  assert.equal(wrongLink.headers.get("set-cookie"), null);
  await wrongLink.body?.cancel();
});

Deno.test("sameToken() is true only for the very token", async () => {
  assert.equal(await sameToken("s3cret", "s3cret"), true);
  assert.equal(await sameToken(PRINTABLE, PRINTABLE), true);
  for (const given of [undefined, "", "s3cre", "s3crett", "S3cret", "s3cret "]) {
    assert.equal(await sameToken(given, "s3cret"), false, JSON.stringify(given));
  }
});
