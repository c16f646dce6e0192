/**
 * Gemini and Copilot feeds in real Chromium: a Gemini rewind takes the
 * rewound messages off the page as it is written and after a reload, and a
 * Copilot session's replies carry their tokens, which add up to the agent's
 * priced cost in its header.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { browserTest, openBrowser, screenshot, stepWithScreenshot } from "../_harness/browser.ts";
import { append, eventually, spawnTailboard } from "../_harness/daemon.ts";
import { transcript } from "../_harness/corpus.ts";

const GEMINI = new URL(
  "../fixtures/shapes/gemini/session-2026-05-02T08-00-7d3f0c1e.jsonl",
  import.meta.url,
);
const COPILOT = transcript("Mai0313--VibeCodingTracker/tests/fixtures/sessions/copilot.jsonl");

async function agentIdFor(url: string, suffix: string): Promise<string> {
  return await eventually(`${suffix} listed`, async () => {
    const { agents } = await (await fetch(`${url}api/agents`)).json() as {
      agents: { id: string; path: string }[];
    };
    return agents.find((a) => a.path.endsWith(suffix))?.id;
  });
}

const toolCard = (page: Page, name: string) => page.locator(".k-tool", { hasText: name });

browserTest({
  name: "formats: a Gemini rewind hides what it rewound; Copilot replies carry their tokens",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "tailboard-formats-" });
    const data = await Deno.makeTempDir({ prefix: "tailboard-formats-data-" });
    const gemini = `${dir}/gemini/chats/session-2026-05-02T08-00-7d3f0c1e.jsonl`;
    const copilot = `${dir}/copilot/session-state/96ef38f0/events.jsonl`;
    const lines = (await Deno.readTextFile(GEMINI)).split("\n").filter(Boolean);
    const rewind = lines.findIndex((l) => l.startsWith('{"$rewindTo"'));
    await Deno.mkdir(`${dir}/gemini/chats`, { recursive: true });
    await Deno.mkdir(`${dir}/copilot/session-state/96ef38f0`, { recursive: true });
    // The chat up to the rewind: the calls it will take back are still there.
    await Deno.writeTextFile(gemini, lines.slice(0, rewind).join("\n") + "\n");
    await Deno.copyFile(COPILOT, copilot);
    await using daemon = await spawnTailboard([
      "--port",
      "0",
      "--no-default-sources",
      "--data-dir",
      data,
      "--watch",
      dir,
      "--log-level",
      "warn",
    ]);
    await using browser = await openBrowser();
    const { page } = browser;
    const step = stepWithScreenshot(t, page, "formats-");
    try {
      await step("a Gemini rewind written live takes the rewound messages away", async () => {
        await page.goto(`${daemon.url}agents/${await agentIdFor(daemon.url, "7d3f0c1e.jsonl")}`);
        await toolCard(page, "run_shell_command").waitFor();
        assert.equal(await toolCard(page, "write_file").count(), 1);
        await append(gemini, lines.slice(rewind).join("\n") + "\n");
        await page.locator(".card.k-user", { hasText: "Also update the import" }).waitFor();
        await toolCard(page, "run_shell_command").waitFor({ state: "detached" });
        assert.equal(await toolCard(page, "write_file").count(), 0);
        // What came before the rewound message stays.
        assert.equal(await toolCard(page, "replace").count(), 1);
        assert.equal(
          await page.locator(".card.k-user", { hasText: "Rename the config loader" }).count(),
          1,
        );
        await screenshot(page, "formats-gemini-rewind");
      });

      await step("reopened, the rewound messages stay hidden", async () => {
        await page.reload();
        await page.locator(".card.k-user", { hasText: "Also update the import" }).waitFor();
        assert.equal(await toolCard(page, "run_shell_command").count(), 0);
        assert.equal(await toolCard(page, "write_file").count(), 0);
        assert.equal(await toolCard(page, "replace").count(), 1);
        assert.deepEqual(browser.errors, []);
      });

      await step(
        "a Copilot reply's tokens are in its card, the session's cost in the header",
        async () => {
          const id = await agentIdFor(daemon.url, "/events.jsonl");
          await page.goto(`${daemon.url}agents/${id}`);
          const reply = page.locator(".card.k-text").last();
          await reply.waitFor();
          const stamp = reply.locator(".stamp");
          // The last reply wrote `outputTokens: 1379`.
          assert.match(await stamp.getAttribute("title") ?? "", /1\.38k tokens: 1\.38k output/);
          // Shutdown totals, priced on claude-sonnet-4.6: 35,071 in, 2,848 out, 151,738 cached.
          const cost = page.locator(".agent-sub .agent-cost");
          await cost.waitFor();
          assert.match(await cost.innerText(), /^\$0\.19 · 190k tokens$/);
          await screenshot(page, "formats-copilot-tokens");
          assert.deepEqual(browser.errors, []);
        },
      );
    } finally {
      await Deno.remove(dir, { recursive: true }).catch(() => {});
      await Deno.remove(data, { recursive: true }).catch(() => {});
    }
  },
});
