import assert from "node:assert/strict";
import { defaultRoots, type Root, type RootsEnv } from "../../files/roots.ts";
import { classify, isWatchedName, projectFromSlug } from "../../files/classify.ts";

const linux: RootsEnv = { home: "/home/ada", platform: "linux", uid: 1000, env: {} };
const mac: RootsEnv = {
  home: "/Users/ada",
  platform: "darwin",
  uid: 501,
  env: { TMPDIR: "/var/folders/xy/abc123/T/" },
};

function paths(roots: Root[], kind: Root["kind"]): string[] {
  return roots.filter((r) => r.kind === kind).map((r) => r.path);
}

Deno.test("defaultRoots() on Linux watches ~/.claude, ~/.config/claude, /tmp/claude-<uid> and the other agents", () => {
  assert.deepEqual(defaultRoots(linux), [
    { path: "/home/ada/.claude/projects", kind: "claude-projects" },
    { path: "/home/ada/.config/claude/projects", kind: "claude-projects" },
    { path: "/tmp/claude-1000", kind: "claude-tasks" },
    { path: "/home/ada/.codex/sessions", kind: "codex-sessions" },
    { path: "/home/ada/.gemini/tmp", kind: "gemini-tmp" },
    { path: "/home/ada/.copilot/session-state", kind: "copilot-state" },
  ]);
});

Deno.test("defaultRoots() adds $TMPDIR before /tmp on Linux, once", async (t) => {
  await t.step("a separate TMPDIR", () => {
    const roots = defaultRoots({ ...linux, env: { TMPDIR: "/var/tmp/" } });
    assert.deepEqual(paths(roots, "claude-tasks"), ["/var/tmp/claude-1000", "/tmp/claude-1000"]);
  });
  await t.step("TMPDIR=/tmp/ is not listed twice", () => {
    const roots = defaultRoots({ ...linux, env: { TMPDIR: "/tmp/" } });
    assert.deepEqual(paths(roots, "claude-tasks"), ["/tmp/claude-1000"]);
  });
});

Deno.test("defaultRoots() on macOS looks in /private/tmp and $TMPDIR", () => {
  const roots = defaultRoots(mac);
  assert.deepEqual(paths(roots, "claude-projects"), [
    "/Users/ada/.claude/projects",
    "/Users/ada/.config/claude/projects",
  ]);
  const tasks = paths(roots, "claude-tasks");
  assert.equal(tasks[0], "/private/tmp/claude-501");
  assert.equal(tasks[1], "/var/folders/xy/abc123/T/claude-501");
});

Deno.test({
  name: "defaultRoots() on macOS does not list the same folder as both /private/tmp and /tmp",
  fn() {
    assert.deepEqual(paths(defaultRoots(mac), "claude-tasks"), [
      "/private/tmp/claude-501",
      "/var/folders/xy/abc123/T/claude-501",
    ]);
  },
});

Deno.test("defaultRoots() reads CLAUDE_CONFIG_DIR first, as one folder or a comma list", async (t) => {
  await t.step("one folder with a trailing slash", () => {
    const roots = defaultRoots({ ...linux, env: { CLAUDE_CONFIG_DIR: "/work/claude-a/" } });
    assert.deepEqual(paths(roots, "claude-projects"), [
      "/work/claude-a/projects",
      "/home/ada/.claude/projects",
      "/home/ada/.config/claude/projects",
    ]);
  });
  await t.step("a comma list with spaces, empties and a repeat of ~/.claude", () => {
    const roots = defaultRoots({
      ...linux,
      env: { CLAUDE_CONFIG_DIR: " /a , /b/,, /home/ada/.claude" },
    });
    assert.deepEqual(paths(roots, "claude-projects"), [
      "/a/projects",
      "/b/projects",
      "/home/ada/.claude/projects",
      "/home/ada/.config/claude/projects",
    ]);
  });
  await t.step("an empty value is ignored", () => {
    const roots = defaultRoots({ ...linux, env: { CLAUDE_CONFIG_DIR: "" } });
    assert.equal(paths(roots, "claude-projects")[0], "/home/ada/.claude/projects");
  });
});

Deno.test("defaultRoots() uses CLAUDE_CODE_TMPDIR instead of every temp folder", async (t) => {
  await t.step("on Linux", () => {
    const roots = defaultRoots({
      ...linux,
      env: { CLAUDE_CODE_TMPDIR: "/scratch/", TMPDIR: "/var/tmp" },
    });
    assert.deepEqual(paths(roots, "claude-tasks"), ["/scratch/claude-1000"]);
  });
  await t.step("on macOS", () => {
    const roots = defaultRoots({ ...mac, env: { ...mac.env, CLAUDE_CODE_TMPDIR: "/Volumes/t" } });
    assert.deepEqual(paths(roots, "claude-tasks"), ["/Volumes/t/claude-501"]);
  });
});

Deno.test("defaultRoots() names the task folder claude without a uid", () => {
  const roots = defaultRoots({ ...linux, uid: null });
  assert.deepEqual(paths(roots, "claude-tasks"), ["/tmp/claude"]);
});

const PROJECTS: Root = { path: "/home/ada/.claude/projects", kind: "claude-projects" };
const TASKS: Root = { path: "/tmp/claude-1000", kind: "claude-tasks" };
const SESSION = "0a1b2c3d-4e5f-4061-8071-2a3b4c5d6e7f";
const PROJECT_DIR = `${PROJECTS.path}/-home-ada-tailboard`;

