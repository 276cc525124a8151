// The page's side of the model worker: requests with ids, a training loop that
// pulls one increment per animation frame, cancellation, and recovery. When
// the worker crashes or is terminated to cancel a sweep, a fresh one is
// started and given the current data set again, so the page stays usable.
import { isFromWorker } from './protocol.js';

// `where` is the action that failed; code, option, line and column are the
// package's SparseIhtError fields (null when the error is not one), so the
// page can show it next to the control concerned.
// unsupported: the browser lacks something the model needs (module workers).
export class ModelError extends Error {
  constructor(message, where, { cancelled = false, crashed = false, unsupported = false, code = null, option = null, line = null, column = null } = {}) {
    super(message);
    this.where = where;
    this.cancelled = cancelled;
    this.crashed = crashed;
    this.unsupported = unsupported;
    this.code = code;
    this.option = option;
    this.line = line;
    this.column = column;
  }
}

// requestAnimationFrame stops in background tabs and throttled iframes; the
// timeout keeps a run going there, slowly.
function nextFrame() {
  return new Promise((resolve) => {
    let done = false;
    const finish = () => {
      if (!done) {
        done = true;
        resolve();
      }
    };
    requestAnimationFrame(finish);
    setTimeout(finish, 100);
  });
}

const FRAME_BUDGET_MS = 12;

// Memory shared with the worker needs a cross-origin isolated page (served
// with COOP and COEP headers, as scripts/serve.mjs does).
const sharedMemory = () => globalThis.crossOriginIsolated === true && typeof SharedArrayBuffer === 'function';

// Whether this browser runs module workers (worker.js imports the package). An
// engine that has them reads the `type` option while it converts the options,
// before it looks at the URL; one without them ignores `type` and would run
// worker.js as a classic script, which fails on its first import with a
// SyntaxError. The URL does not parse, so the constructor throws before any
// request is made.
function moduleWorkers() {
  if (typeof Worker !== 'function') return false;
  let read = false;
  try {
    new Worker('http://[', {
      get type() {
        read = true;
        return 'module';
      },
    });
  } catch {
    // The expected SyntaxError from the URL.
  }
  return read;
}

const NO_MODULE_WORKERS =
  'This browser cannot start the model: it lacks module workers (Web Workers that load JavaScript modules; Chrome and Edge have them from version 80, Firefox from 114, Safari from 15).';

export class ModelClient {
  #worker = null;
  #nextId = 1;
  #pending = new Map(); // id → { expect: Set<type>, resolve, reject, onMessage, where }
  #source = 'iris';
  #current = 0; // id of the operation the page still wants
  #blocking = false; // the worker is inside a call that cannot be interrupted
  #ready = null;
  #generation = 0; // counts workers, so a loop never talks to a replacement
  #commands = []; // 'stop', 'pause', 'step', 'play', in the order given
  #commandWaiter = null; // wakes a paused run with the next command
  #paused = false;
  #lastCrash = null; // what ended the previous worker, for a loop that finds it replaced
  #onCrash;
  #sweepStop = null; // the running sweep's stop flag (shared memory), if any

  constructor({ onCrash = () => {} } = {}) {
    this.#onCrash = onCrash;
    this.#spawn();
  }

  get ready() {
    return this.#ready;
  }

