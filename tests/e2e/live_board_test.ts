/**
 * The board in headless Chromium: running agents by default, the pick kept
 * in the URL, a follow mode per pane, keys between panes and full size, and
 * "watch on board" from an agent's page.
 */
import assert from "node:assert/strict";
import { browserTest, openBrowser, screenshot } from "../_harness/browser.ts";
import { claudeLine, startLiveWorld } from "../_harness/live_world.ts";

async function within(ms: number, what: string, check: () => Promise<boolean>): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > ms) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

browserTest({
  name: "the board shows several agents side by side, each live with its own follow mode",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    await using world = await startLiveWorld();
    const ids = await world.agentIds();
    await using browser = await openBrowser();
    const { page } = browser;
    const panes = page.locator(".board .pane");
    const paneIds = () =>
      panes.evaluateAll((els) => els.map((el) => el.getAttribute("data-agent")));

    await t.step("by default it shows the agents that are working or need you", async () => {
      await page.goto(`${world.url}board`);
      await within(30_000, "four panes", async () => (await panes.count()) === 4);
      assert.deepEqual((await paneIds()).toSorted(), ids.toSorted());
      assert.equal(new URL(page.url()).search, "", "the default is not written into the URL");
      for (const [i] of ids.entries()) await panes.nth(i).locator(".row").first().waitFor();
      await screenshot(page, "live-board-four");
    });

    await t.step(
      "?agents= picks them, and removing or adding one keeps the URL in step",
      async () => {
        await page.goto(`${world.url}board?agents=${ids[2]},${ids[0]}`);
        await within(30_000, "two panes", async () => (await panes.count()) === 2);
        assert.deepEqual(await paneIds(), [ids[2], ids[0]]);
        await panes.nth(0).getByRole("button", { name: "Remove from the board" }).click();
        await within(30_000, "one pane", async () => (await panes.count()) === 1);
        assert.equal(new URL(page.url()).searchParams.get("agents"), ids[0]);
        await page.locator(".board-add select").selectOption(ids[3]!);
        await within(30_000, "two panes again", async () => (await panes.count()) === 2);
        assert.equal(new URL(page.url()).searchParams.get("agents"), `${ids[0]},${ids[3]}`);
      },
    );

    await t.step(
      "each pane follows on its own; keys move between panes and open one full size",
      async () => {
        // The first pane stops following; the second still follows.
        await panes.nth(0).getByRole("button", { name: /Follow/ }).click();
        assert.equal(
          await panes.nth(0).locator(".btn.follow").getAttribute("aria-pressed"),
          "false",
        );
        assert.equal(
          await panes.nth(1).locator(".btn.follow").getAttribute("aria-pressed"),
          "true",
        );
        const lines = Array.from({ length: 60 }, (_, n) => claudeLine(`burst ${n}`)).join("");
        await Deno.writeTextFile(world.transcripts[0]!, lines, { append: true });
        await Deno.writeTextFile(world.transcripts[3]!, lines, { append: true });
        await panes.nth(1).getByText("burst 59").waitFor({ timeout: 30_000 });
        await panes.nth(0).locator(".new-pill").waitFor({ timeout: 30_000 });
        assert.equal(await panes.nth(0).getByText("burst 59").count(), 0, "held still");

        await page.locator("body").click({ position: { x: 5, y: 5 } });
        await page.keyboard.press("]");
        await within(
          1000,
          "pane 2 focused",
          async () => /focused/.test(await panes.nth(1).getAttribute("class") ?? ""),
        );
        await page.keyboard.press("z");
        await within(30_000, "one pane full size", async () => (await panes.count()) === 1);
        assert.deepEqual(await paneIds(), [ids[3]]);
        await screenshot(page, "live-board-full-size");
        await page.keyboard.press("Escape");
        await within(30_000, "both panes back", async () => (await panes.count()) === 2);
      },
    );

    await t.step("an agent's page offers to watch it on the board", async () => {
      await page.goto(`${world.url}agents/${ids[1]}`);
      await page.getByRole("link", { name: "Watch on board" }).click();
      await page.waitForURL("**/board?agents=*");
      // The board reads the URL's pick once it has mounted; its first frame may show the default.
      const want = [ids[0], ids[3], ids[1]].join();
      await within(30_000, "the picked panes", async () => (await paneIds()).join() === want);
      assert.deepEqual(await paneIds(), [ids[0], ids[3], ids[1]]);
    });
    assert.deepEqual(browser.errors, []);
  },
});
