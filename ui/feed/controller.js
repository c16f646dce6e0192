/**
 * The state and behaviour of one agent's feed: takes events from the live
 * connection (data/api.js), applies them to the model once per animation
 * frame, keeps the window of items to draw, and follows the bottom or holds
 * the reader's place. The view (feed.js) draws what it publishes; cards get
 * `cardProps`, plain callbacks, and never see the controller.
 *
 * @typedef {import("./model.js").Item} Item
 * @typedef {import("./card_props.js").CardProps} CardProps
 */
import { batch, signal } from "@preact/signals";
import { FeedModel } from "./model.js";
import { isAtBottom, Layout, scrollToReveal, visibleRange } from "./window.js";
import { fetchOlder, followEvents } from "../data/api.js";
import { estimate, Freshness } from "./derived.js";
import { HeightGuesses } from "./heights.js";
import { cardPropsFor, loadFullLines } from "./card_props.js";
import { cancelFrame, observeSize, onNextFrame, setScrollTop, unobserveSize } from "./frame.js";

/** Space above the first card (holds "loading older…" / "start of transcript"). */
export const TOP_PAD = 44;
/** Space below the last card. */
const BOTTOM_PAD = 28;
/** Load older events when the reader is this close to the top. */
const LOAD_OLDER_PX = 800;
/** Events per page when scrolling back. */
const PAGE = 300;

/** The state and behaviour of one agent's feed; the component below draws it. */
export class FeedController {
  model = new FeedModel();
  #heights = new HeightGuesses();
  layout = new Layout((/** @type {Item} */ item) => item.h ?? (item.h0 ??= estimate(item)));
  /** What to draw: the window of items and a counter that changes with every layout. */
  view = signal({ start: 0, end: 0, tick: 0 });
  follow = signal(true);
  unseen = signal(0);
  status = signal(/** @type {import("../data/api.js").StreamStatus} */ ("connecting"));
  loadingOlder = signal(false);
  /** Keys of the selected card and of cards toggled open. */
  selected = signal(/** @type {string | null} */ (null));
  expanded = signal(/** @type {Set<string>} */ (new Set()));
  /** Cursors whose full line is being fetched. */
  fetching = signal(/** @type {Set<number>} */ (new Set()));
  /** An error worth showing in the feed (older page failed and the like). */
  error = signal(/** @type {string | null} */ (null));

  /** @type {HTMLElement | null} */ scroller = null;
  /** @type {HTMLElement | null} */ spacer = null;
  /** @type {any[]} */ #pending = [];
  /** @type {{events: any[], hasMore: boolean} | null} */ #older = null;
  #raf = false;
  #flushNow = () => this.#flush();
  /** @type {ReturnType<typeof setTimeout> | undefined} */ #fallback;
  /**
   * The scroller's scrollTop and height as last read or set. Reading them from
   * the DOM after a change forces a synchronous layout; these do not.
   */
  #top = 0;
  #height = 0;
  /** A scrollTop we set ourselves; its scroll event is not the reader's. */
  #expectTop = -1;
  #lastTop = 0;
  /** @type {number | null} a `#cursor` to reveal once loaded */
  #target = null;
  #focusPending = false;
  /** The first item whose offset may be stale (Infinity: none). */
  #dirtyFrom = 0;
  /** A card that just opened while following: the anchor until its new height is known. */
  /** @type {Item | null} */ #pin = null;
  /** @type {ReturnType<typeof setTimeout> | undefined} */ #pinTimer;
  /** Which events are new to the reader (written after the feed opened). */
  #fresh = new Freshness();
  /** @type {(() => void) | null} */ #close = null;
  /** @type {WeakMap<Element, Item>} */ #rows = new WeakMap();
  /** The rows being measured (see observeSize). @type {Set<Element>} */ #sized = new Set();
  #resized = (/** @type {import("./frame.js").SizeEntry[]} */ entries) => this.#onResize(entries);

  /**
   * @param {string} agentId
   * @param {number | null} cursor a card to reveal (deep link)
   * @param {number | null} size the file's size when the feed opened: events up to it
   *   are history, not "new events", even when the reader is not at the bottom
   */
  constructor(agentId, cursor, size) {
    this.agentId = agentId;
    this.#target = cursor;
    if (size !== null) this.#fresh.baseline(size);
    this.cardProps = cardPropsFor(this);
    if (cursor !== null) this.follow.value = false;
  }

