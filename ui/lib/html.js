/**
 * `html` tagged templates bound to the one real Preact: htm's own ESM build,
 * never its standalone bundle (that ships a second Preact beside signals').
 */
import { h } from "preact";
import htm from "htm";

export const html = htm.bind(h);
