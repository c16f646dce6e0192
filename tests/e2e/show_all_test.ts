/**
 * "Show all" on what one answer cannot hold, in real Chromium: a 10 MB line
 * (clamped in the stream) and a tool result Claude Code spilled to
 * `<session>/tool-results/`. Each loads a page at a time, never two
 * requests at once, each answer under 4 MiB, until the whole text is on the
 * page, as text: markup in it is never run.
 */
import assert from "node:assert/strict";
import type { Page, Request } from "playwright-core";
import { browserTest, openBrowser, screenshot } from "../_harness/browser.ts";
import { spawnTailboard } from "../_harness/daemon.ts";

const MiB = 1024 * 1024;
const SESSION = "d6b2f3a4-5c6d-4e7f-8a90-9203b4c5d6e7";
const HOSTILE = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>`;

let clock = Date.parse("2026-03-02T09:00:00Z");
const line = (o: Record<string, unknown>) =>
  JSON.stringify({
    uuid: crypto.randomUUID(),
    timestamp: new Date(clock += 2000).toISOString(),
    cwd: "/work/pages",
    sessionId: SESSION,
    ...o,
  }) + "\n";

/** About 10 MB of prose that ends in words no page but the last holds. */
function hugeText(): string {
  const para = `${HOSTILE} all work and no play makes a long line. `.repeat(20) + "\n\n";
  return para.repeat(Math.ceil((10 * MiB) / para.length)) + "THE VERY END OF THE HUGE LINE";
}

/** About 5 MB of spilled command output. */
function spillText(): string {
  const rows: string[] = [];
  for (let i = 0; rows.length * 40 < 5 * MiB; i++) {
    rows.push(`test ${i} ok ${HOSTILE.slice(0, 20)}`);
  }
  return rows.join("\n") + "\nLAST LINE OF THE SPILL\n";
}

async function agentIdFor(url: string, suffix: string): Promise<string> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const { agents } = await (await fetch(`${url}api/agents`)).json() as {
      agents: { id: string; path: string }[];
    };
    const hit = agents.find((a) => a.path.endsWith(suffix));
    if (hit) return hit.id;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${suffix} never listed`);
}

/** Every `/line` request the page makes: its URL, answer size, and how many were open at once. */
function watchLineRequests(page: Page) {
  const seen: { url: URL; bytes: number }[] = [];
  let open = 0;
  let mostOpen = 0;
  const isLine = (r: Request) => new URL(r.url()).pathname.endsWith("/line");
  page.on("request", (r) => {
    if (!isLine(r)) return;
    open++;
    mostOpen = Math.max(mostOpen, open);
  });
  page.on("requestfinished", async (r) => {
    if (!isLine(r)) return;
    const body = await (await r.response())?.body();
    seen.push({ url: new URL(r.url()), bytes: body?.length ?? 0 });
    open--;
  });
  page.on("requestfailed", (r) => {
    if (isLine(r)) open--;
  });
  return { seen, mostOpen: () => mostOpen };
}

/** Presses "load more" in `scope` until the whole text is there; returns the presses. */
async function loadAll(page: Page, scope: string): Promise<number> {
  const pages = page.locator(`${scope} .line-pages`);
  await pages.waitFor({ timeout: 120_000 });
  // Settled: no page on the way (the status says loading only before the first).
  const settled = async () =>
    await page.waitForFunction(
      (el) =>
        el !== null && el.querySelector(".load-more[disabled]") === null &&
        !/loading/.test(el.querySelector(".pages-status")?.textContent ?? ""),
      await pages.elementHandle(),
      { timeout: 120_000 },
    );
  let presses = 0;
  for (;;) {
    await settled();
    const more = pages.locator(".load-more");
    if (await more.count() === 0) return presses;
    const answered = page.waitForResponse(
      (r) => new URL(r.url()).pathname.endsWith("/line"),
      { timeout: 120_000 },
    );
    await more.click();
    await answered;
    presses++;
  }
}

