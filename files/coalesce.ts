/**
 * Runs an async pass so that concurrent calls share it: a call made while a
 * pass runs gets that run's promise and asks for one more pass after it.
 */
export class CoalescedPass {
  readonly #pass: () => Promise<void>;
  readonly #stop: () => boolean;
  #running: Promise<void> | null = null;
  #again = false;

  /** `stop` is asked before each further pass; true ends the run early. */
  constructor(pass: () => Promise<void>, stop: () => boolean = () => false) {
    this.#pass = pass;
    this.#stop = stop;
  }

  /** Starts a run, or joins the one under way and asks it for one more pass. */
  run(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = (async () => {
      try {
        do {
          this.#again = false;
          await this.#pass();
        } while (this.#again && !this.#stop());
      } finally {
        this.#running = null;
      }
    })();
    return this.#running;
  }
}
