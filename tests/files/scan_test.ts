import assert from "node:assert/strict";
import { scanRoots, statEntry } from "../../files/scan.ts";
import type { Root } from "../../files/roots.ts";

/** A temp folder (its real path) removed when the scope ends. */
async function tempDir(): Promise<AsyncDisposable & { path: string }> {
  const path = await Deno.realPath(await Deno.makeTempDir({ prefix: "tailboard_scan_" }));
  return { path, [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }) };
}

async function write(path: string, text: string, mtime?: Date): Promise<void> {
  await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  await Deno.writeTextFile(path, text);
  if (mtime) await Deno.utime(path, mtime, mtime);
}

const SESSION = "0a1b2c3d-4e5f-4061-8071-2a3b4c5d6e7f";

Deno.test("scanRoots() reports a root that does not exist in missing, not as an error", async () => {
  await using dir = await tempDir();
  const root: Root = { path: `${dir.path}/nope/projects`, kind: "claude-projects" };
  const result = await scanRoots([root]);
  assert.deepEqual(result, { files: [], missing: [root], errors: [] });
});

Deno.test("scanRoots() lists only *.jsonl under projects and *.output under tasks", async () => {
  await using dir = await tempDir();
  const projects: Root = { path: `${dir.path}/claude/projects`, kind: "claude-projects" };
  const tasks: Root = { path: `${dir.path}/tmp/claude-0`, kind: "claude-tasks" };
  const project = `${projects.path}/-home-ada-tailboard`;
  await write(`${project}/${SESSION}.jsonl`, "{}\n");
  await write(`${project}/agent-0c4c3cf8.jsonl`, "{}\n");
  await write(`${project}/${SESSION}/subagents/agent-a0.jsonl`, "{}\n");
  await write(`${project}/${SESSION}/subagents/agent-a0.meta.json`, "{}");
  await write(`${project}/notes.txt`, "no");
  await write(`${project}/stray.output`, "no");
  await write(`${tasks.path}/-home-ada-tailboard/tasks/b1.output`, "ok\n");
  await write(`${tasks.path}/-home-ada-tailboard/tasks/b2.jsonl`, "no");

  const result = await scanRoots([projects, tasks]);
  assert.deepEqual(result.missing, []);
  assert.deepEqual(result.errors, []);
  const found = result.files.map((f) => [f.path.slice(dir.path.length), f.source]).sort();
  assert.deepEqual(found, [
    [`/claude/projects/-home-ada-tailboard/${SESSION}.jsonl`, "claude-session"],
    [`/claude/projects/-home-ada-tailboard/${SESSION}/subagents/agent-a0.jsonl`, "claude-subagent"],
    ["/claude/projects/-home-ada-tailboard/agent-0c4c3cf8.jsonl", "claude-subagent"],
    ["/tmp/claude-0/-home-ada-tailboard/tasks/b1.output", "claude-task"],
  ]);
  for (const file of result.files) {
    assert.equal(file.realPath, file.path);
    assert.equal(typeof file.ino, "number");
  }
});

Deno.test("scanRoots() gives each file's size and mtime from one stat", async () => {
  await using dir = await tempDir();
  const root: Root = { path: dir.path, kind: "watch" };
  const mtime = new Date("2024-03-01T12:00:00Z");
  await write(`${dir.path}/run.jsonl`, "12345\n", mtime);
  const { files } = await scanRoots([root]);
  assert.equal(files.length, 1);
  assert.equal(files[0]!.size, 6);
  assert.equal(files[0]!.mtime, mtime.getTime());
  assert.equal(files[0]!.source, "file");
});

Deno.test("scanRoots() follows a symlinked task .output to the transcript it names", async (t) => {
  await using dir = await tempDir();
  await t.step("an absolute link: realPath, size, mtime and class are the target's", async () => {
    const projects: Root = { path: `${dir.path}/claude/projects`, kind: "claude-projects" };
    const tasks: Root = { path: `${dir.path}/tmp/claude-0`, kind: "claude-tasks" };
    const project = `${projects.path}/-home-ada-tailboard`;
    const transcript = `${project}/${SESSION}/subagents/agent-a0ad.jsonl`;
    const mtime = new Date("2023-05-06T07:08:09Z");
    await write(transcript, "x".repeat(1233) + "\n", mtime);
    const link = `${tasks.path}/-home-ada-tailboard/tasks/a0ad.output`;
    await Deno.mkdir(link.slice(0, link.lastIndexOf("/")), { recursive: true });
    await Deno.symlink(transcript, link);

    const { files, errors } = await scanRoots([tasks]);
    assert.deepEqual(errors, []);
    assert.equal(files.length, 1);
    const entry = files[0]!;
    assert.equal(entry.path, link);
    assert.equal(entry.realPath, transcript);
    assert.equal(entry.size, 1234);
    assert.equal(entry.mtime, mtime.getTime());
    assert.equal(entry.ino, (await Deno.stat(transcript)).ino);
    // Classified by where the bytes live: the 2.1.x subagent, with its parent session.
    assert.equal(entry.source, "claude-subagent");
    assert.equal(entry.parentPath, `${project}/${SESSION}.jsonl`);
    assert.equal(entry.projectHint, "tailboard");
  });
  await t.step("a relative link resolves against the link's folder", async () => {
    await write(`${dir.path}/w/real/out.output`, "abc\n");
    await Deno.symlink("real/out.output", `${dir.path}/w/rel.output`);
    const root: Root = { path: `${dir.path}/w`, kind: "watch" };
    const entry = await statEntry(`${dir.path}/w/rel.output`, root);
    assert.equal(entry?.path, `${dir.path}/w/rel.output`);
    assert.equal(entry?.realPath, `${dir.path}/w/real/out.output`);
    assert.equal(entry?.size, 4);
  });
});

