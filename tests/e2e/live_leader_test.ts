/**
 * Tabs that share one live stream without a SharedWorker, in headless
 * Chromium: the first tab leads (a Web Lock) and relays to the others over a
 * BroadcastChannel. Seven tabs stay live on one stream; when the leader tab
 * closes, the next one takes the stream over and every tab goes on from where
 * each of its subscriptions stood, losing and repeating nothing.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { browserTest, openBrowser } from "../_harness/browser.ts";
import { claudeLine, startLiveWorld } from "../_harness/live_world.ts";
import {
  agentsShown,
  appendEverywhere,
  liveModeOf,
  openTab,
  sessionsLoaded,
  within,
  WITHIN_MS,
} from "./_live_tabs.ts";

/** How often `text` shows in a tab's feeds (the board's panes or the one feed). */
function countInFeeds(page: Page, text: string): Promise<number> {
  return page.evaluate((t) => {
    let n = 0;
    for (const feed of document.querySelectorAll(".feed-spacer")) {
      n += (feed as HTMLElement).innerText.split(t).length - 1;
    }
    return n;
  }, text);
}

browserTest({
  name:
    "without a SharedWorker a leader tab holds the one stream, and hands it over when it closes",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    await using world = await startLiveWorld();
    const ids = await world.agentIds();
    const before = await world.health();
    await using browser = await openBrowser();
    const { context, page: first } = browser;
    await context.addInitScript(() => {
      // deno-lint-ignore no-explicit-any
      delete (globalThis as any).SharedWorker;
    });

    // The leader: the first tab, on one agent's feed.
    await first.goto(`${world.url}agents/${ids[0]}`);
    await first.locator(".feed-spacer .row").first().waitFor();
    await within(5000, "the first tab leads", async () => (await liveModeOf(first)) === "leader");
    const sessions = await openTab(context, `${world.url}sessions`);
    const board = await openTab(context, `${world.url}board?agents=${ids.join(",")}`);
    const others: Page[] = [];
    for (const path of [`agents/${ids[1]}`, `agents/${ids[2]}`, `agents/${ids[3]}`, ""]) {
      others.push(await openTab(context, `${world.url}${path}`));
    }
    const feeds = [board, ...others.slice(0, 3)];

    await t.step("seven tabs, one stream, all live", async () => {
      await sessionsLoaded(sessions, world);
      await within(
        5000,
        "the board's four panes",
        async () => (await agentsShown(board)).length === 4,
      );
      for (const page of feeds) await page.locator(".feed-spacer .row").first().waitFor();
      await others[3]!.locator(".agent-row").first().waitFor();
      assert.equal(context.pages().length, 7);
      for (const page of context.pages().slice(1)) assert.equal(await liveModeOf(page), "follower");
      await appendEverywhere(world, "seven-tabs", sessions, [first, ...feeds]);
      assert.equal((await world.health()).openStreams, 1, "one stream for seven tabs");
    });

    await t.step("the leader closes: another tab leads, nothing lost or repeated", async () => {
      await first.close();
      // Written while no tab may hold the stream yet.
      for (const path of world.transcripts) {
        const name = path.split("/").at(-1)!.replace(".jsonl", "");
        await Deno.writeTextFile(path, claudeLine(`${name} handover`), { append: true });
      }
      await within(WITHIN_MS, "a new leader", async () => {
        const modes = await Promise.all(context.pages().map(liveModeOf));
        return modes.filter((m) => m === "leader").length === 1;
      });
      await within(
        WITHIN_MS,
        "one stream again",
        async () => (await world.health()).openStreams === 1,
      );
      for (const page of feeds) {
        for (const agent of await agentsShown(page)) {
          await within(
            WITHIN_MS,
            `${agent} handover in ${page.url()}`,
            async () => (await countInFeeds(page, `${agent} handover`)) > 0,
          );
        }
      }
      // Appended after the hand-over too, and each line shows exactly once.
      await appendEverywhere(world, "after-handover", sessions, feeds);
      for (const page of feeds) {
        for (const agent of await agentsShown(page)) {
          for (const tag of ["handover", "after-handover", "seven-tabs"]) {
            assert.equal(
              await countInFeeds(page, `${agent} ${tag}`),
              1,
              `${agent} ${tag} once in ${page.url()}`,
            );
          }
        }
      }
      assert.equal((await world.health()).openStreams, 1);
    });

    await t.step("closing every tab ends the stream and lets every tail go", async () => {
      for (const page of context.pages()) await page.close();
      await within(30_000, "no stream and no tail left", async () => {
        const h = await world.health();
        return h.openStreams === 0 && h.openTails === before.openTails;
      });
    });
  },
});
