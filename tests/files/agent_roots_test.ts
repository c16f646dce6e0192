import assert from "node:assert/strict";
import { defaultRoots, type Root, type RootsEnv } from "../../files/roots.ts";
import { classify, isWatchedName } from "../../files/classify.ts";

const linux: RootsEnv = { home: "/home/ada", platform: "linux", uid: 1000, env: {} };

function rootOf(env: RootsEnv["env"], kind: Root["kind"]): string[] {
  return defaultRoots({ ...linux, env }).filter((r) => r.kind === kind).map((r) => r.path);
}

Deno.test("defaultRoots() finds Gemini CLI chats under ~/.gemini, or GEMINI_CLI_HOME", () => {
  assert.deepEqual(rootOf({}, "gemini-tmp"), ["/home/ada/.gemini/tmp"]);
  assert.deepEqual(rootOf({ GEMINI_CLI_HOME: "/data/g/" }, "gemini-tmp"), ["/data/g/.gemini/tmp"]);
});

Deno.test("defaultRoots() finds Copilot CLI sessions under ~/.copilot, COPILOT_HOME or the old XDG place", () => {
  assert.deepEqual(rootOf({}, "copilot-state"), ["/home/ada/.copilot/session-state"]);
  assert.deepEqual(rootOf({ COPILOT_HOME: "/c" }, "copilot-state"), ["/c/session-state"]);
  assert.deepEqual(rootOf({ XDG_CONFIG_HOME: "/home/ada/.cfg" }, "copilot-state"), [
    "/home/ada/.copilot/session-state",
    "/home/ada/.cfg/.copilot/session-state",
  ]);
});

Deno.test("defaultRoots() finds Codex rollouts under ~/.codex or CODEX_HOME", () => {
  assert.deepEqual(rootOf({}, "codex-sessions"), ["/home/ada/.codex/sessions"]);
  assert.deepEqual(rootOf({ CODEX_HOME: "/x/" }, "codex-sessions"), ["/x/sessions"]);
});

Deno.test("isWatchedName() takes each agent's own files and nothing beside them", () => {
  assert.ok(isWatchedName("rollout-2026-01-01T00-00-00-abc.jsonl", "codex-sessions"));
  assert.ok(isWatchedName("rollout-2026-01-01T00-00-00-abc.jsonl.zst", "codex-sessions"));
  assert.ok(isWatchedName("session-2026-04-23T12-52-0ab84937.jsonl", "gemini-tmp"));
  assert.ok(!isWatchedName("logs.json", "gemini-tmp"));
  assert.ok(!isWatchedName("checkpoint-x.json", "gemini-tmp"));
  assert.ok(isWatchedName("events.jsonl", "copilot-state"));
  assert.ok(!isWatchedName("workspace.yaml", "copilot-state"));
  assert.ok(
    isWatchedName("rollout-x.jsonl.zst", "watch"),
    "a watched folder takes zst rollouts too",
  );
});

Deno.test("classify() names Codex, Gemini and Copilot files by their layout, wherever they are", async (t) => {
  const watch: Root = { path: "/srv/copy", kind: "watch" };
  await t.step("a Codex rollout, plain or compressed", () => {
    for (
      const name of [
        "rollout-2025-12-10T04-55-16-019b.jsonl",
        "rollout-2025-12-10T04-55-16-019b.jsonl.zst",
      ]
    ) {
      const got = classify(`/home/ada/.codex/sessions/2025/12/10/${name}`, {
        path: "/home/ada/.codex/sessions",
        kind: "codex-sessions",
      });
      assert.equal(got.source, "codex");
      assert.equal(got.parentPath, null);
    }
    assert.equal(classify("/srv/copy/rollout-x.jsonl", watch).source, "codex");
  });
  await t.step("a Gemini chat, with its project folder as the hint", () => {
    const got = classify(
      "/home/ada/.gemini/tmp/discordbot/chats/session-2026-04-23T12-52-0ab8.jsonl",
      {
        path: "/home/ada/.gemini/tmp",
        kind: "gemini-tmp",
      },
    );
    assert.equal(got.source, "gemini");
    assert.equal(got.projectHint, "discordbot");
  });
  await t.step("a Copilot session's events", () => {
    const got = classify(
      "/home/ada/.copilot/session-state/96ef38f0-9d09-45c3-8124-6448c36090ed/events.jsonl",
      { path: "/home/ada/.copilot/session-state", kind: "copilot-state" },
    );
    assert.equal(got.source, "copilot");
  });
  await t.step("anything else in a watched folder stays a file until its lines say more", () => {
    assert.equal(classify("/srv/copy/notes.jsonl", watch).source, "file");
  });
});
