// Type declarations for the npm package `sparse-iht`. The same text ships as
// index.d.mts (import) and index.d.cts (require); `tsc` checks both in tests.

/** Activation of the hidden layers; the output layer is always a softmax. */
export type Activation = 'tanh' | 'relu' | 'sigmoid';

/**
 * How a run chose its step: a fixed number; c / a certified upper bound of L_2s (bound);
 * halving until the sparse descent condition holds (backtracking); normalised IHT (normalized);
 * c / L̂_2s, the paper's Monte Carlo estimate (estimate). `auto` reports the rule it ran.
 */
export type StepRule = 'fixed' | 'bound' | 'backtracking' | 'normalized' | 'estimate';

/** Run status. `diverged` keeps the last finite iterate. */
export type Status = 'running' | 'converged' | 'max_iterations' | 'diverged' | 'stopped' | 'stable';

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
  /** [rows, columns] when the features are the pixels of an image, row by row (digits: [8, 8]); else null. */
  imageShape?: [number, number] | null;
}

/**
 * A data set that lives in WebAssembly memory (iht.loadData). Every call takes
 * it as `data` without copying or checking it again. Call free() when done; a
 * run still using it keeps its own reference.
 */
export interface DatasetHandle {
  readonly name: string;
  readonly numSamples: number;
  readonly numFeatures: number;
  readonly features: readonly string[];
  readonly classes: readonly string[];
  /** Samples of each class. */
  readonly classCounts: readonly number[];
  /** [rows, columns] when the features are the pixels of an image (digits: [8, 8]); else null. */
  readonly imageShape: [number, number] | null;
  free(): void;
  readonly freed: boolean;
}

/** Reads a CSV piece by piece (iht.createDataReader): the text is never whole in memory. */
export interface DataReader {
  /** The next piece of the file, in order; pieces may split lines and characters anywhere. */
  feed(piece: string | Uint8Array): void;
  /** Ends the input; throws like loadData. The reader cannot be used afterwards. */
  finish(): DatasetHandle;
  /** Drops the reader without a data set. */
  free(): void;
  readonly bytesFed: number;
}

export interface ReadOptions {
  /** Label column; default the last column. */
  label?: string;
  /** The name in messages and results; default '<csv>'. */
  name?: string;
}

/**
 * The package's digits data module (`import digits from 'sparse-iht/digits'`): the
 * built-in digits data set as text, which the ES module build leaves out of its
 * WebAssembly to keep the browser's download small. Pass it as `data`, to
 * loadData() or to load({ digits }).
 */
export interface DigitsData {
  readonly format: 'sparse-iht-digits';
  readonly name: 'digits';
  readonly images: number;
  readonly imageShape: readonly [number, number];
  readonly source: string;
  readonly license: string;
  /** One image per 65 characters: 64 pixels row by row ('0'-'9', 'a'-'g' for 10-16) and the digit. */
  readonly text: string;
}

/**
 * Where the data comes from: the built-in IRIS or digits (8 × 8 images; its default network is
 * 64 → 32 → 10 with s = 10 % of n), CSV text, a data set, or a loaded Dataset handle.
 */
export type DataSource = 'iris' | 'digits' | DigitsData | { csv: string | Uint8Array; name?: string } | Dataset | DatasetHandle;

// @generated option interfaces

/** What kind of input an error is about (SparseIhtError.code). */
export type ErrorCode = 'bad-option' | 'unknown-option' | 'bad-data' | 'bad-state';

/**
 * Every error the package throws for bad input or a misuse. Decide by `code`
 * and `option`, never by the message.
 */
export declare class SparseIhtError extends Error {
  constructor(message: string, fields: { code: ErrorCode; option?: string | null; line?: number | null; column?: number | null });
  readonly name: 'SparseIhtError';
  readonly code: ErrorCode;
  /** The camelCase option at fault ('s', 'testFraction', 'label', 'data'), or null. */
  readonly option: string | null;
  /** The CSV line of a data error, from 1, where known. */
  readonly line: number | null;
  /** The CSV field (column) of a data error, from 1, where known. */
  readonly column: number | null;
}

