/**
 * Tokens and cost for people. The server owns the price table (one dated,
 * overridable list) and sends USD per agent, day and project; the browser
 * only formats those figures and reads an assistant turn's raw token counts.
 * It never prices anything itself, so the two can never disagree.
 *
 * @typedef {{usd: number | null, tokens: number, input: number, output: number,
 *   cacheWrite5m: number, cacheWrite1h: number, cacheRead: number, pricedUsd?: number,
 *   unpricedTokens?: number, reportedUsd?: number | null}} Usage
 *   an agent's, day's, project's or model's totals as the server sends them; `reportedUsd`
 *   is Claude Code's own running total for a session, a cross-check never added to `usd`
 * @typedef {{name: string, version: string, asOf: string,
 *   overrides: {asOf: string | null} | null, codexTier: string | null}} PriceSource
 *   where the server's prices come from (`prices` in /api/usage)
 * @typedef {{input_tokens?: number, output_tokens?: number, cache_creation_input_tokens?: number,
 *   cache_read_input_tokens?: number, cache_creation?: {ephemeral_5m_input_tokens?: number,
 *   ephemeral_1h_input_tokens?: number}}} RawUsage Claude's own `message.usage`
 */

/** What every USD figure is, in the words the UI uses for it. */
export const ESTIMATE_NOTE = "list-price estimate";

const USD = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD",
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});

/**
 * `$1.23`, `$1,234.50`, `<$0.01` for a cost that rounds to nothing, and
 * `price unknown` when the server has no price for a model (never a guess).
 * @param {number | null | undefined} usd
 * @returns {string}
 */
export function formatUsd(usd) {
  if (typeof usd !== "number" || !Number.isFinite(usd)) return "price unknown";
  if (usd > 0 && usd < 0.005) return "<$0.01";
  return USD.format(usd);
}

/**
 * A usage's cost: `$1.23`; `≥ $1.23` when some of its tokens have no known
 * price (the server then sends `usd: null` and the priced part as `pricedUsd`);
 * `price unknown` when none has.
 * @param {{usd: number | null, pricedUsd?: number}} u
 * @returns {string}
 */
export function formatCost(u) {
  if (typeof u.usd === "number") return formatUsd(u.usd);
  return typeof u.pricedUsd === "number" && u.pricedUsd > 0
    ? `≥ ${formatUsd(u.pricedUsd)}`
    : formatUsd(null);
}

/**
 * The shortest honest label for a tight spot: the cost, or the tokens when
 * no price is known at all (`1.2M tokens`).
 * @param {Usage} u
 */
export function costLabel(u) {
  return typeof u.usd === "number" || (u.pricedUsd ?? 0) > 0
    ? formatCost(u)
    : `${formatTokens(u.tokens)} tokens`;
}

/**
 * A chart axis's USD: as short as the step allows (`$0`, `$2.50`, `$15`, `$1.5k`).
 * @param {number} usd
 * @returns {string}
 */
export function formatUsdAxis(usd) {
  if (usd >= 1000) return `$${trim((usd / 1000).toFixed(usd >= 10_000 ? 0 : 1))}k`;
  const whole = (/** @type {number} */ x) => Math.abs(x - Math.round(x)) < 1e-9;
  const decimals = whole(usd) ? 0 : whole(usd * 100) ? 2 : 3;
  return `$${usd.toFixed(decimals)}`;
}

/**
 * Token counts to three significant digits: `812`, `1.2k`, `12.3k`, `123k`, `4.56M`, `1.2B`.
 * @param {number | null | undefined} n
 * @returns {string}
 */
