/**
 * Subagents in real Chromium: a Claude Code 1.0.x subagent written inline in
 * its session's file is an agent of its own (nested in the sidebar, its own
 * feed, its prompt never "You"), the session's Task card links to it; a 2.1.x
 * subagent whose meta names its `toolUseId` is linked from that exact Task
 * card; a workflow run is listed under its session with its agents under it,
 * and the `Workflow` call that launched it links to it.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { browserTest, openBrowser, screenshot, stepWithScreenshot } from "../_harness/browser.ts";
import { spawnTailboard } from "../_harness/daemon.ts";

const SHAPES = new URL("../fixtures/shapes/claude/", import.meta.url);
const INLINE = "4b9d2e71-6c0a-4f3b-8e15-2d7a9c3f1b60.jsonl";
const LAYOUT_SESSION = "c5a1e2f3-4b5c-4d6e-8f70-8192a3b4c5d6";
/** A 2.1.x session with two Task calls alike but for their ids. */
const TWINS = "7e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b";

interface Listed {
  id: string;
  path: string;
  title: string;
  parentId: string | null;
  toolUseId?: string;
  source: string;
}

async function copyTree(from: URL, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    if (entry.isDirectory) await copyTree(new URL(`${entry.name}/`, from), `${to}/${entry.name}`);
    else await Deno.copyFile(new URL(entry.name, from), `${to}/${entry.name}`);
  }
}

/** Two Task calls with the same description and prompt; each subagent's meta names its own. */
async function writeTwins(dir: string): Promise<void> {
  const base = { cwd: "/work/twins", sessionId: TWINS, version: "2.1.90", isSidechain: false };
  const call = (id: string, i: number) =>
    JSON.stringify({
      ...base,
      type: "assistant",
      uuid: `c${i}`,
      timestamp: `2026-09-10T11:00:0${i}.000Z`,
      message: {
        role: "assistant",
        content: [{
          type: "tool_use",
          id,
          name: "Task",
          input: { description: "Check a shard", prompt: "Check the shard you are given" },
        }],
      },
    });
  await Deno.writeTextFile(
    `${dir}/${TWINS}.jsonl`,
    [
      JSON.stringify({
        ...base,
        type: "user",
        uuid: "u0",
        timestamp: "2026-09-10T11:00:00.000Z",
        message: { role: "user", content: "Check both shards" },
      }),
      call("toolu_first", 1),
      call("toolu_second", 2),
    ].join("\n") + "\n",
  );
  const folder = `${dir}/${TWINS}/subagents`;
  await Deno.mkdir(folder, { recursive: true });
  // Written in the other order than the calls: only the meta can tell them apart.
  for (const [agent, toolUseId] of [["b2", "toolu_second"], ["b1", "toolu_first"]]) {
    await Deno.writeTextFile(
      `${folder}/agent-${agent}.jsonl`,
      JSON.stringify({
        ...base,
        isSidechain: true,
        agentId: agent,
        type: "user",
        uuid: `${agent}-1`,
        timestamp: "2026-09-10T11:00:03.000Z",
        message: { role: "user", content: "Check the shard you are given" },
      }) + "\n",
    );
    await Deno.writeTextFile(
      `${folder}/agent-${agent}.meta.json`,
      JSON.stringify({ agentType: "general-purpose", toolUseId }),
    );
  }
}

