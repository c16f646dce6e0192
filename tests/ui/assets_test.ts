import assert from "node:assert/strict";
import {
  assets,
  indexHtml,
  resolveImports,
  VENDOR_PATHS,
  VERSION,
  versioned,
} from "../../ui/assets.ts";

/** Every static import specifier in a module's source. */
function importsOf(source: string): string[] {
  return [...source.matchAll(/(?:\bfrom\s*|\bimport\s*)(["'])([^"'\n]+)\1/g)].map((m) => m[2]!);
}

Deno.test("resolveImports() points bare package names at /vendor/ and leaves the rest", () => {
  assert.equal(
    resolveImports(
      `import{h}from"preact";import { x } from '../x.js';export*from"@preact/signals-core"`,
    ),
    `import{h}from"/vendor/preact.js";import { x } from '../x.js';export*from"/vendor/signals-core.js"`,
  );
  assert.equal(resolveImports(`import "preact/hooks";`), `import "/vendor/preact-hooks.js";`);
  assert.equal(resolveImports(`const s = "from preact";`), `const s = "from preact";`);
});

Deno.test("every module the page loads is embedded, with no bare import left", () => {
  const entries = [...indexHtml.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]!);
  // The live connection's boot first (it opens the connection while the UI loads), then the UI,
  // both at this build's URLs.
  assert.deepEqual(entries, ["/ui/data/live_boot.js", "/ui/app.js"].map(versioned));
  const seen = new Set<string>();
  const visit = (path: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    const asset = assets.get(path);
    assert.ok(asset, `${path} is embedded`);
    assert.match(asset.type, /^text\/javascript/);
    for (const spec of importsOf(asset.body)) {
      assert.ok(/^(\/|\.\.?\/)/.test(spec), `${path} imports ${spec} by a URL`);
      visit(new URL(spec, `http://x${path}`).pathname);
    }
    // A worker script is an entry point of its own (the shared live connection).
    const workers = /new SharedWorker\(\s*new URL\("([^"]+)", import\.meta\.url\)/g;
    for (const m of asset.body.matchAll(workers)) visit(new URL(m[1]!, `http://x${path}`).pathname);
  };
  for (const entry of entries) visit(entry);
  for (const path of Object.values(VENDOR_PATHS)) {
    assert.ok(seen.has(versioned(path)), `${path} is reachable`);
  }
  const js = [...assets.keys()].filter((p) => p.endsWith(".js") && p.startsWith(`/v/${VERSION}/`));
  assert.ok(seen.has(versioned("/ui/data/live_worker.js")), "the worker is reachable");
  assert.deepEqual(js.filter((p) => !seen.has(p)), [], "no embedded module is dead weight");
});

Deno.test("the page needs no inline script (the daemon's CSP allows 'self' only)", () => {
  assert.doesNotMatch(indexHtml, /<script(?![^>]*\bsrc=)[^>]*>/);
  assert.doesNotMatch(indexHtml, /\son[a-z]+=/i);
  for (const m of indexHtml.matchAll(/(?:href|src)="([^"]+)"/g)) {
    const url = m[1]!;
    if (url.startsWith("data:")) continue;
    assert.ok(assets.has(url), `${url} is embedded`);
    assert.ok(assets.get(url)?.immutable, `${url} names this build, so it may be kept for good`);
  }
});

Deno.test("vendor files carry no source-map comments and share the one Preact", () => {
  for (const path of Object.values(VENDOR_PATHS)) {
    assert.doesNotMatch(assets.get(path)!.body, /sourceMappingURL/);
  }
  // Signals must hook into the same Preact that renders (two copies = signals that never update).
  assert.ok(importsOf(assets.get("/vendor/signals.js")!.body).includes("/vendor/preact.js"));
  assert.ok(importsOf(assets.get("/vendor/preact-hooks.js")!.body).includes("/vendor/preact.js"));
  assert.ok(importsOf(assets.get("/ui/lib/html.js")!.body).includes("/vendor/preact.js"));
  // This build's copies import this build's copies.
  assert.ok(
    importsOf(assets.get(versioned("/vendor/signals.js"))!.body).includes(
      versioned("/vendor/preact.js"),
    ),
  );
});
