/**
 * A Bash result Claude Code spilled to `<session>/tool-results/` is a
 * preview on the line; "show all" (`/line`) reads the spill, only ever from
 * the session's own folder.
 */
import assert from "node:assert/strict";
import { sessionFolder, spillPage, withSpilledOutput } from "../../files/spill.ts";
import { parseLine } from "../../transcript/line.ts";
import type { TailEvent } from "../../core/event.ts";
import { startHarness } from "../_harness/daemon.ts";

const LAYOUT =
  new URL("../fixtures/shapes/claude/layout/projects/-Users-ada-shop/", import.meta.url)
    .pathname;
const SESSION = "c5a1e2f3-4b5c-4d6e-8f70-8192a3b4c5d6";

async function spilledLine(): Promise<string> {
  const lines = (await Deno.readTextFile(`${LAYOUT}${SESSION}.jsonl`)).split("\n");
  return lines.find((l) => l.includes("persistedOutputPath"))!;
}

const eventOf = (line: string) => ({ ...parseLine(line).event, cursor: 1 }) as TailEvent;

/** A temp folder removed when the scope ends, even if the test fails. */
async function tempDir(prefix: string): Promise<AsyncDisposable & { path: string }> {
  const path = await Deno.makeTempDir({ prefix });
  return { path, [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }) };
}

Deno.test("a spilled Bash result is a truncated line whose show-all reads the spill", async () => {
  const event = eventOf(await spilledLine());
  assert.equal(event.truncated, true, "the line holds only a preview");
  const full = await withSpilledOutput(event, `${LAYOUT}${SESSION}.jsonl`, 1 << 20);
  assert.ok(full.kind === "tool_result" && full.result?.type === "bash");
  assert.equal(
    full.result.stdout,
    await Deno.readTextFile(`${LAYOUT}${SESSION}/tool-results/toolu_cat1.txt`),
  );
  assert.equal(full.truncated, false);
  const cut = await withSpilledOutput(event, `${LAYOUT}${SESSION}.jsonl`, 20);
  assert.ok(cut.kind === "tool_result" && cut.result?.type === "bash");
  assert.equal(cut.result.stdout.length, 20);
  assert.equal(cut.truncated, true);
});

Deno.test("withSpilledOutput() reads only a plain file in the session's own tool-results folder", async () => {
  await using dir = await tempDir("tailboard-spill-");
  const session = `${dir.path}/s.jsonl`;
  await Deno.mkdir(`${dir.path}/s/tool-results`, { recursive: true });
  await Deno.writeTextFile(`${dir.path}/secret.txt`, "not yours");
  await Deno.writeTextFile(`${dir.path}/s/tool-results/ok.txt`, "all of it");
  await Deno.symlink(`${dir.path}/secret.txt`, `${dir.path}/s/tool-results/link.txt`);
  const bash = (persistedOutputPath: string) =>
    ({
      kind: "tool_result",
      cursor: 1,
      bytes: 1,
      blocks: [],
      result: { type: "bash", stdout: "preview", stderr: "", persistedOutputPath },
    }) as TailEvent;
  const stdout = async (recorded: string) => {
    const e = await withSpilledOutput(bash(recorded), session, 1000);
    return e.kind === "tool_result" && e.result?.type === "bash" ? e.result.stdout : "";
  };
  // The recorded path is another machine's: its file name is looked up here.
  assert.equal(
    await stdout("/Users/someone/.claude/projects/x/s/tool-results/ok.txt"),
    "all of it",
  );
  assert.equal(await stdout(`${dir.path}/secret.txt`), "preview", "a file elsewhere is not read");
  assert.equal(await stdout("/x/tool-results/.."), "preview");
  assert.equal(await stdout("/x/tool-results/link.txt"), "preview", "a link is not followed");
  assert.equal(await stdout("/x/tool-results/missing.txt"), "preview");
  assert.equal(sessionFolder(`${dir.path}/s/subagents/agent-a1.jsonl`), `${dir.path}/s`);
});

Deno.test("/line of a spilled result answers with the spilled output", async () => {
  await using temp = await tempDir("tailboard-spill-http-");
  const dir = temp.path;
  await Deno.mkdir(`${dir}/${SESSION}/tool-results`, { recursive: true });
  await Deno.copyFile(
    `${LAYOUT}${SESSION}/tool-results/toolu_cat1.txt`,
    `${dir}/${SESSION}/tool-results/toolu_cat1.txt`,
  );
  const text = await Deno.readTextFile(`${LAYOUT}${SESSION}.jsonl`);
  await Deno.writeTextFile(`${dir}/${SESSION}.jsonl`, text);
  const line = await spilledLine();
  const cursor =
    new TextEncoder().encode(text.slice(0, text.indexOf(line) + line.length + 1)).length;
  await using h = await startHarness([], dir);
  const id = await h.agentId(`${SESSION}.jsonl`);
  const res = await fetch(`${h.url}api/agents/${id}/line?cursor=${cursor}`);
  assert.equal(res.status, 200);
  const { event } = await res.json();
  assert.equal(
    event.result.stdout,
    await Deno.readTextFile(`${dir}/${SESSION}/tool-results/toolu_cat1.txt`),
  );
});

