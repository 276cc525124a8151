// Type declarations for the npm package `sparse-iht`. The same text ships as
// index.d.mts (import) and index.d.cts (require); `tsc` checks both in tests.

/** Activation of the hidden layers; the output layer is always a softmax. */
export type Activation = 'tanh' | 'relu' | 'sigmoid';

/** Run status. `diverged` keeps the last finite iterate. */
export type Status = 'running' | 'converged' | 'max_iterations' | 'diverged' | 'stopped';

/** A labelled data set: one row of features per sample. */
export interface Dataset {
  features: string[];
  classes: string[];
  /** samples × features, row-major. */
  x: Float64Array;
  /** class index of each sample. */
  y: Int32Array;
  numSamples: number;
  numFeatures: number;
}

/** Where the data comes from: the built-in IRIS, CSV text, or a data set. */
export type DataSource = 'iris' | { csv: string; name?: string } | Dataset;

/** Options every command takes: the data, the network and the Monte Carlo L̂_2s estimate. Names follow the command line in camelCase. */
export interface DataOptions {
  /** Hidden layer widths, e.g. [8, 8] or "8,8". Default none (the paper's 4 → 3 network). */
  hidden?: number[] | string;
  activation?: Activation;
  seed?: number;
  data?: DataSource;
  /** Label column name of CSV data; default the last column. An error with IRIS or a Dataset object. */
  label?: string;
  /** Fraction of each class held out for testing, 0 ≤ f < 1. Default 0.2. */
  testFraction?: number;
  standardize?: boolean | 'on' | 'off';
  /** Monte Carlo pairs for L̂_2s. Default 1000. */
  samples?: number;
  /** Standard deviation of the Monte Carlo values. Default 1. */
  scale?: number;
}

/** Options of sweep: the data options and how IHT runs at each s. */
export interface SweepOptions extends DataOptions {
  /** A step size > 0, or 'auto' = stepFactor / L̂_2s. Default 'auto'. */
  step?: number | 'auto';
  /** c in c / L̂_2s, 0 < c ≤ 1. Default 0.9. */
  stepFactor?: number;
  /** Maximum IHT iterations. Default 1000. */
  iters?: number;
  /** Mini-batch size; 0 = full batch (default). */
  batchSize?: number;
  /** Convergence tolerance on ‖θ_{k+1} − θ_k‖. Default 1e-9. */
  tolerance?: number;
  /** Gradient ∞-norm treated as zero by the HT-stability check. Default 1e-4. */
  htTolerance?: number;
  /** θ_0 = H_s(initScale · Glorot-normal draw). Default 0.1. */
  initScale?: number;
}

/** Options of train and createTrainer: the sweep's, for one s. */
export interface Options extends SweepOptions {
  /** Number of nonzero parameters allowed, 1 … n. Default 5. */
  s?: number;
}

/** Options of estimateL2s: the data options, s, and where the Monte Carlo pairs start. */
export interface L2sOptions extends DataOptions {
  /** Number of nonzero parameters allowed, 1 … n. Default 5. */
  s?: number;
  /** Index of the first Monte Carlo pair, to split one estimate across workers. Default 0. */
  firstPair?: number;
}

export interface HtStable {
  stable: boolean;
  /** min_{i∈S}|θ_i| − γ·max_{j∉S}|∇_j f|. */
  margin: number;
  /** ‖∇_S f‖∞ (‖∇f‖∞ when |S| < s). */
  supportGradInf: number;
  supportSize: number;
  tolerance: number;
}

export interface History {
  loss: Float64Array;
  trainAccuracy: Float64Array;
  /** Empty when there is no test set. */
  testAccuracy: Float64Array;
  nnz: Int32Array;
  entered: Int32Array;
  left: Int32Array;
}

export interface TrainResult {
  s: number;
  n: number;
  /** Layer widths from input to output. */
  sizes: number[];
  activation: Activation;
  features: string[];
  classes: string[];
  theta: Float64Array;
  support: Int32Array;
  trainLoss: number;
  testLoss: number | null;
  trainAccuracy: number;
  testAccuracy: number | null;
  stepSize: number;
  /** L̂_2s behind an auto step; null for a fixed step. */
  l2s: number | null;
  iterations: number;
  status: Status;
  htStable: HtStable;
  history: History;
  /** confusion[true][predicted], on the test set (train set when there is none). */
  confusion: number[][];
  confusionOn: 'test' | 'train';
}

