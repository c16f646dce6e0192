import assert from "node:assert/strict";
import { isAtBottom, Layout, scrollToReveal, visibleRange } from "../../ui/feed/window.js";

const layoutOf = (heights: number[]) => {
  const layout = new Layout((h: number) => h);
  layout.rebuild(heights);
  return layout;
};

Deno.test("Layout offsets follow item heights and rebuild after changes", () => {
  const heights = [10, 20, 30];
  const layout = layoutOf(heights);
  assert.deepEqual([layout.top(0), layout.top(1), layout.top(2), layout.total], [0, 10, 30, 60]);
  assert.deepEqual([0, 9, 10, 29, 30, 59, 500].map((y) => layout.indexAt(y)), [
    0,
    0,
    1,
    1,
    2,
    2,
    2,
  ]);
  heights[0] = 100;
  layout.rebuild(heights);
  assert.equal(layout.top(2), 120);
  assert.equal(layout.bottom(2), 150);
});

Deno.test("Layout rebuild visits each item with its index", () => {
  const items = [{ h: 5 }, { h: 6 }];
  const layout = new Layout((i: { h: number }) => i.h);
  const seen: number[] = [];
  layout.rebuild(items, (_, i) => seen.push(i));
  assert.deepEqual(seen, [0, 1]);
  layout.rebuild([]);
  assert.equal(layout.total, 0);
  assert.equal(layout.indexAt(10), 0);
});

Deno.test("visibleRange() covers the viewport plus overscan", () => {
  const layout = layoutOf(Array(1000).fill(50));
  assert.deepEqual(visibleRange(layout, 5000, 500, { overscan: 100 }), { start: 98, end: 113 });
  assert.deepEqual(visibleRange(layout, 0, 500, { overscan: 100 }), { start: 0, end: 13 });
  assert.deepEqual(visibleRange(layoutOf([]), 0, 500), { start: 0, end: 0 });
});

Deno.test("visibleRange() stays bounded for 50,000 tiny items", () => {
  const layout = layoutOf(Array(50_000).fill(2));
  const { start, end } = visibleRange(layout, 40_000, 900, { overscan: 600, maxItems: 160 });
  assert.ok(end - start <= 160);
  assert.ok(start <= layout.indexAt(40_000) && end > layout.indexAt(40_000));
});

Deno.test("Layout rebuilds 50,000 items", () => {
  // How fast is bench/pure.ts's to judge (≤ 20 ms a rebuild); here, that it is right.
  const items = Array.from({ length: 50_000 }, (_, i) => ({ h: 20 + (i % 7) }));
  const layout = new Layout((i: { h: number }) => i.h);
  for (let k = 0; k < 2; k++) layout.rebuild(items);
  assert.equal(layout.count, items.length);
  assert.equal(layout.total, items.reduce((sum, i) => sum + i.h, 0));
  assert.equal(layout.indexAt(0), 0);
  assert.equal(layout.indexAt(1e9), items.length - 1);
});

Deno.test("scrollToReveal() scrolls only when the item is out of view", () => {
  const layout = layoutOf(Array(100).fill(100));
  assert.equal(scrollToReveal(layout, 5, 400, 400, 0), null);
  assert.equal(scrollToReveal(layout, 2, 400, 400, 10), 190);
  assert.equal(scrollToReveal(layout, 20, 400, 400, 10), 1710);
});

Deno.test("isAtBottom() allows a little slack", () => {
  assert.equal(isAtBottom(980, 100, 1100), true);
  assert.equal(isAtBottom(900, 100, 1100), false);
});

Deno.test("Layout rebuilds from an index after appends and measurements", () => {
  const items = [{ h: 10 }, { h: 20 }];
  const layout = new Layout((i: { h: number }) => i.h, 2);
  layout.rebuild(items);
  assert.equal(layout.total, 32);
  items.push({ h: 5 }, { h: 7 }); // the same array grew, as a live feed's does
  layout.rebuild(items, undefined, 2);
  assert.deepEqual([0, 1, 2, 3].map((i) => layout.top(i)), [0, 12, 34, 41]);
  assert.equal(layout.total, 48);
  items[1]!.h = 30;
  layout.rebuild(items, undefined, 1);
  const fresh = new Layout((i: { h: number }) => i.h, 2);
  fresh.rebuild(items);
  assert.deepEqual(layout.offsets.slice(0, 5), fresh.offsets.slice(0, 5));
  // Far more items than the offsets hold: they grow and keep the prefix.
  for (let k = 0; k < 100; k++) items.push({ h: 1 });
  layout.rebuild(items, undefined, 4);
  fresh.rebuild(items);
  assert.deepEqual(
    layout.offsets.slice(0, items.length + 1),
    fresh.offsets.slice(0, items.length + 1),
  );
});
