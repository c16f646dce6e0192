/**
 * Many tabs, one connection, in headless Chromium: /sessions with eight jobs,
 * /board with four agents, a single feed, and more tabs besides all stay live on one stream that
 * the tabs share (a SharedWorker), or on one stream per tab where they cannot
 * share; closing the tabs lets every stream and tail go.
 */
import assert from "node:assert/strict";
import type { BrowserContext, Page } from "playwright-core";
import { browserTest, openBrowser, screenshot } from "../_harness/browser.ts";
import { claudeLine, type LiveWorld, startLiveWorld } from "../_harness/live_world.ts";

/**
 * A bound on waiting for a change to show, generous for a loaded machine; how
 * fast it shows is measured in bench/ui.ts, not asserted here.
 */
const WITHIN_MS = 30_000;

async function within(ms: number, what: string, check: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > ms) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return Date.now() - started;
}

const shows = (page: Page, text: string) =>
  page.evaluate((t) => document.body.innerText.includes(t), text);

async function openTab(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  // Before the one connection, a tab beyond the sixth hung here until this timed out.
  await page.goto(url, { timeout: 20_000 });
  return page;
}

/** Every job card of /sessions shows its newest stdout line and its stderr. */
async function sessionsLoaded(page: Page, world: LiveWorld) {
  await page.locator("article.sess").nth(7).waitFor({ timeout: 10_000 });
  for (const [i] of world.jobs.entries()) {
    await within(30_000, `job${i + 1}'s log`, () => shows(page, `job${i + 1} line 119`));
    await within(30_000, `job${i + 1}'s stderr`, () => shows(page, `job${i + 1} warning 0`));
  }
}

/** Which agents (by transcript name) a tab shows. */
async function agentsShown(page: Page): Promise<string[]> {
  const names = ["alpha", "bravo", "charlie", "delta"];
  const text = await page.evaluate(() => document.body.innerText);
  return names.filter((n) => text.includes(`${n} event 39`));
}

/** Appends to every log and transcript; each shows in the tab that watches it. */
async function appendEverywhere(world: LiveWorld, tag: string, sessions: Page, feeds: Page[]) {
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

browserTest({
  name: "seven tabs share one live stream, all stay live, and closing them releases everything",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    await using world = await startLiveWorld();
    const ids = await world.agentIds();
    const before = await world.health();
    assert.equal(before.openStreams, 0);
    await using browser = await openBrowser();
    const { context, page: sessions } = browser;

    await t.step("/sessions shows all eight jobs' logs, with a feed tab beside it", async () => {
      await sessions.goto(`${world.url}sessions`);
      await sessionsLoaded(sessions, world);
      await screenshot(sessions, "live-sessions-eight-jobs");
    });
    const board = await openTab(context, `${world.url}board?agents=${ids.join(",")}`);
    const single = await openTab(context, `${world.url}agents/${ids[1]}`);
    const feeds = [board, single];
    await within(
      5000,
      "the board's four panes",
      async () => (await agentsShown(board)).length === 4,
    );
    await single.locator(".feed-spacer .row").first().waitFor();

    await t.step("a line appended to every log and transcript shows in its tab", async () => {
      await appendEverywhere(world, "first-append", sessions, feeds);
      assert.equal((await world.health()).openStreams, 1, "one stream for all tabs");
    });

    const more: Page[] = [];
    await t.step("a fourth to seventh tab still load and stay live", async () => {
      for (const path of ["", "scheduler", `agents/${ids[0]}`, `agents/${ids[3]}`]) {
        more.push(await openTab(context, `${world.url}${path}`));
      }
      await more[3]!.locator(".feed-spacer .row").first().waitFor({ timeout: 30_000 });
      await appendEverywhere(world, "seventh-tab", sessions, [...feeds, more[2]!, more[3]!]);
      assert.equal((await world.health()).openStreams, 1);
      assert.equal(context.pages().length, 7);
    });

    await t.step("closing a tab lets its tails go; closing all ends the stream", async () => {
      const busy = (await world.health()).openTails;
      await sessions.close();
      // Sixteen job logs were the sessions tab's alone.
      await within(
        5000,
        "the sessions tab's tails released",
        async () => (await world.health()).openTails === busy - 16,
      );
      for (const page of [...feeds, ...more]) await page.close();
      await within(30_000, "no stream and no tail left", async () => {
        const h = await world.health();
        return h.openStreams === 0 && h.openTails === before.openTails;
      });
    });
  },
});

browserTest({
  name: "without a shared worker each tab holds exactly one stream, and lets it go",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using world = await startLiveWorld();
    const ids = await world.agentIds();
    await using browser = await openBrowser();
    const { context, page: sessions } = browser;
    await context.addInitScript(() => sessionStorage.setItem("tailboard.live", "tab"));
    await sessions.goto(`${world.url}sessions`);
    await sessionsLoaded(sessions, world);
    const feeds = [
      await openTab(context, `${world.url}agents/${ids[0]}`),
      await openTab(context, `${world.url}agents/${ids[3]}`),
    ];
    for (const page of feeds) await page.locator(".feed-spacer .row").first().waitFor();
    await appendEverywhere(world, "per-tab", sessions, feeds);
    assert.equal((await world.health()).openStreams, 3, "one stream per tab");
    for (const page of context.pages()) await page.close();
    await within(30_000, "no stream left", async () => (await world.health()).openStreams === 0);
  },
});
