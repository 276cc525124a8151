// The per-iteration history of the current run, assembled from the increments
// the worker sends each frame (index k is θ_k; 0 is the initial point).

const KEYS = ['loss', 'trainAccuracy', 'testAccuracy', 'nnz', 'entered', 'left'];

export class RunHistory {
  constructor() {
    for (const key of KEYS) this[key] = [];
  }

  get length() {
    return this.loss.length;
  }

  /** Appends an increment { from, loss, … }; a repeated or overlapping increment overwrites. */
  append(increment) {
    for (const key of KEYS) {
      const values = increment[key];
      for (let i = 0; i < values.length; i++) this[key][increment.from + i] = values[i];
    }
  }

  /** Replaces everything with a complete history (a final result's). */
  replace(history) {
    for (const key of KEYS) this[key] = Array.from(history[key]);
  }
}
