/**
 * Turns the events of one agent into the feed's items, the units a reader
 * sees and `j`/`k` steps through:
 *
 * - an assistant line becomes one item per block (text, thinking, tool call);
 * - a tool call and its result are one item: results and progress lines fold
 *   into the call they answer (`toolUseId`), even when the result arrives
 *   later live or the call only shows up when older pages load;
 * - everything else is one item per event.
 *
 * Pure and DOM-free. Every change bumps `rev` on the model and on each item
 * it touched, so the view re-renders only what changed.
 *
 * @typedef {import("../../core/event.ts").TailEvent} TailEvent
 * @typedef {"user" | "text" | "thinking" | "tool" | "result" | "quiet" | "log" | "marker"} ItemKind
 * @typedef {object} Item
 * @property {string} key unique within the feed: the cursor, plus the block index when an event has several items
 * @property {ItemKind} kind
 * @property {any} event the event this item comes from
 * @property {any} [block] the content block, for per-block items
 * @property {number} [blockIndex]
 * @property {{event: any, block: any} | null} [result] a tool call's result, once known
 * @property {{count: number, last: any} | null} [progress] progress lines folded into a tool call
 * @property {number} rev bumped whenever the item changes
 * @property {number} [h] measured height in pixels (set by the view)
 * @property {number} [h0] estimated height until it is measured (set by the view)
 * @property {number} [i] index in the feed (set by the view's layout)
 */

export class FeedModel {
  /** @type {Item[]} */
  items = [];
  /** Cursor of the oldest loaded event, Infinity when none. */
  firstCursor = Infinity;
  /** Cursor of the newest loaded event, -1 when none. */
  lastCursor = -1;
  /** Whether older events exist before `firstCursor`. */
  hasOlder = false;
  /** Bumped on every change. */
  rev = 0;
  /** Events taken in (for "N new events" counts and stats). */
  eventCount = 0;

  /** @type {Map<string, Item>} tool calls by `toolUseId` */
  #calls = new Map();
  /**
   * True once a main-chain line (`sidechain: false`) was seen: the file mixes
   * a session and its subagents' lines (Claude Code 1.0.x), so sidechain lines
   * fold into the Task call that started them. A subagent's own file is all
   * sidechain and shows as usual.
   */
  #mixed = false;
  /** @type {Map<string, Item | null>} sidechain line uuid → the Task call its chain belongs to */
  #chains = new Map();
  /** @type {Map<string, Item>} results whose call is not loaded (yet) */
  #orphans = new Map();
  /** @type {Map<number, Item>} first item of each event, by cursor */
  #byCursor = new Map();
  #markers = 0;
  /** @type {Map<string, number[]>} cursors of each loaded copy of an upsert-log record (`recordId`) */
  #copies = new Map();
  /** @type {{cursor: number, target: string}[]} loaded rewinds (`rewindTo`), oldest first */
  #rewinds = [];
  /** @type {Set<string>} prompts, replies and thinking loaded (`role\0text`), for `#echo` */
  #said = new Set();
  /** @type {Map<string, Item>} Codex echoes shown while the item they repeat is not loaded */
  #echoes = new Map();
  /** @type {Set<Item>} echoes whose item has loaded since: dropped by `#settle` */
  #echoed = new Set();

