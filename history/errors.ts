/**
 * Thrown by queries while the index cannot answer: being rebuilt after
 * corruption, closed, or off (HTTP 503). In a module of its own so the
 * daemon's thread can know it without loading the indexer and, through it,
 * the price catalogue (history/index.ts).
 */
export class IndexUnavailableError extends Error {}
