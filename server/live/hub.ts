/**
 * The fan-out hub behind the page's one live connection. Each browser (each
 * SharedWorker, or each tab without one) holds one SSE stream; on it ride any
 * number of subscriptions, each named by the client's key and each with its
 * own cursor: the agents list, the jobs, the index progress, agents' feeds and
 * job-log tails. One upstream listener per topic is shared by every
 * subscriber, and files go through the shared tail pool, so a file or a topic
 * costs the same for one tab or twenty.
 *
 * Every message is `data: {"k": key, "t": type, "d": payload}` (`events`
 * messages add `id`, the resume token of their last event; a file
 * subscription says `ready` once it is followed); a subscription
 * that fails (an unknown agent, a job without that log) gets an `error`
 * message of its own while the rest carry on.
 */
import type { EncodedEvent } from "../../transcript/encode.ts";
import { jsonBytesOf } from "../../transcript/encode.ts";
import type { TailPool } from "../../files/pool.ts";
import { CursorError } from "../../files/cursor_range.ts";
import { concatBytes } from "../../files/bytes.ts";
import { SseStream } from "../sse.ts";
import { followFile, type FollowFrom } from "./follow_file.ts";
import type { Subscription, SubscriptionChange } from "./subscription.ts";
import { Topic } from "./topic.ts";
import type { EventView } from "../../agents/sidechains.ts";

/** The agents list: its JSON, and its changes. */
export interface AgentsSource {
  listJson(): string;
  get(id: string): { path: string } | undefined;
  /** Which of its file's events an agent's feed shows (an inline subagent's); absent: all. */
  viewOf?(id: string): EventView | undefined;
  subscribe(
    fn: (change: { type: "upsert"; agent: unknown } | { type: "remove"; id: string }) => void,
  ): () => void;
}

/** The scheduler's jobs (only what the hub reads of them). */
export interface JobsSource {
  snapshot(): { jobs: { id: string; stdoutPath: string | null; stderrPath: string | null }[] };
  subscribe(fn: (snapshot: unknown) => void): () => void;
}

/** The history index's progress. */
export interface ProgressSource {
  progress(): unknown;
  subscribe(fn: () => void): () => void;
}

export interface LiveHubOptions {
  agents: AgentsSource;
  pool: TailPool;
  /** Absent: a `jobs` or `job-log` subscription gets an error. */
  jobs?: JobsSource;
  /** Absent or a reason: the index is off, and `index` subscribers are told so (and why) once. */
  index?: ProgressSource | { reason: string };
  /** Index progress messages at most this often. @default 250 */
  progressEveryMs?: number;
}

const encoder = new TextEncoder();
const COMMA = encoder.encode(",");
const off = (reason: string) =>
  JSON.stringify({ state: "off", reason, files: 0, filesTotal: 0, bytes: 0, bytesTotal: 0 });

/** One browser's live stream and its subscriptions. */
export class LiveConnection {
  readonly id = crypto.randomUUID();
  readonly sse = new SseStream();
  /** Each subscription's stop function (null while its file is still opening). */
  readonly #subs = new Map<string, { stop: (() => void) | null; dropped: boolean }>();
  readonly #hub: LiveHub;

  constructor(hub: LiveHub) {
    this.#hub = hub;
    this.sse.send("hello", JSON.stringify({ conn: this.id }));
    this.sse.onClose(() => {
      for (const key of [...this.#subs.keys()]) this.drop(key);
    });
  }

  get size(): number {
    return this.#subs.size;
  }

  /** Applies drops, then adds (an add with a key in use replaces that subscription). */
  async apply(change: SubscriptionChange): Promise<void> {
    for (const key of change.drop) this.drop(key);
    await Promise.all(change.add.map((sub) => this.add(sub)));
  }

  drop(key: string): void {
    const sub = this.#subs.get(key);
    if (!sub) return;
    this.#subs.delete(key);
    sub.dropped = true;
    sub.stop?.();
  }

  async add(sub: Subscription): Promise<void> {
    this.drop(sub.key);
    if (this.sse.closed) return;
    const slot: { stop: (() => void) | null; dropped: boolean } = { stop: null, dropped: false };
    this.#subs.set(sub.key, slot);
    const stop = await this.#hub.start(this, sub);
    if (slot.dropped || this.sse.closed) stop();
    else slot.stop = stop;
  }

  /** Writes one message of a subscription; `payload` is JSON text. */
  send(key: string, type: string, payload: string): void {
    this.sse.write(
      encoder.encode(`data: {"k":${JSON.stringify(key)},"t":"${type}","d":${payload}}\n\n`),
    );
  }

  /**
   * Writes a batch of file events as one `events` message, reusing their
   * encoded bytes; `id` is the last one's resume token, for `after`.
   */
  sendEvents(key: string, batch: readonly EncodedEvent[]): void {
    const last = batch[batch.length - 1]!;
    const parts: Uint8Array[] = [
      encoder.encode(
        `data: {"k":${JSON.stringify(key)},"t":"events","id":${JSON.stringify(last.id)},"d":[`,
      ),
    ];
    batch.forEach((event, i) => {
      if (i > 0) parts.push(COMMA);
      parts.push(jsonBytesOf(event));
    });
    parts.push(encoder.encode("]}\n\n"));
    this.sse.write(concatBytes(parts));
  }

  /** A subscription that cannot be served: said on it alone, then it is gone. */
  fail(key: string, status: number, error: string): void {
    this.#subs.delete(key);
    this.send(key, "error", JSON.stringify({ status, error }));
  }

  /** The subscription's source ended (its file was deleted). */
  end(key: string): void {
    if (!this.#subs.delete(key)) return;
    this.send(key, "end", "null");
  }
}

/** Every live connection of this server, and the upstream listeners they share. */
export class LiveHub {
  readonly #options: LiveHubOptions;
  readonly #connections = new Map<string, LiveConnection>();
  readonly #agents: Topic;
  readonly #jobs: Topic;
  readonly #index: Topic;

  constructor(options: LiveHubOptions) {
    this.#options = options;
    const { agents, jobs, index } = options;
    this.#agents = new Topic((emit) =>
      agents.subscribe((change) =>
        change.type === "upsert"
          ? emit("upsert", JSON.stringify(change.agent))
          : emit("remove", JSON.stringify(change.id))
      )
    );
    this.#jobs = new Topic((emit) => jobs?.subscribe((s) => emit("jobs", JSON.stringify(s))));
    this.#index = new Topic((emit) => {
      if (!index || "reason" in index) return undefined;
      // Coalesce: the newest progress goes out once the interval allows.
      const every = options.progressEveryMs ?? 250;
      let timer: ReturnType<typeof setTimeout> | undefined;
      let sentAt = 0;
      const unsubscribe = index.subscribe(() => {
        if (timer !== undefined) return;
        timer = setTimeout(() => {
          timer = undefined;
          sentAt = Date.now();
          emit("progress", JSON.stringify(index.progress()));
        }, Math.max(0, every - (Date.now() - sentAt)));
      });
      return () => {
        unsubscribe();
        clearTimeout(timer);
      };
    });
  }

