/**
 * What a response's own settings do to its list price. The catalogue
 * (`@pydantic/genai-prices`) prices a model's standard tier; these are the
 * premiums a transcript records per response. A premium tailboard has no
 * published figure for makes the response's price unknown, never a guess.
 */

import { familyOf, modelIdOf } from "./prices.ts";

/**
 * Claude fast mode (`usage.speed: "fast"`): a multiplier on the model's
 * standard rates, cache prices included, across the whole context window (no
 * long-context tier applies). Sources, checked 2026-12-06: Anthropic's "Fast
 * mode" page (platform.claude.com/docs/en/build-with-claude/fast-mode: "priced
 * at a multiplier on standard rates across the full context window, including
 * requests over 200k input tokens", prompt-caching multipliers on top) and its
 * Claude Code page (code.claude.com/docs/en/fast-mode); Opus 4.6 and 4.7 fast
 * at $30 / $150 per million (6×), Opus 4.8 and Opus 5 at $10 / $50 (2×),
 * Opus 5.5 at $8 / $40 (2×), as published with each release.
 */
export const CLAUDE_FAST: Readonly<Record<string, number>> = {
  "claude-opus-4-6": 6,
  "claude-opus-4-7": 6,
  "claude-opus-4-8": 2,
  "claude-opus-5": 2,
  "claude-opus-5-5": 2,
};

/**
 * US-only inference (`usage.inference_geo: "us"`) is billed at 1.1× standard
 * rates for Claude Opus 4.6, Sonnet 4.6 and later models; Opus 4.5, Sonnet
 * 4.5, Haiku 4.5 and earlier stay at the standard rate. Source: Claude Help
 * Center, "Enable US-only inference for your organization", section "How
 * billing works" (support.claude.com/en/articles/15422948), and the
 * "inference_geo" section of the Data residency page
 * (platform.claude.com/docs/en/build-with-claude/data-residency).
 */
export const US_INFERENCE = 1.1;

/** Claude models released before Opus 4.6: US-only inference costs them nothing more. */
function _before46(model: string): boolean {
  const family = familyOf(model); // "opus-4.5", "haiku-3", ...
  if (family === null) return /^claude-(?:1|2|instant|v\d)/.test(modelIdOf(model));
  const [major = 0, minor = 0] = family.split("-")[1]!.split(".").map(Number);
  return major < 4 || (major === 4 && minor < 6);
}

/**
 * OpenAI Fast mode (Codex `service_tier = "fast"`, formerly "priority"):
 * rates per model as a multiple of standard, for short prompts. Source:
 * openai.com/api-fast-mode (checked 2026-12-06): GPT-5.5 $12.50 / $1.25 /
 * $75 (2.5× of $5 / $0.50 / $30), GPT-5.4 $5 / $0.50 / $30 and GPT-5.4 mini
 * $1.50 / $0.15 / $9 (2×), GPT-5.2, GPT-5.1, GPT-5 and their codex models
 * 2×, GPT-5 mini $0.45 / $0.045 / $3.60 (1.8×); the GPT-5.6 family at 2× its
 * standard rates, long context included. `shortOnly`: the page lists the
 * model as "excludes long context", so a prompt over its 272K tier runs, and
 * is billed, at standard long-context rates.
 */
export const OPENAI_FAST: Readonly<Record<string, { times: number; shortOnly: boolean }>> = {
  "gpt-5.6-sol": { times: 2, shortOnly: false },
  "gpt-5.6-terra": { times: 2, shortOnly: false },
  "gpt-5.6-luna": { times: 2, shortOnly: false },
  "gpt-5.5": { times: 2.5, shortOnly: true },
  "gpt-5.4": { times: 2, shortOnly: true },
  "gpt-5.4-mini": { times: 2, shortOnly: true },
  "gpt-5.2": { times: 2, shortOnly: false },
  "gpt-5.2-codex": { times: 2, shortOnly: false },
  "gpt-5.1": { times: 2, shortOnly: false },
  "gpt-5.1-codex": { times: 2, shortOnly: false },
  "gpt-5.1-codex-max": { times: 2, shortOnly: false },
  "gpt-5": { times: 2, shortOnly: false },
  "gpt-5-codex": { times: 2, shortOnly: false },
  "gpt-5-mini": { times: 1.8, shortOnly: false },
};

/** The prompt length above which OpenAI's long-context rates apply (see the catalogue's tiers). */
export const OPENAI_LONG_CONTEXT = 272_000;

/** Speeds and tiers that are the standard price: nothing to add. */
const _STANDARD = new Set(["", "standard", "default", "auto", "normal"]);

/** Whether `speed` (a Claude `usage.speed` or a Codex service tier) is the standard price. */
export function isStandardSpeed(speed: string | undefined): boolean {
  return speed === undefined || _STANDARD.has(speed.toLowerCase());
}

/** Fast mode's multiplier for a Claude model; undefined when none is published. */
export function claudeFast(model: string): number | undefined {
  const id = modelIdOf(model);
  return Object.hasOwn(CLAUDE_FAST, id) ? CLAUDE_FAST[id] : undefined;
}

/** What `inference_geo` multiplies a Claude model's price by: 1.1 for "us" on 4.6 and later. */
export function geoMultiplier(model: string, geo: string | undefined): number {
  if (geo === undefined || geo.toLowerCase() !== "us") return 1;
  return _before46(model) ? 1 : US_INFERENCE;
}

/** OpenAI Fast mode's terms for a model; undefined when none are published. */
export function openaiFast(model: string): { times: number; shortOnly: boolean } | undefined {
  const id = model.trim().toLowerCase().replace(/-\d{4}-\d{2}-\d{2}$/, "");
  return Object.hasOwn(OPENAI_FAST, id) ? OPENAI_FAST[id] : undefined;
}
