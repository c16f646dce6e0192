/**
 * History, cost and search end to end: the real daemon (`main.ts` as a
 * subprocess, with the permissions `deno task start` grants) watching a temp
 * copy of tests/fixtures/transcripts/ and keeping its index in a temp `--data-dir`,
 * driven by headless Chromium. The date picker lists the corpus day's agents
 * with their cost, the chart draws, a search opens the agent's feed at the
 * matching event. Screenshots land in test-artifacts/ui/.
 */
import assert from "node:assert/strict";
import { cp } from "node:fs/promises";
import type { Page } from "playwright-core";
import { browserTest, openBrowser, screenshot, stepWithScreenshot } from "../_harness/browser.ts";
import { eventually, MAIN, spawnTailboard } from "../_harness/daemon.ts";
import { formatUsd } from "../../ui/lib/usage.js";
import { addDays, dayOf, weekStart } from "../../ui/lib/days.js";
import { transcript, TRANSCRIPTS_DIR } from "../_harness/corpus.ts";
import {
  type ApiAgent,
  firstDay,
  getJSON,
  PERMISSIONS,
  RECENT,
  recentSession,
  SESSION,
} from "../_harness/history_corpus.ts";

/** Whether `locator`'s element is inside the feed's visible area. */
async function inFeedView(page: Page, selector: string): Promise<boolean> {
  return await page.evaluate((sel) => {
    const el = document.querySelector(sel);
    const scroller = document.querySelector(".feed-scroll");
    if (!el || !scroller) return false;
    const a = el.getBoundingClientRect();
    const b = scroller.getBoundingClientRect();
    return a.top >= b.top - 1 && a.top < b.bottom - 20;
  }, selector);
}

/**
 * Waits until the search page shows the answer to what is in the box: the
 * status counts matches only then ("Searching…" while an answer to an
 * earlier prefix is still on screen).
 */
async function answered(page: Page): Promise<void> {
  await page.locator("#search-status", { hasText: /\d+\+? match(es)? in \d+ agents?/ }).waitFor({
    timeout: 30_000,
  });
}

