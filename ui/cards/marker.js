/** What happened to the file itself: truncated, replaced, deleted. */
/**
 * @typedef {import("../feed/model.js").Item} Item
 * @typedef {import("./parts.js").CardContext} CardContext
 */
import { html } from "../lib/html.js";

/** @param {{item: Item}} props */
export function Marker({ item }) {
  const e = item.event ?? {};
  const words = {
    truncated: "The file was truncated: showing it from the top",
    rotated: "The file was replaced: showing the new one",
    deleted: "The file was deleted: this agent has ended",
  };
  return html`
    <div class=${`marker ${e.change}`} role="separator">
      <span>${words[/** @type {"truncated" | "rotated" | "deleted"} */ (e.change)] ?? e.text ??
        "file changed"}</span>
    </div>
  `;
}
