/**
 * Browser notifications when an agent moves to needs-you, failed or done. On
 * by default once the browser's permission is granted (asked for through the
 * "Enable notifications" control, never on load); mutes per project and for
 * everything are kept in localStorage. Only moves seen live notify.
 */
import { effect, signal } from "@preact/signals";
import { agents, agentsLoaded } from "./state.js";
import { alertsFor, forgetGone } from "../lib/notify_rules.js";
import { agentPath } from "../lib/route.js";

const MUTE_ALL = "tailboard.notify.muteAll";
const MUTED_PROJECTS = "tailboard.notify.mutedProjects";

/** `granted`, `denied`, `default`, or `unsupported` where the browser has no Notification. */
export const permission = signal(
  typeof Notification === "undefined" ? "unsupported" : Notification.permission,
);
export const muteAll = signal(_load(MUTE_ALL) === "1");
export const mutedProjects = signal(/** @type {string[]} */ (_list(_load(MUTED_PROJECTS))));

/** Asks the browser for permission; a click handler, since browsers require a gesture. */
export async function enableNotifications() {
  if (typeof Notification === "undefined") return;
  permission.value = await Notification.requestPermission();
  if (permission.value === "granted") setMuteAll(false);
}

/** @param {boolean} on */
export function setMuteAll(on) {
  muteAll.value = on;
  _save(MUTE_ALL, on ? "1" : "0");
}

/** @param {string} project */
export function toggleProjectMute(project) {
  const now = mutedProjects.value;
  mutedProjects.value = now.includes(project)
    ? now.filter((p) => p !== project)
    : [...now, project];
  _save(MUTED_PROJECTS, JSON.stringify(mutedProjects.value));
}

/** Watches the agents and raises a notification for each live move that deserves one. */
export function startNotifications() {
  /** @type {Map<string, import("../../core/api.ts").StatusKind>} */
  const seen = new Map();
  effect(() => {
    const list = agents.value;
    if (!agentsLoaded.value) return;
    const alerts = alertsFor(
      seen,
      list.values(),
      { muteAll: muteAll.peek(), mutedProjects: mutedProjects.peek() },
      Date.now(),
    );
    forgetGone(seen, new Set(list.keys()));
    if (alerts.length === 0 || typeof Notification === "undefined") return;
    // The user may have granted or revoked it in the browser's own settings.
    permission.value = Notification.permission;
    if (Notification.permission !== "granted") return;
    for (const alert of alerts) {
      const n = new Notification(alert.title, { body: alert.body, tag: alert.agentId });
      n.onclick = () => {
        globalThis.focus();
        // The router follows popstate, so this opens the agent in place.
        history.pushState(null, "", agentPath(alert.agentId));
        dispatchEvent(new PopStateEvent("popstate"));
        n.close();
      };
    }
  });
}

/** @param {string} key */
function _load(key) {
  try {
    return localStorage.getItem(key);
  } catch {
    return null; // Storage off (private mode, a sandbox): settings last for this page only.
  }
}

/** @param {string} key @param {string} value */
function _save(key, value) {
  try {
    localStorage.setItem(key, value);
  } catch {
    // As above: nowhere to keep it.
  }
}

/** @param {string | null} text @returns {string[]} */
function _list(text) {
  try {
    const v = JSON.parse(text ?? "[]");
    return Array.isArray(v) ? v.filter((x) => typeof x === "string") : [];
  } catch {
    return [];
  }
}
