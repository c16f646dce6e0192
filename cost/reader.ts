/**
 * The responses one transcript file bills, read line by line in order. Claude
 * lines carry everything they need; a Codex rollout does not: its
 * `token_count` events name no model (the `turn_context` before them does),
 * carry both the session's running total and the last response's own counts,
 * and come in identical repeats. A Copilot session names the model once (a
 * `session.model_change`), bills each message's output on its line, and the
 * rest (prompt and cache tokens) only as per-model totals at shutdown. So a
 * reader keeps a little state per file.
 */

import type { ModelUsage, ParsedEvent, TailEvent } from "../core/event.ts";
import { isStandardSpeed } from "./modifiers.ts";
import { vendorOf } from "./prices.ts";
import { type UsageRecord, usagesOf, type Vendor } from "./usage.ts";

/** Reads one file's billed responses. Feed it that file's events in order. */
export class UsageReader {
  readonly #source: string;
  #model = "";
  #vendor: Vendor = "openai";
  #tier: string | undefined;
  /** The model a session switched to, for messages that name none (Copilot). */
  #chatModel = "";
  /** Output billed per model by messages since the last totals (Copilot). */
  #billedOutput = new Map<string, number>();

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
    if (event.kind === "meta") return this.#meta(event);
    if (event.kind === "assistant") return this.#message(event);
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

  /** A message's records; one that names no model runs on the session's current one. */
  #message(event: Extract<ParsedEvent, { kind: "assistant" }>): UsageRecord[] {
    const records = usagesOf(event);
    for (const record of records) {
      if (!record.model && this.#chatModel) {
        record.model = this.#chatModel;
        record.vendor = vendorOf(this.#chatModel);
      }
      this.#billedOutput.set(
        record.model,
        (this.#billedOutput.get(record.model) ?? 0) + record.output,
      );
    }
    return records;
  }

  /**
   * Copilot's model switches, and its shutdown totals: per model, what its
   * messages did not already bill (their output), keyed by the shutdown line.
   * Totals restart with each session start or resume, and so does the tally.
   */
  #meta(event: Extract<ParsedEvent, { kind: "meta" }>): UsageRecord[] {
    if (event.model) this.#chatModel = event.model;
    if (event.modelUsage === undefined) return [];
    const records = event.modelUsage.map((m) => this.#rest(m, event));
    this.#billedOutput.clear();
    return records.filter((r) => r.input + r.output + r.cacheRead + r.cacheWrite5m > 0);
  }

  #rest(m: ModelUsage, event: Extract<ParsedEvent, { kind: "meta" }>): UsageRecord {
    const cacheRead = Math.min(m.cacheRead, m.input);
    const cacheWrite = Math.min(m.cacheWrite, m.input - cacheRead);
    return {
      key: `copilot:${this.#source}:${event.uuid ?? event.ts ?? ""}:${m.model}`,
      model: m.model,
      ts: event.ts,
      vendor: vendorOf(m.model),
      input: m.input - cacheRead - cacheWrite,
      output: Math.max(0, m.output - (this.#billedOutput.get(m.model) ?? 0)),
      cacheWrite5m: cacheWrite,
      cacheWrite1h: 0,
      cacheRead,
    };
  }
}

/** A service tier worth recording: none for the standard one. */
function _tier(tier: string | undefined): string | undefined {
  if (tier === undefined) return undefined;
  const t = tier.trim().toLowerCase();
  return isStandardSpeed(t) ? undefined : t;
}