/** One entry of the option table, as iht.options() lists it. */
export interface OptionInfo {
  /** The package's name: 'testFraction'. */
  name: string;
  /** The command line's flag: '--test-fraction'. */
  flag: string;
  type: 'integer' | 'number' | 'boolean' | 'choice' | 'string' | 'integer-list';
  /** The default: a number, a word ('auto'), a boolean, a list, or null (none). */
  default: number | string | boolean | number[] | null;
  /** What the default means, where the value alone does not say it ('the last column'), else null. */
  defaultHelp: string | null;
  /** Range of numbers (and of list items); null for none. */
  min: number | null;
  max: number | null;
  minExclusive: boolean;
  maxExclusive: boolean;
  /** integer-list: the most items. */
  maxItems: number | null;
  /** choice: the values; number: words accepted besides numbers ('auto'); else null. */
  choices: string[] | null;
  /** The commands that take it; 'train' covers train, describe and createTrainer, 'lipschitz' is estimateL2s. */
  commands: Array<'train' | 'sweep' | 'lipschitz'>;
  /** What a valid value looks like, as error messages say it. */
  expected: string;
  help: string;
}

export interface HtStable {
  stable: boolean;
  /** min_{i∈S}|θ_i| − γ·max_{j∉S}|∇_j f|. */
  margin: number;
  /** ‖∇_S f‖∞ (‖∇f‖∞ when |S| < s). */
  supportGradInf: number;
  supportSize: number;
  tolerance: number;
  /** One plain sentence on why the point is or is not HT-stable. */
  reason: string;
}

export interface History {
  loss: Float64Array;
  trainAccuracy: Float64Array;
  /** Empty when there is no test set. */
  testAccuracy: Float64Array;
  nnz: Int32Array;
  entered: Int32Array;
  left: Int32Array;
  /** ‖θ_k‖. */
  thetaNorm: Float64Array;
  /** γ of the step that made θ_k (0 at k = 0) for the adaptive rules; empty for a fixed step. */
  step: Float64Array;
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
  /** The data loss: mean cross-entropy on the training set. */
  trainLoss: number;
  /** What IHT minimised: trainLoss + ridge/2 ‖θ‖² (trainLoss itself without a ridge). */
  objective: number;
  testLoss: number | null;
  trainAccuracy: number;
  testAccuracy: number | null;
  stepSize: number;
  /** The rule that chose the step ('auto' names the rule it ran). */
  stepRule: StepRule;
  /**
   * Whether the steps are covered by the theorem: γ below 1/upper for a certified upper bound of
   * L_2s, or (adaptive rules) every step passed the sparse descent condition.
   */
  stepCertified: boolean;
  /** L̂_2s behind an estimate step; null otherwise. */
  l2s: number | null;
  iterations: number;
  status: Status;
  htStable: HtStable;
  history: History;
  /** confusion[true][predicted], on the test set (train set when there is none). */
  confusion: number[][];
  confusionOn: 'test' | 'train';
}

/** A run of the path reduced to its figures (the cold start, a baseline). */
export interface RunSummary {
  trainLoss: number;
  /** trainLoss plus the ridge term. */
  objective: number;
  testLoss: number | null;
  trainAccuracy: number;
  testAccuracy: number | null;
  nnz: number;
  support: Int32Array;
  iterations: number;
  status: Status;
}

/** Baselines at the same nonzero count, each retrained on its support with the path's step rule. */
export interface Baselines {
  /** The dense (s = n) point, H_s, retrained on the kept support. */
  magnitude: RunSummary;
  /** Proximal gradient with soft thresholding at the smallest λ found with nnz ≤ s, retrained on its support. */
  l1: RunSummary;
  l1Lambda: number;
  /** Nonzeros of the L1 solution at l1Lambda, before the retraining: at most s. */
  l1Nonzeros: number;
}

