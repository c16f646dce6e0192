/**
 * One frame loop for every feed on the page. Setting a scroller's scrollTop
 * makes the browser lay the page out there and then, and so does reading a
 * size; feeds that each took their own animation frame, scrolled, and waited
 * for a ResizeObserver to learn their new cards' heights paid several layouts
 * each per frame. Here a frame goes in three steps, for all feeds at once:
 *
 * 1. the feeds' callbacks run: they take their events in and publish what to
 *    draw (Preact draws it in a microtask); the scroll positions they set are
 *    held back;
 * 2. once that is drawn, the rows drawn in step 1 are measured together (one
 *    layout) and their heights handed to their feeds, as the ResizeObserver
 *    would a frame later (its own first report then finds nothing new);
 * 3. the held scroll positions are set, the last one per scroller winning.
 *
 * A ResizeObserver report (a card grew) goes through steps 2 and 3 the same way.
 */

/**
 * A measured element and its border-box height.
 * @typedef {{target: Element, height: number}} SizeEntry
 */

/**
 * What the loop needs from the page; tests pass fakes.
 * @typedef {object} FrameEnv
 * @property {(cb: () => void) => unknown} requestFrame schedules the next frame
 * @property {(cb: () => void) => void} afterRender runs `cb` once the renders that
 *   step 1 started are drawn. Preact draws in a microtask queued when a component
 *   is first marked dirty, so a microtask queued after step 1 runs after it.
 * @property {(el: Element) => number} measure an element's border-box height
 * @property {(handler: (entries: SizeEntry[]) => void) => {observe(el: Element): void,
 *   unobserve(el: Element): void} | null} observeSizes a ResizeObserver, or null where there is none
 * @property {(err: unknown) => void} reportError
 */

/**
 * A frame loop over `env`. The page uses the one below, built on the browser's.
 * @param {FrameEnv} env
 */
export function createFrameLoop(env) {
  /** @type {Set<() => void>} */
  let due = new Set();
  let pending = false;
  /** Scroll positions to set at the end of the frame, or null outside one. */
  /** @type {Map<HTMLElement, number> | null} */
  let scrolls = null;
  /** Rows observed during the frame, measured in step 2. @type {Set<Element>} */
  let fresh = new Set();
  /** @type {WeakMap<Element, (entries: SizeEntry[]) => void>} */
  const onResize = new WeakMap();
  /** @type {ReturnType<FrameEnv["observeSizes"]> | undefined} */
  let ro;

  /** @param {() => void} fn */
  function guarded(fn) {
    try {
      fn();
    } catch (err) {
      // One feed's failure must not stop the others' frame.
      env.reportError(err);
    }
  }

  /**
   * Runs `fn` (step 1), then, once what it started is drawn, steps 2 and 3.
   * Nested calls join the one under way.
   * @param {() => void} fn
   */
  function hold(fn) {
    if (scrolls) return fn();
    scrolls = new Map();
    try {
      fn();
    } finally {
      env.afterRender(finish);
    }
  }

  function finish() {
    const rows = [...fresh].filter((el) => onResize.has(el));
    fresh = new Set();
    if (rows.length > 0) {
      // Read every height first, then hand them over: a read after a feed's writes would lay out again.
      const entries = rows.map((target) => ({ target, height: env.measure(target) }));
      dispatch(entries);
    }
    const todo = /** @type {Map<HTMLElement, number>} */ (scrolls);
    scrolls = null;
    for (const [el, top] of todo) el.scrollTop = top;
  }

  /** @param {SizeEntry[]} entries */
  function dispatch(entries) {
    /** @type {Map<(entries: SizeEntry[]) => void, SizeEntry[]>} */
    const byHandler = new Map();
    for (const entry of entries) {
      const handler = onResize.get(entry.target);
      if (!handler) continue;
      const list = byHandler.get(handler);
      if (list) list.push(entry);
      else byHandler.set(handler, [entry]);
    }
    for (const [handler, list] of byHandler) guarded(() => handler(list));
  }

  function runFrame() {
    pending = false;
    const run = due;
    due = new Set();
    hold(() => {
      for (const fn of run) guarded(fn);
    });
  }

  return {
    /**
     * Runs `fn` in the next animation frame, with the other feeds' work. Asking
     * twice before the frame runs it once.
     * @param {() => void} fn
     */
    onNextFrame(fn) {
      due.add(fn);
      if (!pending) {
        pending = true;
        env.requestFrame(runFrame);
      }
    },

    /** @param {() => void} fn */
    cancelFrame(fn) {
      due.delete(fn);
    },

    /**
     * Sets a scroller's scrollTop: at once, or at the end of the frame under
     * way (the last position set for a scroller wins).
     * @param {HTMLElement} el
     * @param {number} top
     */
    setScrollTop(el, top) {
      if (scrolls) {
        scrolls.delete(el); // keep the order in which scrollers were last set
        scrolls.set(el, top);
      } else el.scrollTop = top;
    },

    /**
     * Calls `handler` with `el`'s height whenever it changes (and once at
     * first: in step 2 when `el` shows up during a frame, else when the
     * ResizeObserver first reports it).
     * @param {Element} el
     * @param {(entries: SizeEntry[]) => void} handler
     */
    observeSize(el, handler) {
      if (ro === undefined) {
        ro = env.observeSizes((entries) => hold(() => dispatch(entries)));
      }
      if (!ro) return;
      onResize.set(el, handler);
      if (scrolls) fresh.add(el);
      ro.unobserve(el);
      ro.observe(el);
    },

    /** @param {Element} el */
    unobserveSize(el) {
      ro?.unobserve(el);
      onResize.delete(el);
      fresh.delete(el);
    },
  };
}

/** @returns {FrameEnv} */
function browserEnv() {
  const resolved = Promise.resolve();
  return {
    requestFrame: (cb) => requestAnimationFrame(cb),
    afterRender: (cb) => void resolved.then(cb),
    measure: (el) => el.getBoundingClientRect().height,
    observeSizes: (handler) =>
      typeof ResizeObserver === "undefined"
        ? null
        : new ResizeObserver((entries) =>
          handler(entries.map((e) => ({
            target: e.target,
            height: e.borderBoxSize?.[0]?.blockSize ??
              /** @type {HTMLElement} */ (e.target).offsetHeight,
          })))
        ),
    reportError: (err) => reportError(err),
  };
}

const loop = createFrameLoop(browserEnv());
export const { onNextFrame, cancelFrame, setScrollTop, observeSize, unobserveSize } = loop;
