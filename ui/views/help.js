/**
 * The keyboard help, a native modal `<dialog>`: it traps focus and closes on Esc.
 */
import { useEffect, useRef } from "preact/hooks";
import { html } from "../lib/html.js";
import { helpOpen } from "../data/state.js";
import { SHORTCUTS } from "../lib/keys.js";

export function Help() {
  const ref = useRef(/** @type {HTMLDialogElement | null} */ (null));
  const open = helpOpen.value;
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return html`
    <dialog ref=${ref} class="help" aria-labelledby="help-title" onClose=${() => (helpOpen.value =
      false)}
      onClick=${(/** @type {MouseEvent} */ e) => {
        if (e.target === ref.current) helpOpen.value = false;
      }}>
      <h2 id="help-title">Keyboard</h2>
      <dl>${SHORTCUTS.map(([groups, what]) =>
        html`
          <div key=${what}>
            <dt>${groups.map((keys, g) =>
              html`${g > 0 ? html`<span class="or"> or </span>` : null}${
                keys.map((k, i) => html`${i > 0 ? " / " : null}<kbd>${k}</kbd>`)
              }`
            )}</dt>
            <dd>${what}</dd>
          </div>
        `
      )}</dl>
      <p
        class="dim">Everything works with the mouse too. Click a card's time to put a link to that card in the
      address bar.</p>
      <form method="dialog"><button class="btn" autofocus>Close</button></form>
    </dialog>
  `;
}