  /** Opens a connection; it lives until its stream closes. */
  open(): LiveConnection {
    const conn = new LiveConnection(this);
    this.#connections.set(conn.id, conn);
    conn.sse.onClose(() => this.#connections.delete(conn.id));
    return conn;
  }

  connection(id: string): LiveConnection | undefined {
    return this.#connections.get(id);
  }

  /** Open connections (each is one open stream). */
  get connectionCount(): number {
    return this.#connections.size;
  }

  /** Subscriptions across all connections. */
  get subscriptionCount(): number {
    let n = 0;
    for (const conn of this.#connections.values()) n += conn.size;
    return n;
  }

  /** Starts serving `sub` on `conn`; resolves to its stop function. */
  async start(conn: LiveConnection, sub: Subscription): Promise<() => void> {
    const { key } = sub;
    switch (sub.kind) {
      case "agents":
        conn.send(key, "snapshot", this.#options.agents.listJson());
        return this.#agents.add((type, payload) => conn.send(key, type, payload));
      case "jobs": {
        const jobs = this.#options.jobs;
        if (!jobs) return this.#fail(conn, key, 404, "this server has no scheduler");
        conn.send(key, "jobs", JSON.stringify(jobs.snapshot()));
        return this.#jobs.add((type, payload) => conn.send(key, type, payload));
      }
      case "index": {
        const index = this.#options.index;
        if (!index || "reason" in index) {
          // One message, then nothing: the page turns history off.
          conn.send(key, "progress", off(index?.reason ?? "this server keeps no history index"));
          return () => {};
        }
        conn.send(key, "progress", JSON.stringify(index.progress()));
        return this.#index.add((type, payload) => conn.send(key, type, payload));
      }
      case "agent": {
        const agent = this.#options.agents.get(sub.id);
        if (!agent) return this.#fail(conn, key, 404, "no such agent");
        const view = this.#options.agents.viewOf?.(sub.id);
        return await this.#follow(conn, key, agent.path, view ? { ...sub, view } : sub);
      }
      case "job-log": {
        const job = this.#options.jobs?.snapshot().jobs.find((j) => j.id === sub.id);
        if (!job) return this.#fail(conn, key, 404, "no such job");
        const path = sub.stream === "stdout" ? job.stdoutPath : job.stderrPath;
        if (!path) return this.#fail(conn, key, 404, `the job has no ${sub.stream} log file`);
        return await this.#follow(conn, key, path, sub);
      }
    }
  }

  async #follow(
    conn: LiveConnection,
    key: string,
    path: string,
    from: FollowFrom,
  ): Promise<() => void> {
    try {
      const stop = await followFile(this.#options.pool, path, from, {
        events: (batch) => conn.sendEvents(key, batch),
        end: () => conn.end(key),
      });
      // An empty file sends no backlog: without this the page cannot tell a
      // followed, silent log (the usual stderr) from one still connecting.
      // (A backlog, if any, may arrive just after it.)
      conn.send(key, "ready", "null");
      return stop;
    } catch (error) {
      if (error instanceof CursorError) return this.#fail(conn, key, 400, error.message);
      if (error instanceof Deno.errors.NotFound) {
        return this.#fail(conn, key, 404, "the file is not there (yet)");
      }
      if (error instanceof Deno.errors.PermissionDenied) {
        return this.#fail(conn, key, 403, "permission denied reading the file");
      }
      return this.#fail(conn, key, 500, error instanceof Error ? error.message : String(error));
    }
  }

  #fail(conn: LiveConnection, key: string, status: number, error: string): () => void {
    conn.fail(key, status, error);
    return () => {};
  }
}
