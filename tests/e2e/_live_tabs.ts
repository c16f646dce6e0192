/**
 * What the live-connection browser tests share: waiting for text to show,
 * opening tabs, and appending to every job log and transcript of the live
 * world (tests/_harness/live_world.ts) and seeing it arrive in each tab.
 */
import assert from "node:assert/strict";
import type { BrowserContext, Page } from "playwright-core";
import { claudeLine, type LiveWorld } from "../_harness/live_world.ts";

/**
 * A bound on waiting for a change to show, generous for a loaded machine; how
 * fast it shows is measured in bench/ui.ts, not asserted here.
 */
export const WITHIN_MS = 30_000;

export async function within(
  ms: number,
  what: string,
  check: () => Promise<boolean>,
): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > ms) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return Date.now() - started;
}

export const shows = (page: Page, text: string) =>
  page.evaluate((t) => document.body.innerText.includes(t), text);

export async function openTab(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  // Before the one connection, a tab beyond the sixth hung here until this timed out.
  await page.goto(url, { timeout: 20_000 });
  return page;
}

/** Every job card of /sessions shows its newest stdout line and its stderr. */
export async function sessionsLoaded(page: Page, world: LiveWorld) {
  await page.locator("article.sess").nth(7).waitFor({ timeout: 10_000 });
  for (const [i] of world.jobs.entries()) {
    await within(30_000, `job${i + 1}'s log`, () => shows(page, `job${i + 1} line 119`));
    await within(30_000, `job${i + 1}'s stderr`, () => shows(page, `job${i + 1} warning 0`));
  }
}

/** Which agents (by transcript name) a tab shows. */
export async function agentsShown(page: Page): Promise<string[]> {
  const names = ["alpha", "bravo", "charlie", "delta"];
  const text = await page.evaluate(() => document.body.innerText);
  return names.filter((n) => text.includes(`${n} event 39`));
}

/** Appends to every log and transcript; each shows in the tab that watches it. */
export async function appendEverywhere(
  world: LiveWorld,
  tag: string,
  sessions: Page,
  feeds: Page[],
) {
  const watching = new Map<Page, string[]>();
  for (const page of feeds) watching.set(page, await agentsShown(page));
  for (const [i, job] of world.jobs.entries()) {
    await Deno.writeTextFile(job.stdout, `job${i + 1} ${tag}\n`, { append: true });
    await Deno.writeTextFile(job.stderr, `job${i + 1} err ${tag}\n`, { append: true });
  }
  for (const path of world.transcripts) {
    const name = path.split("/").at(-1)!.replace(".jsonl", "");
    await Deno.writeTextFile(path, claudeLine(`${name} ${tag}`), { append: true });
  }
  for (const [i] of world.jobs.entries()) {
    await within(WITHIN_MS, `job${i + 1} ${tag}`, () => shows(sessions, `job${i + 1} ${tag}`));
    await within(
      WITHIN_MS,
      `job${i + 1} err ${tag}`,
      () => shows(sessions, `job${i + 1} err ${tag}`),
    );
  }
  for (const [page, agents] of watching) {
    assert.ok(agents.length > 0, `${page.url()} shows an agent`);
    for (const agent of agents) {
      await within(WITHIN_MS, `${agent} ${tag}`, () => shows(page, `${agent} ${tag}`));
    }
  }
}

/**
 * How the page's live connection runs in a tab (ui/data/live.js's liveMode): the module is
 * the page's own instance, as an import of the same URL returns it.
 */
export function liveModeOf(page: Page): Promise<string | null> {
  return page.evaluate(async () => {
    // The page loads it at its build's URL (ui/assets.ts), which its preload hint names.
    const hint = document.querySelector('link[rel="modulepreload"][href$="/ui/data/live.js"]');
    const live = await import((hint as HTMLLinkElement).href);
    return live.liveMode.value as string | null;
  });
}