export interface SweepPoint {
  s: number;
  /** Which run this point is: a cold start, a warm start from the previous s (up) or from H_s of the next (down). */
  start: 'cold' | 'up' | 'down';
  trainLoss: number;
  /** trainLoss plus the ridge term: what the path compares. */
  objective: number;
  testLoss: number | null;
  trainAccuracy: number;
  testAccuracy: number | null;
  gapToDense: number;
  htStable: HtStable;
  stepSize: number;
  stepRule: StepRule;
  stepCertified: boolean;
  l2s: number | null;
  iterations: number;
  status: Status;
  theta: Float64Array;
  support: Int32Array;
  /** The cold start at this s, whether or not it won. */
  cold: RunSummary;
  /** Null with `baselines: false`. */
  baselines: Baselines | null;
  /** The best of every support of size s (`exact: true`, where a certificate exists); null otherwise. */
  exact: { objective: number; trainLoss: number; support: Int32Array } | null;
  /** objective − exact.objective. */
  exactGap: number | null;
  /** After the swap search (`swaps: true`); null otherwise. */
  swap: { objective: number; trainLoss: number; support: Int32Array; swaps: number } | null;
}

/** K-fold cross-validation inside the training split: the test split plays no part. */
export interface CrossValidation {
  folds: number;
  /** The grid. */
  s: number[];
  /** Mean validation cross-entropy per s, and its standard error over the folds. */
  meanLoss: Float64Array;
  stdErrLoss: Float64Array;
  meanAccuracy: Float64Array;
  stdErrAccuracy: Float64Array;
  /** foldLoss[i][k]: fold k's validation loss at grid point i (behind the mean and its standard error). */
  foldLoss: Float64Array[];
  /** The s with the lowest mean validation loss. */
  minS: number;
  /** The one-standard-error choice: the smallest s within one SE of minS's loss. */
  chosenS: number;
  /** EBIC on the full training split's path, as a second opinion. */
  criterion: { name: string; gamma: number; values: Float64Array; chosenS: number };
}

export interface SweepResult {
  /** The path's s = n point. */
  dense: TrainResult;
  points: SweepPoint[];
  /** The values of s, ascending, ending with n. */
  grid: number[];
  /** Null without `cv`. */
  cv: CrossValidation | null;
  /** Per grid point, per parameter: the share of folds that kept it (empty without `cv`). */
  supportFrequency: Float64Array[];
  /** Why `exact` gave no certificate, or null. */
  exactNote: string | null;
  /** False when onProgress stopped the path. */
  complete: boolean;
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
  /** lower ≤ L_2s: the largest secant ratio of the pairs and of a restricted power iteration on Hessian-vector products. */
  lower: number;
  /** L_2s ≤ upper, certified (Böhning's bound for a softmax layer without hidden layers); null when none is known. */
  upper: number | null;
  /** How `upper` was found, or why there is none. */
  upperMethod: string;
}

