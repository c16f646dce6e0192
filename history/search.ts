/**
 * Full-text search over the history index. The user's words never reach FTS5
 * as syntax: each word or quoted phrase becomes a quoted FTS5 string, so
 * `foo(bar`, `AND` or `-` are just text, and the only errors left are ones we
 * can name (an unbalanced quote, nothing to search for).
 */
import type { DatabaseSync, StatementSync } from "node:sqlite";
import type { SearchKind } from "./extract.ts";

/** A search the user can fix: the message is shown as is (HTTP 400). */
export class QueryError extends Error {}

export interface SearchOptions {
  /** Hits per page. @default 50 */
  limit?: number;
  /** The `next` of the previous page: only older hits. */
  before?: string;
}

/** A piece of a snippet; `hit` pieces are what matched, for the UI to highlight. */
export interface Segment {
  text: string;
  hit: boolean;
}

export interface SearchHit {
  /** Opaque and time-ordered; `before` takes the last one to page on. */
  id: string;
  agentId: string;
  title: string;
  project: string;
  source: string;
  /** Byte offset just after the line: open the feed at `/agents/:agentId#cursor`. */
  cursor: number;
  ts: string | null;
  kind: SearchKind;
  snippet: Segment[];
}

export interface SearchResult {
  /** The FTS5 query actually run, for debugging and display. */
  query: string;
  /** Newest first; consecutive hits of one agent can be grouped as they come. */
  hits: SearchHit[];
  /** Pass as `before` for the next page; null on the last page. */
  next: string | null;
}

export const MAX_LIMIT = 200;
const MAX_QUERY_CHARS = 500;
const MAX_TERMS = 16;
/** Shorter prefixes match so many words that the query cannot be fast. */
const MIN_PREFIX_CHARS = 3;
/** Words of the snippet around the hits. */
const SNIPPET_TOKENS = 24;

const HIT_OPEN = "\u0001";
const HIT_CLOSE = "\u0002";
const WORDLIKE = /[\p{L}\p{N}]/u;

interface Term {
  text: string;
  prefix: boolean;
  negated: boolean;
}

/**
 * Turns what the user typed into an FTS5 query: words and `"quoted phrases"`
 * must all match; `word*` matches words starting so; `-word` excludes.
 * Throws QueryError for input that cannot mean a search.
 */
export function toFtsQuery(input: string): string {
  const q = input.trim();
  if (!q) throw new QueryError("the search is empty: type some words to find");
  // SQLite reads the query as a C string: a NUL would cut it short mid-phrase.
  if (q.includes("\u0000")) throw new QueryError("the search has a NUL character in it");
  if (q.length > MAX_QUERY_CHARS) {
    throw new QueryError(`the search is too long (at most ${MAX_QUERY_CHARS} characters)`);
  }
  const terms = _terms(q);
  const wanted = terms.filter((t) => !t.negated);
  if (wanted.length === 0) {
    throw new QueryError(
      terms.length === 0
        ? "the search has no words to find (only punctuation)"
        : "the search only excludes words: add one to find",
    );
  }
  if (terms.length > MAX_TERMS) {
    throw new QueryError(`the search has too many words (at most ${MAX_TERMS})`);
  }
  const show = (t: Term) => `"${t.text.replaceAll('"', '""')}"${t.prefix ? "*" : ""}`;
  const must = wanted.map(show).join(" AND ");
  const not = terms.filter((t) => t.negated).map(show);
  return not.length === 0 ? must : `(${must}) NOT (${not.join(" OR ")})`;
}

