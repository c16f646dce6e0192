import assert from "node:assert/strict";
import { Resume } from "../../ui/data/live_resume.js";

const ev = (cursor: number) => ({ kind: "assistant", cursor, text: `e${cursor}` });
const cursors = (m: { d: { cursor?: number }[] } | null) => m?.d.map((e) => e.cursor) ?? null;

Deno.test("Resume keeps the newest cursor and token, and cuts repeats from late messages", () => {
  const r = new Resume();
  assert.deepEqual(cursors(r.take({ t: "events", d: [ev(0), ev(10)], id: "t10" })), [0, 10]);
  assert.deepEqual([r.cursor, r.after], [10, "t10"]);
  // The next connection replays from an older point: only what is new gets through.
  assert.deepEqual(cursors(r.take({ t: "events", d: [ev(10), ev(20)], id: "t20" })), [20]);
  assert.equal(r.after, "t20");
  // Nothing new: dropped, and the token stays at the newest.
  assert.equal(r.take({ t: "events", d: [ev(0), ev(20)], id: "t20-old" }), null);
  assert.equal(r.after, "t20");
});

Deno.test("Resume starts the cursors over after a truncation, and forgets on error or end", () => {
  const r = new Resume();
  r.take({ t: "events", d: [ev(50)], id: "a" });
  const restarted = r.take({
    t: "events",
    d: [{ kind: "file", change: "truncated" }, ev(0)],
    id: "b",
  });
  assert.equal(restarted?.d.length, 2, "the marker and the file's first event");
  assert.equal(r.cursor, 0);
  // A deleted file's marker does not reset: its events are gone, not rewritten.
  r.take({ t: "events", d: [{ kind: "file", change: "deleted" }], id: "c" });
  assert.equal(r.cursor, 0);
  const error = { t: "error", d: { status: 404, error: "gone" } };
  assert.equal(r.take(error), error, "other messages pass as they are");
  assert.deepEqual([r.cursor, r.after], [-1, null]);
});