  #spawn() {
    if (!moduleWorkers()) {
      this.#ready = Promise.reject(new ModelError(NO_MODULE_WORKERS, 'load', { crashed: true, unsupported: true }));
      this.#ready.catch(() => {});
      return;
    }
    const lifeLock = `sparse-iht-worker-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: lifeLock });
    this.#worker = worker;
    let settle;
    let wasReady = false;
    this.#ready = new Promise((resolve, reject) => {
      settle = { resolve, reject };
    });
    this.#ready.catch(() => {});
    worker.addEventListener('message', (event) => {
      if (worker !== this.#worker) return;
      const message = event.data;
      if (!isFromWorker(message)) return;
      if (message.type === 'holding') {
        // Granted only when the worker has ended, however it ended (see
        // worker.js); a worker this client replaced is no longer this.#worker.
        navigator.locks
          ?.request(lifeLock, () => crash({ message: 'it has ended' }))
          .catch(() => {});
      } else if (message.type === 'ready') {
        wasReady = true;
        settle.resolve(message.version);
      } else if (message.type === 'fatal') {
        settle.reject(new ModelError(message.message, 'load'));
        this.#failAll(new ModelError(message.message, 'load', { crashed: true }));
      } else this.#receive(message);
    });
    const crash = (event) => {
      if (worker !== this.#worker) return;
      event.preventDefault?.();
      if (!wasReady) {
        // The module itself failed to load: a new worker would fail the same way. An
        // error event without a message: its script did not load at all (a 404, say).
        const why = event.message ? `: ${event.message}` : ': its script, worker.js, could not be loaded or run';
        const error = new ModelError(`The model could not be loaded${why}. Reload the page to try again.`, 'load', { crashed: true });
        settle.reject(error);
        this.#failAll(error);
        this.#onCrash(error);
        return;
      }
      const detail = event.message ? `: ${event.message}` : '';
      const error = new ModelError(`The model worker stopped unexpectedly${detail}. It has been restarted; your data and settings are kept.`, 'worker', { crashed: true });
      this.#lastCrash = error;
      this.#restart(error);
      this.#onCrash(error);
    };
    worker.addEventListener('error', crash);
    worker.addEventListener('messageerror', crash);
  }

  #failAll(error) {
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of pending) p.reject(error);
  }

  // Terminates the worker (ending whatever it computes), rejects what waits on
  // it and starts a fresh one with the same data set.
  #restart(error) {
    this.#generation += 1;
    this.#worker.terminate();
    this.#blocking = false;
    this.#failAll(error);
    this.#wakePaused();
    this.#spawn();
    const source = this.#source;
    if (source !== 'iris') {
      this.#ready = this.#ready.then(async (version) => {
        const id = this.#nextId++;
        await this.#request({ type: 'load-data', id, source }, ['data-loaded'], 'data');
        return version;
      });
      this.#ready.catch(() => {});
    }
  }

  #receive(message) {
    const pending = this.#pending.get(message.id);
    if (!pending) return;
    if (message.type === 'error') {
      this.#pending.delete(message.id);
      const { code, option, line, column } = message;
      pending.reject(new ModelError(message.message, message.where, { code, option, line, column }));
    } else if (pending.expect.has(message.type)) {
      this.#pending.delete(message.id);
      pending.resolve(message);
    } else {
      pending.onMessage?.(message);
    }
  }

  #request(message, expect, where, onMessage) {
    return new Promise((resolve, reject) => {
      this.#pending.set(message.id, { expect: new Set(expect), resolve, reject, onMessage, where });
      this.#worker.postMessage(message);
    });
  }

  async #blockingRequest(message, expect, where, onMessage) {
    this.#blocking = true;
    try {
      return await this.#request(message, expect, where, onMessage);
    } finally {
      if (this.#current === message.id || this.#current === 0) this.#blocking = false;
    }
  }

  // Starts a new operation, cancelling the previous one: a training loop just
  // stops asking for frames; anything else is ended by a new worker.
  async #begin() {
    this.cancel();
    const id = this.#nextId++;
    this.#current = id;
    const generation = this.#generation;
    await this.#ready;
    this.#checkCurrent(id, generation);
    return { id, generation };
  }

  #checkCurrent(id, generation) {
    if (this.#current !== id) throw new ModelError('Cancelled.', 'cancel', { cancelled: true });
    if (this.#generation !== generation) {
      // Only a crash replaces the worker under an operation that is still current.
      throw this.#lastCrash ?? new ModelError('The model worker was restarted during this run.', 'worker', { crashed: true });
    }
  }

  /** Cancels whatever runs; a data set being reloaded into a fresh worker is kept. */
  cancel() {
    const cancelled = () => new ModelError('Cancelled.', 'cancel', { cancelled: true });
    if (this.#blocking) this.#restart(cancelled());
    const pending = this.#pending.get(this.#current);
    if (pending) {
      this.#pending.delete(this.#current);
      pending.reject(cancelled());
    }
    this.#current = 0;
    this.#wakePaused();
  }

  // A paused run waits for a command, not for the worker: wake it, so that it
  // finds itself cancelled or its worker replaced and ends.
  #wakePaused() {
    this.#paused = false;
    this.#commands = [];
    if (this.#commandWaiter) {
      const wake = this.#commandWaiter;
      this.#commandWaiter = null;
      wake('wake');
    }
  }

  /**
   * Loads a data set ('iris', 'digits', { csv, name } or { file, name }); the worker
   * keeps it for every later call. onProgress(phase, done, total) follows a
   * file the worker reads itself: phase 'read' (bytes so far), then 'parse'.
   */
  async loadData(source, onProgress) {
    const { id } = await this.#begin();
    const reply = await this.#blockingRequest({ type: 'load-data', id, source }, ['data-loaded'], 'data', (m) => {
      if (m.type === 'data-progress') onProgress?.(m.phase, m.done, m.total);
    });
    this.#source = source;
    return reply.info;
  }

  /** n, the layer sizes and describe()'s parameters for options, checked by the package. */
  async describe(options) {
    const { id } = await this.#begin();
    const reply = await this.#blockingRequest({ type: 'describe', id, options }, ['described'], 'options');
    return { n: reply.n, sizes: reply.sizes, parameters: reply.parameters };
  }

  /**
   * Trains with the stepwise trainer: onStart(train-started message), then
   * onProgress(progress message, { paused }) once per frame while it plays,
   * and once per Step while it is paused. Resolves with the final result.
   * speed(): iterations per frame, 0 = as many as fit in a frame; read every
   * frame, so a change applies to the running run. startPaused: the run waits
   * at θ_0 for step, play or stop (the page's Step on a finished run).
   */
  async train(options, { speed = () => 0, onStart, onProgress, startPaused = false }) {
    const { id, generation } = await this.#begin();
    this.#commands = [];
    const started = await this.#blockingRequest({ type: 'train', id, options }, ['train-started'], 'train');
    this.#checkCurrent(id, generation);
    this.#paused = startPaused;
    onStart(started);
    for (;;) {
      let message;
      if (this.#paused) {
        const command = await this.#nextCommand();
        this.#checkCurrent(id, generation);
        if (command === 'play') {
          this.#paused = false;
          continue;
        }
        if (command === 'pause' || command === 'wake') continue;
        message = command === 'stop' ? { type: 'stop', id } : { type: 'advance', id, k: 1, budgetMs: FRAME_BUDGET_MS, detail: true };
      } else {
        await nextFrame();
        this.#checkCurrent(id, generation);
        const command = this.#commands.shift();
        if (command === 'stop') message = { type: 'stop', id };
        else if (command === 'pause' || command === 'step') {
          // Pauses where the run stands; a Step pressed while playing then takes its one iteration.
          this.#paused = true;
          message = command === 'step' ? { type: 'advance', id, k: 1, budgetMs: FRAME_BUDGET_MS, detail: true } : { type: 'inspect', id };
        } else message = { type: 'advance', id, k: speed(), budgetMs: FRAME_BUDGET_MS };
      }
      const progress = await this.#request(message, ['progress'], 'train');
      this.#checkCurrent(id, generation);
      if (progress.result) this.#paused = false;
      onProgress(progress, { paused: this.#paused });
      if (progress.result) return progress.result;
    }
  }

  // The next command for a paused run: one queued, or the next one given.
  #nextCommand() {
    if (this.#commands.length) return Promise.resolve(this.#commands.shift());
    return new Promise((resolve) => {
      this.#commandWaiter = resolve;
    });
  }

  #command(name) {
    if (this.#commandWaiter) {
      const wake = this.#commandWaiter;
      this.#commandWaiter = null;
      wake(name);
    } else this.#commands.push(name);
  }

  /** Whether a training run is paused (waiting for step, play or stop). */
  get paused() {
    return this.#paused && this.#current !== 0;
  }

  /**
   * Stops a training run after its current frame (it still resolves with a
   * result), or cancels it while its trainer is still being set up.
   */
  stopTraining() {
    if (this.#blocking) this.cancel();
    else this.#command('stop');
  }

  /** Pauses a playing run where it stands (the page's Stop); the run stays alive for step and play. */
  pauseTraining() {
    this.#command('pause');
  }

  /** Takes exactly one IHT iteration (pausing a playing run first). */
  stepTraining() {
    this.#command('step');
  }

  /** Plays a paused run on from where it stands. */
  resumeTraining() {
    this.#command('play');
  }

  /**
   * The bracket lower ≤ L₂ₛ ≤ upper (estimateL2s) for options, without
   * cancelling anything: for the step view of a paused run.
   */
  async bracket(options) {
    await this.#ready;
    const id = this.#nextId++;
    const reply = await this.#request({ type: 'bracket', id, options }, ['bracket-result'], 'l2s');
    return reply.result;
  }

  /**
   * The sparsity path: resolves with { result, parameters } (describe()'s
   * labels of θ). onProgress(done, total) counts trainings and L1 runs. stopSweep() ends
   * it early with the path so far (result.complete false) where the page can
   * share memory with the worker; elsewhere it cancels it.
   */
  async sweep(options, onProgress) {
    const { id } = await this.#begin();
    const message = { type: 'sweep', id, options };
    if (sharedMemory()) {
      message.stop = new Int32Array(new SharedArrayBuffer(4));
      this.#sweepStop = message.stop;
    }
    try {
      const reply = await this.#blockingRequest(message, ['sweep-result'], 'sweep', (m) => {
        if (m.type === 'sweep-progress') onProgress(m.done, m.total);
      });
      return { result: reply.result, parameters: reply.parameters };
    } finally {
      if (this.#sweepStop === message.stop) this.#sweepStop = null;
    }
  }

  /**
   * Stops the sweep that runs: 'partial' when it will still resolve, with the
   * path up to the training in progress; 'cancelled' when it was cancelled
   * (no shared memory, or a second stop while the first waits for a long
   * training to end).
   */
  stopSweep() {
    const flag = this.#sweepStop;
    if (flag && Atomics.load(flag, 0) === 0) {
      Atomics.store(flag, 0, 1);
      return 'partial';
    }
    this.cancel();
    return 'cancelled';
  }

  async estimateL2s(options) {
    const { id } = await this.#begin();
    const reply = await this.#blockingRequest({ type: 'estimate-l2s', id, options }, ['l2s-result'], 'l2s');
    return reply.result;
  }

  /**
   * What the package holds in the worker: { heapInUse (bytes in live wasm
   * allocations), wasmMemory (bytes of WebAssembly memory, or null),
   * liveTrainers }. Cancels nothing; answered once the worker is free.
   */
  async memory() {
    await this.#ready;
    const id = this.#nextId++;
    const reply = await this.#request({ type: 'memory', id }, ['memory-report'], 'memory');
    return { heapInUse: reply.heapInUse, wasmMemory: reply.wasmMemory, liveTrainers: reply.liveTrainers };
  }

  /**
   * Ends the worker the way a browser may (out of memory, say): no event and
   * no reply. The client has to notice by itself (the worker's life lock) and
   * recovers as from a crash. For the page's ?debug=1 hook and its tests.
   */
  simulateCrash() {
    this.#worker?.terminate();
  }
}
