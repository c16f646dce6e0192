/** What the status colours mean, wherever they are shown. */
import { html } from "../lib/html.js";
import { KIND_WORDS, KINDS } from "../lib/status.js";

export function Legend() {
  return html`<dl class="legend" aria-label="What the colours mean">
    ${
    KINDS.map((kind) =>
      html`
        <div class="legend-item">
          <dt><span class=${`dot status-${kind}`} aria-hidden="true"></span>${KIND_WORDS[kind]
            .label}</dt>
          <dd>${KIND_WORDS[kind].meaning}</dd>
        </div>
      `
    )
  }
  </dl>`;
}