browserTest({
  name: "history picks a day's agents with their cost, and search opens an agent at its event",
  // playwright-core keeps its browser pipe and timers between steps; the daemon is a subprocess we stop.
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "tailboard-e2e-history-" });
    const dataDir = await Deno.makeTempDir({ prefix: "tailboard-e2e-data-" });
    await cp(TRANSCRIPTS_DIR, dir, { recursive: true });
    await Deno.remove(`${dir}/PROVENANCE.md`);
    await Deno.mkdir(`${dir}/recent`);
    for (const [n, r] of RECENT.entries()) {
      await Deno.writeTextFile(`${dir}/recent/session-${n}.jsonl`, recentSession(n, r));
    }
    const today = dayOf(Date.now());
    const day = await firstDay(transcript(SESSION));

    const daemon = await spawnTailboard(
      [
        "--port",
        "0",
        "--no-default-sources",
        "--watch",
        dir,
        "--data-dir",
        dataDir,
        "--log-level",
        "warn",
      ],
      { program: [Deno.execPath(), "run", ...PERMISSIONS, MAIN], timeoutMs: 30_000 },
    );
    const url = daemon.url;
    await using browser = await openBrowser();
    const { page } = browser;
    /** A screenshot once the chart's bars have finished growing (a 0.25 s transition). */
    const shot = async (name: string) => {
      await page.waitForTimeout(400);
      await screenshot(page, name);
    };
    const step = stepWithScreenshot(t, page, "history-");

    try {
      // The index builds in the background; the views read it once it has caught up.
      await eventually("the index is ready", async () => {
        const s = await getJSON(`${url}api/index/status`);
        return s.state === "ready" && s.filesTotal > 0 && s.files === s.filesTotal;
      }, 30_000);
      const session = await eventually("the session has its usage", async () => {
        const { agents } = await getJSON(`${url}api/agents`) as { agents: ApiAgent[] };
        const a = agents.find((x) => x.path.endsWith(SESSION));
        return a?.usage && a.usage.tokens > 0 ? a : null;
      });
      const sessionUsd = session.usage!.usd;
      assert.equal(typeof sessionUsd, "number", "the session's model has a price");

      await step("/history opens on today: 30 days of cost, today's agents, projects", async () => {
        await page.goto(`${url}history`);
        const rows = page.locator(".day-list .day-agent");
        await eventually(
          "today's agents are listed",
          async () => (await rows.count()) === RECENT.filter((r) => r.daysAgo === 0).length,
        );
        assert.match(await rows.first().innerText(), /Make the usage table sortable|Retry failed/);
        assert.equal(
          await page.locator("#day-title").innerText().then((s) => s.split(" ·")[0]),
          "Today",
        );
        const drawn = await page.locator(".bar-col .bar").evaluateAll((els) =>
          els.filter((el) => el.getBoundingClientRect().height > 0).length
        );
        assert.equal(
          drawn,
          new Set(RECENT.map((r) => r.daysAgo)).size,
          "a bar for each day that ran",
        );
        const projects = await page.locator(".projs .proj-table tbody .proj-name").allInnerTexts();
        assert.deepEqual(projects.toSorted(), ["billing-api", "dashboard", "infra", "webhooks"]);
        assert.equal(
          await page.locator(".projs .proj-table tbody tr").first().locator(".proj-name")
            .innerText(),
          "billing-api",
          "the most expensive project first",
        );
        // The same days per model, and where the prices come from.
        await eventually(
          "the model table lists the sessions' model",
          async () =>
            (await page.locator(".models .proj-table tbody .proj-name").allInnerTexts())
              .includes("claude-sonnet-4-5-20250929"),
        );
        assert.match(
          await page.locator(".hist-prices").innerText(),
          /^List prices from @pydantic\/genai-prices \d+\.\d+\.\d+ \(data as of \d{4}-\d{2}-\d{2}\)\./,
        );
        await shot("history-30-days");
      });

      await step("the date picker lists the corpus day's agents with their cost", async () => {
        await page.locator("#history-day").fill(day);
        await page.waitForURL(`**/history?day=${day}`);
        await page.locator("#history-day").blur();
        const expected = (await getJSON(`${url}api/history?day=${day}`)).agents as {
          id: string;
          title: string;
        }[];
        assert.ok(expected.length >= 2, `the corpus has several agents on ${day}`);
        const rows = page.locator(".day-list .day-agent");
        await eventually(
          "the day lists its agents",
          async () => (await rows.count()) === expected.length,
        );
        const hrefs = await rows.evaluateAll((els) => els.map((el) => el.getAttribute("href")));
        assert.deepEqual(
          hrefs.toSorted(),
          expected.map((a) => `/agents/${encodeURIComponent(a.id)}`).toSorted(),
        );
        const row = page.locator(`.day-agent[href="/agents/${session.id}"]`);
        assert.match(await row.innerText(), /add myapp directory/);
        assert.equal(await row.locator(".da-cost").innerText(), formatUsd(sessionUsd));
        assert.match(await page.locator("#day-title").innerText(), /Dec 2025/);
        assert.match(await page.locator(".day-sum").innerText(), /\d agents · \$\d/);
        // The page says what the money is.
        assert.match(await page.locator(".hist-sub").innerText(), /list-price estimates/);
        assert.deepEqual(browser.errors, []);
        await shot("history-day");
      });

      await step("the chart draws a bar per day, the chosen one highlighted", async () => {
        assert.equal(await page.locator(".cost-chart .bar-col").count(), 30);
        const chosen = page.locator(".bar-col.on");
        assert.equal(await chosen.count(), 1);
        assert.equal(await chosen.getAttribute("data-day"), day);
        assert.equal(await chosen.getAttribute("aria-pressed"), "true");
        assert.match(await chosen.getAttribute("aria-label") ?? "", /\$\d.* · .*tokens/);
        const height = await chosen.locator(".bar").evaluate((el) =>
          el.getBoundingClientRect().height
        );
        assert.ok(height > 10, `the day's bar is drawn (${height}px)`);
        assert.match(await page.locator(".chart-total").innerText(), /^total (≥ )?\$\d/);
        assert.ok(
          await page.locator(".projs .proj-table tbody tr").count() >= 1,
          "projects are rolled up",
        );
        // Arrow keys walk the bars and pick the day.
        await chosen.focus();
        await page.keyboard.press("ArrowLeft");
        await page.waitForURL((u) => u.searchParams.get("day") !== day);
        assert.equal(
          await page.locator(".bar-col.on").evaluate((el) => el === document.activeElement),
          true,
        );
        await page.keyboard.press("ArrowRight");
        await page.waitForURL(`**/history?day=${day}`);
      });

      await step("today, yesterday and this week are one click away", async () => {
        const button = (name: string) => page.getByRole("button", { name, exact: true });
        await button("This week").click();
        await page.waitForURL(/history\?(from=\d{4}-\d\d-\d\d&to=|day=)\d{4}-\d\d-\d\d$/);
        assert.equal(await button("This week").getAttribute("aria-pressed"), "true");
        const monday = weekStart(today);
        const thisWeek = RECENT.filter((r) => addDays(today, -r.daysAgo) >= monday);
        await eventually(
          "this week's agents are listed",
          async () => (await page.locator(".day-list .day-agent").count()) === thisWeek.length,
        );
        await shot("history-this-week");
        await button("Yesterday").click();
        await page.waitForURL(`**/history?day=${addDays(today, -1)}`);
        await page.locator(".day-agent", { hasText: "Add invoice PDF export" }).waitFor();
        await button("Today").click();
        await page.waitForURL(`**/history?day=${today}`);
        assert.equal(await button("Today").getAttribute("aria-pressed"), "true");
      });

      await step("a quiet day says so and offers the nearest days that had activity", async () => {
        const quiet = addDays(today, -3); // nothing in RECENT ran 3 or 4 days ago
        await page.locator("#history-day").fill(quiet);
        await page.waitForURL(`**/history?day=${quiet}`);
        await page.locator(".day-empty").waitFor();
        const near = page.locator(".day-near .chip-btn");
        await near.first().waitFor();
        assert.equal(await near.count(), 2, "one before, one after");
        await page.locator("#history-day").blur();
        await shot("history-empty-day");
        await near.last().click();
        await page.waitForURL(`**/history?day=${addDays(today, -2)}`);
        await page.locator(".day-agent", { hasText: "Sign payloads" }).waitFor();
      });

      await step("a day's agent opens its feed, with its cost in the header", async () => {
        await page.goto(`${url}history?day=${day}`);
        await page.locator(`.day-agent[href="/agents/${session.id}"]`).click();
        await page.waitForURL(`**/agents/${session.id}`);
        const cost = page.locator(".agent-sub .agent-cost");
        await cost.waitFor();
        assert.match(await cost.innerText(), /^\$\d+\.\d\d · [\d.]+k tokens$/);
        assert.match(await cost.getAttribute("title") ?? "", /list-price estimate/);
        const sidebarCost = page.locator(`.agent-row[href="/agents/${session.id}"] .agent-cost`);
        assert.equal(await sidebarCost.innerText(), formatUsd(sessionUsd));
        // A turn's tokens are in its time's hover title.
        await page.locator(".card.k-text").first().waitFor();
        const stamp = page.locator(".card.k-text .stamp").first();
        await stamp.hover();
        assert.match(await stamp.getAttribute("title") ?? "", /tokens: .*output.*\(this turn\)/s);
      });

      await step("Ctrl-K opens search; results come as you type, grouped, marked", async () => {
        await page.keyboard.press("Control+k");
        await page.waitForURL("**/search");
        const box = page.locator("#search-box");
        await box.waitFor();
        // The box takes focus as the view mounts: wait for it rather than read it once.
        await page.waitForFunction(() => document.activeElement?.id === "search-box", null, {
          timeout: 30_000,
        });
        // A word half typed already finds the whole one (the last word matches as a prefix).
        await box.pressSequentially("succes", { delay: 30 });
        // A slow machine answers a shorter prefix first: wait for the answer to what is typed.
        await answered(page);
        assert.match(await page.locator(".hit mark").first().innerText(), /^success/i);
        await box.fill("");
        await box.pressSequentially("hoge.py", { delay: 20 });
        // As you type, an earlier prefix's results may show while the last query runs.
        await answered(page);
        await eventually(
          "two agents match, for the whole word",
          async () =>
            (await page.locator(".search-group").count()) >= 2 &&
            /matches in \d+ agents/.test(await page.locator("#search-status").innerText()),
        );
        const marks = await page.locator(".hit mark").allInnerTexts();
        assert.ok(marks.length > 0 && marks.every((m) => /hoge|py/i.test(m)), marks.join(","));
        // Snippets are text: marks are the only elements inside them.
        const tags = await page.locator(".hit-snippet *").evaluateAll((
          els,
        ) => [...new Set(els.map((el) => el.tagName))]);
        assert.deepEqual(tags, ["MARK"]);
        assert.equal(new URL(page.url()).searchParams.get("q"), "hoge.py");
        await screenshot(page, "search-results");
      });

      await step("a query the index cannot run is said calmly, inline", async () => {
        const box = page.locator("#search-box");
        await box.fill('"unbalanced');
        const status = page.locator("#search-status.err");
        await status.waitFor();
        assert.match(await status.innerText(), /unbalanced quote/);
        assert.equal(await page.locator(".hit").count(), 0);
        await screenshot(page, "search-error");
        await box.fill("hoge.py");
        await page.locator(".hit").first().waitFor();
      });

      await step("arrow keys choose a hit and Enter opens the feed at that event", async () => {
        await page.locator("body").click({ position: { x: 5, y: 5 } }).catch(() => {});
        await page.keyboard.press("/");
        assert.equal(await page.evaluate(() => document.activeElement?.id), "search-box");
        const prefix = `/agents/${session.id}#`;
        let href = "";
        for (let i = 0; i < 40 && !href.startsWith(prefix); i++) {
          await page.keyboard.press("ArrowDown");
          href = await page.locator('.hit[aria-selected="true"]').getAttribute("href") ?? "";
        }
        assert.ok(href.startsWith(prefix), `a hit in the session (${href})`);
        const cursor = href.slice(prefix.length);
        const activeId = await page.locator("#search-box").getAttribute("aria-activedescendant");
        assert.equal(
          await page.locator(`#${activeId}`).getAttribute("href"),
          href,
          "the box points screen readers at the chosen hit",
        );
        await screenshot(page, "search-chosen");
        await page.keyboard.press("Enter");
        await page.waitForURL(`**${href}`);
        const row = page.locator(".row.selected");
        await row.waitFor({ timeout: 30_000 });
        const key = await row.getAttribute("data-key");
        assert.ok(key === cursor || key?.startsWith(`${cursor}.`), `${key} is the event ${cursor}`);
        assert.match(await row.innerText(), /hoge\.py/);
        assert.ok(await inFeedView(page, ".row.selected"), "the event is scrolled into view");
        assert.equal(await page.locator(".agent-row[aria-current=page]").count(), 1);
        await screenshot(page, "search-opened-event");
        // Back returns to the same results.
        await page.goBack();
        await page.waitForURL("**/search?q=hoge.py");
        await page.locator(".hit").first().waitFor();
      });

      await step(
        "the rail shows the index's progress while it builds, nothing once ready",
        async () => {
          // The corpus indexes in a blink, so the building state is played to the page here, in the
          // server's own shapes (server/live/hub.ts), on a live connection of this tab's own: the
          // stream says hello and ends, the page subscribes (its request names the index's key),
          // and the stream it reopens carries a `progress` message on that key.
          const building = {
            state: "building",
            files: 1234,
            filesTotal: 5000,
            bytes: 1.2 * 1024 ** 3,
            bytesTotal: 3.4 * 1024 ** 3,
          };
          let indexKey: string | null = null;
          await page.addInitScript(() => sessionStorage.setItem("tailboard.live", "tab"));
          await page.route("**/api/live/*", async (r) => {
            const change = JSON.parse(r.request().postData() ?? "{}");
            for (const sub of change.add ?? []) if (sub.kind === "index") indexKey = sub.key;
            await r.fulfill({ json: { ok: true } });
          });
          await page.route("**/api/live", (r) =>
            r.fulfill({
              status: 200,
              headers: { "content-type": "text/event-stream" },
              body: indexKey
                ? `retry: 60000\ndata: ${
                  JSON.stringify({ k: indexKey, t: "progress", d: building })
                }\n\n`
                : `retry: 300\nevent: hello\ndata: {"conn":"played"}\n\n`,
            }));
          await page.goto(`${url}history?day=${day}`);
          const item = page.locator(".rail .index-progress");
          await item.waitFor();
          assert.equal(
            await item.innerText(),
            "indexing 1,234 / 5,000 files · 1.2 / 3.4 GB",
          );
          assert.equal(
            await item.locator("[role=progressbar]").getAttribute("aria-valuenow"),
            "35",
          );
          await page.locator(".hist-notice.info").waitFor();
          await shot("history-indexing");
          await page.unrouteAll();
          await page.goto(`${url}history?day=${day}`);
          await page.locator(".day-list .day-agent").first().waitFor();
          assert.equal(await item.count(), 0, "gone once the real index says ready");
        },
      );

      await step("light theme", async () => {
        await page.emulateMedia({ colorScheme: "light" });
        await page.goto(`${url}history?day=${day}`);
        await page.locator(".day-list .day-agent").first().waitFor();
        await shot("history-light");
        await page.goto(`${url}search?q=hoge.py`);
        await page.locator(".hit").first().waitFor();
        await screenshot(page, "search-light");
        await page.emulateMedia({ colorScheme: "dark" });
      });

      assert.deepEqual(
        browser.errors.filter((e) => !/Failed to load resource/.test(e)),
        [],
      );
    } finally {
      await daemon[Symbol.asyncDispose]();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
      await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    }
  },
});

