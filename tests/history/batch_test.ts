/**
 * The batch in hand (history/batch.ts): its rows go into the database as they
 * are read, inside one transaction that its offsets close, so the database
 * never holds rows without the offset that says they are there.
 */

import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { silentLogger } from "../../core/log.ts";
import { NO_OVERRIDES } from "../../cost/prices.ts";
import type { UsageRecord } from "../../cost/usage.ts";
import type { Batch, PendingEvent } from "../../history/batch.ts";
import { HistoryStore } from "../../history/store.ts";

const TS = "2026-11-20T10:00:00.000Z";

function event(agentId: string, cursor: number, text: string): PendingEvent {
  return { ms: Date.parse(TS), agentId, cursor, ts: TS, kind: "prompt", text };
}

function usage(key: string, input: number): UsageRecord {
  return {
    key,
    model: "claude-sonnet-4-5-20250929",
    ts: TS,
    vendor: "anthropic",
    input,
    output: 10,
    cacheWrite5m: 0,
    cacheWrite1h: 0,
    cacheRead: 0,
  };
}

/** What the indexer notes for a file it read up to `offset`. */
function readTo(batch: Batch, agentId: string, offset: number, mtime: number): void {
  const path = `/transcripts/${agentId}.jsonl`;
  batch.mtimes.set(agentId, mtime);
  batch.files.set(path, {
    path,
    agentId,
    ino: null,
    size: offset,
    offset,
    mtime,
    head: "",
    tag: "",
  });
  batch.agents.set(agentId, { agentId, path, source: "claude", project: "p", title: agentId });
}

async function withStore(fn: (store: HistoryStore, other: DatabaseSync) => void): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "tailboard-batch-" });
  const store = new HistoryStore(dir, silentLogger, NO_OVERRIDES);
  // A second connection: what a crash right now would leave on disk.
  const other = new DatabaseSync(`${dir}/history.db`, { readOnly: true });
  try {
    fn(store, other);
  } finally {
    other.close();
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
}

const count = (db: DatabaseSync, table: string) =>
  (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

Deno.test("a batch's rows are on disk only with the offsets that cover them", async () => {
  await withStore((store, other) => {
    const batch = store.batch();
    batch.addEvent(event("a", 100, "first words"));
    batch.addUsage(usage("msg_1:req_1", 1000), "a");
    readTo(batch, "a", 100, 1_000);
    assert.equal(batch.rows, 2);
    assert.equal(count(other, "events"), 0, "nothing committed yet");
    assert.equal(count(other, "files"), 0);

    const touched = store.commit(batch);
    assert.deepEqual([...touched], ["a"]);
    assert.equal(count(other, "events"), 1);
    assert.equal(count(other, "usage"), 1);
    assert.equal(store.files.get("/transcripts/a.jsonl")?.offset, 100);
    assert.equal(store.usageOf("a").tokens, 1010);
  });
});

Deno.test("a row that fails to write undoes the whole batch, and the next one starts clean", async () => {
  await withStore((store, other) => {
    const batch = store.batch();
    batch.addEvent(event("a", 100, "kept only if all of it is"));
    batch.addUsage(usage("msg_1:req_1", 1000), "a");
    // A record the usage table refuses (its model is NOT NULL).
    const bad = { ...usage("msg_2:req_2", 5), model: null } as unknown as UsageRecord;
    assert.throws(() => batch.addUsage(bad, "a"));
    assert.equal(batch.lost, true);
    assert.equal(count(store.db, "events"), 0, "the rows before the failure went too");
    assert.equal(count(store.db, "usage"), 0);
    assert.equal(store.usageOf("a").tokens, 0, "the kept sums forgot them");

    const next = store.batch();
    next.addEvent(event("a", 100, "read again"));
    readTo(next, "a", 100, 1_000);
    store.commit(next);
    assert.equal(count(other, "events"), 1);
    assert.equal(store.files.get("/transcripts/a.jsonl")?.offset, 100);
  });
});

Deno.test("a response carried twice counts once: the larger snapshot, else the older file's", async () => {
  await withStore((store) => {
    const batch = store.batch();
    batch.addUsage(usage("msg_1:req_1", 1), "a");
    batch.addUsage(usage("msg_1:req_1", 500), "a");
    batch.addUsage(usage("msg_1:req_1", 3), "a");
    readTo(batch, "a", 10, 1_000);
    // The same response replayed into another file, read first: its file is
    // the newer one, so the older file (read second, in the same batch) owns it.
    batch.addUsage(usage("msg_2:req_2", 40), "resumed");
    readTo(batch, "resumed", 10, 9_000);
    batch.addUsage(usage("msg_2:req_2", 40), "a");
    store.commit(batch);
    assert.equal(store.usageOf("a").tokens, 510 + 50);
    assert.equal(store.usageOf("resumed").tokens, 0);
    assert.equal(count(store.db, "usage"), 2);
  });
});
