/**
 * Height guesses for cards that arrive live, learnt from the cards measured
 * before them. A guess that is right leaves the layout alone when the card is
 * measured, so a busy feed lays out once per frame instead of twice.
 */

/** @typedef {import("./model.js").Item} Item */

/**
 * What a card's height depends on, roughly: its kind, its tool, whether it has
 * a result, and its text's length in lines of about 90 characters. Cards with
 * the same key are mostly the same height, so the last one measured is a
 * better guess for the next than `estimate`: a guess that is right leaves the
 * layout alone when the card is measured.
 * @param {Item} item
 */
export function sizeKey(item) {
  const text = item.block?.text ?? item.event?.text;
  const lines = typeof text === "string" ? Math.ceil(text.length / 90) : -1;
  return `${item.kind}/${item.block?.name ?? ""}/${item.result ? 1 : 0}/${lines}`;
}

/**
 * The last measured height of each size key, and whether the one before it was
 * the same. Only a key whose cards keep one height is trusted: one tall card
 * must not make every card like it guessed tall. Only live appends are guessed
 * this way; a page loaded further back keeps the static estimate (a jump
 * through the feed would otherwise land on blank space until it is measured).
 */
export class HeightGuesses {
  /** @type {Map<string, {h: number, steady: boolean}>} */
  #learnt = new Map();

  /** @param {Item} item @param {number} h its measured height */
  learn(item, h) {
    const key = sizeKey(item);
    const before = this.#learnt.get(key);
    if (!before && this.#learnt.size >= 500) this.#learnt.clear();
    this.#learnt.set(key, { h, steady: before !== undefined && Math.abs(before.h - h) <= 0.5 });
  }

  /** Sets the guess (`h0`) of each unmeasured item whose key is steady. @param {Item[]} items */
  guess(items) {
    for (const item of items) {
      const learnt = item.h === undefined ? this.#learnt.get(sizeKey(item)) : undefined;
      if (learnt?.steady) item.h0 = learnt.h;
    }
  }
}
