/**
 * The one place that says why the browser tests did not run: without
 * Chromium they are skipped (or, under `CI=true`, fail), and this prints how
 * to install it, once per run.
 */
import assert from "node:assert/strict";
import { BROWSER_REQUIRED, CHROMIUM_PATH, hasChromium, NO_CHROMIUM } from "../_harness/browser.ts";

const present = hasChromium();
if (!present && !BROWSER_REQUIRED) console.error(`browser tests skipped: ${NO_CHROMIUM}`);

Deno.test({
  name: `Chromium for the browser tests (${CHROMIUM_PATH})`,
  ignore: !present && !BROWSER_REQUIRED,
  async fn() {
    assert.ok(present, `${NO_CHROMIUM}. CI=true requires the browser tests to run.`);
    const { success, stdout } = await new Deno.Command(CHROMIUM_PATH, {
      args: ["--version"],
      stdout: "piped",
      stderr: "null",
    }).output();
    assert.ok(success, `${CHROMIUM_PATH} --version failed`);
    assert.match(new TextDecoder().decode(stdout), /Chrom/);
  },
});

Deno.test("every test that opens Chromium registers through browserTest(), so CI=true cannot skip it", async () => {
  const tests = new URL("../", import.meta.url);
  const offenders: string[] = [];
  const walk = async (dir: URL, prefix: string) => {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isDirectory && entry.name !== "_harness" && entry.name !== "fixtures") {
        await walk(new URL(`${entry.name}/`, dir), `${prefix}${entry.name}/`);
      } else if (entry.isFile && entry.name.endsWith(".ts")) {
        const text = await Deno.readTextFile(new URL(entry.name, dir));
        const opens = text.includes("openBrowser(");
        if (opens && (!text.includes("browserTest(") || /ignore:\s*!hasChromium/.test(text))) {
          offenders.push(`${prefix}${entry.name}`);
        }
      }
    }
  };
  await walk(tests, "tests/");
  assert.deepEqual(offenders, [], "use browserTest() from tests/_harness/browser.ts");
});
