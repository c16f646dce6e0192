/**
 * Claude Code 1.0.x wrote a subagent's lines into its session's own file,
 * interleaved with the session's and with other subagents', each marked
 * `isSidechain: true`. A subagent is told apart only by its chain: its first
 * line (the prompt its Task call gave it) has no parent among the sidechain
 * lines (`parentUuid` null, or a main-chain line), and every later line names
 * the line before it. Pure: feed lines in file order, read each one's chain.
 */

/** The identity fields of a line, as `baseFields` reads them. */
export interface ChainFields {
  uuid?: string;
  parentUuid?: string;
  sidechain?: boolean;
}

/**
 * Which sidechain each line belongs to, named by the `uuid` of the chain's
 * first line (its root). Learning is idempotent: the same line fed twice, or
 * by two readers of the same file, gets the same answer.
 */
export class SidechainChains {
  /** Sidechain line uuid → its root's uuid. */
  readonly #rootOf = new Map<string, string>();

  /**
   * The root of `line`'s chain, learning it on the way; null for a line of the
   * session itself. A sidechain line whose parent is unknown (null, a
   * main-chain line, or a line cut from the file) starts a chain of its own,
   * so no subagent line is ever shown as the session's.
   */
  rootOf(line: ChainFields): string | null {
    if (line.sidechain !== true) return null;
    const known = line.uuid === undefined ? undefined : this.#rootOf.get(line.uuid);
    if (known !== undefined) return known;
    const parent = line.parentUuid === undefined ? undefined : this.#rootOf.get(line.parentUuid);
    const root = parent ?? line.uuid ?? line.parentUuid ?? null;
    if (root !== null && line.uuid !== undefined) this.#rootOf.set(line.uuid, root);
    return root;
  }
}
