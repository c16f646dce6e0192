/**
 * `html` tagged templates bound to the one real Preact: htm's own ESM build,
 * never its standalone bundle (that ships a second Preact beside signals').
 */
import { h } from "preact";
import htm from "htm";

// htm 3.1.1's package is not `"type": "module"`, so TypeScript reads its
// `export default` typings as CommonJS and types this default import as the
// module. At run time (Deno and the browser) it is htm itself, as the cast says.
const bindable = /** @type {typeof import("htm").default} */ (/** @type {unknown} */ (htm));

export const html = bindable.bind(h);
