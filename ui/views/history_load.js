/**
 * Loading a history figure from the server: once per change of what it
 * depends on, again on a timer while it can still change, the previous
 * request aborted.
 *
 * @typedef {import("../data/history_api.js").DayAgent} DayAgent
 * @typedef {import("../data/history_api.js").UsageRow} UsageRow
 * @typedef {import("../data/history_api.js").UsageReport} UsageReport
 * @typedef {{from: string, to: string}} Range
 * @typedef {{id: string, title: string, project: string, source: string, firstMs: number | null,
 *   lastMs: number | null, usd: number | null, tokens: number, days: string[]}} RangeAgent
 * @typedef {{day: string, usd: number | null, pricedUsd: number, tokens: number,
 *   unpricedTokens: number}} Bar one day of the chart; its height is the priced part
 */
import { useEffect, useState } from "preact/hooks";
import { isAbort } from "../data/history_api.js";

/**
 * Runs `load` whenever `deps` change and again every `every` ms (0: never),
 * aborting the previous run. Returns the latest result, error and whether a
 * first result is still on its way.
 * @template T
 * @param {(signal: AbortSignal) => Promise<T>} load
 * @param {unknown[]} deps
 * @param {number} every
 * @returns {{data: T | null, error: string | null, loading: boolean}}
 */
export function useLoad(load, deps, every) {
  const [state, setState] = useState(
    /** @type {{data: T | null, error: string | null, loading: boolean}} */ ({
      data: null,
      error: null,
      loading: true,
    }),
  );
  useEffect(() => {
    let ctl = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    const run = () => {
      const { signal } = ctl;
      load(signal).then(
        (data) => {
          if (!signal.aborted) setState({ data, error: null, loading: false });
        },
        (err) => {
          if (isAbort(err) || signal.aborted) return;
          setState((s) => ({
            data: s.data,
            error: err instanceof Error ? err.message : String(err),
            loading: false,
          }));
        },
      );
    };
    run();
    const timer = every > 0
      ? setInterval(() => {
        ctl.abort();
        ctl = new AbortController();
        run();
      }, every)
      : undefined;
    return () => {
      clearInterval(timer);
      ctl.abort();
    };
  }, [...deps, every]);
  return state;
}