Deno.test("spillPage() pages a spill on character boundaries, only from the session's folder", async () => {
  await using dir = await tempDir("tailboard-spill-pages-");
  const session = `${dir.path}/s.jsonl`;
  await Deno.mkdir(`${dir.path}/s/tool-results`, { recursive: true });
  const whole = "ü€😀 line\n".repeat(500);
  await Deno.writeTextFile(`${dir.path}/s/tool-results/big.txt`, whole);
  await Deno.writeTextFile(`${dir.path}/secret.txt`, "not yours");
  await Deno.symlink(`${dir.path}/secret.txt`, `${dir.path}/s/tool-results/link.txt`);
  const bash = (persistedOutputPath: string) =>
    ({
      kind: "tool_result",
      cursor: 1,
      bytes: 1,
      blocks: [],
      result: { type: "bash", stdout: "preview", stderr: "", persistedOutputPath },
    }) as unknown as TailEvent;
  let text = "";
  let pages = 0;
  for (let offset: number | null = 0; offset !== null; pages++) {
    const page = await spillPage(bash("/elsewhere/tool-results/big.txt"), session, offset, 1000);
    assert.ok(page);
    assert.equal(page.bytes, new TextEncoder().encode(whole).length);
    assert.ok(new TextEncoder().encode(page.text).length <= 1000);
    text += page.text;
    offset = page.next;
  }
  assert.equal(text, whole);
  assert.ok(pages > 5);
  assert.equal(await spillPage(bash("/x/tool-results/link.txt"), session, 0, 100), null);
  assert.equal(await spillPage(bash(`${dir.path}/secret.txt`), session, 0, 100), null);
  assert.equal(await spillPage(bash("/x/tool-results/missing.txt"), session, 0, 100), null);
  // A session whose tool-results folder is a link elsewhere: nothing in it is read.
  await Deno.mkdir(`${dir.path}/t`);
  await Deno.symlink(`${dir.path}`, `${dir.path}/t/tool-results`);
  await Deno.writeTextFile(`${dir.path}/plain.txt`, "outside");
  assert.equal(
    await spillPage(bash("/x/tool-results/plain.txt"), `${dir.path}/t.jsonl`, 0, 9),
    null,
  );
});

Deno.test("/line?part=spill pages a spilled result; a line without one is a 404", async () => {
  await using temp = await tempDir("tailboard-spill-http-");
  const dir = temp.path;
  await Deno.mkdir(`${dir}/${SESSION}/tool-results`, { recursive: true });
  const spill = `${dir}/${SESSION}/tool-results/toolu_cat1.txt`;
  await Deno.copyFile(`${LAYOUT}${SESSION}/tool-results/toolu_cat1.txt`, spill);
  const text = await Deno.readTextFile(`${LAYOUT}${SESSION}.jsonl`);
  await Deno.writeTextFile(`${dir}/${SESSION}.jsonl`, text);
  const line = await spilledLine();
  const cursor =
    new TextEncoder().encode(text.slice(0, text.indexOf(line) + line.length + 1)).length;
  await using h = await startHarness([], dir);
  const id = await h.agentId(`${SESSION}.jsonl`);
  const url = `${h.url}api/agents/${id}/line?cursor=${cursor}&part=spill`;
  const first = await (await fetch(`${url}&limit=10`)).json();
  const whole = await Deno.readTextFile(spill);
  assert.deepEqual(first, {
    text: whole.slice(0, 10),
    offset: 0,
    next: 10,
    bytes: new TextEncoder().encode(whole).length,
  });
  const rest = await (await fetch(`${url}&offset=10`)).json();
  assert.equal(first.text + rest.text, whole);
  assert.equal(rest.next, null);
  const firstLine = new TextEncoder().encode(text.slice(0, text.indexOf("\n") + 1)).length;
  const none = await fetch(`${h.url}api/agents/${id}/line?cursor=${firstLine}&part=spill`);
  assert.equal(none.status, 404);
  await none.body?.cancel();
  const bad = await fetch(`${h.url}api/agents/${id}/line?cursor=${cursor}&part=../x`);
  assert.equal(bad.status, 400);
  await bad.body?.cancel();
});
