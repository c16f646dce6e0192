/**
 * The scheduler views end to end: the real daemon (`main.ts` as a subprocess)
 * polls the fake `launchctl` from tests/fixtures/bin (first on PATH) and reads
 * plists from a temp HOME's Library/LaunchAgents; headless Chromium shows
 * /scheduler and /sessions. The test flips a job to running through the
 * fake's state dir, appends to its logs, and breaks launchctl, watching the
 * page follow each change. Screenshots land in test-artifacts/ui/.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { browserTest, openBrowser, screenshot } from "../_harness/browser.ts";
import { countdown } from "../../ui/views/job_table.js";
import { claudeLine, DIGEST, ESC, listing, startWorld, TRIAGE } from "./_launchd_world.ts";

/**
 * A bound on waiting for a change to show, generous for a loaded machine; how
 * fast it shows is measured in bench/ui.ts, not asserted here.
 */
const WITHIN_MS = 30_000;

/* ---------- page helpers ---------- */

const row = (page: Page, label: string) =>
  page.locator(`tr.sched-row:has(.job-label[title="${label}"])`);
const card = (page: Page, label: string) =>
  page.locator(`article.sess:has(.sess-title[title="${label}"])`);

/** The status rail's text on one line. */
const railText = (page: Page) =>
  page.locator("header.rail").evaluate((el) => (el.textContent ?? "").replace(/\s+/g, " "));

/** Milliseconds until `check` holds, failing after `ms`. */
async function within(ms: number, what: string, check: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > ms) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return Date.now() - started;
}

/** The browser errors a test did not cause on purpose (404s of logs not written yet are expected). */
function unexpected(errors: string[]): string[] {
  return errors.filter((e) => !/404|Not Found|MIME type \("application\/json"\)/.test(e));
}

