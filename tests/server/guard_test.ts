import assert from "node:assert/strict";
import { Hono } from "hono";
import { allowedHosts, guard } from "../../server/guard.ts";

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
