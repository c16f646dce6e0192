/**
 * The UI end to end: the real daemon (`main.ts` as a subprocess, with the
 * permissions `deno task start` grants) on a temp folder holding real
 * transcripts from tests/fixtures/transcripts/, driven by headless Chromium.
 * Screenshots land in test-artifacts/ui/.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { browserTest, openBrowser, screenshot, stepWithScreenshot } from "../_harness/browser.ts";
import { transcript } from "../_harness/corpus.ts";
import { spawnTailboard, START_PERMISSIONS, type TailboardProcess } from "../_harness/daemon.ts";

const REAL_SESSION = "agtrace/7f2abd2d-7cfc-4447-9ddd-3ca8d14e02e9.jsonl";

/** Starts `main.ts` on `port` (0: any free one) watching `dir`; resolves once it answers. */
function startDaemon(dir: string, port = 0): Promise<TailboardProcess> {
  return spawnTailboard(
    [
      "--port",
      String(port),
      "--no-default-sources",
      "--no-history",
      "--watch",
      dir,
      "--log-level",
      "warn",
    ],
    { permissions: [...START_PERMISSIONS], timeoutMs: 30_000 },
  );
}

/* ---------- transcript lines in Claude Code's shape ---------- */

let clock = Date.parse("2025-12-16T09:00:00Z");
const base = () => ({
  uuid: crypto.randomUUID(),
  timestamp: new Date(clock += 1500).toISOString(),
  cwd: "/work/demo",
  sessionId: "e2e",
});
const line = (o: unknown) => JSON.stringify(o) + "\n";
const user = (text: string) =>
  line({ ...base(), type: "user", message: { role: "user", content: text } });
const assistant = (...content: unknown[]) =>
  line({
    ...base(),
    type: "assistant",
    message: { role: "assistant", model: "claude-sonnet-4-5-20250929", content },
  });
const text = (t: string) => ({ type: "text", text: t });
const toolUse = (id: string, name: string, input: unknown) => ({
  type: "tool_use",
  id,
  name,
  input,
});
const toolResult = (id: string, content: string, isError = false, toolUseResult?: unknown) =>
  line({
    ...base(),
    type: "user",
    message: {
      role: "user",
      content: [{ type: "tool_result", tool_use_id: id, content, is_error: isError }],
    },
    ...(toolUseResult ? { toolUseResult } : {}),
  });

/** A long, varied session: prompts, prose, Bash calls with results, an edit. */
function longSession(turns: number): string {
  let out = user("Let's build the importer. Start with the parser.");
  for (let i = 1; i <= turns; i++) {
    const id = `toolu_${i}`;
    out += assistant(
      text(`Step ${i}: checking the **importer** state, then running \`deno test\`.`),
      toolUse(id, "Bash", {
        command: `deno test tests/step_${i}_test.ts`,
        description: `Run step ${i} tests`,
      }),
    );
    out += toolResult(id, `running 3 tests\nok | 3 passed | 0 failed (${i}ms)`, false, {
      stdout: `running 3 tests\nok | 3 passed | 0 failed (${i}ms)`,
      stderr: "",
      interrupted: false,
    });
    if (i % 10 === 0) out += user(`Checkpoint ${i}: looks good, keep going.`);
  }
  return out;
}

const HOSTILE = {
  title: `Check <script>window.__pwned = "title"</script> the page`,
  img: `<img src=x onerror="window.__pwned = 'img'">`,
  link: "[click me](javascript:window.__pwned='link')",
  raw:
    `<a href="javascript:window.__pwned='raw'">raw link</a> and <iframe src="javascript:alert(1)"></iframe>`,
};

function hostileSession(): string {
  return user(HOSTILE.title) +
    assistant(
      text(`Here is an image: ${HOSTILE.img}\n\nAnd a link: ${HOSTILE.link}\n\n${HOSTILE.raw}`),
    ) +
    assistant(
      toolUse("toolu_h", "Bash", { command: `echo '<script>window.__pwned="cmd"</script>'` }),
    ) +
    toolResult("toolu_h", `<script>window.__pwned="result"</script><b>bold?</b>`);
}

/* ---------- page helpers ---------- */

