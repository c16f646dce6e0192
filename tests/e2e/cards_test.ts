/**
 * The cards for plans, questions and edits in real Chromium, from every
 * agent format: a plan reads as Markdown with its outcome, a question shows
 * its options and the answer, Codex's apply_patch and Copilot's and Gemini's
 * edits are diffs with old and new line numbers in their own gutters, a
 * failed edit says it was not applied, and no tool shows a "0ms" it never
 * measured.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { browserTest, openBrowser, screenshot, stepWithScreenshot } from "../_harness/browser.ts";
import { spawnTailboard } from "../_harness/daemon.ts";

const SHAPES = new URL("../fixtures/shapes/", import.meta.url);

let clock = Date.parse("2026-03-02T09:00:00Z");
const line = (o: Record<string, unknown>, sameInstant = false) =>
  JSON.stringify({
    uuid: crypto.randomUUID(),
    timestamp: new Date(sameInstant ? clock : (clock += 2000)).toISOString(),
    cwd: "/work/cards",
    sessionId: "cards",
    ...o,
  }) + "\n";
const call = (id: string, name: string, input: unknown, sameInstant = false) =>
  line({
    type: "assistant",
    message: { role: "assistant", content: [{ type: "tool_use", id, name, input }] },
  }, sameInstant);
const result = (id: string, content: string, isError: boolean, extra = {}, sameInstant = false) =>
  line({
    type: "user",
    message: {
      role: "user",
      content: [{ type: "tool_result", tool_use_id: id, content, is_error: isError }],
    },
    ...extra,
  }, sameInstant);

const QUESTION = "Which database should the cache use?";

function claudeSession(): string {
  return [
    line({ type: "user", message: { role: "user", content: "Plan the cache, then build it" } }),
    call("p1", "ExitPlanMode", {
      plan: "## Cache plan\n\n1. Add **Redis**\n2. Expire after 5 min",
    }),
    result("p1", "The user doesn't want to proceed with this tool use. Use SQLite instead.", true),
    call("p2", "ExitPlanMode", { plan: "## Cache plan v2\n\n- Use SQLite" }),
    result("p2", "User has approved your plan. You can now start coding.", false),
    call("q1", "AskUserQuestion", {
      questions: [{
        question: QUESTION,
        header: "Database",
        multiSelect: false,
        options: [
          { label: "SQLite", description: "One file, no server" },
          { label: "Redis", description: "Fast, needs a server" },
        ],
      }],
    }),
    result("q1", `User has answered your questions: "${QUESTION}"="SQLite".`, false, {
      toolUseResult: { questions: [{ question: QUESTION }], answers: { [QUESTION]: "SQLite" } },
    }),
    call("e1", "Edit", {
      file_path: "/work/cards/src/cache.ts",
      old_string: "const ttl = 60;",
      new_string: "const ttl = 300;",
    }),
    result("e1", "<tool_use_error>String to replace not found in file.</tool_use_error>", true),
    call("e2", "Edit", {
      file_path: "/work/cards/src/cache.ts",
      old_string: "let hits = 0;",
      new_string: "let hits = 0;\nlet misses = 0;",
    }),
    result("e2", "The file has been updated.", false, {
      toolUseResult: {
        filePath: "/work/cards/src/cache.ts",
        oldString: "let hits = 0;",
        newString: "let hits = 0;\nlet misses = 0;",
        structuredPatch: [{
          oldStart: 12,
          oldLines: 2,
          newStart: 12,
          newLines: 3,
          lines: [" export class Cache {", "   let hits = 0;", "+  let misses = 0;"],
        }],
      },
    }),
    // A call and its result written in the same instant: nothing was measured.
    call("b1", "Bash", { command: "true" }),
    result("b1", "", false, { toolUseResult: { stdout: "", stderr: "" } }, true),
  ].join("");
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

async function openFeed(page: Page, url: string, suffix: string) {
  await page.goto(`${url}agents/${await agentIdFor(url, suffix)}`);
  await page.locator(".card").first().waitFor();
}

const gutters = (page: Page, row: string) =>
  page.locator(`${row}`).first().evaluate((el) => ({
    old: el.querySelector(".ln.old")?.textContent ?? null,
    new: el.querySelector(".ln.new")?.textContent ?? null,
  }));

browserTest({
  name: "cards: plans, questions and edits from every agent read as what they are",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "tailboard-cards-" });
    await Deno.writeTextFile(`${dir}/cards.jsonl`, claudeSession());
    const copy = async (from: string, to: string) =>
      await Deno.writeFile(`${dir}/${to}`, await Deno.readFile(new URL(from, SHAPES)));
    await copy(
      "codex/rollout-2026-08-20T09-00-00-019d2a10-7c3e-7a01-9b55-3f0e1d2c4b6a.jsonl",
      "rollout-2026-08-20T09-00-00-019d2a10-7c3e-7a01-9b55-3f0e1d2c4b6a.jsonl",
    );
    await copy("copilot/events.jsonl", "copilot-events.jsonl");
    await copy("gemini/session-2026-05-02T08-00-7d3f0c1e.jsonl", "session-gemini.jsonl");
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
    const step = stepWithScreenshot(t, page, "cards-");
    try {
      await step("a plan shows as Markdown with its outcome", async () => {
        await openFeed(page, daemon.url, "/cards.jsonl");
        const plans = page.locator(".k-tool", { has: page.locator(".plan-outcome") });
        await plans.first().waitFor();
        assert.equal(await plans.count(), 2);
        const rejected = plans.nth(0);
        assert.equal(
          await rejected.locator(".plan :is(h1,h2,h3,h4,h5,h6)").first().innerText(),
          "Cache plan",
        );
        assert.equal(await rejected.locator("strong").first().innerText(), "Redis");
        assert.match(await rejected.locator(".plan-outcome").innerText(), /Not approved/);
        assert.match(await rejected.innerText(), /Use SQLite instead/);
        assert.match(await plans.nth(1).locator(".plan-outcome.approved").innerText(), /approved/);
        assert.equal(await page.locator(".k-tool pre", { hasText: '"plan"' }).count(), 0);
        await screenshot(page, "cards-plan");
      });

      await step("a question shows its options and the answer", async () => {
        const card = page.locator(".k-tool", { has: page.locator(".question") });
        assert.equal(await card.locator(".q-head .chip").innerText(), "Database");
        assert.match(
          await card.locator(".q-head").innerText(),
          new RegExp(QUESTION.replace("?", "\\?")),
        );
        assert.equal(await card.locator(".option").count(), 2);
        assert.match(await card.locator(".option.chosen").innerText(), /SQLite/);
        assert.match(await card.locator(".option:not(.chosen)").innerText(), /Redis/);
        await screenshot(page, "cards-question");
      });

      await step(
        "a failed edit reads as not applied; a good one numbers both gutters",
        async () => {
          const edits = page.locator(".k-tool", { has: page.locator(".diff") });
          const failed = edits.nth(0);
          assert.match(await failed.locator(".edit-failed").innerText(), /not applied/);
          assert.equal(await failed.locator(".diff.not-applied").count(), 1);
          const good = edits.nth(1);
          assert.equal(await good.locator(".edit-failed").count(), 0);
          assert.deepEqual(await gutters(page, ".k-tool:not(.is-error) .dl.add"), {
            old: "",
            new: "14",
          });
          assert.deepEqual(await gutters(page, ".k-tool:not(.is-error) .dl.ctx"), {
            old: "12",
            new: "12",
          });
        },
      );

      await step("a call and result in one instant show no duration", async () => {
        const bash = page.locator(".k-tool", { hasText: "Bash" }).last();
        const status = await bash.locator(".status.ok").innerText();
        assert.equal(status.trim(), "✓");
        assert.ok(!(await page.locator(".feed-spacer").innerText()).includes("0ms"));
      });

      await step("Codex apply_patch is a diff per file", async () => {
        await openFeed(page, daemon.url, "019d2a10-7c3e-7a01-9b55-3f0e1d2c4b6a.jsonl");
        const patch = page.locator(".k-tool", { has: page.locator(".patch-file") });
        await patch.waitFor();
        assert.equal(await patch.locator(".patch-path code").innerText(), "src/cart.ts");
        assert.equal(await patch.locator(".dl.add").count(), 1);
        assert.equal(await patch.locator(".dl.del").count(), 1);
        // Measured by Codex (Wall time 4.98 s), so the failing test run shows it.
        const failing = page.locator(".k-tool.is-error", { hasText: "npm test" });
        assert.match(await failing.innerText(), /error/);
        await screenshot(page, "cards-codex-patch");
      });

      await step("a Copilot edit is the diff its result carries, numbered", async () => {
        await openFeed(page, daemon.url, "copilot-events.jsonl");
        const edit = page.locator(".k-tool", { has: page.locator(".patch-file") });
        await edit.waitFor();
        assert.deepEqual(await gutters(page, ".patch-file .dl.add"), { old: "", new: "4" });
        assert.deepEqual(await gutters(page, ".patch-file .dl.del"), { old: "4", new: "" });
      });

      await step("a Gemini replace is a diff", async () => {
        await openFeed(page, daemon.url, "session-gemini.jsonl");
        const edit = page.locator(".k-tool", { hasText: "replace" }).first();
        await edit.locator(".diff").waitFor();
        assert.match(await edit.locator(".dl.add").innerText(), /loadSettings/);
        assert.match(await edit.locator(".dl.del").innerText(), /loadConfig/);
        assert.deepEqual(browser.errors, []);
        await screenshot(page, "cards-gemini");
      });
    } finally {
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
});
