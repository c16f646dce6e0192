/**
 * Many tabs, one connection, in headless Chromium: /sessions with eight jobs,
 * /board with four agents, a single feed, and more tabs besides all stay live on one stream that
 * the tabs share (a SharedWorker), or on one stream per tab where the browser
 * has no way to share; closing the tabs lets every stream and tail go. Sharing
 * through a leader tab instead of the worker: live_leader_test.ts.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { browserTest, openBrowser, screenshot } from "../_harness/browser.ts";
import { startLiveWorld } from "../_harness/live_world.ts";
import {
  agentsShown,
  appendEverywhere,
  liveModeOf,
  openTab,
  sessionsLoaded,
  within,
} from "./_live_tabs.ts";

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

    await t.step(
      "each card shows stderr beside stdout, and under it on a narrow screen",
      async () => {
        const panes = async () => {
          const card = sessions.locator("article.sess").first();
          const out = await card.locator(".sess-log:not(.is-err)").boundingBox();
          const err = await card.locator(".sess-log.is-err").boundingBox();
          assert.ok(out && err, "both panes drawn");
          return { out, err };
        };
        const wide = await panes();
        assert.ok(wide.err.x >= wide.out.x + wide.out.width - 1, "stderr to the right of stdout");
        assert.ok(Math.abs(wide.err.y - wide.out.y) < 1, "side by side: the same top");
        assert.ok(wide.err.width > 150, "stderr has room to read");
        await sessions.setViewportSize({ width: 600, height: 900 });
        try {
          await within(5000, "the panes stacked", async () => {
            const narrow = await panes();
            return narrow.err.y >= narrow.out.y + narrow.out.height - 1 &&
              Math.abs(narrow.err.x - narrow.out.x) < 1;
          });
        } finally {
          await sessions.setViewportSize({ width: 1440, height: 900 });
        }
      },
    );
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
      for (const page of [sessions, ...feeds]) assert.equal(await liveModeOf(page), "shared");
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
  name:
    "without SharedWorker and BroadcastChannel each tab holds exactly one stream, and lets it go",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using world = await startLiveWorld();
    const ids = await world.agentIds();
    await using browser = await openBrowser();
    const { context, page: sessions } = browser;
    // A browser with neither: no worker to share, no channel to elect a leader tab on.
    await context.addInitScript(() => {
      // deno-lint-ignore no-explicit-any
      const g = globalThis as any;
      delete g.SharedWorker;
      delete g.BroadcastChannel;
    });
    await sessions.goto(`${world.url}sessions`);
    await sessionsLoaded(sessions, world);
    const feeds = [
      await openTab(context, `${world.url}agents/${ids[0]}`),
      await openTab(context, `${world.url}agents/${ids[3]}`),
    ];
    for (const page of feeds) await page.locator(".feed-spacer .row").first().waitFor();
    for (const page of [sessions, ...feeds]) assert.equal(await liveModeOf(page), "tab");
    await appendEverywhere(world, "per-tab", sessions, feeds);
    assert.equal((await world.health()).openStreams, 3, "one stream per tab");
    for (const page of context.pages()) await page.close();
    await within(30_000, "no stream left", async () => (await world.health()).openStreams === 0);
  },
});
