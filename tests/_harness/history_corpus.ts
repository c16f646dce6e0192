/**
 * What the history and search browser tests (tests/e2e/history_test.ts)
 * watch: a month of sessions in Claude Code's shape written for the 30-day
 * chart, the corpus session they open, and small helpers to read them.
 */
import assert from "node:assert/strict";
import { dayOf } from "../../ui/lib/days.js";

/** Claude Code 2.0.28: a session with prompts, Bash calls and usage on every turn. */
export const SESSION = "agtrace/7f2abd2d-7cfc-4447-9ddd-3ca8d14e02e9.jsonl";
export const PERMISSIONS = [
  "--allow-read",
  "--allow-write",
  "--allow-env",
  "--allow-net=127.0.0.1,localhost,[::1]",
  "--allow-run",
  "--allow-sys",
];

export interface ApiAgent {
  id: string;
  path: string;
  title: string;
  usage: { usd: number | null; tokens: number } | null;
}

/* ---------- a month of sessions in Claude Code's shape, for the 30-day chart ---------- */

/** Recent work: how many days ago, in which project, what was asked, how many turns. */
export const RECENT: { daysAgo: number; project: string; prompt: string; turns: number }[] = [
  {
    daysAgo: 0,
    project: "webhooks",
    prompt: "Retry failed webhook deliveries with backoff",
    turns: 40,
  },
  { daysAgo: 0, project: "dashboard", prompt: "Make the usage table sortable", turns: 18 },
  { daysAgo: 1, project: "billing-api", prompt: "Add invoice PDF export", turns: 64 },
  { daysAgo: 2, project: "webhooks", prompt: "Sign payloads with HMAC-SHA256", turns: 30 },
  { daysAgo: 5, project: "infra", prompt: "Pin the CI runner image", turns: 12 },
  { daysAgo: 6, project: "dashboard", prompt: "Dark mode for the settings page", turns: 52 },
  { daysAgo: 8, project: "billing-api", prompt: "Prorate plan changes mid-cycle", turns: 90 },
  { daysAgo: 9, project: "webhooks", prompt: "Dead-letter queue for poison messages", turns: 44 },
  { daysAgo: 12, project: "dashboard", prompt: "Chart the last 30 days of signups", turns: 36 },
  { daysAgo: 13, project: "infra", prompt: "Rotate the database credentials", turns: 20 },
  { daysAgo: 15, project: "billing-api", prompt: "Idempotency keys on POST /charges", turns: 70 },
  { daysAgo: 19, project: "webhooks", prompt: "Replay deliveries from the admin page", turns: 26 },
  { daysAgo: 20, project: "dashboard", prompt: "Fix the flaky date picker test", turns: 58 },
  { daysAgo: 22, project: "billing-api", prompt: "Tax rates per region", turns: 34 },
  { daysAgo: 26, project: "infra", prompt: "Move logs to object storage", turns: 16 },
];

/** A session on a local day: a prompt, then turns of text and Bash calls, each with its own usage. */
export function recentSession(n: number, r: (typeof RECENT)[number]): string {
  const now = new Date();
  let at = new Date(now.getFullYear(), now.getMonth(), now.getDate() - r.daysAgo, 9, 30 + n)
    .getTime();
  const base = () => ({
    uuid: crypto.randomUUID(),
    timestamp: new Date(at += 20_000).toISOString(),
    cwd: `/home/dev/${r.project}`,
    sessionId: `recent-${n}`,
    version: "2.0.28",
  });
  let out =
    JSON.stringify({ ...base(), type: "user", message: { role: "user", content: r.prompt } }) +
    "\n";
  for (let i = 0; i < r.turns; i++) {
    out += JSON.stringify({
      ...base(),
      type: "assistant",
      requestId: `req_${n}_${i}`,
      message: {
        id: `msg_${n}_${i}`,
        role: "assistant",
        model: "claude-sonnet-4-5-20250929",
        content: i % 2
          ? [{ type: "text", text: `Step ${i}: ${r.prompt.toLowerCase()}, checking the tests.` }]
          : [{
            type: "tool_use",
            id: `toolu_${n}_${i}`,
            name: "Bash",
            input: { command: "deno test" },
          }],
        usage: {
          input_tokens: 12,
          output_tokens: 280 + (i * 37) % 400,
          cache_read_input_tokens: 18_000 + i * 900,
          cache_creation_input_tokens: 1200,
        },
      },
    }) + "\n";
  }
  return out;
}

/** The local day of a transcript's first timestamp: the day the picker must list it on. */
export async function firstDay(file: URL): Promise<string> {
  const text = await Deno.readTextFile(file);
  const ts = /"timestamp":"([^"]+)"/.exec(text)?.[1];
  assert.ok(ts, `${file} has a timestamp`);
  return dayOf(Date.parse(ts));
}

export const getJSON = async (url: string) => {
  const res = await fetch(url);
  assert.ok(res.ok, `${url}: ${res.status}`);
  return await res.json();
};
