import assert from "node:assert/strict";
import { offReason } from "../../ui/data/index_status.js";

Deno.test("offReason() shows the daemon's own reason history is off", () => {
  assert.equal(
    offReason({
      state: "off",
      reason: "/data/history.db was not written by tailboard (another program's SQLite database).",
    }),
    "Why: /data/history.db was not written by tailboard (another program's SQLite database).",
  );
  assert.equal(
    offReason({ state: "off", reason: "turned off in the settings (--no-history)" }),
    "Why: turned off in the settings (--no-history).",
  );
  // An older daemon (or a 503 from the route) gives none: no reason is made up.
  assert.equal(offReason({ state: "off" }), "This tailboard keeps no history index.");
  assert.equal(offReason({ state: "off", reason: "  " }), "This tailboard keeps no history index.");
});
