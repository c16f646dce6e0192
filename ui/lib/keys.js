/**
 * Keyboard shortcuts (shown by `?`). `keyAction` maps a key press to an
 * action name and is pure; `installKeys` wires it to the document.
 */

/**
 * Shortcuts as the help dialog lists them: groups of alternative keys (shown
 * joined by "or"), each group a pair or single key (joined by "/"), and what they do.
 * @type {[string[][], string][]}
 */
export const SHORTCUTS = [
  [[["j", "k"]], "next / previous card"],
  [[["J", "K"], ["]", "["]], "next / previous agent (on the board: pane)"],
  [[["o"], ["Enter"]], "expand or collapse the card"],
  [[["g", "G"]], "top / bottom (bottom follows again)"],
  [[["f"]], "follow new events on or off"],
  [[["z"]], "board: open the focused pane full size, or all panes again"],
  [[["/"]], "filter agents (on Search: the search box)"],
  [[["Ctrl K"], ["⌘K"]], "search every transcript"],
  [[["?"]], "this help"],
  [[["Esc"]], "close, clear the filter or the selection"],
];

/**
 * @typedef {"nextCard" | "prevCard" | "nextAgent" | "prevAgent" | "toggleCard" | "top" | "bottom"
 *   | "toggleFollow" | "zoom" | "filter" | "help" | "escape"} Action
 */

/**
 * @param {{key: string, ctrlKey?: boolean, metaKey?: boolean, altKey?: boolean}} e
 * @param {{typing: boolean, onControl: boolean}} where typing: focus is in a text field;
 *   onControl: focus is on a link or button (Enter belongs to it)
 * @returns {Action | null}
 */
export function keyAction(e, where) {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  if (e.key === "Escape") return "escape";
  if (where.typing) return null;
  switch (e.key) {
    case "j":
      return "nextCard";
    case "k":
      return "prevCard";
    case "J":
    case "]":
      return "nextAgent";
    case "K":
    case "[":
      return "prevAgent";
    case "o":
      return "toggleCard";
    case "Enter":
      return where.onControl ? null : "toggleCard";
    case "g":
      return "top";
    case "G":
      return "bottom";
    case "f":
      return "toggleFollow";
    case "z":
      return "zoom";
    case "/":
      return "filter";
    case "?":
      return "help";
    default:
      return null;
  }
}

/**
 * @param {Partial<Record<Action, () => void>>} actions
 * @returns {() => void} uninstall
 */
export function installKeys(actions) {
  /** @param {KeyboardEvent} e */
  const onKey = (e) => {
    if (e.defaultPrevented || e.isComposing) return;
    const t = /** @type {HTMLElement | null} */ (e.target instanceof HTMLElement ? e.target : null);
    const typing = !!t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
    const onControl = !!t && !!t.closest("a, button, summary, [role=button]");
    const action = keyAction(e, { typing, onControl });
    const run = action ? actions[action] : undefined;
    if (!run) return;
    e.preventDefault();
    run();
  };
  document.addEventListener("keydown", onKey);
  return () => document.removeEventListener("keydown", onKey);
}
