/**
 * The one parser of integer query parameters. A value is absent (undefined),
 * a number, or a message for the 400 that names the parameter and echoes
 * what came, cut short.
 */

/** Bounds of an integer parameter. */
export interface IntBounds {
  /** The smallest value allowed. @default 0 */
  min?: number;
  /** The largest value allowed. @default Number.MAX_SAFE_INTEGER */
  max?: number;
}

/**
 * Parses a whole-number parameter; a string result is the error message.
 * With a minimum above 0 the messages state the whole range ("limit must be
 * from 1 to 200"); otherwise only the bound that was crossed.
 */
export function intParam(
  raw: string | undefined,
  name: string,
  { min = 0, max = Number.MAX_SAFE_INTEGER }: IntBounds = {},
): number | undefined | string {
  if (raw === undefined || raw === "") return undefined;
  const ranged = min > 0;
  if (!/^\d+$/.test(raw)) {
    return ranged
      ? `${name} must be a whole number from ${min} to ${max}, got '${shown(raw)}'`
      : `${name} must be a non-negative integer, got '${shown(raw)}'`;
  }
  const n = Number(raw);
  if (n < min || n > max) {
    return ranged
      ? `${name} must be from ${min} to ${max}, got ${shown(raw)}`
      : `${name} must be at most ${max}`;
  }
  return n;
}

/** A parameter echoed back in an error, cut so a huge one does not come back whole. */
export function shown(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}…` : value;
}
