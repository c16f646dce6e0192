/**
 * Whose file is `history.db`? tailboard stamps its databases with SQLite's
 * `application_id` (a header field meant for exactly this); anything else with
 * that name — another tool's SQLite file, say atuin's shell history, or bytes
 * that are not a database at all — is someone else's and is left untouched.
 * Decided from the 100-byte header, before SQLite opens the file: opening
 * would already write to it (WAL mode is stored in the header).
 */
import { DatabaseSync } from "node:sqlite";

/** "tbhd" in ASCII: tailboard history database. */
export const APPLICATION_ID = 0x74626864;

const MAGIC = "SQLite format 3\u0000";
const HEADER_BYTES = 100;

/**
 * - `absent`, `empty`: nothing to lose; tailboard creates its database there.
 * - `ours`: stamped with tailboard's application id.
 * - `unstamped`: a SQLite file with no application id: tailboard's own from
 *   before it stamped them, or another tool's (see `isUnstampedOurs`).
 * - `foreign`: another application id, or not SQLite at all.
 */
export type DbOwner =
  | { kind: "absent" | "empty" | "ours" | "unstamped" }
  | { kind: "foreign"; why: string };

/** Reads a database file's header from a path and says whose it is. */
export function ownerOfFile(path: string): DbOwner {
  let file: Deno.FsFile;
  try {
    file = Deno.openSync(path, { read: true });
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { kind: "absent" };
    throw error;
  }
  try {
    const header = new Uint8Array(HEADER_BYTES);
    let got = 0;
    while (got < HEADER_BYTES) {
      const n = file.readSync(header.subarray(got));
      if (n === null || n === 0) break;
      got += n;
    }
    return ownerOf(header.subarray(0, got));
  } finally {
    file.close();
  }
}

/** Whose database a header says it is (pure; `header` is the file's first bytes, up to 100). */
export function ownerOf(header: Uint8Array): DbOwner {
  if (header.length === 0) return { kind: "empty" };
  const magic = new TextDecoder().decode(header.subarray(0, MAGIC.length));
  if (header.length < HEADER_BYTES || magic !== MAGIC) {
    return { kind: "foreign", why: "it is not a SQLite database" };
  }
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  // Both big-endian in SQLite's file header: application_id at 68, user_version at 60.
  const app = view.getUint32(68);
  if (app === APPLICATION_ID) return { kind: "ours" };
  if (app === 0) return { kind: "unstamped" };
  return {
    kind: "foreign",
    why: `it is another application's SQLite database (application_id 0x${app.toString(16)})`,
  };
}

/** The tables tailboard's first schema created, which no other tool's file has together. */
const OUR_TABLES = ["agents", "events", "events_fts", "files", "meta", "usage", "usage_days"];

/**
 * Whether an unstamped SQLite file is tailboard's own from before the stamp:
 * the same set of tables. Read through an `immutable` URI, so SQLite takes no
 * lock and creates no `-wal` or `-shm` beside a file that may not be ours.
 */
export function isUnstampedOurs(path: string): boolean {
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(`file:${path.split("/").map(encodeURIComponent).join("/")}?immutable=1`, {
      readOnly: true,
    });
    const names = (db.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'events_fts_%'",
    ).all() as { name: string }[]).map((r) => r.name).sort();
    return names.length === OUR_TABLES.length && names.every((n, i) => n === OUR_TABLES[i]);
  } catch {
    return false; // Unreadable as SQLite: not provably ours.
  } finally {
    db?.close();
  }
}