  /**
   * Adds newer events (oldest first). Events at or before `lastCursor` are
   * dropped, so a resumed stream never duplicates.
   * @param {TailEvent[]} events
   * @returns {{added: number, reset: boolean}} items added, and whether the file restarted
   */
  append(events) {
    if (!this.#mixed) this.#mixed = events.some((e) => e.sidechain === false);
    let added = 0;
    let reset = false;
    for (const event of events) {
      if (event.kind === "file") {
        if (event.change !== "deleted") {
          // Truncated or rotated: the file starts over, and so does the feed.
          this.#clear();
          reset = true;
          added = 0;
          this.firstCursor = Infinity;
          this.lastCursor = -1;
        }
        const marker = this.#item(event, "marker");
        marker.key = `file-${event.change}-${++this.#markers}`;
        this.items.push(marker);
        added++;
        continue;
      }
      if (event.cursor <= this.lastCursor) continue;
      if (this.items.length === 0 || this.firstCursor === Infinity) {
        this.firstCursor = event.cursor;
        this.hasOlder = startOf(event) > 0;
      }
      this.lastCursor = event.cursor;
      this.eventCount++;
      added += this.#take(event, this.items);
    }
    added -= this.#settle();
    if (added !== 0 || reset) this.rev++;
    return { added, reset };
  }

  /**
   * Adds an older page (oldest first), as `events.json?before=` returns it.
   * @param {TailEvent[]} events
   * @param {boolean} hasMore whether still older events exist
   * @returns {number} the net change in item count (new items, less orphans their calls adopted)
   */
  prepend(events, hasMore) {
    if (!this.#mixed) this.#mixed = events.some((e) => e.sidechain === false);
    const older = events.filter((e) => e.cursor < this.firstCursor);
    this.hasOlder = hasMore;
    if (older.length === 0) {
      this.rev++;
      return 0;
    }
    /** @type {Item[]} */
    const front = [];
    for (const event of older) {
      this.eventCount++;
      this.#take(event, front);
    }
    this.firstCursor = older[0]?.cursor ?? this.firstCursor;
    if (this.lastCursor < 0) this.lastCursor = older[older.length - 1]?.cursor ?? -1;
    // Calls that just loaded may answer results already on screen.
    /** @type {Set<Item>} */
    const adopted = new Set();
    for (const item of front) {
      if (item.kind !== "tool") continue;
      const id = item.block?.id;
      const orphan = id ? this.#orphans.get(id) : undefined;
      if (orphan && !item.result) {
        item.result = { event: orphan.event, block: orphan.block };
        item.rev++;
        this.#orphans.delete(id);
        adopted.add(orphan);
      }
    }
    const rest = adopted.size > 0 ? this.items.filter((i) => !adopted.has(i)) : this.items;
    this.items = front.concat(rest);
    const retracted = this.#settle();
    this.rev++;
    return front.length - adopted.size - retracted;
  }

  /**
   * The item that shows the event at `cursor` (a tool call shows its result too).
   * @param {number} cursor
   * @returns {Item | undefined}
   */
  itemAt(cursor) {
    return this.#byCursor.get(cursor);
  }

  /**
   * Replaces an event by its full, unclamped version (from `/line?cursor=`),
   * wherever the feed shows it.
   * @param {any} full
   * @returns {boolean} whether anything changed
   */
  replaceEvent(full) {
    let changed = false;
    for (const item of this.items) {
      if (item.event?.cursor === full.cursor) {
        item.event = full;
        if (item.blockIndex !== undefined && full.blocks) {
          item.block = full.blocks[item.blockIndex] ?? item.block;
        }
        item.rev++;
        changed = true;
      }
      if (item.result && item.result.event?.cursor === full.cursor) {
        const id = item.result.block?.toolUseId;
        const block = (full.blocks ?? []).find((/** @type {any} */ b) => b.toolUseId === id) ??
          item.result.block;
        item.result = { event: full, block };
        item.rev++;
        changed = true;
      }
    }
    if (changed) this.rev++;
    return changed;
  }

  /** The tool call item for a `toolUseId`, if loaded. */
  /** @param {string} id */
  callFor(id) {
    return this.#calls.get(id);
  }

  #clear() {
    this.items = [];
    this.#chains.clear();
    this.#mixed = false;
    this.#calls.clear();
    this.#orphans.clear();
    this.#byCursor.clear();
    this.#copies.clear();
    this.#rewinds = [];
    this.#said.clear();
    this.#echoes.clear();
    this.#echoed.clear();
    this.hasOlder = false;
  }

  /**
   * Upsert logs (Gemini CLI chats) rewrite a record under the same id and
   * truncate with a rewind; the stream only appends, so both arrive as events
   * and are applied here. An item of a record is dropped once a later copy of
   * the record is loaded, or once a loaded rewind retracts it. Both only ever
   * grow, so a dropped item never comes back, whichever order pages load in.
   * Codex echoes whose item has loaded go here too (`#heard`).
   * @returns {number} items dropped
   */
  #settle() {
    if (this.#copies.size === 0 && this.#echoed.size === 0) return 0;
    /** @type {Set<Item>} */
    const dropped = new Set(this.#echoed);
    this.#echoed.clear();
    for (const item of this.items) {
      const event = item.event;
      if (event?.recordId !== undefined && this.#retracted(event)) dropped.add(item);
    }
    if (dropped.size === 0) return 0;
    this.items = this.items.filter((i) => !dropped.has(i));
    for (const [cursor, item] of this.#byCursor) {
      if (dropped.has(item)) this.#byCursor.delete(cursor);
    }
    // A dropped copy's calls hand over to the copy that replaced them.
    for (const [id, item] of this.#calls) if (dropped.has(item)) this.#calls.delete(id);
    for (const item of this.items) {
      if (item.kind === "tool" && item.block?.id && !this.#calls.has(item.block.id)) {
        this.#calls.set(item.block.id, item);
      }
    }
    return dropped.size;
  }

  /**
   * Whether a record's copy is superseded by a later copy, or retracted by a
   * later rewind: Gemini CLI drops the rewind's target and every record first
   * written after it (a target it does not know drops them all).
   * @param {any} event
   */
  #retracted(event) {
    const copies = this.#copies.get(event.recordId) ?? [];
    if (copies.some((c) => c > event.cursor)) return true;
    for (const rewind of this.#rewinds) {
      if (rewind.cursor <= event.cursor) continue;
      const first = this.#firstBefore(event.recordId, rewind.cursor);
      const target = this.#firstBefore(rewind.target, rewind.cursor);
      if (first !== undefined && (target === undefined || first >= target)) return true;
    }
    return false;
  }

  /**
   * Codex writes a prompt, reply or reasoning twice: as the response item the
   * feed shows, and again for its own UI (`echo`). An echo shows only while
   * the item it repeats is not loaded (a reply's echo may come first), and
   * goes once it is; one whose item never comes stays.
   * @param {any} event
   * @param {Item[]} out
   */
  #echo(event, out) {
    const key = `${event.role ?? "thinking"}\u0000${event.text.trim()}`;
    if (this.#said.has(key)) return 0;
    const item = this.#item(event, "quiet");
    this.#echoes.set(key, item);
    out.push(item);
    return 1;
  }

  /**
   * A prompt, reply or thinking is loaded: an echo of it shown meanwhile
   * goes. A thinking joins its summary parts, each its own echo; Codex opens
   * each part with a bold title, so the text is split there too.
   * @param {"user" | "assistant" | "thinking"} role
   * @param {string} text
   */
  #heard(role, text) {
    const parts = role === "thinking" ? [text, ...text.split(/\n\n(?=\*\*)/)] : [text];
    for (const part of parts) {
      const key = `${role}\u0000${part.trim()}`;
      this.#said.add(key);
      const echo = this.#echoes.get(key);
      if (echo) this.#echoed.add(echo);
      this.#echoes.delete(key);
    }
  }

  /**
   * Cursor of a record's first loaded copy before `cursor`.
   * @param {string} id
   * @param {number} cursor
   */
  #firstBefore(id, cursor) {
    let first;
    for (const c of this.#copies.get(id) ?? []) if (c < cursor && (first ?? c) >= c) first = c;
    return first;
  }

  /**
   * @param {any} event
   * @param {ItemKind} kind
   * @param {number} [blockIndex]
   * @returns {Item}
   */
  #item(event, kind, blockIndex) {
    /** @type {Item} */
    const item = {
      key: blockIndex === undefined ? String(event.cursor) : `${event.cursor}.${blockIndex}`,
      kind,
      event,
      rev: 0,
    };
    if (blockIndex !== undefined) {
      item.blockIndex = blockIndex;
      item.block = event.blocks?.[blockIndex];
    }
    if (!this.#byCursor.has(event.cursor)) this.#byCursor.set(event.cursor, item);
    return item;
  }

  /**
   * A subagent's line inside its session's file (Claude Code 1.0.x): its
   * chain starts with the subagent's prompt (`parentUuid: null`), which is the
   * Task call's prompt; every later line follows its parent's chain. The line
   * counts as the call's progress, never as the session's own work, and a
   * subagent's prompt never reads as the user's.
   * @param {any} event
   * @param {Item[]} out
   * @returns {boolean} whether the line was taken
   */
  #foldSidechain(event, out) {
    /** @type {Item | null | undefined} */
    let call = event.parentUuid ? this.#chains.get(event.parentUuid) : undefined;
    if (call === undefined && !event.parentUuid && event.kind === "user") {
      call = this.#taskCallFor(event.text) ?? null;
    }
    if (event.uuid) this.#chains.set(event.uuid, call ?? null);
    if (call) {
      call.progress = { count: (call.progress?.count ?? 0) + 1, last: event };
      call.rev++;
      if (!this.#byCursor.has(event.cursor)) this.#byCursor.set(event.cursor, call);
      return true;
    }
    if (event.kind === "user") {
      // Its Task call is not loaded (yet): quiet, and still not the user's.
      out.push(this.#item(event, "quiet"));
      return true;
    }
    return false;
  }

  /**
   * The newest loaded Task/Agent call whose prompt is `prompt`.
   * @param {string | undefined} prompt
   */
  #taskCallFor(prompt) {
    if (!prompt) return undefined;
    /** @type {Item | undefined} */
    let found;
    for (const item of this.#calls.values()) {
      const input = item.block?.input;
      if (input && typeof input === "object" && input.prompt === prompt) found = item;
    }
    return found;
  }

  /**
   * Converts one event into items pushed onto `out`; folds results and progress.
   * @param {any} event
   * @param {Item[]} out
   * @returns {number} items pushed
   */
  #take(event, out) {
    const before = out.length;
    if (event.kind === "codex" && event.echo === true) return this.#echo(event, out);
    if (event.recordId !== undefined) {
      const copies = this.#copies.get(event.recordId);
      if (copies) copies.push(event.cursor);
      else this.#copies.set(event.recordId, [event.cursor]);
    }
    if (event.kind === "meta" && typeof event.rewindTo === "string") {
      this.#rewinds.push({ cursor: event.cursor, target: event.rewindTo });
    }
    if (event.sidechain === true && this.#mixed && this.#foldSidechain(event, out)) {
      return out.length - before;
    }
    if (event.sidechain === false) this.#mixed = true;
    switch (event.kind) {
      case "user": {
        const quiet = event.isMeta || event.isCompactSummary || isInjected(event.text);
        if (!quiet) this.#heard("user", event.text);
        out.push(this.#item(event, quiet ? "quiet" : "user"));
        break;
      }
      case "assistant": {
        const blocks = event.blocks ?? [];
        blocks.forEach((/** @type {any} */ block, /** @type {number} */ bi) => {
          if (block.type === "text") {
            if (block.text.trim()) out.push(this.#item(event, "text", bi));
            this.#heard("assistant", block.text);
          } else if (block.type === "thinking" || block.type === "redacted_thinking") {
            out.push(this.#item(event, "thinking", bi));
            if (block.text) this.#heard("thinking", block.text);
          } else if (block.type === "tool_use") {
            const item = this.#item(event, "tool", bi);
            item.result = null;
            item.progress = null;
            if (block.id) this.#calls.set(block.id, item);
            out.push(item);
          } else if (block.type === "tool_result") {
            // Some agents (Gemini) write a call and its result in one message.
            const call = this.#calls.get(block.toolUseId);
            if (call && !call.result) {
              call.result = { event, block };
              call.rev++;
            } else out.push(this.#item(event, "result", bi));
          } else {
            out.push(this.#item(event, "quiet", bi));
          }
        });
        if (out.length === before && blocks.length === 0) out.push(this.#item(event, "quiet"));
        break;
      }
      case "tool_result": {
        const blocks = event.blocks ?? [];
        blocks.forEach((/** @type {any} */ block, /** @type {number} */ bi) => {
          if (block.type !== "tool_result") {
            if (block.type === "text" && block.text.trim()) out.push(this.#item(event, "user", bi));
            return;
          }
          const call = this.#calls.get(block.toolUseId);
          if (call && !call.result) {
            call.result = { event, block };
            call.rev++;
            if (!this.#byCursor.has(event.cursor)) this.#byCursor.set(event.cursor, call);
          } else {
            const orphan = this.#item(event, "result", bi);
            if (block.toolUseId) this.#orphans.set(block.toolUseId, orphan);
            out.push(orphan);
          }
        });
        break;
      }
      case "progress": {
        const call = event.toolUseId ? this.#calls.get(event.toolUseId) : undefined;
        if (call) {
          call.progress = { count: (call.progress?.count ?? 0) + 1, last: event };
          call.rev++;
          if (!this.#byCursor.has(event.cursor)) this.#byCursor.set(event.cursor, call);
        } else out.push(this.#item(event, "quiet"));
        break;
      }
      case "text":
        out.push(this.#item(event, "log"));
        break;
      case "file": {
        const marker = this.#item(event, "marker");
        marker.key = `file-${event.change}-${++this.#markers}`;
        out.push(marker);
        break;
      }
      default:
        out.push(this.#item(event, "quiet"));
    }
    return out.length - before;
  }
}

/**
 * Whether a user line is something the CLI wrote rather than the human typed:
 * slash-command echoes (`<command-name>`), their output, Codex's environment
 * context. Those read as quiet one-liners.
 * @param {string | undefined} text
 */
export function isInjected(text) {
  return typeof text === "string" &&
    /^\s*<(command-name|command-message|local-command-stdout|local-command-stderr|environment_context|user_instructions|system-reminder)>/
      .test(text);
}

/**
 * Byte offset where an event's line starts (its cursor minus the line and newline).
 * @param {{cursor: number, bytes: number}} event
 */
export function startOf(event) {
  return Math.max(0, event.cursor - event.bytes - 1);
}
