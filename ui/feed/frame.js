/**
 * One frame loop for every feed on the page. Setting a scroller's scrollTop
 * makes the browser lay the page out there and then, so feeds that each took
 * their own animation frame and scrolled to their bottom paid one layout each,
 * with the previous feed's new rows in it: on a board of four panes that was
 * most of the main thread's time. Here the frame's feeds all apply their
 * events first and their scroll positions last, which costs one layout.
 */

/** @type {Set<() => void>} */
let due = new Set();
let raf = 0;
/** Scroll positions to set once the frame's work is done, or null outside it. */
/** @type {Map<HTMLElement, number> | null} */
let scrolls = null;

/**
 * Runs `fn` in the next animation frame, with the other feeds' work.
 * @param {() => void} fn
 */
export function onNextFrame(fn) {
  due.add(fn);
  if (!raf) raf = requestAnimationFrame(runFrame);
}

/** @param {() => void} fn */
export function cancelFrame(fn) {
  due.delete(fn);
}

/**
 * Sets a scroller's scrollTop: at once, or after the work of the frame (or
 * the `batchScrolls` call) under way, in order.
 * @param {HTMLElement} el
 * @param {number} top
 */
export function setScrollTop(el, top) {
  if (scrolls) {
    scrolls.delete(el); // the last position wins, in the order set
    scrolls.set(el, top);
  } else el.scrollTop = top;
}

/**
 * Runs `fn`, holding back the scroll positions it sets until it is done.
 * @param {() => void} fn
 */
export function batchScrolls(fn) {
  if (scrolls) return fn();
  scrolls = new Map();
  try {
    fn();
  } finally {
    const todo = scrolls;
    scrolls = null;
    for (const [el, top] of todo) el.scrollTop = top;
  }
}

function runFrame() {
  raf = 0;
  const run = due;
  due = new Set();
  batchScrolls(() => {
    for (const fn of run) {
      try {
        fn();
      } catch (err) {
        // One feed's failure must not stop the others' frame.
        reportError(err);
      }
    }
  });
}

/**
 * One ResizeObserver for every feed's rows, for the same reason: the feeds a
 * resize concerns all relayout, then scroll, in one go.
 * @type {ResizeObserver | null}
 */
let ro = null;
/** @type {WeakMap<Element, (entries: ResizeObserverEntry[]) => void>} */
const onResize = new WeakMap();

/**
 * Calls `handler` with `el`'s size whenever it changes (and once at first).
 * @param {Element} el
 * @param {(entries: ResizeObserverEntry[]) => void} handler
 */
export function observeSize(el, handler) {
  if (typeof ResizeObserver === "undefined") return;
  ro ??= new ResizeObserver(resized);
  onResize.set(el, handler);
  ro.unobserve(el);
  ro.observe(el);
}

/** @param {Element} el */
export function unobserveSize(el) {
  ro?.unobserve(el);
  onResize.delete(el);
}

/** @param {ResizeObserverEntry[]} entries */
function resized(entries) {
  /** @type {Map<(entries: ResizeObserverEntry[]) => void, ResizeObserverEntry[]>} */
  const byHandler = new Map();
  for (const entry of entries) {
    const handler = onResize.get(entry.target);
    if (!handler) continue;
    const list = byHandler.get(handler);
    if (list) list.push(entry);
    else byHandler.set(handler, [entry]);
  }
  batchScrolls(() => {
    for (const [handler, list] of byHandler) {
      try {
        handler(list);
      } catch (err) {
        reportError(err);
      }
    }
  });
}