browserTest({
  name: "with --no-history the pages say history is off, and the live views carry on",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "tailboard-e2e-nohistory-" });
    await Deno.copyFile(transcript(SESSION), `${dir}/session.jsonl`);
    const daemon = await spawnTailboard(
      [
        "--port",
        "0",
        "--no-default-sources",
        "--watch",
        dir,
        "--no-history",
        "--log-level",
        "warn",
      ],
      { program: [Deno.execPath(), "run", ...PERMISSIONS, MAIN], timeoutMs: 30_000 },
    );
    try {
      await using browser = await openBrowser();
      const { page } = browser;
      await page.goto(`${daemon.url}history`);
      await page.getByText("History is off.").waitFor();
      // The daemon's own reason, not a guess.
      await page.getByText("turned off in the settings (--no-history").first().waitFor();
      assert.equal(await page.locator(".cost-chart").count(), 0);
      await screenshot(page, "history-off");
      await page.keyboard.press("Control+k");
      await page.waitForURL("**/search");
      await page.getByText("Search is off.").waitFor();
      assert.equal(await page.locator("#search-box").isDisabled(), true);
      assert.equal(await page.locator(".rail .index-progress").count(), 0);
      await page.locator(".agent-row").first().click();
      await page.locator(".card.k-user").first().waitFor();
      assert.equal(await page.locator(".agent-sub .agent-cost").count(), 0, "no usage, no cost");
      assert.deepEqual(browser.errors.filter((e) => !/Failed to load resource/.test(e)), []);
    } finally {
      await daemon[Symbol.asyncDispose]();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
});
