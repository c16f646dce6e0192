/**
 * Who needs you, in the browser: the real daemon with `--running-window 5`
 * over a temp folder, headless Chromium with the notification permission
 * granted, and `window.Notification` wrapped so the test sees what it shows.
 */
import assert from "node:assert/strict";
import { browserTest, openBrowser, screenshot } from "../_harness/browser.ts";
import { spawnTailboard } from "../_harness/daemon.ts";

const SESSION = "3c1d5e7f-2a4b-4c6d-8e0f-1a2b3c4d5e6f";
const line = (value: Record<string, unknown>) => JSON.stringify(value) + "\n";
const base = () => ({
  timestamp: new Date().toISOString(),
  cwd: "/work/shop",
  sessionId: SESSION,
  uuid: crypto.randomUUID(),
});

browserTest({
  name: "a blocked agent needs you within 2 s, still does after the window, and notifies",
  async fn() {
    const home = await Deno.makeTempDir({ prefix: "tailboard-home-" });
    const dir = `${home}/watched`;
    await Deno.mkdir(dir);
    const file = `${dir}/${SESSION}.jsonl`;
    const start = () =>
      Deno.writeTextFile(
        file,
        line({
          ...base(),
          type: "user",
          message: { role: "user", content: "set up the database" },
        }) +
          line({
            ...base(),
            type: "assistant",
            message: {
              role: "assistant",
              model: "claude-opus-4-5",
              content: [{ type: "tool_use", id: "t1", name: "Bash", input: { command: "ls" } }],
              stop_reason: "tool_use",
            },
          }),
      );
    try {
      await using tb = await spawnTailboard([
        "--port",
        "0",
        "--no-default-sources",
        "--no-history",
        "--no-session-state",
        "--scheduler",
        "none",
        "--running-window",
        "5",
        "--watch",
        dir,
      ], { env: { HOME: home } });
      await using browser = await openBrowser();
      const { context, page } = browser;
      await context.grantPermissions(["notifications"], { origin: new URL(tb.url).origin });
      await context.addInitScript(() => {
        const Real = globalThis.Notification;
        const shown: { title: string; body?: string }[] = [];
        Object.defineProperty(globalThis, "__notifications", { value: shown });
        class Recorded extends Real {
          constructor(title: string, options?: NotificationOptions) {
            super(title, options);
            shown.push({ title, body: options?.body });
          }
        }
        globalThis.Notification = Recorded;
      });
      await page.goto(tb.url);
      await page.waitForSelector(".empty-home .sources li");
      const empty = await page.textContent(".empty-home") ?? "";
      assert.ok(empty.includes(dir), "the empty page says which folder is watched");
      assert.match(empty, /--watch PATH/);
      assert.match(empty, /tailboard demo/);
      // Written once the page is open: a loaded machine may take longer than
      // the 5 s window to start the browser, and a silent mid-turn file with
      // no process to ask would already be idle.
      await start();
      await page.waitForSelector(".overview.status-working .tile");
      assert.equal(await page.title(), "tailboard");
      const railText = () =>
        page.locator("header.rail").evaluate((el) => (el.textContent ?? "").replace(/\s+/g, " "));
      assert.match(await railText(), /1 working/);
      assert.doesNotMatch(await railText(), /need/, "nobody needs you yet");
      const notes = () =>
        page.evaluate(() =>
          (globalThis as unknown as { __notifications: { title: string }[] }).__notifications
        );
      assert.deepEqual(await notes(), [], "no burst on start-up");

      // The agent asks a question: it blocks on AskUserQuestion.
      await Deno.writeTextFile(
        file,
        line({
          ...base(),
          type: "user",
          message: {
            role: "user",
            content: [{ type: "tool_result", tool_use_id: "t1", content: "db/" }],
          },
        }) +
          line({
            ...base(),
            type: "assistant",
            message: {
              role: "assistant",
              model: "claude-opus-4-5",
              content: [{
                type: "tool_use",
                id: "q1",
                name: "AskUserQuestion",
                input: {
                  questions: [{
                    question: "Postgres or SQLite?",
                    header: "Database",
                    options: [{ label: "Postgres" }, { label: "SQLite" }],
                    multiSelect: false,
                  }],
                },
              }],
              stop_reason: "tool_use",
            },
          }),
        { append: true },
      );
      await page.waitForSelector(".overview.status-needs-you .tile", { timeout: 30_000 });
      assert.match(
        await page.textContent(".overview.status-needs-you .tile") ?? "",
        /asking you a question/,
      );
      await page.waitForFunction(() => document.title === "(1) tailboard", null, {
        timeout: 30_000,
      });
      await page.waitForSelector(".agent-row.status-needs-you");
      await page.waitForFunction(
        () =>
          (globalThis as unknown as { __notifications: unknown[] }).__notifications.length === 1,
        null,
        { timeout: 30_000 },
      );
      const [note] = await notes();
      assert.match(note?.title ?? "", /^Needs you: set up the database/);
      await screenshot(page, "status-needs-you");

      // Past the 5 s running window, it still needs you.
      await new Promise((r) => setTimeout(r, 6500));
      assert.equal(
        await page.evaluate(() =>
          document.querySelectorAll(".overview.status-needs-you .tile").length
        ),
        1,
      );
      assert.equal(await page.title(), "(1) tailboard");
      assert.equal((await notes()).length, 1, "a status that holds does not notify again");
      // The rail counts by status, not by how recently the file changed.
      assert.match(await railText(), /1 needs you/);
      assert.match(await railText(), /0 working/);

      // The favicon carries the count.
      const icon = await page.getAttribute("link[rel=icon]", "href");
      assert.match(decodeURIComponent(icon ?? ""), />1<\/text>/);
      assert.deepEqual(browser.errors, []);
    } finally {
      await Deno.remove(home, { recursive: true }).catch(() => {});
    }
  },
});
