import assert from "node:assert/strict";
import { createFrameLoop, type SizeEntry } from "../../ui/feed/frame.js";

/**
 * A page for the frame loop: frames and "after render" run when the test says,
 * elements are plain objects with a scrollTop and a height, and the resize
 * observer reports when the test says. Every scrollTop write is logged.
 */
function fakePage() {
  const frames: (() => void)[] = [];
  const rendered: (() => void)[] = [];
  const log: string[] = [];
  const errors: unknown[] = [];
  const observed = new Set<object>();
  let report: ((entries: SizeEntry[]) => void) | null = null;
  const heights = new Map<object, number>();
  const loop = createFrameLoop({
    requestFrame: (cb) => frames.push(cb),
    afterRender: (cb) => rendered.push(cb),
    measure: (el) => {
      log.push(`measure ${(el as unknown as { name: string }).name}`);
      return heights.get(el) ?? 0;
    },
    observeSizes: (handler) => {
      report = handler;
      return { observe: (el) => observed.add(el), unobserve: (el) => observed.delete(el) };
    },
    reportError: (err) => errors.push(err),
  });
  const scroller = (name: string) => {
    let top = 0;
    return {
      name,
      get scrollTop() {
        return top;
      },
      set scrollTop(v: number) {
        log.push(`${name}.scrollTop=${v}`);
        top = v;
      },
    } as unknown as HTMLElement & { name: string };
  };
  const row = (name: string, height: number) => {
    const el = { name } as unknown as Element;
    heights.set(el, height);
    return el;
  };
  return {
    loop,
    log,
    errors,
    observed,
    scroller,
    row,
    /** Runs the pending frame, then what it rendered (as the browser and Preact would). */
    frame() {
      const run = frames.splice(0);
      for (const cb of run) cb();
      this.rendered();
      return run.length;
    },
    rendered() {
      for (const cb of rendered.splice(0)) cb();
    },
    resize(entries: SizeEntry[]) {
      report?.(entries);
    },
    get framesAsked() {
      return frames.length;
    },
  };
}

Deno.test("createFrameLoop() runs each callback once per frame, however often it is asked", () => {
  const page = fakePage();
  const calls: string[] = [];
  const a = () => calls.push("a");
  const b = () => calls.push("b");
  page.loop.onNextFrame(a);
  page.loop.onNextFrame(b);
  page.loop.onNextFrame(a);
  assert.equal(page.framesAsked, 1, "one animation frame for every feed");
  page.frame();
  assert.deepEqual(calls, ["a", "b"], "in the order first asked, each once");
  assert.equal(page.frame(), 0, "nothing asked, no frame");
  assert.deepEqual(calls, ["a", "b"]);
});

Deno.test("createFrameLoop() runs a callback asked for during a frame in the next one", () => {
  const page = fakePage();
  const calls: string[] = [];
  const again = () => {
    calls.push("again");
    if (calls.length < 2) page.loop.onNextFrame(again);
  };
  page.loop.onNextFrame(again);
  page.frame();
  assert.deepEqual(calls, ["again"]);
  page.frame();
  assert.deepEqual(calls, ["again", "again"]);
});

Deno.test("createFrameLoop() drops a cancelled callback", () => {
  const page = fakePage();
  const calls: string[] = [];
  const a = () => calls.push("a");
  page.loop.onNextFrame(a);
  page.loop.onNextFrame(() => calls.push("b"));
  page.loop.cancelFrame(a);
  page.frame();
  assert.deepEqual(calls, ["b"]);
});

Deno.test("createFrameLoop() keeps running the others when one callback throws", () => {
  const page = fakePage();
  const calls: string[] = [];
  const boom = new Error("one feed broke");
  page.loop.onNextFrame(() => calls.push("a"));
  page.loop.onNextFrame(() => {
    throw boom;
  });
  page.loop.onNextFrame(() => calls.push("c"));
  page.frame();
  assert.deepEqual(calls, ["a", "c"]);
  assert.deepEqual(page.errors, [boom], "the error is reported, not swallowed");
  // The loop still works afterwards.
  page.loop.onNextFrame(() => calls.push("d"));
  page.frame();
  assert.deepEqual(calls, ["a", "c", "d"]);
});