async function listed(url: string, count: number): Promise<Listed[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const { agents } = await (await fetch(`${url}api/agents`)).json() as { agents: Listed[] };
    const titled = agents.filter((a) => !a.title.endsWith(".jsonl"));
    if (titled.length >= count) return agents;
    if (Date.now() > deadline) {
      throw new Error(`only ${titled.length} of ${count} agents listed and titled`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The sidebar's rows, as `depth title`, in order. */
const sidebarRows = (page: Page) =>
  page.locator(".agent-list li").evaluateAll((items) =>
    items.map((li) => {
      const depth = (li as HTMLElement).style.getPropertyValue("--depth") || "0";
      return `${depth} ${li.querySelector(".agent-title")?.textContent ?? ""}`;
    })
  );

/**
 * Runs `check` on the sidebar's rows until it passes (the list fills in as the
 * daemon reads each file, later on a loaded machine), or rethrows its last
 * failure after 30 s.
 */
async function untilRows(page: Page, check: (rows: string[]) => void): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      return check(await sidebarRows(page));
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

browserTest({
  name: "subagents: inline ones are agents of their own, Task cards link to theirs, runs nest",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "tailboard-subagents-" });
    await Deno.copyFile(new URL(INLINE, SHAPES), `${dir}/${INLINE}`);
    await copyTree(new URL("layout/projects/-Users-ada-shop/", SHAPES), dir);
    await writeTwins(dir);
    await using daemon = await spawnTailboard([
      "--port",
      "0",
      "--no-default-sources",
      "--no-history",
      "--watch",
      dir,
      "--log-level",
      "warn",
    ]);
    await using browser = await openBrowser();
    const { page } = browser;
    const step = stepWithScreenshot(t, page, "subagents-");
    // The inline session and its 2 subagents; the layout session, its 3 subagents, 2 runs and
    // their 3 agents; the twins' session and its 2 subagents.
    const agents = await listed(daemon.url, 15);
    const byPath = (suffix: string) => agents.find((a) => a.path.endsWith(suffix))!;
    const session = byPath(INLINE);
    const inline = agents.filter((a) => a.parentId === session.id);
    const cart = inline.find((a) => a.toolUseId === "toolu_01Cart")!;
    try {
      await step(
        "an inline subagent is listed under its session, titled by its prompt",
        async () => {
          assert.equal(inline.length, 2);
          await page.goto(`${daemon.url}agents/${session.id}`);
          await page.locator(".card").first().waitFor();
          await untilRows(page, (rows) => {
            const at = rows.indexOf(`0 ${session.title}`);
            assert.ok(at >= 0, `the session row is there: ${rows.join(" | ")}`);
            assert.deepEqual(
              rows.slice(at + 1, at + 3).sort(),
              [
                "1 Find rounding bugs in src/cart.ts and report file:line for each",
                "1 Find rounding bugs in src/checkout.ts and report file:line for each",
              ],
            );
          });
        },
      );

      await step(
        "the session's feed has the Task cards and none of the subagents' lines",
        async () => {
          const links = page.locator("a.subagent-link");
          await links.first().waitFor();
          assert.equal(await links.count(), 2);
          // The subagents' own tool calls (Grep, Read) are theirs, not the session's.
          assert.equal(await page.locator(".k-tool", { hasText: "Grep" }).count(), 0);
          assert.equal(await page.locator(".k-user").count(), 1, "one prompt: the user's");
          await screenshot(page, "subagents-inline-session");
        },
      );

      await step("a click on the Task card's link opens the subagent's own feed", async () => {
        const link = page.locator("a.subagent-link", { hasText: "src/cart.ts" });
        assert.equal(await link.getAttribute("href"), `/agents/${cart.id}`);
        await link.click();
        await page.waitForURL(`**/agents/${cart.id}`);
        const prompt = page.locator(".k-user").first();
        await prompt.waitFor();
        assert.equal((await prompt.locator(".who").innerText()).toLowerCase(), "task prompt");
        assert.match(await prompt.innerText(), /Find rounding bugs in src\/cart\.ts/);
        assert.equal(await page.locator(".k-user .who", { hasText: /^you$/i }).count(), 0);
        await page.locator(".k-tool", { hasText: "Grep" }).first().waitFor();
        assert.equal(
          await page.locator(".feed", { hasText: "src/checkout.ts" }).count(),
          0,
          "nothing of the other subagent",
        );
        await screenshot(page, "subagents-inline-child");
      });

      await step(
        "a subagent whose meta names its Task call is linked from that very card",
        async () => {
          const twins = byPath(`${TWINS}.jsonl`);
          await page.goto(`${daemon.url}agents/${twins.id}`);
          const links = page.locator("a.subagent-link");
          await links.nth(1).waitFor();
          assert.deepEqual(
            await links.evaluateAll((all) => all.map((a) => a.getAttribute("href"))),
            [`/agents/${byPath("agent-b1.jsonl").id}`, `/agents/${byPath("agent-b2.jsonl").id}`],
          );
          const layout = byPath(`${LAYOUT_SESSION}.jsonl`);
          await page.goto(`${daemon.url}agents/${layout.id}`);
          const task = page.locator("a.subagent-link");
          await task.first().waitFor();
          assert.equal(
            await task.first().getAttribute("href"),
            `/agents/${byPath("agent-a1b2c3d4e5f60718.jsonl").id}`,
          );
        },
      );

      await step("the session's Workflow card links to the run it launched", async () => {
        const run = agents.find((a) =>
          a.source === "claude-workflow" && a.title === "review-panel"
        )!;
        const link = page.locator("a.run-link");
        await link.waitFor();
        assert.equal(await link.count(), 1);
        assert.equal(await link.getAttribute("href"), `/agents/${run.id}`);
        await link.click();
        await page.waitForURL(`**/agents/${run.id}`);
        await page.getByText("agent aw1 started").waitFor();
      });

      await step("a workflow run is listed under its session, its agents under it", async () => {
        await untilRows(page, (rows) => {
          const run = rows.indexOf("1 review-panel");
          assert.ok(run >= 0, `the run is a child of its session: ${rows.join(" | ")}`);
          // (Both started in the same instant: their order is the ids'.)
          assert.deepEqual(rows.slice(run + 1, run + 3).sort(), ["2 seat:a", "2 seat:b"]);
          const going = rows.indexOf("1 wf_8c2d4e6f-a10");
          assert.ok(going >= 0, "the run still going, by its id");
          assert.equal(rows[going + 1], "2 You are the first finder of the triage run.");
        });
        const row = page.locator("a.agent-row", { hasText: "review-panel" });
        assert.match(await row.locator(".src").innerText(), /workflow/);
        await row.click();
        // Its feed is its journal: each agent started, and what it returned.
        await page.getByText("agent aw2 finished: no issues").waitFor();
        assert.equal(await page.getByText("agent aw1 started").count(), 1);
        assert.match(await row.innerText(), /shop/, "the run's project is its session's");
        assert.deepEqual(browser.errors, []);
        await screenshot(page, "subagents-workflow-run");
      });
    } finally {
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
});
