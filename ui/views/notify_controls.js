/**
 * The notification switch: a visible "Enable notifications" button until the
 * browser's permission is granted, then mute-all and per-project mutes.
 */
import { html } from "../lib/html.js";
import {
  enableNotifications,
  muteAll,
  mutedProjects,
  permission,
  setMuteAll,
  toggleProjectMute,
} from "../data/notify.js";
import { projectLabel } from "../lib/agent_tree.js";

/** @param {{projects: string[]}} props */
export function NotifyControls({ projects }) {
  const p = permission.value;
  if (p === "unsupported") return null;
  if (p === "denied") {
    return html`<p class="notify dim">
      Notifications are blocked for this page; allow them in the browser's site settings.
    </p>`;
  }
  if (p !== "granted") {
    return html`
      <p class="notify">
        <button type="button" class="btn" onClick=${() => enableNotifications()}>
              Enable notifications
            </button>
        <span class="dim">when an agent needs you, fails or finishes</span>
      </p>
    `;
  }
  const muted = mutedProjects.value;
  return html`<div class="notify">
    <label><input type="checkbox" checked=${!muteAll.value}
      onChange=${(/** @type {any} */ e) =>
    setMuteAll(!e.currentTarget.checked)} /> Notify me</label>
    ${
    !muteAll.value && projects.length > 1 &&
    html`<details class="notify-projects">
        <summary>Per project</summary>
        ${
      projects.map((project) =>
        html`<label title=${project}><input type="checkbox" checked=${!muted.includes(project)}
            onChange=${() => toggleProjectMute(project)} /> ${projectLabel(project)}</label>`
      )
    }
      </details>`
  }
  </div>`;
}
