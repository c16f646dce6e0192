/**
 * Codex's service tier from its `config.toml` (`~/.codex/config.toml`, or
 * `$CODEX_HOME/config.toml`): `service_tier = "fast"` (or "flex") at the top
 * level, or in the `[profiles.<name>]` table the top-level `profile` picks.
 * Rollouts before `thread_settings_applied` existed do not say their tier, so
 * this is what their responses ran at. Pure: text in, tier out; only the few
 * keys it needs are read, and anything it cannot read means the standard tier.
 */

/** The configured tier ("fast", "flex", ...), or undefined for the standard one or none. */
export function codexServiceTier(toml: string): string | undefined {
  const tables = new Map<string, Map<string, string>>([["", new Map()]]);
  let current = tables.get("")!;
  for (const raw of toml.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const header = /^\[\s*([^\[\]]+?)\s*\]\s*(?:#.*)?$/.exec(line);
    if (header) {
      const name = header[1]!.replace(/"/g, "").replace(/\s*\.\s*/g, ".");
      current = tables.get(name) ?? new Map();
      tables.set(name, current);
      continue;
    }
    if (line.startsWith("[")) {
      current = new Map(); // an array of tables: nothing here is read
      continue;
    }
    const pair = /^([A-Za-z0-9_-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')\s*(?:#.*)?$/.exec(line);
    if (pair) current.set(pair[1]!, pair[2] ?? pair[3]!);
  }
  const top = tables.get("")!;
  const profile = top.get("profile");
  const tier =
    (profile !== undefined ? tables.get(`profiles.${profile}`)?.get("service_tier") : undefined) ??
      top.get("service_tier");
  return tier === undefined || tier.trim() === "" ? undefined : tier.trim().toLowerCase();
}