Deno.test("classify() reads all three Claude Code layouts from the path alone", async (t) => {
  await t.step("a session file (sidechains inline, Claude Code 1.x) is a claude-session", () => {
    assert.deepEqual(classify(`${PROJECT_DIR}/${SESSION}.jsonl`, PROJECTS), {
      source: "claude-session",
      parentPath: null,
      projectHint: "tailboard",
      metaPath: null,
    });
  });
  await t.step(
    "a flat agent-<id>.jsonl (2.0.x) is a subagent whose parent is not yet known",
    () => {
      assert.deepEqual(classify(`${PROJECT_DIR}/agent-0c4c3cf8.jsonl`, PROJECTS), {
        source: "claude-subagent",
        parentPath: null,
        projectHint: "tailboard",
        metaPath: null,
      });
    },
  );
  await t.step("<session>/subagents/agent-<id>.jsonl (2.1.x) names its parent and sidecar", () => {
    const path = `${PROJECT_DIR}/${SESSION}/subagents/agent-a0ad4f44468bdf20d.jsonl`;
    assert.deepEqual(classify(path, PROJECTS), {
      source: "claude-subagent",
      parentPath: `${PROJECT_DIR}/${SESSION}.jsonl`,
      projectHint: "tailboard",
      metaPath: `${PROJECT_DIR}/${SESSION}/subagents/agent-a0ad4f44468bdf20d.meta.json`,
    });
  });
  await t.step("the 2.1.x layout is recognised under any root", () => {
    const path = `/srv/copy/-x-api/${SESSION}/subagents/agent-b1.jsonl`;
    const got = classify(path, { path: "/srv/copy", kind: "watch" });
    assert.equal(got.source, "claude-subagent");
    assert.equal(got.parentPath, `/srv/copy/-x-api/${SESSION}.jsonl`);
    assert.equal(got.projectHint, "api");
  });
});

Deno.test("classify() makes task .output files claude-task with the cwd slug as project", async (t) => {
  await t.step("under the task root", () => {
    assert.deepEqual(classify(`${TASKS.path}/-home-ada-tailboard/tasks/b7x2k9.output`, TASKS), {
      source: "claude-task",
      parentPath: null,
      projectHint: "tailboard",
      metaPath: null,
    });
  });
  await t.step("in a tasks folder under a --watch root", () => {
    const got = classify("/srv/t/-home-ada-web/tasks/b1.output", { path: "/srv/t", kind: "watch" });
    assert.equal(got.source, "claude-task");
    assert.equal(got.projectHint, "web");
  });
});

Deno.test("classify() makes --watch files plain files unless their name says otherwise", async (t) => {
  const folder: Root = { path: "/srv/logs", kind: "watch" };
  await t.step("a file in the watched folder is named after the folder", () => {
    assert.deepEqual(classify("/srv/logs/build.jsonl", folder), {
      source: "file",
      parentPath: null,
      projectHint: "logs",
      metaPath: null,
    });
  });
  await t.step("a file deeper down is named after its own folder", () => {
    assert.equal(classify("/srv/logs/nightly/run.output", folder).projectHint, "nightly");
  });
  await t.step("a watched file root is named after itself", () => {
    const file: Root = { path: "/srv/run.output", kind: "watch" };
    assert.deepEqual(classify("/srv/run.output", file), {
      source: "file",
      parentPath: null,
      projectHint: "run.output",
      metaPath: null,
    });
  });
  await t.step("a session-shaped uuid name is a claude-session", () => {
    assert.equal(classify(`/srv/logs/${SESSION}.jsonl`, folder).source, "claude-session");
    assert.equal(
      classify(`/srv/logs/${SESSION.toUpperCase()}.jsonl`, folder).source,
      "claude-session",
    );
  });
  await t.step("a flat agent name is a claude-subagent", () => {
    assert.equal(classify("/srv/logs/agent-77.jsonl", folder).source, "claude-subagent");
  });
  await t.step("an .output outside a tasks folder is a file", () => {
    assert.equal(classify("/srv/logs/job.output", folder).source, "file");
  });
});

Deno.test("isWatchedName() picks *.jsonl under projects, *.output under tasks, both elsewhere", () => {
  const cases: [string, Root["kind"], boolean][] = [
    ["s.jsonl", "claude-projects", true],
    ["s.output", "claude-projects", false],
    ["agent-a.meta.json", "claude-projects", false],
    ["s.jsonl.bak", "claude-projects", false],
    ["b1.output", "claude-tasks", true],
    ["b1.jsonl", "claude-tasks", false],
    ["x.jsonl", "watch", true],
    ["x.output", "watch", true],
    ["x.log", "watch", false],
  ];
  for (const [name, kind, want] of cases) {
    assert.equal(isWatchedName(name, kind), want, `${name} under ${kind}`);
  }
});

Deno.test("projectFromSlug() guesses the last part of a slugged cwd", () => {
  assert.equal(projectFromSlug("-Users-ada-tailboard"), "tailboard");
  assert.equal(projectFromSlug("-home-ada-my-app"), "app"); // `-` and `/` are indistinguishable
  assert.equal(projectFromSlug("-Users-ada-site-example-com"), "com"); // so are `.` and `/`
  assert.equal(projectFromSlug("plain"), "plain");
  assert.equal(projectFromSlug("trailing-"), "trailing");
  assert.equal(projectFromSlug("---"), "---");
  assert.equal(projectFromSlug(""), "");
});
