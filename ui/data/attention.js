/**
 * How many agents need you, shown where a glance finds it: the tab title,
 * `(2) tailboard`, and a badge on the favicon. Views set their own titles;
 * the count is kept in front of whatever they set.
 */
import { computed, effect } from "@preact/signals";
import { agents } from "./state.js";
import { faviconHref, needsYouCount, titleWithCount } from "../lib/status.js";

export const needsYou = computed(() => needsYouCount(agents.value.values()));

const PREFIX = /^\(\d+\) /;

export function startAttention() {
  const apply = () => {
    const bare = document.title.replace(PREFIX, "");
    const want = titleWithCount(needsYou.peek(), bare);
    if (document.title !== want) document.title = want;
  };
  let shown = -1;
  effect(() => {
    const n = needsYou.value;
    apply();
    if (n === shown) return;
    shown = n;
    const icon = document.querySelector("link[rel=icon]");
    if (icon) icon.setAttribute("href", faviconHref(n));
  });
  const title = document.querySelector("title");
  if (title) {
    new MutationObserver(apply).observe(title, {
      childList: true,
      characterData: true,
      subtree: true,
    });
  }
}