browserTest({
  name: "the scheduler and sessions views follow launchd jobs live in headless Chromium",
  // playwright-core keeps its browser pipe and timers between steps; the daemon is a subprocess we stop ourselves.
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    await using world = await startWorld();
    await using browser = await openBrowser();
    const { page } = browser;

    await t.step(
      "the scheduler table lists every job with its state, exit and schedule",
      async () => {
        await page.goto(`${world.url}scheduler`);
        await page.locator("tr.sched-row").nth(7).waitFor();
        const labels = await page.locator("tr.sched-row .job-label").evaluateAll((els) =>
          els.map((el) => el.getAttribute("title"))
        );
        assert.deepEqual(labels, [
          "com.example.agent-watch",
          "com.example.backup",
          DIGEST,
          "com.example.claude-review",
          TRIAGE,
          "com.example.codex-nightly",
          "com.example.disabled-agent",
          "com.example.old-claude",
        ]);
        const states = await page.locator("tr.sched-row .state-chip").allInnerTexts();
        assert.deepEqual(states.map((s) => s.replace(/\s+/g, " ")), [
          "running PID 80211",
          "loaded · idle",
          "loaded · idle",
          "loaded · idle",
          "loaded · idle",
          "loaded · idle",
          "disabled",
          "not loaded",
        ]);
        assert.match(
          await row(page, "com.example.agent-watch").getAttribute("class") ?? "",
          /s-running/,
        );
        assert.doesNotMatch(await row(page, DIGEST).getAttribute("class") ?? "", /s-running/);

        // A non-zero last exit is red; success is not.
        const codexExit = row(page, "com.example.codex-nightly").locator("td.c-exit");
        assert.equal((await codexExit.innerText()).trim(), "exit 1");
        assert.match(await codexExit.getAttribute("class") ?? "", /\bfail\b/);
        const red = await codexExit.evaluate((el) => getComputedStyle(el).color);
        assert.equal(red, "rgb(255, 123, 123)");
        assert.doesNotMatch(
          await row(page, "com.example.claude-review").locator("td.c-exit").getAttribute("class") ??
            "",
          /\bfail\b/,
        );

        assert.equal(
          (await row(page, "com.example.claude-review").locator("td.c-sched").innerText()).trim(),
          "every weekday at 09:30",
        );
        assert.match(await row(page, DIGEST).locator("td.c-next").innerText(), /\d\d:\d\d\s+in \d/);
        assert.match(await row(page, DIGEST).locator("td.c-log").innerText(), /digest\.log/);

        // The rail: jobs running/total and the next fire, ticking.
        const rail = page.locator("header.rail");
        await within(
          WITHIN_MS,
          "rail job count",
          async () => /1\/8 jobs running/.test(await railText(page)),
        );
        // Next fire: the job the server names, counting down to its time.
        const { summary } = await (await fetch(`${world.url}api/jobs`)).json();
        assert.equal(summary.next.label, "com.example.codex-nightly");
        assert.match(await railText(page), /next codex-nightly in \d/);
        const left = Date.parse(summary.next.at) - Date.now();
        const shown = await rail.locator(".rail-countdown").innerText();
        assert.ok(
          [left - 60_000, left, left + 60_000].map(countdown).includes(shown),
          `${shown} is about ${countdown(left)}`,
        );
        await screenshot(page, "scheduler-table");
      },
    );

    await t.step(
      "headers sort by click and by keyboard; the filter narrows and Escape clears it",
      async () => {
        const firstLabel = () =>
          page.locator("tr.sched-row .job-label").first().getAttribute("title");
        await page.locator("thead th.c-state button").click();
        assert.equal(await page.locator("thead th.c-state").getAttribute("aria-sort"), "ascending");
        assert.equal(await firstLabel(), "com.example.agent-watch", "running sorts first");
        await page.locator("thead th.c-state button").click();
        assert.equal(
          await page.locator("thead th.c-state").getAttribute("aria-sort"),
          "descending",
        );
        assert.equal(await firstLabel(), "com.example.disabled-agent", "disabled sorts last");

        await page.locator("thead th.c-label button").focus();
        await page.keyboard.press("Enter");
        assert.equal(await page.locator("thead th.c-label").getAttribute("aria-sort"), "ascending");
        await page.keyboard.press("Space");
        assert.equal(
          await page.locator("thead th.c-label").getAttribute("aria-sort"),
          "descending",
        );
        assert.equal(await firstLabel(), "com.example.old-claude");
        await page.keyboard.press("Enter");
        assert.equal(await firstLabel(), "com.example.agent-watch");

        // `/` focuses this page's filter, not the sidebar's.
        await page.locator("body").click({ position: { x: 900, y: 700 } });
        await page.keyboard.press("/");
        assert.equal(await page.evaluate(() => document.activeElement?.id), "job-filter");
        await page.keyboard.type("claude weekday");
        await within(
          1000,
          "filtered rows",
          async () => (await page.locator("tr.sched-row").count()) === 2,
        );
        assert.match(await page.locator(".jobs-count").innerText(), /2 of 8/);
        await page.keyboard.press("Escape");
        await within(
          1000,
          "unfiltered rows",
          async () => (await page.locator("tr.sched-row").count()) === 8,
        );
      },
    );

    await t.step("a job that starts running lights up its row within a poll", async () => {
      const digest = row(page, DIGEST);
      await Deno.writeTextFile(
        join(world.state, "list.txt"),
        listing({ [DIGEST]: "4242", [TRIAGE]: "-" }),
      );
      const took = await within(
        WITHIN_MS,
        "the running row",
        async () => /s-running/.test(await digest.getAttribute("class") ?? ""),
      );
      console.log(`  row highlighted ${took} ms after the state changed`);
      assert.match(
        (await digest.locator(".state-chip").innerText()).replace(/\s+/g, " "),
        /running PID 4242/,
      );
      // It flashes once as it starts; a job already running when the page loaded does not.
      assert.match(await digest.getAttribute("class") ?? "", /\blit\b/);
      assert.doesNotMatch(
        await row(page, "com.example.agent-watch").getAttribute("class") ?? "",
        /\blit\b/,
      );
      const bg = await digest.evaluate((el) => getComputedStyle(el).backgroundColor);
      assert.notEqual(bg, "rgba(0, 0, 0, 0)", "running rows are highlighted");
      await within(
        WITHIN_MS,
        "rail count",
        async () => /2\/8 jobs running/.test(await railText(page)),
      );
      await page.waitForTimeout(1900); // let the highlight's flash settle for the picture
      await screenshot(page, "scheduler-running");
    });

    await t.step(
      "sessions cards tail their logs: ANSI colours, stderr in red, typed JSONL",
      async () => {
        await page.locator('.view-nav a[href="/sessions"]').click();
        await page.waitForURL(/\/sessions$/);
        await page.locator("article.sess").nth(2).waitFor();
        assert.equal(await page.locator("article.sess").count(), 3, "one card per selected job");

        const digest = card(page, DIGEST);
        assert.match(await digest.getAttribute("class") ?? "", /s-running/);
        await digest.locator(".ansi-line", { hasText: "summarised 14 threads" }).waitFor();
        const tick = digest.locator(".ansi-line span.ansi-fg-2", { hasText: "✔" });
        assert.equal(await tick.evaluate((el) => getComputedStyle(el).color), "rgb(63, 185, 80)");
        const shownLog = await digest.locator(".sess-scroll").innerText();
        assert.ok(!shownLog.includes(ESC) && !shownLog.includes("[0m"), "no escape codes shown");

        // New output, with colours, shows within a poll.
        await Deno.writeTextFile(
          world.digestLog,
          `${ESC}[38;5;208m→${ESC}[0m drafting replies ${ESC}[1;36m(2)${ESC}[0m\n`,
          { append: true },
        );
        const took = await within(
          WITHIN_MS,
          "the new log line",
          async () =>
            (await digest.locator(".ansi-line", { hasText: "drafting replies" }).count()) === 1,
        );
        console.log(`  log line shown ${took} ms after it was written`);
        const line = digest.locator(".ansi-line", { hasText: "drafting replies" });
        assert.equal(
          await line.locator("span", { hasText: "→" }).evaluate((el) => getComputedStyle(el).color),
          "rgb(255, 135, 0)",
        );
        assert.equal(
          await line.locator("span", { hasText: "(2)" }).getAttribute("class"),
          "ansi-fg-6 ansi-bold",
        );

        // stderr is another file: its own pane, in red, appearing once written.
        await Deno.writeTextFile(world.digestErr, "warning: 1 thread skipped (rate limited)\n");
        const errLine = digest.locator(".sess-log.is-err .ansi-line", { hasText: "rate limited" });
        await within(
          3000 + WITHIN_MS,
          "the stderr line",
          async () => (await errLine.count()) === 1,
        );
        assert.equal(
          await errLine.evaluate((el) => getComputedStyle(el).color),
          "rgb(255, 123, 123)",
        );

        // A Claude Code JSONL log renders as the feed's typed cards, growing live.
        const triage = card(page, TRIAGE);
        await triage.locator(".card.k-text", { hasText: "3 new issues" }).waitFor();
        assert.equal(
          await triage.locator(".sess-log").count(),
          1,
          "stderr is the same file: one pane",
        );
        await Deno.writeTextFile(world.triageLog, claudeLine("Opened a draft fix for **#412**."), {
          append: true,
        });
        await within(
          WITHIN_MS,
          "the new typed card",
          async () =>
            (await triage.locator(".card.k-text", { hasText: "draft fix" }).count()) === 1,
        );
        assert.equal(await triage.locator(".card.k-text strong", { hasText: "#412" }).count(), 1);

        // A log that does not exist yet says so quietly.
        const review = card(page, "com.example.claude-review");
        await within(
          5000,
          "the waiting note",
          async () => /No log file yet/.test(await review.locator(".sess-log").first().innerText()),
        );
        await screenshot(page, "sessions-grid");
      },
    );

    await t.step("/sessions#job-<id> from the scheduler's log link reveals that card", async () => {
      await page.locator('.view-nav a[href="/scheduler"]').click();
      await row(page, TRIAGE).locator("a.to-session").click();
      await page.waitForURL(/\/sessions#job-/);
      await within(
        2000,
        "the revealed card",
        async () =>
          await page.evaluate(() => document.activeElement?.classList.contains("sess") ?? false),
      );
      assert.match(await page.evaluate(() => document.activeElement?.id ?? ""), /^job-j/);
    });

    await t.step("a failing launchctl is said plainly on both pages, and recovers", async () => {
      await Deno.writeTextFile(join(world.state, "mode"), "fail");
      const notice = page.locator(".jobs-notice[role=alert]");
      await within(WITHIN_MS, "the error notice", async () => (await notice.count()) === 1);
      const said = await notice.innerText();
      assert.match(said, /Cannot read launchd/);
      assert.match(said, /launchctl list failed \(exit 5\): Could not enumerate services/);
      assert.match(said, /as last seen/);
      assert.match(await railText(page), /scheduler unavailable/);
      // The cards stay, with their logs.
      assert.equal(await page.locator("article.sess").count(), 3);
      await screenshot(page, "sessions-launchctl-failing");

      await page.locator('.view-nav a[href="/scheduler"]').click();
      await page.locator(".jobs-notice[role=alert]").waitFor();
      await screenshot(page, "scheduler-launchctl-failing");

      await Deno.writeTextFile(join(world.state, "mode"), "ok");
      await within(WITHIN_MS, "the notice to go", async () => (await notice.count()) === 0);
      assert.match(await railText(page), /2\/8 jobs running/);
    });

    await t.step("light theme: ANSI colours switch to the light palette", async () => {
      await page.emulateMedia({ colorScheme: "light" });
      await page.locator('.view-nav a[href="/sessions"]').click();
      const tick = card(page, DIGEST).locator(".ansi-line span.ansi-fg-2", { hasText: "✔" });
      await tick.waitFor();
      assert.equal(await tick.evaluate((el) => getComputedStyle(el).color), "rgb(17, 99, 41)");
      await screenshot(page, "sessions-light");
      await page.locator('.view-nav a[href="/scheduler"]').click();
      await page.locator("tr.sched-row").first().waitFor();
      await screenshot(page, "scheduler-light");
      await page.emulateMedia({ colorScheme: "dark" });
    });

    await t.step("the page logged no errors of its own", () => {
      assert.deepEqual(unexpected(browser.errors), []);
    });
  },
});