  start() {
    this.#close = followEvents(this.agentId, {
      onEvents: (events) => {
        this.#pending.push(...events);
        this.#schedule();
      },
      onStatus: (s) => {
        this.status.value = s;
      },
    });
  }

  stop() {
    this.#close?.();
    this.#close = null;
    cancelFrame(this.#flushNow);
    clearTimeout(this.#fallback);
    clearTimeout(this.#pinTimer);
    for (const el of this.#sized) unobserveSize(el);
    this.#sized.clear();
  }

  /**
   * @param {HTMLElement | null} scroller
   * @param {HTMLElement | null} spacer
   */
  attach(scroller, spacer) {
    this.scroller = scroller;
    this.spacer = spacer;
    if (scroller) {
      this.#height = scroller.clientHeight;
      this.#top = scroller.scrollTop;
      this.#relayout(this.#anchor());
    }
  }

  /* ---------- what cards may ask and do (plain callbacks, see cardProps) ---------- */

  /** @param {string} key */
  toggle = (key) => {
    const next = new Set(this.expanded.value);
    const opening = !next.has(key);
    if (opening) next.add(key);
    else next.delete(key);
    this.expanded.value = next;
    const item = this.model.items.find((i) => i.key === key);
    if (opening && item) {
      // While following, an opening card keeps its top still until it is measured (see #onResize).
      if (this.follow.value) {
        this.#pin = item;
        clearTimeout(this.#pinTimer);
        this.#pinTimer = setTimeout(() => (this.#pin = null), 1000);
      }
      void loadFullLines(this, item);
    }
  };

  /**
   * @param {Item} item
   * @param {{hash?: boolean, focus?: boolean}} [opts]
   */
  select = (item, opts = {}) => {
    this.selected.value = item.key;
    this.#target = null;
    if (opts.hash && typeof item.event?.cursor === "number") {
      history.replaceState(history.state, "", `#${item.event.cursor}`);
    }
    if (opts.focus) this.#focusPending = true;
  };

  /** @param {number | undefined} cursor */
  loading = (cursor) => cursor !== undefined && this.fetching.value.has(cursor);

  /** The callbacks cards get as their `ctx` prop (see card_props.js). @type {CardProps} */
  cardProps;

  /* ---------- keyboard and buttons ---------- */

  /** Selects the next (+1) or previous (-1) card and brings it into view. @param {number} delta */
  move(delta) {
    const items = this.layout.items;
    if (items.length === 0) return;
    const current = this.#selectedIndex();
    let next;
    if (current < 0) {
      const { start, end } = this.view.value;
      next = delta > 0 ? this.#firstVisible(start, end) : this.#lastVisible(start, end);
    } else next = Math.max(0, Math.min(items.length - 1, current + delta));
    const item = items[next];
    if (!item) return;
    this.select(item, { hash: true, focus: true });
    this.reveal(next);
    if (delta < 0 && next === 0 && this.model.hasOlder) void this.loadOlder();
  }

  /** Opens or closes the selected card. */
  toggleSelected() {
    const key = this.selected.value;
    if (key) this.toggle(key);
  }

  /** Jumps to the oldest loaded card. */
  top() {
    this.follow.value = false;
    const first = this.layout.items[0];
    if (first) this.select(first, { focus: true });
    this.#scrollTo(0);
    if (this.model.hasOlder) void this.loadOlder();
  }

  /** Jumps to the newest card and follows again. */
  bottom() {
    batch(() => {
      this.follow.value = true;
      this.unseen.value = 0;
    });
    const items = this.layout.items;
    const last = items[items.length - 1];
    if (last) this.select(last);
    this.#scrollTo(this.#maxTop());
  }

  toggleFollow() {
    if (this.follow.value) this.follow.value = false;
    else this.bottom();
  }

  /** Scrolls so that item `i` is visible. @param {number} i */
  reveal(i) {
    const el = this.scroller;
    if (!el) return;
    const to = scrollToReveal(this.layout, i, this.#top - TOP_PAD, this.#height);
    if (to === null) {
      this.#render();
      return;
    }
    if (i < this.layout.count - 1 || to < this.#top - TOP_PAD) this.follow.value = false;
    this.#scrollTo(to + TOP_PAD);
  }

  /**
   * Loads the page of events before the oldest loaded one.
   * @param {number} [limit] events per page
   */
  async loadOlder(limit = PAGE) {
    if (this.loadingOlder.value || !this.model.hasOlder || this.model.firstCursor === Infinity) {
      return;
    }
    this.loadingOlder.value = true;
    try {
      const page = await fetchOlder(this.agentId, this.model.firstCursor, limit);
      this.#older = { events: page.events ?? [], hasMore: !!page.hasMore };
      this.#flush();
    } catch (err) {
      this.error.value = `Could not load older events: ${err instanceof Error ? err.message : err}`;
    } finally {
      this.loadingOlder.value = false;
    }
  }

  /* ---------- scrolling ---------- */

  onScroll = () => {
    const el = this.scroller;
    if (!el) return;
    const top = el.scrollTop; // fresh layout inside a scroll event: cheap
    this.#top = top;
    if (Math.abs(top - this.#expectTop) > 1) {
      // The reader scrolled.
      this.#target = null;
      this.#pin = null;
      if (isAtBottom(top, this.#height, this.#scrollHeight())) {
        if (!this.follow.value || this.unseen.value) {
          batch(() => {
            this.follow.value = true;
            this.unseen.value = 0;
          });
        }
      } else if (top < this.#lastTop - 1) this.follow.value = false;
    }
    this.#expectTop = -1;
    this.#lastTop = top;
    this.#render();
    if (top < LOAD_OLDER_PX && this.model.hasOlder) void this.loadOlder();
  };

  /** @param {number} top */
  #scrollTo(top) {
    const el = this.scroller;
    if (!el) return;
    const clamped = Math.max(0, Math.min(top, this.#maxTop()));
    if (Math.abs(this.#top - clamped) > 0.5) {
      this.#expectTop = clamped;
      setScrollTop(el, clamped);
      this.#top = clamped;
      this.#lastTop = clamped;
    }
    this.#render();
  }

  #maxTop() {
    const el = this.scroller;
    return el ? Math.max(0, this.#scrollHeight() - this.#height) : 0;
  }

  #scrollHeight() {
    return TOP_PAD + this.layout.total + BOTTOM_PAD;
  }

  /* ---------- the frame loop ---------- */

  #schedule() {
    if (this.#raf) return;
    this.#raf = true;
    onNextFrame(this.#flushNow);
    // rAF sleeps in background tabs; still take events in now and then.
    clearTimeout(this.#fallback);
    this.#fallback = setTimeout(() => this.#flush(), 500);
  }

  #flush() {
    cancelFrame(this.#flushNow);
    clearTimeout(this.#fallback);
    this.#raf = false;
    const anchor = this.#anchor();
    let changed = false;
    if (this.#older) {
      const { events, hasMore } = this.#older;
      this.#older = null;
      this.model.prepend(events, hasMore);
      this.#dirtyFrom = 0;
      changed = true;
    }
    if (this.#pending.length > 0) {
      const events = this.#pending;
      this.#pending = [];
      const fresh = this.#fresh.count(events);
      const before = this.model.items.length;
      const { added, reset } = this.model.append(events);
      // Cards that arrive live are mostly like the ones before them (see heights.js).
      this.#heights.guess(this.model.items.slice(reset ? 0 : before));
      // Appends leave earlier offsets alone: heights change only when measured (see #onResize).
      this.#dirtyFrom = reset ? 0 : Math.min(this.#dirtyFrom, before);
      if (reset) {
        this.expanded.value = new Set();
        this.selected.value = null;
      }
      if (added > 0 && fresh > 0 && !this.follow.value) this.unseen.value += Math.min(added, fresh);
      changed = true;
    }
    if (!changed) return;
    this.#relayout(anchor);
    this.#seekTarget();
  }

  /**
   * Where the reader is, so it can be restored after heights or items change.
   * @returns {{bottom: true} | {item: Item | undefined, delta: number}}
   */
  #anchor() {
    const el = this.scroller;
    const pin = this.#pin;
    if (pin && pin.i !== undefined && this.layout.items[pin.i] === pin) {
      return { item: pin, delta: this.#top - TOP_PAD - this.layout.top(pin.i) };
    }
    if (this.follow.value || !el) return { bottom: true };
    const y = this.#top - TOP_PAD;
    const i = this.layout.indexAt(Math.max(0, y));
    return { item: this.layout.items[i], delta: y - this.layout.top(i) };
  }

  /**
   * @param {{bottom: true} | {item: Item | undefined, delta: number}} anchor
   * @param {boolean} [measured] only heights changed (no item did): the drawn rows need drawing
   *   again only when one of them moved, i.e. a row above the last drawn one changed height
   */
  #relayout(anchor, measured = false) {
    const from = this.layout.items === this.model.items || this.#dirtyFrom === 0
      ? this.#dirtyFrom
      : 0;
    this.layout.rebuild(this.model.items, (item, i) => {
      item.i = i;
    }, from);
    this.#dirtyFrom = Infinity;
    const el = this.scroller;
    if (!el || !this.spacer) return;
    this.spacer.style.height = `${TOP_PAD + this.layout.total + BOTTOM_PAD}px`;
    if ("bottom" in anchor) this.#scrollTo(this.#maxTop());
    else {
      const item = anchor.item;
      if (item && item.i !== undefined && this.layout.items[item.i] === item) {
        this.#scrollTo(TOP_PAD + this.layout.top(item.i) + anchor.delta);
      } else this.#render();
    }
    this.#render(!measured || from < this.view.value.end - 1);
  }

  /** Publishes the window to draw, when it (or the layout) changed. @param {boolean} [force] */
  #render(force = false) {
    const el = this.scroller;
    if (!el) return;
    const { start, end } = visibleRange(this.layout, this.#top - TOP_PAD, this.#height);
    const v = this.view.value;
    if (force || v.start !== start || v.end !== end) {
      this.view.value = { start, end, tick: v.tick + 1 };
    }
  }

  /** @param {import("./frame.js").SizeEntry[]} entries */
  #onResize(entries) {
    const anchor = this.#anchor();
    let changed = false;
    for (const entry of entries) {
      const item = this.#rows.get(entry.target);
      if (!item) continue;
      const h = entry.height;
      if (!(h > 0)) continue;
      this.#heights.learn(item, h);
      // Laid out so far at its guess until first measured: a right guess moves nothing.
      if (Math.abs(h - (item.h ?? item.h0 ?? -1)) > 0.5) {
        changed = true;
        this.#dirtyFrom = Math.min(this.#dirtyFrom, item.i ?? 0);
      }
      item.h = h;
    }
    if (changed) this.#relayout(anchor, true);
    const pin = this.#pin;
    if (pin && entries.some((e) => this.#rows.get(e.target) === pin)) {
      this.#pin = null;
      // Still following if the opened card, and what follows it, fit on screen; else hold still.
      const fromTopToEnd = this.layout.total - this.layout.top(pin.i ?? 0);
      if (fromTopToEnd <= this.#height - 48) this.#scrollTo(this.#maxTop());
      else this.follow.value = false;
    }
  }

  /** Called by rows as they mount and update. @param {Element} el @param {Item} item */
  observe(el, item) {
    if (this.#rows.get(el) !== item) {
      this.#rows.set(el, item);
      this.#sized.add(el);
      observeSize(el, this.#resized);
    }
  }

  /** @param {Element} el */
  unobserve(el) {
    unobserveSize(el);
    this.#sized.delete(el);
    this.#rows.delete(el);
  }

  /** After a render: move focus to the selected card if the keyboard asked for it. */
  afterRender() {
    if (!this.#focusPending || !this.spacer) return;
    const key = this.selected.value;
    const el = key ? this.spacer.querySelector(`[data-key="${CSS.escape(key)}"]`) : null;
    if (el instanceof HTMLElement) {
      el.focus({ preventScroll: true });
      this.#focusPending = false;
    }
  }

  /** The file's size at opening, learnt late (a reload on a deep link). @param {number} size */
  baseline(size) {
    this.#fresh.baseline(size);
  }

  #selectedIndex() {
    const key = this.selected.value;
    if (!key) return -1;
    const { start, end } = this.view.value;
    for (let i = start; i < end; i++) if (this.layout.items[i]?.key === key) return i;
    return this.layout.items.findIndex((i) => i.key === key);
  }

  /** @param {number} start @param {number} end */
  #firstVisible(start, end) {
    const top = this.#top - TOP_PAD;
    for (let i = start; i < end; i++) if (this.layout.bottom(i) > top + 8) return i;
    return start;
  }

  /** @param {number} start @param {number} end */
  #lastVisible(start, end) {
    const bottom = this.#top - TOP_PAD + this.#height;
    for (let i = end - 1; i >= start; i--) if (this.layout.top(i) < bottom - 8) return i;
    return Math.max(0, end - 1);
  }

  /** Reveals the deep-linked card once it is loaded, loading older pages to find it. */
  #seekTarget() {
    const cursor = this.#target;
    if (cursor === null) return;
    const item = this.model.itemAt(cursor);
    if (item && item.i !== undefined) {
      this.#target = null;
      this.follow.value = false;
      this.select(item, { focus: true });
      const el = this.scroller;
      this.#scrollTo(
        TOP_PAD + this.layout.top(item.i) - (el ? Math.min(120, this.#height / 4) : 0),
      );
      return;
    }
    if (cursor < this.model.firstCursor && this.model.hasOlder) void this.loadOlder();
  }

  /** Draws again (a card started or stopped loading). */
  redraw() {
    this.#render(true);
  }

  /** Lays out again, keeping the reader's place (a card changed size). */
  refit() {
    this.#relayout(this.#anchor());
  }
}
