/**
 * `deno task compile [--target TARGET] [--output PATH]`: one self-contained
 * tailboard executable (UI, parser and dependencies embedded; nothing read
 * from the source tree at run time).
 *
 * `deno compile` builds on `denort`, a small runtime it downloads for the
 * target unless DENORT_BIN names a local copy. Offline, that download is what
 * fails; this script then says what to do instead of a bare network error.
 */
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { resolve } from "node:path";

const TARGETS = [
  "aarch64-apple-darwin",
  "x86_64-apple-darwin",
  "x86_64-unknown-linux-gnu",
  "aarch64-unknown-linux-gnu",
];

/** The daemon's permissions: loopback-only network, no blanket -A. */
const PERMISSIONS = [
  "--allow-read",
  "--allow-write",
  "--allow-env",
  "--allow-net=127.0.0.1,localhost,[::1]",
  "--allow-run",
  "--allow-sys",
];

const ROOT = fileURLToPath(new URL("..", import.meta.url));

function fail(message: string): never {
  console.error(`error: ${message}`);
  Deno.exit(1);
}

const { values } = (() => {
  try {
    return parseArgs({
      args: Deno.args,
      options: {
        target: { type: "string" },
        output: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    fail(`${error instanceof Error ? error.message : error} (see --help)`);
  }
})();

if (values.help) {
  console.log(`Usage: deno task compile [--target TARGET] [--output PATH]

Builds dist/tailboard (or dist/tailboard-TARGET) with deno compile.
  --target   one of ${TARGETS.join(", ")} (default: this machine)
  --output   where to write the executable

Offline: set DENORT_BIN to a denort binary of Deno ${Deno.version.deno} for the target.`);
  Deno.exit(0);
}

const target = values.target;
if (target !== undefined && !TARGETS.includes(target)) {
  fail(`--target must be one of ${TARGETS.join(", ")}, got '${target}'`);
}
const output = resolve(ROOT, values.output ?? `dist/tailboard${target ? `-${target}` : ""}`);
const denort = Deno.env.get("DENORT_BIN");
if (denort) {
  try {
    Deno.statSync(denort);
  } catch {
    fail(`DENORT_BIN is ${denort}, but there is no file there`);
  }
}

const args = [
  "compile",
  ...PERMISSIONS,
  // The lockfile also holds the test tools' packages (playwright-core): leave them out.
  "--exclude-unused-npm",
  // Worker modules: the docs say deno compile leaves them out unless included (history/index.ts).
  "--include",
  "history/worker.ts",
  ...(target ? ["--target", target] : []),
  "--output",
  output,
  "main.ts",
];
console.error(`deno ${args.join(" ")}${denort ? `  (DENORT_BIN=${denort})` : ""}`);
const child = new Deno.Command(Deno.execPath(), {
  args,
  cwd: ROOT,
  stdout: "inherit",
  stderr: "piped",
}).spawn();
let stderr = "";
const decoder = new TextDecoder();
for await (const chunk of child.stderr) {
  const text = decoder.decode(chunk, { stream: true });
  stderr += text;
  await Deno.stderr.write(chunk);
}
const { code } = await child.status;
if (code !== 0) {
  // deno-lint-ignore no-control-regex -- ANSI colour codes, to match the words between them
  const plain = stderr.replace(/\x1b\[[0-9;]*m/g, "");
  if (/denort|base binary|dl\.deno\.land|error sending request|dns error/i.test(plain)) {
    const wanted = target ?? Deno.build.target;
    fail(`deno compile could not get its runtime, denort, for ${wanted}.

deno compile writes the executable on top of denort, a small Deno runtime that
it downloads for the target (Deno ${Deno.version.deno}) unless DENORT_BIN names
a local copy. Without network access, get it on a connected machine:
  denort-${wanted}.zip from the Deno v${Deno.version.deno} release
  (the "Releases" page of the denoland/deno repository, or
  https://dl.deno.land/release/v${Deno.version.deno}/denort-${wanted}.zip),
unzip it, copy the denort file here, and run:
  DENORT_BIN=/path/to/denort deno task compile${target ? ` --target ${target}` : ""}
It must be the denort of exactly Deno ${Deno.version.deno}, built for ${wanted}.`);
  }
  Deno.exit(code);
}
const size = Deno.statSync(output).size;
console.error(`wrote ${output} (${(size / 1024 / 1024).toFixed(1)} MiB)`);
