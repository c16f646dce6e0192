/**
 * One agent's live feed, drawn: a windowed list of cards that follows the
 * bottom while the reader is there, shows "N new events" when they are not,
 * and loads older pages at the top. The controller (controller.js) holds the
 * state and publishes which items to draw; only the cards near the viewport
 * exist in the DOM, each measured by the controller's ResizeObserver.
 *
 * @typedef {import("./model.js").Item} Item
 */
import { Component } from "preact";
import { useEffect, useLayoutEffect, useMemo, useRef } from "preact/hooks";
import { html } from "../lib/html.js";
import { FeedController, TOP_PAD } from "./controller.js";
import { Card, cardLabel } from "../cards/cards.js";

export { FeedController };

/**
 * A positioned, measured row holding one card.
 * @extends {Component<{item: Item, rev: number, top: number, selected: boolean, expanded: boolean,
 *   pos: number, ctl: FeedController}>}
 */
class Row extends Component {
  /** @type {HTMLElement | null} */
  el = null;
  setRef = (/** @type {HTMLElement | null} */ el) => {
    this.el = el;
  };
  /** @override */
  componentDidMount() {
    if (this.el) this.props.ctl.observe(this.el, this.props.item);
  }
  /** @override */
  componentDidUpdate() {
    if (this.el) this.props.ctl.observe(this.el, this.props.item);
  }
  /** @override */
  componentWillUnmount() {
    if (this.el) this.props.ctl.unobserve(this.el);
  }
  /**
   * @override
   * @param {any} next
   */
  shouldComponentUpdate(next) {
    const p = this.props;
    return next.item !== p.item || next.rev !== p.rev || next.top !== p.top ||
      next.selected !== p.selected ||
      next.expanded !== p.expanded || next.pos !== p.pos;
  }
  render() {
    const { item, rev, top, selected, expanded, pos, ctl } = this.props;
    /** @param {MouseEvent} e */
    const onClick = (e) => {
      const t = /** @type {HTMLElement} */ (e.target);
      if (t.closest("a, button, input, summary") || String(getSelection() ?? "").length > 0) return;
      ctl.select(item, { hash: true });
    };
    // A live feed's length is unknown (ARIA's -1): it grows while the agent works. Giving the
    // count instead changed every drawn row of every pane on each append, and redrawing them
    // was most of a busy board's script time.
    return html`
      <article ref=${this.setRef} class=${`row r-${item.kind} ${selected ? "selected" : ""}`}
        data-key=${item.key} tabindex="-1" aria-posinset=${pos} aria-setsize="-1"
        aria-label=${cardLabel(item)} aria-current=${selected ? "true" : undefined}
        style=${`transform:translateY(${top}px)`} onClick=${onClick}>
        <${Card} item=${item} rev=${rev} expanded=${expanded} ctx=${ctl.cardProps} />
      </article>
    `;
  }
}

/** @param {{ctl: FeedController}} props */
function Rows({ ctl }) {
  const { start, end } = ctl.view.value;
  const selected = ctl.selected.value;
  const expanded = ctl.expanded.value;
  ctl.fetching.value; // re-render rows when a full line starts or stops loading
  const items = ctl.layout.items;
  const rows = [];
  for (let i = start; i < end && i < items.length; i++) {
    const item = /** @type {Item} */ (items[i]);
    rows.push(html`
      <${Row} key=${item.key} item=${item} rev=${item.rev} top=${TOP_PAD + ctl.layout.top(i)}
        selected=${item.key === selected} expanded=${expanded.has(item.key)} pos=${i +
          1} ctl=${ctl} />
    `);
  }
  useLayoutEffect(() => ctl.afterRender());
  return rows;
}

/**
 * The feed of one agent. Mount it with `key={agentId}`: a new agent is a new feed.
 * @param {{agentId: string, cursor: number | null, size: number | null,
 *   onController?: (c: FeedController | null) => void, label: string}} props
 */
export function Feed({ agentId, cursor, size, onController, label }) {
  const ctl = useMemo(() => new FeedController(agentId, cursor, size), [agentId]);
  const scroller = useRef(/** @type {HTMLDivElement | null} */ (null));
  const spacer = useRef(/** @type {HTMLDivElement | null} */ (null));
  useLayoutEffect(() => {
    ctl.attach(scroller.current, spacer.current);
    ctl.start();
    onController?.(ctl);
    return () => {
      onController?.(null);
      ctl.stop();
    };
  }, [ctl]);
  useEffect(() => {
    if (size !== null) ctl.baseline(size);
  }, [ctl, size === null]);
  useEffect(() => {
    // A new viewport size changes what is visible (and, at the bottom, where the bottom is).
    const el = scroller.current;
    if (!el || typeof ResizeObserver === "undefined") return;
    const ro = new ResizeObserver(() => ctl.attach(el, spacer.current));
    ro.observe(el);
    return () => ro.disconnect();
  }, [ctl]);

  return html`
    <div class="feed-wrap">
      <div class="feed-scroll" ref=${scroller} onScroll=${ctl.onScroll}>
        <div class="feed-spacer" ref=${spacer} role="feed" aria-label=${label}>
          <${FeedTop} ctl=${ctl} />
          <${Rows} ctl=${ctl} />
        </div>
        <${FeedEmpty} ctl=${ctl} />
      </div>
      <${NewPill} ctl=${ctl} />
      <${FeedError} ctl=${ctl} />
    </div>
  `;
}

/** "loading older…" / "start of transcript" above the first card. @param {{ctl: FeedController}} props */
function FeedTop({ ctl }) {
  ctl.view.value;
  const text = ctl.loadingOlder.value
    ? "loading older events…"
    : ctl.model.items.length > 0 && !ctl.model.hasOlder
    ? "start of transcript"
    : "";
  return html`<div class="feed-top" aria-live="polite">${text}</div>`;
}

/** @param {{ctl: FeedController}} props */
function FeedEmpty({ ctl }) {
  ctl.view.value;
  if (ctl.model.items.length > 0) return null;
  const status = ctl.status.value;
  return html`<div class="feed-empty">${
    status === "connecting"
      ? "Connecting…"
      : status === "ended"
      ? "This agent's file is gone."
      : "No events yet."
  }</div>`;
}

/** @param {{ctl: FeedController}} props */
function NewPill({ ctl }) {
  const n = ctl.unseen.value;
  if (n === 0 || ctl.follow.value) return null;
  return html`<button type="button" class="new-pill" onClick=${() => ctl.bottom()}>
    <span aria-hidden="true">↓</span> ${n} new ${n === 1 ? "event" : "events"}</button>`;
}

/** @param {{ctl: FeedController}} props */
function FeedError({ ctl }) {
  const error = ctl.error.value;
  if (!error) return null;
  return html`<div class="feed-error" role="alert">${error}<button type="button" class="icon-btn"
    aria-label="Dismiss" onClick=${() => (ctl.error.value = null)}>×</button></div>`;
}