function _terms(q: string): Term[] {
  const terms: Term[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    let negated = false;
    if (c === "-" && i + 1 < q.length && !/\s/.test(q[i + 1]!)) {
      negated = true;
      i++;
    }
    let text: string;
    if (q[i] === '"') {
      const close = q.indexOf('"', i + 1);
      if (close === -1) {
        throw new QueryError('the search has an unbalanced quote: close the phrase with "');
      }
      text = q.slice(i + 1, close);
      i = close + 1;
    } else {
      let end = i;
      while (end < q.length && !/\s/.test(q[end]!) && q[end] !== '"') end++;
      text = q.slice(i, end);
      i = end;
    }
    let prefix = false;
    if (q[i] === "*") {
      // `"a phrase"*`: the star belongs to the phrase's last word.
      prefix = true;
      i++;
    } else if (text.endsWith("*")) {
      prefix = true;
      text = text.replace(/\*+$/, "");
    }
    // A bare `*` inside a word is literal text to us, not FTS5 syntax.
    if (!WORDLIKE.test(text)) continue;
    if (prefix && _lastWord(text).length < MIN_PREFIX_CHARS) {
      throw new QueryError(
        `"${text}*" is too short to match as a prefix: type at least ${MIN_PREFIX_CHARS} letters`,
      );
    }
    terms.push({ text, prefix, negated });
  }
  return terms;
}

function _lastWord(text: string): string {
  const words = text.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  return words[words.length - 1] ?? "";
}

interface Row {
  id: number;
  agent_id: string;
  cursor: number;
  ts: string | null;
  kind: SearchKind;
  title: string | null;
  project: string | null;
  source: string | null;
  snip: string;
}

const statements = new WeakMap<DatabaseSync, StatementSync>();

/** Runs a search; newest hits first. Throws QueryError for bad input. */
export function search(
  db: DatabaseSync,
  input: string,
  options: SearchOptions = {},
): SearchResult {
  const limit = options.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new QueryError(`limit must be a whole number from 1 to ${MAX_LIMIT}`);
  }
  const before = options.before === undefined ? Number.MAX_SAFE_INTEGER : _parseId(options.before);
  const query = toFtsQuery(input);
  let statement = statements.get(db);
  if (!statement) {
    statement = db.prepare(
      `SELECT e.id, e.agent_id, e.cursor, e.ts, e.kind, a.title, a.project, a.source,
        snippet(events_fts, 0, char(1), char(2), '…', ${SNIPPET_TOKENS}) AS snip
      FROM events_fts
      JOIN events e ON e.id = events_fts.rowid
      LEFT JOIN agents a ON a.agent_id = e.agent_id
      WHERE events_fts MATCH ? AND events_fts.rowid < ?
      ORDER BY events_fts.rowid DESC
      LIMIT ?`,
    );
    statements.set(db, statement);
  }
  let rows: Row[];
  try {
    rows = statement.all(query, before, limit + 1) as unknown as Row[];
  } catch (error) {
    // Quoting leaves FTS5 nothing to reject, but if it does, it is still the query's fault.
    if (error instanceof Error && /fts5|syntax error|unterminated string/i.test(error.message)) {
      throw new QueryError(`the search could not be understood: ${error.message}`);
    }
    throw error;
  }
  const more = rows.length > limit;
  if (more) rows.pop();
  const hits = rows.map((r): SearchHit => ({
    id: _formatId(r.id),
    agentId: r.agent_id,
    title: r.title ?? "(unknown agent)",
    project: r.project ?? "",
    source: r.source ?? "",
    cursor: r.cursor,
    ts: r.ts,
    kind: r.kind,
    snippet: segments(r.snip),
  }));
  const last = hits[hits.length - 1];
  return { query, hits, next: more && last ? last.id : null };
}

/** Splits FTS5's marked snippet into plain-text segments; never HTML. */
export function segments(marked: string): Segment[] {
  const out: Segment[] = [];
  let i = 0;
  while (i < marked.length) {
    const open = marked.indexOf(HIT_OPEN, i);
    if (open === -1) {
      out.push({ text: marked.slice(i), hit: false });
      break;
    }
    if (open > i) out.push({ text: marked.slice(i, open), hit: false });
    let close = marked.indexOf(HIT_CLOSE, open + 1);
    if (close === -1) close = marked.length;
    out.push({ text: marked.slice(open + 1, close), hit: true });
    i = close + 1;
  }
  return out.filter((s) => s.text.length > 0);
}

function _formatId(id: number): string {
  return id.toString(36);
}

function _parseId(value: string): number {
  const id = /^[0-9a-z]{1,12}$/.test(value) ? parseInt(value, 36) : NaN;
  if (!Number.isSafeInteger(id) || id <= 0) {
    throw new QueryError("before must be the `next` value of a previous page");
  }
  return id;
}
