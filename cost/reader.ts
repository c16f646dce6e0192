/**
 * The responses one transcript file bills, read line by line in order. Claude
 * lines carry everything they need; a Codex rollout does not: its
 * `token_count` events name no model (the `turn_context` before them does),
 * carry both the session's running total and the last response's own counts,
 * and come in identical repeats. So a reader keeps a little state per file.
 */

import type { ParsedEvent, TailEvent } from "../core/event.ts";
import { isStandardSpeed } from "./modifiers.ts";
import { type UsageRecord, usagesOf, type Vendor } from "./usage.ts";

/** Reads one file's billed responses. Feed it that file's events in order. */
export class UsageReader {
  readonly #source: string;
  #model = "";
  #vendor: Vendor = "openai";
  #tier: string | undefined;

  /**
   * @param source names the file (an agent id): Codex responses are keyed
   *   within it, since their only identity is the session's running total.
   * @param codexTier Codex's configured `service_tier`, until a rollout says its own.
   */
  constructor(source: string, codexTier?: string) {
    this.#source = source;
    this.#tier = _tier(codexTier);
  }

  /** The model the next Codex response runs on, as far as the file has said. */
  get codexModel(): string {
    return this.#model;
  }

  /** Seeds the Codex model when reading resumes mid-file (its turn_context was read before). */
  set codexModel(model: string) {
    this.#model = model;
  }

  /** The responses `event` bills: none, one, or (with advisor calls) several. */
  read(event: TailEvent | ParsedEvent): UsageRecord[] {
    if (event.kind !== "codex") return usagesOf(event);
    if (event.modelProvider !== undefined) {
      this.#vendor = event.modelProvider.toLowerCase() === "openai" ? "openai" : "other";
    }
    if (event.model) this.#model = event.model;
    if (event.serviceTier !== undefined) this.#tier = _tier(event.serviceTier);
    const last = event.lastTokens;
    const total = event.tokens;
    if (event.subtype !== "token_count" || !last || !total || last.total <= 0) return [];
    // Input counts cached reads and cache writes too; reasoning is already in output.
    const cached = Math.min(last.cachedInput, last.input);
    const written = Math.min(last.cacheWrite ?? 0, last.input - cached);
    const record: UsageRecord = {
      // Repeats share the running total; the next response always moves it.
      key: `codex:${this.#source}:${total.total}:${total.input}:${total.output}`,
      model: this.#model,
      ts: event.ts,
      vendor: this.#vendor,
      input: last.input - cached - written,
      output: last.output,
      cacheWrite5m: written,
      cacheWrite1h: 0,
      cacheRead: cached,
    };
    if (this.#tier !== undefined) record.speed = this.#tier;
    return [record];
  }
}

/** A service tier worth recording: none for the standard one. */
function _tier(tier: string | undefined): string | undefined {
  if (tier === undefined) return undefined;
  const t = tier.trim().toLowerCase();
  return isStandardSpeed(t) ? undefined : t;
}