Deno.test("setScrollTop() inside a frame waits for the render, and the last position wins", () => {
  const page = fakePage();
  const one = page.scroller("one");
  const two = page.scroller("two");
  page.loop.onNextFrame(() => {
    page.loop.setScrollTop(one, 10);
    page.loop.setScrollTop(two, 5);
    page.loop.setScrollTop(one, 30);
    assert.equal(one.scrollTop, 0, "held back while the frame runs");
  });
  page.loop.onNextFrame(() => {}); // already asked: same frame
  page.frame();
  assert.deepEqual(page.log, ["two.scrollTop=5", "one.scrollTop=30"]);
  // Outside a frame it is set at once.
  page.loop.setScrollTop(two, 7);
  assert.equal(two.scrollTop, 7);
});

Deno.test("rows shown during a frame are measured together, before scrolling", () => {
  const page = fakePage();
  const scroller = page.scroller("feed");
  const a = page.row("a", 40);
  const b = page.row("b", 0);
  const seen: SizeEntry[][] = [];
  const onSize = (entries: SizeEntry[]) => {
    seen.push(entries);
    // A feed that learns its rows' heights scrolls to its new bottom.
    page.loop.setScrollTop(scroller, 100);
  };
  page.loop.onNextFrame(() => {
    page.loop.setScrollTop(scroller, 50);
    page.loop.observeSize(a, onSize);
    page.loop.observeSize(b, onSize);
  });
  page.frame();
  assert.deepEqual(page.log, ["measure a", "measure b", "feed.scrollTop=100"]);
  assert.deepEqual(seen, [[{ target: a, height: 40 }, { target: b, height: 0 }]]);
  assert.ok(page.observed.has(a) && page.observed.has(b), "the observer still watches them");
});

Deno.test("a row dropped before the render is not measured", () => {
  const page = fakePage();
  const a = page.row("a", 40);
  const seen: SizeEntry[][] = [];
  page.loop.onNextFrame(() => {
    page.loop.observeSize(a, (entries) => seen.push(entries));
    page.loop.unobserveSize(a);
  });
  page.frame();
  assert.deepEqual(page.log, []);
  assert.deepEqual(seen, []);
  assert.equal(page.observed.has(a), false);
});

Deno.test("a resize report reaches each feed's handler once, with its own rows", () => {
  const page = fakePage();
  const scroller = page.scroller("feed");
  const [a, b, c] = [page.row("a", 1), page.row("b", 2), page.row("c", 3)];
  const first: SizeEntry[][] = [];
  const second: SizeEntry[][] = [];
  const firstFeed = (entries: SizeEntry[]) => {
    first.push(entries);
    page.loop.setScrollTop(scroller, 9);
  };
  // Observed outside a frame: left to the observer, nothing measured here.
  page.loop.observeSize(a, firstFeed);
  page.loop.observeSize(b, (entries) => second.push(entries));
  page.loop.observeSize(c, firstFeed);
  assert.deepEqual(page.log, []);
  page.resize([{ target: a, height: 11 }, { target: b, height: 22 }, { target: c, height: 33 }]);
  assert.deepEqual(first, [[{ target: a, height: 11 }, { target: c, height: 33 }]]);
  assert.deepEqual(second, [[{ target: b, height: 22 }]]);
  assert.deepEqual(page.log, [], "the scroll waits for what the handlers drew");
  page.rendered();
  assert.deepEqual(page.log, ["feed.scrollTop=9"]);
});

Deno.test("createFrameLoop() measures nothing where there is no ResizeObserver", () => {
  const frames: (() => void)[] = [];
  const rendered: (() => void)[] = [];
  const loop = createFrameLoop({
    requestFrame: (cb) => frames.push(cb),
    afterRender: (cb) => rendered.push(cb),
    measure: () => {
      throw new Error("not measured");
    },
    observeSizes: () => null,
    reportError: (err) => {
      throw err;
    },
  });
  const seen: unknown[] = [];
  loop.onNextFrame(() => loop.observeSize({} as Element, (e) => seen.push(e)));
  for (const cb of frames.splice(0)) cb();
  for (const cb of rendered.splice(0)) cb();
  assert.deepEqual(seen, []);
});