browserTest({
  name: "show all pages a 10 MB line and a spilled result in whole, one page at a time, as text",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "tailboard-pages-" });
    const huge = line({
      type: "assistant",
      message: { role: "assistant", content: [{ type: "text", text: hugeText() }] },
    });
    const spill = spillText();
    await Deno.mkdir(`${dir}/${SESSION}/tool-results`, { recursive: true });
    await Deno.writeTextFile(`${dir}/${SESSION}/tool-results/toolu_big1.txt`, spill);
    await Deno.writeTextFile(
      `${dir}/${SESSION}.jsonl`,
      [
        line({ type: "user", message: { role: "user", content: "Print everything" } }),
        huge,
        line({
          type: "assistant",
          message: {
            role: "assistant",
            content: [{
              type: "tool_use",
              id: "toolu_big1",
              name: "Bash",
              input: { command: "npm test", description: "Run the tests" },
            }],
          },
        }),
        line({
          type: "user",
          message: {
            role: "user",
            content: [{
              type: "tool_result",
              tool_use_id: "toolu_big1",
              content: "<persisted-output>\nOutput too large (5 MB).\n</persisted-output>",
              is_error: false,
            }],
          },
          toolUseResult: {
            stdout: "test 0 ok\ntest 1 ok\n",
            stderr: "",
            interrupted: false,
            persistedOutputPath:
              `/Users/someone/.claude/projects/x/${SESSION}/tool-results/toolu_big1.txt`,
          },
        }),
      ].join(""),
    );
    await using daemon = await spawnTailboard([
      "--port",
      "0",
      "--no-default-sources",
      "--no-history",
      "--no-session-state",
      "--scheduler",
      "none",
      "--watch",
      dir,
    ]);
    await using browser = await openBrowser({ viewport: { width: 1280, height: 900 } });
    const { page } = browser;
    const requests = watchLineRequests(page);
    await page.goto(`${daemon.url}agents/${await agentIdFor(daemon.url, `${SESSION}.jsonl`)}`);
    await page.locator(".card").first().waitFor();

    await t.step("the 10 MB line: show all, then load more until its last words", async () => {
      const card = page.locator(".row", { has: page.locator(".k-text") }).first();
      await card.locator("button.more").click();
      const presses = await loadAll(page, ".row:has(.k-text)");
      const text = await card.locator(".line-pages pre").evaluate((el) => el.textContent ?? "");
      const raw = huge.slice(0, -1);
      assert.equal(text.length, raw.length, "the whole line is on the page");
      assert.ok(text.endsWith(raw.slice(-60)), "it ends with the line's last characters");
      assert.ok(presses >= 4, `10 MB in pages of at most 4 MiB (${presses} presses)`);
      assert.match(await card.locator(".pages-status").innerText(), /the whole line as written/);
      await screenshot(page, "show_all_huge_line");
    });

    await t.step("the spilled result: show all pages the spill in whole", async () => {
      const card = page.locator(".row", { has: page.locator(".k-tool") }).first();
      await card.scrollIntoViewIfNeeded();
      await card.locator("button.more").first().click();
      await loadAll(page, ".row:has(.k-tool)");
      const text = await card.locator(".line-pages pre").evaluate((el) => el.textContent ?? "");
      assert.equal(text, spill);
      assert.match(await card.locator(".pages-status").innerText(), /the whole output/);
    });

    await t.step(
      "each request was one bounded page, never two at once, never run as markup",
      async () => {
        const pages = requests.seen.filter((r) => r.url.searchParams.has("offset"));
        assert.ok(pages.length >= 7, `${pages.length} page requests`);
        for (const { url, bytes } of pages) {
          assert.ok(Number(url.searchParams.get("limit")) <= 4 * MiB, url.search);
          assert.ok(bytes <= 4 * MiB, `${url.search}: ${bytes} bytes`);
        }
        assert.equal(
          requests.seen.length,
          pages.length,
          "no unbounded /line answer was asked for besides the pages",
        );
        assert.equal(requests.mostOpen(), 1, "one page at a time");
        assert.equal(
          await page.evaluate(() => (window as { __pwned?: number }).__pwned),
          undefined,
        );
        assert.equal(await page.locator(".line-pages img, .line-pages script").count(), 0);
        assert.deepEqual(browser.errors, []);
      },
    );
    await Deno.remove(dir, { recursive: true });
  },
});
