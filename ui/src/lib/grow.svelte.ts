// Progressive rendering for long tables: the first rows are in the page at once, the rest
// are added one slice per frame, so a screen of 500 actions appears at once and stays
// responsive (the browser paints and handles keys between slices) while it fills in.
const frame: (f: () => void) => unknown = globalThis.requestAnimationFrame?.bind(globalThis) ?? ((f) => setTimeout(f, 16));

export class Grow {
  limit = $state(0);
  #first: number;
  #step: number;
  #total = -1;
  #generation = 0;

  #cap: number;

  /** `first` rows at once, then `step` more per frame up to `cap`; beyond the cap, rows come
   *  a step at a time when asked (`more`), which keeps the page small on a big store. */
  constructor(first = 40, step = 40, cap = Infinity) {
    this.#first = first;
    this.#step = step;
    this.#cap = cap;
    this.limit = first;
  }

  /** How many rows are not shown yet. */
  hidden(): number {
    return Math.max(0, this.#total - this.limit);
  }

  /** Shows the next `step` rows (a "Show more" button, or the keyboard moving past the end). */
  more(): void {
    this.#generation++;
    this.limit = Math.min(this.limit + this.#step, this.#total);
  }

  /** Starts again from the first rows when the list's length changes (the same length keeps
   *  what is shown, so rows never vanish from under the cursor while someone types). */
  reset(total: number): void {
    if (total === this.#total) return;
    this.#total = total;
    const generation = ++this.#generation;
    this.limit = Math.min(this.#first, total);
    const more = () => {
      const stop = Math.min(total, Math.max(this.#cap, this.#first));
      if (generation !== this.#generation || this.limit >= stop) return;
      this.limit = Math.min(this.limit + this.#step, stop);
      frame(() => setTimeout(more, 0));
    };
    frame(() => setTimeout(more, 0));
  }


}
