/** A message of a topic: its type and its payload as JSON text. */
export type TopicListener = (type: string, payload: string) => void;

/**
 * One upstream listener shared by every subscriber of a topic: connected on
 * the first subscriber and disconnected after the last, so a topic nobody
 * follows costs nothing and one followed by many tabs is listened to once.
 */
export class Topic {
  readonly #listeners = new Set<TopicListener>();
  readonly #connect: (emit: TopicListener) => (() => void) | undefined;
  #disconnect: (() => void) | undefined;

  /** @param connect starts listening upstream, returning how to stop (undefined: no source). */
  constructor(connect: (emit: TopicListener) => (() => void) | undefined) {
    this.#connect = connect;
  }

  /** Adds a subscriber; returns its remover. */
  add(listener: TopicListener): () => void {
    this.#listeners.add(listener);
    if (this.#listeners.size === 1) {
      this.#disconnect = this.#connect((type, payload) => {
        for (const l of this.#listeners) l(type, payload);
      });
    }
    return () => {
      if (!this.#listeners.delete(listener) || this.#listeners.size > 0) return;
      this.#disconnect?.();
      this.#disconnect = undefined;
    };
  }

  /** Subscribers right now (for leak tests). */
  get size(): number {
    return this.#listeners.size;
  }
}