export interface SweepPoint {
  s: number;
  trainLoss: number;
  testLoss: number | null;
  trainAccuracy: number;
  testAccuracy: number | null;
  gapToDense: number;
  htStable: HtStable;
  stepSize: number;
  l2s: number | null;
  iterations: number;
  status: Status;
  theta: Float64Array;
  support: Int32Array;
}

export interface SweepResult {
  dense: TrainResult;
  points: SweepPoint[];
}

export interface L2sResult {
  s: number;
  n: number;
  samples: number;
  seed: number;
  scale: number;
  /** All ratios ‖∇f(x) − ∇f(y)‖ / ‖x − y‖, in draw order. */
  ratios: Float64Array;
  /** L̂_2s: a lower bound of the true constant that rises with the number of samples. */
  max: number;
  quantiles: { p50: number; p90: number; p99: number };
}

export interface TrainerState {
  iteration: number;
  loss: number;
  nnz: number;
  status: Status;
  done: boolean;
  stepSize: number;
  l2s: number | null;
  theta: Float64Array;
  support: Int32Array;
  /** Indices that entered the support at the latest change, ascending; empty before any change. */
  entered: Int32Array;
  /** Indices that left the support at the latest change, ascending; empty before any change. */
  left: Int32Array;
  /** The iteration k of the latest change (supp θ_k ≠ supp θ_{k−1}); null while θ_0's support holds. */
  changedAt: number | null;
}

/** A resumable run for live pages. Call free() when done with it. */
export interface Trainer {
  /** Runs up to k more iterations; returns the status afterwards. */
  advance(k: number): Status;
  state(): TrainerState;
  /** History from iteration index `from` (default 0) to the current one. */
  history(from?: number): History;
  /** The current state as a full result. */
  result(): TrainResult;
  /** The Monte Carlo estimate behind an auto step, or null. */
  l2sEstimate(): L2sResult | null;
  stop(): void;
  /** Releases the C++ memory; the trainer cannot be used afterwards. Calling it twice is harmless. */
  free(): void;
  readonly freed: boolean;
}

/** One entry of θ, as describe() lists it. */
export interface Parameter {
  /** Its index in θ. */
  index: number;
  /** Its layer, from 1: layer l maps the units of layer l − 1 to those of layer l. */
  layer: number;
  kind: 'weight' | 'bias';
  /** The input unit: a feature, or a hidden unit such as 'h1[0]'; null for a bias. */
  from: string | null;
  /** The output unit: a hidden unit such as 'h1[0]', or a class. */
  to: string;
  /** The command line's name for it: 'W1[2][3]' (W[to][from]) or 'b1[1]'. */
  label: string;
  /** The input unit's index within layer − 1; null for a bias. */
  fromUnit: number | null;
  /** The output unit's index within its layer. */
  toUnit: number;
}

/** The network that train() builds for the same options, and what every entry of its θ is. */
export interface ModelDescription {
  /** Number of parameters: the length of θ. */
  n: number;
  /** Layer widths from input to output. */
  sizes: number[];
  activation: Activation;
  /** parameters[k] describes θ[k]. */
  parameters: Parameter[];
}

export interface CliOutput {
  status: number;
  stdout: string;
  stderr: string;
}

export interface SparseIht {
  readonly version: string;
  train(options?: Options): TrainResult;
  /** The θ layout train(options) would use, with the same checks of the options and data (s and step aside). */
  describe(options?: Options): ModelDescription;
  sweep(options?: SweepOptions, onProgress?: (done: number, total: number) => boolean | void): SweepResult;
  estimateL2s(options?: L2sOptions): L2sResult;
  iris(): Dataset;
  parseCsv(text: string, options?: { label?: string; name?: string }): Dataset;
  createTrainer(options?: Options): Trainer;
  /**
   * Runs the `iht` command line; files maps paths named by --data to their bytes or text.
   * Only in the CommonJS build (require), which `npx sparse-iht` uses; the ES module
   * build throws, to keep the browser download small.
   */
  runCli(args: string[], files?: Record<string, string | Uint8Array>): CliOutput;
  /** Bytes of WebAssembly heap held by live allocations (for leak checks). */
  heapInUse(): number;
  /** Trainers created and not yet freed. */
  readonly liveTrainers: number;
}

export interface LoadOptions {
  /** The WebAssembly binary, if the caller has it (the package embeds it by default). */
  wasmBinary?: ArrayBuffer | Uint8Array;
}

export declare function load(options?: LoadOptions): Promise<SparseIht>;
export default load;
