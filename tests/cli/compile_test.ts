/**
 * `deno task compile`. Building needs denort, which deno downloads unless
 * DENORT_BIN names a local copy; so the build and its smoke test run only
 * where DENORT_BIN is set. The task's own errors are checked everywhere.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { freePort, spawnTailboard } from "../_harness/daemon.ts";

const SCRIPT = fileURLToPath(new URL("../../.ci/compile.ts", import.meta.url));
const DENORT_BIN = Deno.env.get("DENORT_BIN");

async function compile(args: string[], env: Record<string, string> = {}) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-run", "--allow-env", "--allow-read", "--allow-write", SCRIPT, ...args],
    env: { NO_COLOR: "1", ...env },
    stdin: "null",
  }).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}

Deno.test("compile task: a DENORT_BIN that is not there is named, before any build", async () => {
  const run = await compile([], { DENORT_BIN: "/nonexistent/denort" });
  assert.equal(run.code, 1);
  assert.match(
    run.stderr,
    /error: DENORT_BIN is \/nonexistent\/denort, but there is no file there/,
  );
});

Deno.test("compile task: --target takes the macOS and Linux targets only", async () => {
  const run = await compile(["--target", "wasm32"]);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /--target must be one of aarch64-apple-darwin, x86_64-apple-darwin/);
  const help = await compile(["--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /DENORT_BIN/);
});

Deno.test({
  name: "the compiled binary serves the UI and API from any folder, and stops on SIGTERM",
  ignore: !DENORT_BIN,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "tailboard-bin-" });
    try {
      const binary = `${dir}/tailboard`;
      const built = await compile(["--output", binary]);
      assert.equal(built.code, 0, built.stderr);

      const version = await new Deno.Command(binary, { args: ["--version"] }).output();
      assert.match(new TextDecoder().decode(version.stdout), /^tailboard \d+\.\d+\.\d+/);

      const watch = `${dir}/watch`;
      await Deno.mkdir(watch);
      await using tb = await spawnTailboard(
        ["--port", String(freePort()), "--no-default-sources", "--no-history", "--watch", watch],
        { program: [binary] },
      );
      const html = await (await fetch(tb.url)).text();
      assert.match(html, /<title>tailboard<\/title>/);
      const refs = [...html.matchAll(/\b(?:src|href)="(\/[^"]+)"/g)].map((m) => m[1]!);
      assert.ok(refs.length > 0);
      for (const ref of refs) {
        const res = await fetch(new URL(ref, tb.url));
        await res.body?.cancel();
        assert.equal(res.status, 200, ref);
      }
      const agents = await (await fetch(`${tb.url}api/agents`)).json();
      assert.deepEqual(agents, { agents: [] });
      tb.child.kill("SIGTERM");
      assert.equal((await tb.exited).code, 0, tb.stderr());
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
