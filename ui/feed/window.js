/**
 * Windowing maths for the feed: item offsets from (measured or estimated)
 * heights, the range of items a viewport shows, and where an item sits.
 * Pure: it knows nothing about the DOM, so it is tested from Deno.
 */

/**
 * Offsets of a list of variable-height items. Heights come from `heightOf`;
 * call {@link Layout.rebuild} after they change (O(n), cheap at 50,000 items).
 * @template T
 */
export class Layout {
  /** @type {Float64Array} `offsets[i]` is the top of item i; `offsets[n]` the total height. */
  offsets = new Float64Array(1);
  /** @type {T[]} */
  items = [];
  /** How many items the offsets cover (`items` may be a live array that grew since). */
  #n = 0;

  /**
   * @param {(item: T) => number} heightOf
   * @param {number} [gap] vertical space between items
   */
  constructor(heightOf, gap = 0) {
    this.heightOf = heightOf;
    this.gap = gap;
  }

  /**
   * Recomputes the offsets of items `from` onwards (all of them by default).
   * Passing `from` is for the common live cases (items appended at the end, an
   * item's height measured) and needs the items before `from` unchanged.
   * @param {T[]} items
   * @param {(item: T, index: number) => void} [visit] called with each recomputed item's index
   * @param {number} [from]
   */
  rebuild(items, visit, from = 0) {
    const n = items.length;
    const before = this.#n;
    let start = Math.max(0, Math.min(from, before, n));
    if (this.offsets.length < n + 1) {
      const grown = new Float64Array(Math.max(16, (n + 1) * 2));
      grown.set(this.offsets.subarray(0, start + 1));
      this.offsets = grown;
    } else if (this.offsets.length > 4 * (n + 1) + 1024) {
      this.offsets = new Float64Array(Math.max(16, (n + 1) * 2));
      start = 0;
    }
    this.items = items;
    // offsets[before] holds the old total, which has no gap after it.
    let y = start === 0 ? 0 : (this.offsets[start] ?? 0) + (start === before ? this.gap : 0);
    for (let i = start; i < n; i++) {
      this.offsets[i] = y;
      const item = /** @type {T} */ (items[i]);
      if (visit) visit(item, i);
      y += this.heightOf(item) + this.gap;
    }
    this.offsets[n] = n > 0 ? y - this.gap : 0;
    this.#n = n;
  }

  get count() {
    return this.#n;
  }

  /** Total height of all items. */
  get total() {
    return this.offsets[this.#n] ?? 0;
  }

  /** @param {number} i */
  top(i) {
    return this.offsets[Math.max(0, Math.min(i, this.#n))] ?? 0;
  }

  /** @param {number} i */
  bottom(i) {
    return this.top(i) + this.heightOf(/** @type {T} */ (this.items[i]));
  }

  /**
   * Index of the item covering `y` (clamped to the list).
   * @param {number} y
   */
  indexAt(y) {
    const n = this.#n;
    if (n === 0) return 0;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.offsets[mid] ?? 0) <= y) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

/**
 * The items to render for a viewport: [start, end), with `overscan` pixels
 * above and below, and at most `maxItems` (the DOM stays bounded even when
 * every item is tiny).
 * @param {Layout<any>} layout
 * @param {number} scrollTop
 * @param {number} height
 * @param {{overscan?: number, maxItems?: number}} [options]
 * @returns {{start: number, end: number}}
 */
export function visibleRange(layout, scrollTop, height, options = {}) {
  const { overscan = 600, maxItems = 160 } = options;
  const n = layout.count;
  if (n === 0) return { start: 0, end: 0 };
  const first = layout.indexAt(Math.max(0, scrollTop));
  let start = layout.indexAt(Math.max(0, scrollTop - overscan));
  let end = Math.min(n, layout.indexAt(scrollTop + height + overscan) + 1);
  if (end - start > maxItems) {
    // Keep what is on screen; trim the overscan.
    start = Math.max(start, first - Math.floor(maxItems / 4));
    end = Math.min(end, start + maxItems);
  }
  return { start, end };
}

/**
 * The scrollTop that brings item `i` into view with `margin` pixels to spare,
 * or null when it is already fully visible.
 * @param {Layout<any>} layout
 * @param {number} i
 * @param {number} scrollTop
 * @param {number} height viewport height
 * @param {number} [margin]
 * @returns {number | null}
 */
export function scrollToReveal(layout, i, scrollTop, height, margin = 48) {
  const top = layout.top(i);
  const bottom = layout.bottom(i);
  if (top - margin < scrollTop) return Math.max(0, top - margin);
  if (bottom + margin > scrollTop + height) {
    // A card taller than the viewport shows its top.
    return Math.max(0, Math.min(top - margin, bottom + margin - height));
  }
  return null;
}

/**
 * Whether a scroller counts as "at the bottom" (follow mode).
 * @param {number} scrollTop
 * @param {number} clientHeight
 * @param {number} scrollHeight
 * @param {number} [slack]
 */
export function isAtBottom(scrollTop, clientHeight, scrollHeight, slack = 24) {
  return scrollTop + clientHeight >= scrollHeight - slack;
}
