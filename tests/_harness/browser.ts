/**
 * Headless Chromium for the UI tests, driven by playwright-core with the
 * system's browser (Debian's `chromium` package; never `npx playwright install`).
 */
import { chromium } from "playwright-core";
import type { BrowserContext, Page } from "playwright-core";

/** The browser binary; `TAILBOARD_CHROMIUM` overrides it (a missing path simulates no browser). */
export const CHROMIUM_PATH = Deno.env.get("TAILBOARD_CHROMIUM") ?? "/usr/bin/chromium";

/**
 * Under `CI=true` the browser tests must run: a CI machine that lost its
 * browser fails instead of staying green with the UI untested.
 */
export const BROWSER_REQUIRED = /^(true|1)$/i.test(Deno.env.get("CI") ?? "");

/** What to tell someone whose machine has no browser. */
export const NO_CHROMIUM = `no Chromium at ${CHROMIUM_PATH}: ` +
  "install it with `apt-get install -y chromium` (Debian/Ubuntu), " +
  "or point TAILBOARD_CHROMIUM at a Chromium binary";

/** Whether the browser is installed and executable. */
export function hasChromium(): boolean {
  try {
    const info = Deno.statSync(CHROMIUM_PATH);
    return info.isFile && (info.mode === null || (info.mode & 0o111) !== 0);
  } catch {
    return false;
  }
}

/**
 * Registers a test that needs Chromium. Without the browser it is skipped
 * (tests/e2e/chromium_test.ts says why, once), or, under `CI=true`, it fails
 * with the reason.
 */
export function browserTest(definition: Deno.TestDefinition): void {
  if (hasChromium()) Deno.test(definition);
  else if (BROWSER_REQUIRED) {
    Deno.test({
      name: definition.name,
      fn() {
        throw new Error(`${NO_CHROMIUM}. CI=true requires the browser tests to run.`);
      },
    });
  } else Deno.test({ ...definition, ignore: true });
}

export interface BrowserOptions {
  /** @default {width: 1440, height: 900} */
  viewport?: { width: number; height: number };
  /** @default "dark" */
  colorScheme?: "dark" | "light";
  /** @default false */
  reducedMotion?: boolean;
}

export interface BrowserSession extends AsyncDisposable {
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors and console errors, for asserting a clean run. */
  errors: string[];
}

/** Launches Chromium with a fresh profile in a temp folder, removed on dispose. */
export async function openBrowser(options: BrowserOptions = {}): Promise<BrowserSession> {
  const profile = await Deno.makeTempDir({ prefix: "tailboard-chromium-" });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    viewport: options.viewport ?? { width: 1440, height: 900 },
    colorScheme: options.colorScheme ?? "dark",
    reducedMotion: options.reducedMotion ? "reduce" : "no-preference",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
    ],
  });
  const page = context.pages()[0] ?? await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`console: ${message.text()}`);
  });
  return {
    context,
    page,
    errors,
    async [Symbol.asyncDispose]() {
      await context.close().catch(() => {});
      await Deno.remove(profile, { recursive: true }).catch(() => {});
    },
  };
}

/** Where screenshots go: `test-artifacts/ui/` at the repo root (gitignored). */
export const ARTIFACTS = new URL("../../test-artifacts/ui/", import.meta.url);

/** Saves a full-viewport screenshot as `test-artifacts/ui/<name>.png`. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await Deno.mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: new URL(`${name}.png`, ARTIFACTS).pathname });
}

/**
 * A `t.step` that leaves `test-artifacts/ui/failed-<prefix>-<step>.png` behind
 * when it fails, so a red browser test shows what the page looked like.
 */
export function stepWithScreenshot(t: Deno.TestContext, page: Page, prefix: string) {
  return (name: string, fn: () => Promise<void>) =>
    t.step(name, async () => {
      try {
        await fn();
      } catch (error) {
        await screenshot(page, `failed-${prefix}${name.replace(/\W+/g, "-").slice(0, 50)}`)
          .catch(() => {});
        throw error;
      }
    });
}