Deno.test("scanRoots() skips dangling symlinks and symlinks to folders", async () => {
  await using dir = await tempDir();
  const root: Root = { path: `${dir.path}/tasks`, kind: "claude-tasks" };
  await write(`${root.path}/p/tasks/kept.output`, "ok\n");
  await Deno.symlink(`${dir.path}/gone.jsonl`, `${root.path}/p/tasks/dangling.output`);
  await Deno.mkdir(`${dir.path}/folder.output`);
  await Deno.symlink(`${dir.path}/folder.output`, `${root.path}/p/tasks/dir.output`);
  const { files, errors } = await scanRoots([root]);
  assert.deepEqual(errors, []);
  assert.deepEqual(files.map((f) => f.path), [`${root.path}/p/tasks/kept.output`]);
  assert.equal(await statEntry(`${root.path}/p/tasks/dangling.output`, root), null);
  assert.equal(await statEntry(`${root.path}/p/tasks/missing.output`, root), null);
});

Deno.test("scanRoots() does not follow symlinked folders, so loops end", async () => {
  await using dir = await tempDir();
  const root: Root = { path: `${dir.path}/watched`, kind: "watch" };
  await write(`${root.path}/a/one.jsonl`, "1\n");
  await write(`${dir.path}/elsewhere/two.jsonl`, "2\n");
  await Deno.symlink(root.path, `${root.path}/a/loop`); // a/loop → watched: a cycle
  await Deno.symlink("..", `${root.path}/a/up`); // relative cycle
  await Deno.symlink(`${dir.path}/elsewhere`, `${root.path}/linked`);
  const { files, errors } = await scanRoots([root]);
  assert.deepEqual(errors, []);
  assert.deepEqual(files.map((f) => f.path), [`${root.path}/a/one.jsonl`]);
});

Deno.test("scanRoots() accepts a root that is itself a file or a symlinked folder", async (t) => {
  await using dir = await tempDir();
  await write(`${dir.path}/real/job.output`, "done\n");
  await t.step("a --watch file", async () => {
    const root: Root = { path: `${dir.path}/real/job.output`, kind: "watch" };
    const { files } = await scanRoots([root]);
    assert.deepEqual(files.map((f) => [f.path, f.source, f.projectHint]), [
      [root.path, "file", "job.output"],
    ]);
  });
  await t.step("a root reached through a symlink is walked", async () => {
    await Deno.symlink(`${dir.path}/real`, `${dir.path}/alias`);
    const root: Root = { path: `${dir.path}/alias`, kind: "watch" };
    const { files } = await scanRoots([root]);
    assert.deepEqual(files.map((f) => f.path), [`${dir.path}/alias/job.output`]);
  });
});

Deno.test("scanRoots() reports an unreadable folder and keeps listing the rest", async (t) => {
  await using dir = await tempDir();
  const root: Root = { path: `${dir.path}/root`, kind: "watch" };
  await write(`${root.path}/open/a.jsonl`, "a\n");
  await write(`${root.path}/locked/b.jsonl`, "b\n");
  const isRoot = Deno.uid() === 0;
  // Root ignores permission bits, so a chmod 000 folder stays readable: nothing to see there.
  await t.step({
    name: "a chmod 000 folder is an error with its path",
    ignore: isRoot || Deno.build.os === "windows",
    fn: async () => {
      await Deno.chmod(`${root.path}/locked`, 0o000);
      try {
        const { files, errors } = await scanRoots([root]);
        assert.deepEqual(files.map((f) => f.path), [`${root.path}/open/a.jsonl`]);
        assert.equal(errors.length, 1);
        assert.equal(errors[0]!.path, `${root.path}/locked`);
        assert.match(errors[0]!.message, /^permission denied/);
      } finally {
        await Deno.chmod(`${root.path}/locked`, 0o755);
      }
    },
  });
  await t.step("readable folders are all listed", async () => {
    const { files, errors } = await scanRoots([root]);
    assert.deepEqual(errors, []);
    assert.deepEqual(files.map((f) => f.path).sort(), [
      `${root.path}/locked/b.jsonl`,
      `${root.path}/open/a.jsonl`,
    ]);
  });
});

Deno.test({
  name: "scanRoots() gives a file reached through two roots one realPath",
  async fn() {
    await using dir = await tempDir();
    await write(`${dir.path}/private/tmp/claude-501/-p/tasks/b1.output`, "ok\n");
    await Deno.symlink(`${dir.path}/private/tmp`, `${dir.path}/tmp`);
    const { files } = await scanRoots([
      { path: `${dir.path}/private/tmp/claude-501`, kind: "claude-tasks" },
      { path: `${dir.path}/tmp/claude-501`, kind: "claude-tasks" },
    ]);
    assert.equal(files.length, 2);
    assert.equal(files[0]!.realPath, files[1]!.realPath);
  },
});