async function agentIdFor(url: string, file: string): Promise<string> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const res = await fetch(`${url}api/agents`);
    const { agents } = await res.json() as { agents: { id: string; path: string }[] };
    const hit = agents.find((a) => a.path.endsWith(`/${file}`));
    if (hit) return hit.id;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${file} never listed`);
}

const feedText = (page: Page) => page.locator(".feed-spacer").innerText();
const selectedKey = (page: Page) => page.locator(".row.selected").getAttribute("data-key");

/** Scrolls the feed like a reader would (wheel), so it counts as the user's scroll. */
async function wheelUp(page: Page, px: number) {
  const box = (await page.locator(".feed-scroll").boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -px);
  // Wheel scrolling is animated: wait until it settles.
  let last = -1;
  for (let i = 0; i < 40; i++) {
    await page.waitForTimeout(60);
    const top = await page.locator(".feed-scroll").evaluate((el) => el.scrollTop);
    if (top === last) return;
    last = top;
  }
}

browserTest({
  name: "the UI shows live agents with typed cards, safely, in headless Chromium",
  // playwright-core keeps its browser pipe and timers between steps; the daemon is a subprocess we stop ourselves.
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "tailboard-e2e-" });
    const sessionFile = "session-7f2abd2d.jsonl";
    await Deno.writeTextFile(
      `${dir}/${sessionFile}`,
      await Deno.readTextFile(transcript(REAL_SESSION)),
    );
    await Deno.writeTextFile(`${dir}/hostile.jsonl`, hostileSession());
    const long = longSession(170); // about 520 lines: more than the first tail of 300
    await Deno.writeTextFile(`${dir}/long.jsonl`, long);
    await Deno.writeTextFile(
      `${dir}/build.output`,
      "Building…\n\x1b[32m✓\x1b[0m compiled 42 modules\n  FAIL tail resumes after truncation\n",
    );

    let daemon = await startDaemon(dir);
    await using browser = await openBrowser();
    const { page } = browser;
    let dialogs = 0;
    page.on("dialog", (d) => {
      dialogs++;
      void d.dismiss();
    });
    const step = stepWithScreenshot(t, page, "");
    try {
      const sessionId = await agentIdFor(daemon.url, sessionFile);
      const longId = await agentIdFor(daemon.url, "long.jsonl");
      const hostileId = await agentIdFor(daemon.url, "hostile.jsonl");

      await step("the agent list shows every transcript", async () => {
        await page.goto(daemon.url);
        await page.locator(".agent-row").first().waitFor();
        assert.equal(await page.locator(".agent-row").count(), 4);
        await page.locator(".agent-row", { hasText: "add myapp directory" }).waitFor();
        // The overview's heading counts, by status, what /api/agents says.
        const { agents } = await (await fetch(`${daemon.url}api/agents`)).json();
        const count = (kind: string) =>
          agents.filter((a: { status: { kind: string } }) => a.status.kind === kind).length;
        const needs = count("needs-you");
        assert.equal(
          await page.locator("h1").innerText(),
          needs > 0
            ? `${needs} ${needs === 1 ? "agent needs" : "agents need"} you`
            : count("working") > 0
            ? `${count("working")} working`
            : "All quiet",
        );
        await screenshot(page, "01-home");
      });

      await step("clicking an agent opens its feed of typed cards", async () => {
        await page.locator(".agent-row", { hasText: "add myapp directory" }).click();
        await page.waitForURL(`**/agents/${sessionId}`);
        await page.locator(".card.k-user").first().waitFor();
        await page.locator(".card.k-tool").first().waitFor();
        assert.ok(await page.locator(".card.k-thinking").count() > 0, "thinking cards");
        assert.ok(
          await page.locator(".k-tool.is-error").count() > 0,
          "the failed Bash call is red",
        );
        assert.ok(await page.locator(".status.ok").count() > 0, "the good Bash call has a check");
        assert.ok(await page.locator(".quiet").count() > 0, "bookkeeping lines are quiet");
        // Thinking is collapsed; one click opens it.
        const thinking = page.locator(".k-thinking .disclosure").first();
        assert.equal(await thinking.getAttribute("aria-expanded"), "false");
        await thinking.click();
        assert.equal(await thinking.getAttribute("aria-expanded"), "true");
        await page.locator(".k-thinking .thinking-text").first().waitFor();
        assert.deepEqual(browser.errors, []);
        await screenshot(page, "02-session");
      });

      await step("appended lines appear while following", async () => {
        await page.keyboard.press("G"); // back to the bottom, following (opening a card above stopped it)
        assert.equal(
          await page.getByRole("button", { name: /Following/ }).getAttribute("aria-pressed"),
          "true",
        );
        const marker = `Fresh line ${crypto.randomUUID()}`;
        await Deno.writeTextFile(`${dir}/${sessionFile}`, assistant(text(`**${marker}**`)), {
          append: true,
        });
        // How fast is bench/'s to measure (bench/ui.ts); here it only has to come.
        await page.getByText(marker).waitFor({ timeout: 30_000 });
        // Following: the new card is in view at the bottom.
        assert.ok(await page.getByText(marker).isVisible());
        assert.equal(
          await page.getByRole("button", { name: /Following/ }).getAttribute("aria-pressed"),
          "true",
        );
      });

      await step("j and k move the selection between cards", async () => {
        await page.locator("body").click({ position: { x: 5, y: 5 } }).catch(() => {});
        await page.keyboard.press("Escape");
        await page.keyboard.press("k");
        const first = await selectedKey(page);
        assert.ok(first, "k selects the last visible card");
        await page.keyboard.press("k");
        const second = await selectedKey(page);
        assert.notEqual(second, first);
        await page.keyboard.press("j");
        assert.equal(await selectedKey(page), first);
        const focused = await page.evaluate(() => document.activeElement?.getAttribute("data-key"));
        assert.equal(focused, first, "the selected card has focus");
        assert.match(page.url(), /#\d+$/, "the URL deep-links the selected card");
        await page.keyboard.press("o");
        await screenshot(page, "03-selected");
      });

      await step("plain task output reads as a monospace log without escape codes", async () => {
        await page.locator(".agent-row", { hasText: "build.output" }).click();
        await page.locator(".log").nth(2).waitFor();
        assert.deepEqual(await page.locator(".log-text").allInnerTexts(), [
          "Building…",
          "✓ compiled 42 modules",
          "  FAIL tail resumes after truncation",
        ]);
        const font = await page.locator(".log").first().evaluate((el) =>
          getComputedStyle(el).fontFamily
        );
        assert.match(font, /mono/i);
      });

      await step("hostile HTML in a transcript renders as text and never runs", async () => {
        await page.goto(`${daemon.url}agents/${hostileId}`);
        await page.locator(".card.k-text").first().waitFor();
        await page.locator(".k-tool .status").first().waitFor();
        const shown = await feedText(page);
        for (
          const snippet of [
            "<script>window.__pwned",
            HOSTILE.img,
            "click me",
            "<iframe",
            "<b>bold?</b>",
          ]
        ) {
          assert.ok(shown.includes(snippet), `shows ${snippet} as text`);
        }
        const sidebar = await page.locator(".sidebar").innerText();
        assert.ok(sidebar.includes("<script>"), "the title stays text in the sidebar too");
        const found = await page.evaluate(() => ({
          pwned: (window as unknown as { __pwned?: string }).__pwned ?? null,
          elements:
            document.querySelectorAll("#app script, #app img, #app iframe, #app object, #app embed")
              .length,
          jsLinks: [...document.querySelectorAll("a[href]")].filter((a) =>
            /^\s*javascript:/i.test(a.getAttribute("href") ?? "")
          ).length,
          handlers: [...document.querySelectorAll("#app *")].filter((el) =>
            [...el.attributes].some((a) =>
              a.name.startsWith("on")
            )
          ).length,
        }));
        assert.deepEqual(found, { pwned: null, elements: 0, jsLinks: 0, handlers: 0 });
        await page.getByText("click me").click();
        await page.waitForTimeout(200);
        assert.equal(
          await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned ?? null),
          null,
        );
        assert.equal(dialogs, 0);
        assert.equal(
          new URL(page.url()).pathname,
          `/agents/${hostileId}`,
          "clicking the fake link went nowhere",
        );
        await screenshot(page, "04-hostile");
      });

      await step("scrolled up, new events show a pill instead of moving the view", async () => {
        await page.goto(`${daemon.url}agents/${longId}`);
        await page.getByText("Step 170:").waitFor();
        await wheelUp(page, 1500);
        const before = await page.locator(".feed-scroll").evaluate((el) => el.scrollTop);
        await Deno.writeTextFile(
          `${dir}/long.jsonl`,
          assistant(text("Pill one")) + assistant(text("Pill two")) + assistant(text("Pill three")),
          { append: true },
        );
        const pill = page.locator(".new-pill");
        await pill.waitFor({ timeout: 30_000 });
        assert.match(await pill.innerText(), /3 new events/);
        const after = await page.locator(".feed-scroll").evaluate((el) => el.scrollTop);
        assert.ok(Math.abs(after - before) < 2, `the view stayed put (${before} → ${after})`);
        await screenshot(page, "05-new-events-pill");
        await pill.click();
        await page.getByText("Pill three").waitFor();
        assert.ok(await page.getByText("Pill three").isVisible());
        await pill.waitFor({ state: "detached" });
      });

      await step("the feed stays windowed and pages back to the start", async () => {
        const rows = await page.locator(".feed-spacer .row").count();
        assert.ok(rows < 120, `${rows} cards in the DOM for ~500 loaded`);
        await page.keyboard.press("g");
        for (let i = 0; i < 20 && !(await page.getByText("start of transcript").isVisible()); i++) {
          await page.keyboard.press("g");
          await page.waitForTimeout(150);
        }
        await page.locator(".k-user", { hasText: "Let's build the importer" }).waitFor();
        assert.ok(await page.getByText("start of transcript").isVisible());
        const count = await page.locator(".feed-spacer .row").count();
        assert.ok(count < 120, `${count} cards in the DOM`);
        await screenshot(page, "06-start-of-transcript");
      });

      await step("a deep link to an old card survives a reload", async () => {
        // The card for "Step 20" sits before the first page of 300 events: the page has to scroll back for it.
        const lines = long.split("\n");
        const index = lines.findIndex((l) => l.includes("Step 20:"));
        const cursor = new TextEncoder().encode(lines.slice(0, index + 1).join("\n") + "\n").length;
        await page.goto(`${daemon.url}agents/${longId}#${cursor}`);
        await page.reload();
        const row = page.locator(".row.selected");
        await row.waitFor({ timeout: 30_000 });
        assert.match(await row.innerText(), /Step 20:/);
        assert.ok(await row.isVisible());
        assert.equal(await page.locator(".agent-row[aria-current=page]").count(), 1);
        assert.equal(await page.locator(".new-pill").count(), 0, "history is not 'new events'");
        await screenshot(page, "07-deep-link");
      });

      await step("/ filters agents, J/K switch agents, ? shows the keys", async () => {
        await page.keyboard.press("/");
        await page.keyboard.type("check page");
        assert.equal(await page.locator(".agent-row").count(), 1);
        await page.keyboard.press("Escape");
        assert.equal(await page.locator(".agent-row").count(), 4);
        await page.keyboard.press("Escape"); // leaves the filter box
        const start = page.url();
        await page.keyboard.press("J");
        await page.waitForURL((u) => u.href !== start);
        await page.keyboard.press("K");
        await page.waitForURL((u) => u.href.split("#")[0] === start.split("#")[0]);
        await page.keyboard.press("?");
        await page.locator("dialog.help[open]").waitFor();
        await screenshot(page, "08-help");
        await page.keyboard.press("Escape");
        await page.locator("dialog.help[open]").waitFor({ state: "detached" });
      });

      await t.step(
        "a dropped connection shows 'reconnecting' and resumes without gaps or repeats",
        async () => {
          await page.goto(`${daemon.url}agents/${sessionId}`);
          await page.locator(".card.k-user").first().waitFor();
          const port = daemon.port;
          await daemon.stop();
          await page.locator(".rail .conn").waitFor({ timeout: 30_000 });
          assert.match(await page.locator(".rail .conn").innerText(), /reconnecting/);
          await screenshot(page, "09-reconnecting");
          const missed = `Written while the daemon was down ${crypto.randomUUID()}`;
          await Deno.writeTextFile(`${dir}/${sessionFile}`, assistant(text(missed)), {
            append: true,
          });
          daemon = await startDaemon(dir, port);
          await page.getByText(missed).waitFor({ timeout: 15_000 });
          await page.locator(".rail .conn").waitFor({ state: "detached", timeout: 15_000 });
          const shown = await feedText(page);
          assert.equal(shown.split(missed).length - 1, 1, "shown exactly once");
          assert.equal(shown.split("Fresh line").length - 1, 1, "nothing from before came twice");
        },
      );

      await step("light theme and reduced motion", async () => {
        await page.emulateMedia({ colorScheme: "light", reducedMotion: "reduce" });
        await page.goto(`${daemon.url}agents/${longId}`);
        await page.getByText("Pill three").waitFor();
        const animation = await page.locator(".agent-row .dot").first().evaluate((el) =>
          getComputedStyle(el).animationName
        );
        assert.equal(animation, "none");
        await screenshot(page, "10-light");
        await page.emulateMedia({ colorScheme: "dark", reducedMotion: "no-preference" });
      });

      assert.deepEqual(
        browser.errors.filter((e) => !/ERR_CONNECTION_REFUSED|Failed to load resource/.test(e)),
        [],
      );
    } finally {
      await daemon.stop();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
});
