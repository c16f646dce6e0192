/**
 * The feed's typed, colour-coded cards: one component per item kind (see
 * `feed/model.js`), each family in its own file. Transcript text only ever
 * reaches the DOM as text nodes (Preact escapes them) or through `Markdown`,
 * which builds elements itself.
 *
 * @typedef {import("../feed/model.js").Item} Item
 * @typedef {import("./parts.js").CardContext} CardContext
 */
import { Component } from "preact";
import { html } from "../lib/html.js";
import { UserCard } from "./prompt.js";
import { TextCard } from "./text.js";
import { ThinkingCard } from "./thinking.js";
import { ResultCard, ToolCard } from "./tool.js";
import { LogLine, QuietCard } from "./quiet.js";
import { Marker } from "./marker.js";

export { copyText } from "./parts.js";
export { quietLine, stripAnsi } from "./quiet.js";

/**
 * One feed card. Re-renders only when its item, revision or UI state changes.
 * @extends {Component<{item: Item, rev: number, expanded: boolean, ctx: CardContext}>}
 */
export class Card extends Component {
  /**
   * @override
   * @param {{item: Item, rev: number, expanded: boolean}} next
   */
  shouldComponentUpdate(next) {
    const p = this.props;
    return next.item !== p.item || next.rev !== p.rev || next.expanded !== p.expanded;
  }

  render() {
    const { item, expanded, ctx } = this.props;
    const props = { item, expanded, ctx };
    switch (item.kind) {
      case "user":
        return html`<${UserCard} ...${props} />`;
      case "text":
        return html`<${TextCard} ...${props} />`;
      case "thinking":
        return html`<${ThinkingCard} ...${props} />`;
      case "tool":
        return html`<${ToolCard} ...${props} />`;
      case "result":
        return html`<${ResultCard} ...${props} />`;
      case "log":
        return html`<${LogLine} ...${props} />`;
      case "marker":
        return html`<${Marker} ...${props} />`;
      default:
        return html`<${QuietCard} ...${props} />`;
    }
  }
}

/**
 * A short label for screen readers and the row's aria-label.
 * @param {Item} item
 */
export function cardLabel(item) {
  switch (item.kind) {
    case "user":
      return "Prompt";
    case "text":
      return "Assistant";
    case "thinking":
      return "Thinking";
    case "tool":
      return `Tool call ${item.block?.name ?? ""}`;
    case "result":
      return "Tool result";
    case "log":
      return "Output line";
    case "marker":
      return "File marker";
    default:
      return `${item.event?.kind ?? "event"} ${item.event?.subtype ?? item.event?.type ?? ""}`
        .trim();
  }
}