export function formatTokens(n) {
  if (typeof n !== "number" || !Number.isFinite(n) || n < 0) return "–";
  if (n < 1000) return String(Math.round(n));
  const units = ["k", "M", "B", "T"];
  let value = n / 1000;
  let unit = 0;
  while (value >= 999.5 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = value < 9.995 ? 2 : value < 99.95 ? 1 : 0;
  return `${trim(value.toFixed(digits))}${units[unit]}`;
}

/** `1.20` → `1.2`, `10.0` → `10`. @param {string} s */
function trim(s) {
  return s.includes(".") ? s.replace(/\.?0+$/, "") : s;
}

/**
 * The parts of a usage worth naming, largest kinds first as Claude bills them.
 * @param {Omit<Usage, "usd"> } u
 * @returns {[string, number][]}
 */
export function tokenParts(u) {
  /** @type {[string, number][]} */
  const parts = [
    ["input", u.input],
    ["output", u.output],
    ["cache read", u.cacheRead],
    ["cache write 5m", u.cacheWrite5m],
    ["cache write 1h", u.cacheWrite1h],
  ];
  return parts.filter(([, n]) => typeof n === "number" && n > 0);
}

/**
 * A hover title for an agent's, day's or project's usage: the cost and what
 * it is, then every kind of token.
 * @param {Usage} u
 * @returns {string}
 */
export function usageTitle(u) {
  const head = typeof u.usd === "number"
    ? `${formatUsd(u.usd)}, a ${ESTIMATE_NOTE}`
    : (u.pricedUsd ?? 0) > 0
    ? `${formatUsd(u.pricedUsd)} for the priced models, a ${ESTIMATE_NOTE}`
    : "Price unknown for this model: tokens only";
  const lines = [
    head,
    `${formatTokens(u.tokens)} tokens: ${
      tokenParts(u).map(([k, n]) => `${formatTokens(n)} ${k}`).join(" · ") || "none"
    }`,
  ];
  if ((u.unpricedTokens ?? 0) > 0 && (typeof u.usd === "number" || (u.pricedUsd ?? 0) > 0)) {
    lines.push(`${formatTokens(u.unpricedTokens)} tokens from models with no known price`);
  }
  const reported = reportedNote(u);
  if (reported) lines.push(reported);
  return lines.join("\n");
}

/**
 * Claude Code's own running total beside tailboard's estimate, when the
 * transcript has one: `Claude Code's own total: $1.85 (a cross-check, not
 * added)`; "" when it has none.
 * @param {Usage} u
 * @returns {string}
 */
export function reportedNote(u) {
  return typeof u.reportedUsd === "number" && Number.isFinite(u.reportedUsd)
    ? `Claude Code's own total: ${formatUsd(u.reportedUsd)} (a cross-check, not added)`
    : "";
}

/**
 * Where the prices come from, in a sentence: the catalogue and the day its
 * data is from, the user's own prices when a prices.json is in use, and
 * Codex's configured service tier.
 * @param {PriceSource} p
 * @returns {string}
 */
export function priceSourceNote(p) {
  const parts = [`List prices from ${p.name} ${p.version} (data as of ${p.asOf})`];
  if (p.overrides) {
    parts.push(
      `with your prices.json laid over${p.overrides.asOf ? ` (as of ${p.overrides.asOf})` : ""}`,
    );
  }
  let text = parts.join(", ") + ".";
  if (p.codexTier) text += ` Codex responses at the "${p.codexTier}" service tier.`;
  return text;
}

/**
 * A hover title when only the cost and the token total are known.
 * @param {number | null} usd
 * @param {number} tokens
 */
export function costTitle(usd, tokens) {
  return (typeof usd === "number"
    ? `${formatUsd(usd)}, a ${ESTIMATE_NOTE}`
    : "Price unknown for this model: tokens only") + `\n${formatTokens(tokens)} tokens`;
}

/**
 * One assistant turn's tokens from Claude's raw usage object. Cache writes go
 * to the 5-minute bucket unless the transcript splits them.
 * @param {RawUsage | null | undefined} raw
 * @returns {Omit<Usage, "usd"> | null}
 */
export function turnUsage(raw) {
  if (!raw || typeof raw !== "object") return null;
  const n = (/** @type {unknown} */ v) => (typeof v === "number" && v > 0 ? v : 0);
  const input = n(raw.input_tokens);
  const output = n(raw.output_tokens);
  const cacheRead = n(raw.cache_read_input_tokens);
  const written = n(raw.cache_creation_input_tokens);
  const split = raw.cache_creation;
  const oneHour = n(split?.ephemeral_1h_input_tokens);
  const fiveMin = split ? n(split.ephemeral_5m_input_tokens) : written;
  // A split that accounts for less than the total leaves the rest in the default (5-minute) bucket.
  const cacheWrite5m = Math.max(fiveMin, written - oneHour);
  const cacheWrite1h = oneHour;
  return {
    input,
    output,
    cacheRead,
    cacheWrite5m,
    cacheWrite1h,
    tokens: input + output + cacheRead + cacheWrite5m + cacheWrite1h,
  };
}

/**
 * A turn's tokens for a card's hover title: `14.2k tokens: 3 input · 412 output · 12.1k cache read`.
 * @param {RawUsage | null | undefined} raw
 * @returns {string}
 */
export function turnNote(raw) {
  const u = turnUsage(raw);
  if (!u || u.tokens === 0) return "";
  return `${formatTokens(u.tokens)} tokens: ${
    tokenParts(u).map(([k, n]) => `${formatTokens(n)} ${k}`).join(" · ")
  }`;
}

/**
 * A round top for a chart's axis and the step between its lines: the
 * smallest 1, 2, 2.5 or 5 × 10ⁿ step whose `lines` multiples reach `max`.
 * @param {number} max
 * @param {number} [lines]
 * @returns {{top: number, step: number}}
 */
export function axisScale(max, lines = 4) {
  if (!(max > 0)) return { top: 1, step: 0.25 };
  const rough = max / lines;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s * lines >= max - 1e-9) ??
    10 * power;
  return { top: step * lines, step };
}
