/**
 * The property the compiled binary depends on: main.ts, started from a folder
 * that has nothing to do with the source tree, serves the whole UI and API,
 * because nothing is read from the working directory. Plus the command line's
 * own promises: --help, fail-fast errors, --open, the config file, and a
 * second instance that says where the first one is.
 */
import assert from "node:assert/strict";
import { denoDir, eventually, freePort, runTailboard, spawnTailboard } from "../_harness/daemon.ts";

/** Every URL a page or module refers to: script/link/img, importmap entries, JS imports. */
function references(body: string, type: string): string[] {
  const refs: string[] = [];
  if (type.startsWith("text/html")) {
    for (const m of body.matchAll(/\b(?:src|href)\s*=\s*["']([^"']+)["']/g)) refs.push(m[1]!);
    for (
      const m of body.matchAll(/<script[^>]*type=["']importmap["'][^>]*>([\s\S]*?)<\/script>/g)
    ) {
      const map = JSON.parse(m[1]!);
      refs.push(...Object.values<string>(map.imports ?? {}));
    }
  } else if (/javascript/.test(type)) {
    // JSDoc types (`@type {import("x").T}`) are not imports the browser makes.
    const code = body.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
    for (const m of code.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)(["'])([^"'\n]+)\1/g)) {
      refs.push(m[2]!);
    }
  } else if (type.startsWith("text/css")) {
    for (const m of body.matchAll(/url\(\s*["']?([^"')]+)["']?\s*\)/g)) refs.push(m[1]!);
  }
  // Inline data and other sites are not this server's to serve.
  return refs.filter((r) => !/^(data:|https?:|#)/.test(r));
}

Deno.test("main.ts run from an unrelated folder serves the full UI, every asset, and the API", async () => {
  const watch = await Deno.makeTempDir({ prefix: "tailboard-watch-" });
  const transcript = `${watch}/0a1b2c3d-4e5f-4061-8071-2a3b4c5d6e7f.jsonl`;
  await Deno.writeTextFile(
    transcript,
    JSON.stringify({
      type: "user",
      sessionId: "0a1b2c3d-4e5f-4061-8071-2a3b4c5d6e7f",
      cwd: "/tmp/project",
      uuid: "u1",
      timestamp: new Date().toISOString(),
      message: { role: "user", content: "hello from an unrelated folder" },
    }) + "\n",
  );
  const port = freePort();
  // spawnTailboard starts it in a fresh temp folder of its own.
  await using tb = await spawnTailboard([
    "--port",
    String(port),
    "--no-default-sources",
    "--no-history",
    "--watch",
    watch,
  ]);
  try {
    assert.equal(tb.url, `http://127.0.0.1:${port}/`);

    const page = await fetch(tb.url);
    assert.equal(page.status, 200);
    const type = page.headers.get("content-type") ?? "";
    assert.match(type, /^text\/html/);
    assert.ok(page.headers.get("content-security-policy"), "the page has a CSP");
    const html = await page.text();
    assert.match(html, /<title>tailboard<\/title>/);
    assert.match(html, /<script type="module" src="\/[^"]+"/);

    const seen = new Map<string, number>();
    const queue = references(html, type).map((r) => new URL(r, tb.url).href);
    while (queue.length > 0) {
      const url = queue.shift()!;
      if (seen.has(url)) continue;
      const res = await fetch(url);
      const body = await res.text();
      seen.set(url, res.status);
      assert.equal(res.status, 200, `${url} answers 200`);
      const assetType = res.headers.get("content-type") ?? "";
      for (const ref of references(body, assetType)) queue.push(new URL(ref, url).href);
    }
    const paths = [...seen.keys()].map((u) => new URL(u).pathname);
    assert.ok(paths.some((p) => p.endsWith(".css")), `a stylesheet is among ${paths}`);
    assert.ok(paths.filter((p) => p.endsWith(".js")).length >= 5, `the modules: ${paths}`);

    const agents = await eventually("the transcript is listed", async () => {
      const res = await fetch(`${tb.url}api/agents`);
      const { agents } = await res.json();
      return agents.length > 0 ? agents : null;
    });
    assert.equal(agents[0].path, transcript);
    const health = await (await fetch(`${tb.url}api/health`)).json();
    assert.equal(health.ok, true);
  } finally {
    await Deno.remove(watch, { recursive: true });
  }
});

Deno.test("a second tailboard on the same port says the first is running, and where", async () => {
  const port = freePort();
  const watch = await Deno.makeTempDir();
  const args = ["--port", String(port), "--no-default-sources", "--no-history", "--watch", watch];
  await using first = await spawnTailboard(args);
  const second = await runTailboard(args);
  assert.equal(second.code, 1);
  assert.match(
    second.stderr,
    new RegExp(`^error: tailboard \\S+ is already running at ${first.url.replaceAll(".", "\\.")}`),
  );
  await Deno.remove(watch, { recursive: true });
});

Deno.test("a port held by another program is reported as in use", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const run = await runTailboard(["--port", String(port), "--no-default-sources", "--no-history"]);
  assert.equal(run.code, 1);
  assert.match(run.stderr, new RegExp(`error: port ${port} on 127\\.0\\.0\\.1 is already in use`));
});

Deno.test("the command line fails fast, and --help and --version answer", async (t) => {
  await t.step("--help", async () => {
    const run = await runTailboard(["--help"]);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /Usage:/);
    assert.match(run.stdout, /TAILBOARD_PORT/);
  });
  await t.step("a subcommand's --help", async () => {
    const run = await runTailboard(["install", "--help"]);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /tailboard install/);
  });
  await t.step("--version", async () => {
    const run = await runTailboard(["-V"]);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /^tailboard \d+\.\d+\.\d+/);
  });
  await t.step("an unknown flag", async () => {
    const run = await runTailboard(["--prot", "1"]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^error: Unknown option '--prot'.*\(see --help\)/);
  });
  await t.step("an unknown command", async () => {
    const run = await runTailboard(["srve"]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^error: unknown command 'srve'; commands: serve, demo/);
  });
  await t.step("a bad environment value", async () => {
    const run = await runTailboard([], { env: { TAILBOARD_PORT: "eighty" } });
    assert.equal(run.code, 2);
    assert.equal(run.stderr, "error: TAILBOARD_PORT needs a whole number, got 'eighty'\n");
  });
});

Deno.test("settings come from ~/.config/tailboard/config.json, and --open hands the URL to the opener", async () => {
  const home = await Deno.makeTempDir({ prefix: "tailboard-home-" });
  const bin = `${home}/bin`;
  await Deno.mkdir(`${home}/.config/tailboard`, { recursive: true });
  await Deno.mkdir(bin);
  const port = freePort();
  await Deno.writeTextFile(
    `${home}/.config/tailboard/config.json`,
    JSON.stringify({ port, defaultSources: false, open: true, scheduler: "none" }),
  );
  for (const opener of ["xdg-open", "open"]) {
    await Deno.writeTextFile(
      `${bin}/${opener}`,
      `#!/bin/bash\necho "${opener} $*" >> "${home}/opened.log"\n`,
      { mode: 0o755 },
    );
  }
  try {
    await using tb = await spawnTailboard([], {
      env: { HOME: home, PATH: bin, DENO_DIR: await denoDir() },
    });
    assert.equal(tb.url, `http://127.0.0.1:${port}/`);
    const opened = await eventually(
      "the opener ran",
      () => Deno.readTextFile(`${home}/opened.log`).catch(() => ""),
    );
    const opener = Deno.build.os === "darwin" ? "open" : "xdg-open";
    assert.equal(opened, `${opener} http://127.0.0.1:${port}/\n`);
    assert.match(tb.stderr(), /"msg":"settings read from a config file"/);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