export interface TrainerState {
  iteration: number;
  loss: number;
  nnz: number;
  status: Status;
  done: boolean;
  /** The run's step, or an adaptive rule's last one. */
  stepSize: number;
  stepRule: StepRule;
  /** So far: see TrainResult.stepCertified. */
  stepCertified: boolean;
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

/** The two halves of the latest IHT step: after = H_s(gradientStep), gradientStep = before − step · ∇f(before). */
export interface StepDetail {
  /** k: after is θ_k. */
  iteration: number;
  /** γ of this step. */
  step: number;
  /** Whether the run's steps are certified so far. */
  certified: boolean;
  /** θ_{k−1}. */
  before: Float64Array;
  /** v = θ_{k−1} − γ ∇f(θ_{k−1}), before thresholding. */
  gradientStep: Float64Array;
  /** θ_k = H_s(v) (then refined on its support with `refine`). */
  after: Float64Array;
  /** The s-th largest |v|: every kept entry is at least this large (0 when v has fewer than s nonzeros). */
  threshold: number;
  /** supp(θ_k), ascending. */
  kept: Int32Array;
  /** Indices that entered and left the support in this step, ascending. */
  entered: Int32Array;
  left: Int32Array;
}

/** Some samples and the classes the current θ predicts for them (trainer.predictions). */
export interface SamplePredictions {
  /** The split the samples come from: the test split, or the training split when there is none. */
  on: 'test' | 'train';
  numFeatures: number;
  /** count × numFeatures, row-major, in the data set's units (for digits: the pixel counts 0–16). */
  x: Float64Array;
  /** The true classes. */
  y: Int32Array;
  /** The classes θ predicts (its largest output; ties to the lower class). */
  predicted: Int32Array;
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
  /** The two halves of the latest step, for a step-by-step view; null before the first step. */
  lastStep(): StepDetail | null;
  /** The first `count` (default 16) test samples, or training samples without a test set, and what θ predicts for them. */
  predictions(count?: number): SamplePredictions;
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
  /** [rows, columns] when the features are the pixels of an image (digits: [8, 8]); else null. */
  imageShape: [number, number] | null;
  /** The s train() uses when the options give none: 10 % of n for digits, else min(5, n). */
  defaultS: number;
}

export interface CliOutput {
  status: number;
  stdout: string;
  stderr: string;
}

export interface SparseIht {
  readonly version: string;
  /** The option table: every option, its type, default, range and the calls that take it. */
  options(): OptionInfo[];
  train(options?: Options): TrainResult;
  /** The θ layout train(options) would use, with the same checks of the options and data (s and step aside). */
  describe(options?: Options): ModelDescription;
  /**
   * The sparsity path. onProgress(done, total) is called after each training and each proximal-gradient run of
   * the L1 baseline (total is fixed in advance); returning false stops it with complete: false.
   */
  sweep(options?: SweepOptions, onProgress?: (done: number, total: number) => boolean | void): SweepResult;
  estimateL2s(options?: L2sOptions): L2sResult;
  iris(): Dataset;
  /** The built-in digits data set (imageShape [8, 8]); in a browser, given the data module unless load() had it. */
  digits(source?: DigitsData): Dataset;
  parseCsv(text: string | Uint8Array, options?: { label?: string; name?: string }): Dataset;
  createTrainer(options?: Options): Trainer;
  /** Reads CSV text or bytes, or the built-in 'iris' or 'digits', into a Dataset handle that stays in WebAssembly. */
  loadData(source: 'iris' | 'digits' | DigitsData | string | Uint8Array | ArrayBuffer, options?: ReadOptions): DatasetHandle;
  /** A reader to feed a CSV piece by piece (a stream, a File), then finish() into a Dataset handle. */
  createDataReader(options?: ReadOptions): DataReader;
  /** Dataset handles loaded and not yet freed. */
  readonly liveDatasets: number;
  /**
   * Runs the `iht` command line; files maps paths named by --data to their bytes or text.
   * Only in the CommonJS build (require), which `npx sparse-iht` uses; the ES module
   * build throws, to keep the browser download small.
   */
  runCli(
    args: string[],
    files?: Record<string, string | Uint8Array>,
    /** Receives a sweep's progress bar, one "\r[###---] 45/270 trainings" line at a time. */
    onProgress?: (bar: string) => void,
  ): CliOutput;
  /** Bytes of WebAssembly heap held by live allocations (for leak checks). */
  heapInUse(): number;
  /** Trainers created and not yet freed. */
  readonly liveTrainers: number;
}

export interface LoadOptions {
  /** The WebAssembly binary, if the caller has it (the package embeds it by default). */
  wasmBinary?: ArrayBuffer | Uint8Array;
  /**
   * The digits data module (`sparse-iht/digits`), so that `data: 'digits'` works in a
   * browser; Node's ES module build imports it by itself, the CommonJS build has it built in.
   */
  digits?: DigitsData;
}

export declare function load(options?: LoadOptions): Promise<SparseIht>;
export default load;
