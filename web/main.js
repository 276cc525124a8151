// Wires the page: state ↔ URL ↔ controls, the model worker, the six views and
// the downloads. All numbers come from the worker (the sparse-iht package);
// this file only decides what runs when and where the answers go.
import { HIDEABLE, createState } from './state.js';
import { OPTIONS } from './lib/options.mjs';
import { ModelClient, ModelError } from './model-client.js';
import { RunHistory } from './run-history.js';
import { createControls } from './controls.js';
import { createDataProgress, formatMegabytes, showDataInfo, storeCsv, storedCsv, watchCsvInput } from './data-panel.js';
import { connectParent } from './embed-api.js';
import { createTrainingCurves } from './charts/training-curves.js';
import { createSparsityCurve } from './charts/sparsity-curve.js';
import { createL2sHistogram } from './charts/l2s-histogram.js';
import { createNetworkDiagram, parameterName } from './charts/network.js';
import { createSampleStrip } from './charts/sample-strip.js';
import { createHtStability } from './charts/ht-stability.js';
import { createConfusionMatrix } from './charts/confusion-matrix.js';
import { chartsPng, download, downloadCsv, svgPng } from './export.js';
import { formatInt, formatNumber, formatPercent, formatStatus } from './format.js';
import { runStep } from './theory.js';
import { createStepView } from './step-view.js';
import { abFromQuery, abSettingsOf, abToQuery, createAbView } from './ab-compare.js';
import { readRunFile, runFileText, watchRunInput } from './saved-runs.js';
import { snippets } from './code-snippets.js';
import { createLesson } from './lesson.js';

const $ = (id) => document.getElementById(id);

// The page's settings, typed and ranged by the package's option table.
const pageState = createState(OPTIONS);
const { defaultState, runKey, runOptions, stateFromQuery, stateToQuery } = pageState;
const fromUrl = stateFromQuery(location.search);
// The settings the link gave (the page writes them all back at once): a data
// set's own network (the digits') is taken for hidden and s unless given.
const linkKeys = [...new URLSearchParams(location.search).keys()];
let state = fromUrl.state;
// Run A of an A/B comparison: the link's a.* settings until A is trained, then the pinned run.
const fromLinkA = abFromQuery(location.search, pageState);
let linkA = fromLinkA.a;
// sweep: A's path, { result, parameters, key } (key: the sweep's runKey), or null.
let pinned = null; // { settings, result, parameters, run, dataName, sweep }

const page = {
  version: '',
  csv: storedCsv(), // { csv, name } the user loaded in this tab, if any
  dataInfo: null,
  loaded: null, // the data set in the worker: 'iris', 'digits' or 'csv'
  n: null,
  run: null, // { key, options, l2sOptions, settings, stepSize, estimate, bracket, result, history, parameters }
  sweep: null,
  sweepKey: null,
  sweepParameters: null, // describe()'s parameters of the sweep's network: labels of θ
  busy: null,
  iteration: 0, // of the run in progress, for a run a crash interrupts
  flow: 0, // counts started actions, so a cancelled one does not reset the newer one's status
  stopRequested: false,
};

// The worker starts first: loading the WebAssembly overlaps building the views.
const client = new ModelClient({
  // The action that was running (if any) also fails, and says what it lost.
  onCrash: (error) => controls.showError('run', error.message),
});

// ---------------------------------------------------------------- views

const controls = createControls({ onChange, onAction, fields: pageState.FIELDS, parseField: pageState.parseField });
const curves = createTrainingCurves({
  lossEl: $('curves-loss'),
  accuracyEl: $('curves-accuracy'),
  summaryEl: $('curves-summary'),
  tableEl: $('curves-table'),
});
const network = createNetworkDiagram({ svgEl: $('network-svg'), captionEl: $('network-caption'), tableEl: $('network-table') });
const samples = createSampleStrip({ boxEl: $('samples-box'), svgEl: $('samples-svg'), captionEl: $('samples-caption') });
const NETWORK_WHAT = {
  lines: 'Every line is a weight. Hard thresholding keeps only s of them (plus biases, which count too); the rest are zero.',
  images:
    'The inputs are the pixels of an image, so each unit of the first layer is drawn as a picture of its weights: which pixels it still looks at after hard thresholding keeps only s parameters. Pruned pixels are blank.',
};
const stability = createHtStability({
  verdictEl: $('stability-verdict'),
  reasonEl: $('stability-reason'),
  listEl: $('stability-list'),
  explainEl: $('stability-explain'),
});
const confusion = createConfusionMatrix({ tableEl: $('confusion-table'), summaryEl: $('confusion-summary') });
const l2s = createL2sHistogram({ chartEl: $('l2s-chart'), keyEl: $('l2s-key'), summaryEl: $('l2s-summary'), tableEl: $('l2s-table') });
const sparsity = createSparsityCurve({
  lossEl: $('sparsity-loss'),
  accuracyEl: $('sparsity-accuracy'),
  summaryEl: $('sparsity-summary'),
  tableEl: $('sparsity-table'),
  progressEl: $('sweep-progress'),
  progressText: $('sweep-progress-text'),
  cvBoxEl: $('sparsity-cv-box'),
  cvEl: $('sparsity-cv'),
  cvSummaryEl: $('sparsity-cv-summary'),
  heatmapEl: $('sparsity-heatmap'),
  stabilityTableEl: $('sparsity-stability-table'),
});

const parent = connectParent({ onSetState, parsePartialState: pageState.parsePartialState });
const dataProgress = createDataProgress({ box: $('data-progress-box'), bar: $('data-progress'), text: $('data-progress-text') });

// ---------------------------------------------------------------- state

function syncUrl() {
  const a = abToQuery(pinned?.settings ?? linkA, pageState);
  history.replaceState(null, '', `${location.pathname}?${a ? `${a}&` : ''}${stateToQuery(state)}${location.hash}`);
  showSnippets();
}

function applyLayout() {
  document.body.classList.toggle('embed', state.embed);
  // Without its button the sweep view could never fill, so it goes too.
  const hidden = new Set(state.hide.includes('sweep') ? [...state.hide, 'sparsity'] : state.hide);
  for (const name of HIDEABLE) {
    for (const el of document.querySelectorAll(`[data-control="${name}"], [data-view="${name}"]`)) {
      el.hidden = hidden.has(name);
    }
  }
}

// A notice on the page, and to a parent frame that sent settings.
function showNotice(text) {
  parent.sendNotice(text);
  const box = document.createElement('div');
  box.className = 'notice';
  const p = document.createElement('p');
  p.textContent = text;
  const close = document.createElement('button');
  close.type = 'button';
  close.textContent = 'Dismiss';
  close.setAttribute('aria-label', 'Dismiss this notice');
  close.addEventListener('click', () => box.remove());
  box.append(p, close);
  $('notices').append(box);
}

// The sweep key of run A: its run settings, with the data set and the sweep's
// own options (cv, sGrid, exact) as they are now, so both paths are traced alike.
function aSweepKey(a) {
  return runKey({ ...state, ...a.settings }, { withS: false });
}

// Whether A's path was traced whole for those settings; if not, Sweep traces it.
function aHasPath(a) {
  return a.sweep !== null && a.sweep.key === aSweepKey(a) && a.sweep.result.complete;
}

function updateStale() {
  const stale =
    (page.sweep !== null && page.sweepKey !== runKey(state, { withS: false })) || (pinned?.sweep != null && pinned.sweep.key !== aSweepKey(pinned));
  $('sweep-stale').hidden = !stale;
  $('card-sparsity').classList.toggle('is-stale', stale);
}

// View 6's overlay of run A's path (none while nothing is pinned).
function showPinnedPath() {
  sparsity.setPinned(pinned ? { sweep: pinned.sweep?.result ?? null, sameSweep: pinned.sweep !== null && pinned.sweep.key === page.sweepKey } : null);
}

// ---------------------------------------------------------------- actions

function begin(kind) {
  page.flow += 1;
  page.stopRequested = false;
  setBusy(kind);
  return page.flow;
}

function end(token) {
  if (token === page.flow) setBusy(null);
}

function setBusy(kind) {
  page.busy = kind;
  controls.setBusy(kind);
}

// Runs an action; a cancelled one ends quietly, an error is shown next to the
// control it concerns.
async function guard(action) {
  try {
    await action();
  } catch (err) {
    if (err?.cancelled) {
      if (page.stopRequested) controls.setStatus(err.stoppedText ?? 'Stopped.');
      return;
    }
    reportError(err);
  }
}

// The control an error belongs to: the page setting of the package option it
// names (the error's `option` field), the data panel for a data error.
function controlOf(err) {
  if (err?.code === 'bad-data' || err?.option === 'data' || err?.option === 'label') return 'data';
  return err?.option && Object.hasOwn(pageState.FIELDS, err.option) ? err.option : null;
}

function reportError(err) {
  const message = err?.message ?? String(err);
  // After a crash the status line says what is still shown; so it does after
  // a run that could not start (its settings or data refused), since the
  // views keep the last run, which may be of other settings or data.
  const refused = (err?.where === 'train' || err?.where === 'options') && page.run?.result;
  controls.setStatus(
    err?.crashed
      ? (err.interrupted ?? (page.run?.result ? runStatusText(page.run.result) : ''))
      : refused
        ? `Not run: see the message. The views show the last run: ${runStatusText(page.run.result)}`
        : '',
  );
  if (err?.where === 'data') controls.showError('data', message);
  else if (err?.where === 'sweep') {
    // A bad number of folds, say, goes next to its control under Sweep.
    const key = controlOf(err);
    if (key && pageState.FIELDS[key].sweepOnly) controls.showError(key, message);
    else $('sweep-error').textContent = message;
  }
  else if (err?.where === 'options' || err?.where === 'train' || err?.where === 'l2s') controls.showError(controlOf(err) ?? 'run', message);
  else controls.showError('run', message);
}

// Loads a data set into the worker, with a progress bar for a file it reads
// itself; Stop cancels it, keeping the data set loaded before.
async function readData(source) {
  const token = begin('data');
  try {
    const info = await client.loadData(source, (phase, done, total) => dataProgress.show(source.name, phase, done, total));
    // Whatever went wrong before (a crash, say), the model now has this data set.
    controls.clearError('run');
    return info;
  } finally {
    dataProgress.clear();
    end(token);
  }
}

// A data set this large trains slowly (every iteration reads every row, and
// L̂₂ₛ takes two gradients per sample): runs then start only from Train.
const AUTO_RUN_VALUES = 1_000_000;

function autoRuns() {
  const info = page.dataInfo;
  return !info || info.numSamples * info.numFeatures <= AUTO_RUN_VALUES;
}

function waitForTrain(what) {
  controls.setStatus(
    `${what} ${page.dataInfo.name} has ${formatInt(page.dataInfo.numSamples)} rows, so runs do not start by themselves: ` +
      'press Train (fewer iterations and Monte Carlo samples make a run quicker).' +
      (page.run?.result ? ' The views show the last run until then.' : ''),
  );
}

// Trains now, or, with a large data set, waits for Train.
async function trainIfQuick(what = 'Settings changed:') {
  if (autoRuns()) await train();
  else waitForTrain(what);
}

function showData(info, source) {
  const note = source.file
    ? `${formatMegabytes(source.file.size)}, read by the model worker. Too large to keep for this tab: after a reload, load it again.`
    : '';
  showDataInfo($('data-info'), info, note);
  $('network-what').textContent = info.imageShape ? NETWORK_WHAT.images : NETWORK_WHAT.lines;
  if (!info.imageShape) samples.clear();
  if (pinned && pinned.dataName !== info.name) {
    unpin();
    showNotice('Run A was unpinned: it was trained on another data set.');
  }
}

async function loadData(which) {
  const source = which === 'csv' ? page.csv : which;
  if (!source) throw Object.assign(new Error('Load a CSV file first.'), { where: 'data' });
  const info = await readData(source);
  page.dataInfo = info;
  page.loaded = which;
  showData(info, source);
  controls.clearError('data');
}

// A data set with a network of its own (the digits: 64 → 32 → 10, s = 241)
// brings it along: hidden and s take the new data set's defaults when they
// differ from the previous one's, except those in `keep` (set by a link or a
// parent frame). Between IRIS and a CSV file the user's choices stay.
function takeDataDefaults(before, keep = []) {
  const after = page.dataInfo?.defaults;
  if (!after || (before && before.hidden.join() === after.hidden.join() && before.s === after.s)) return;
  if (!keep.includes('hidden')) state.hidden = [...after.hidden];
  if (!keep.includes('s')) state.s = after.s;
  controls.write(state);
  syncUrl();
}

// The defaults of a fresh state, which a data set without its own network keeps.
const tableDefaults = () => ({ hidden: defaultState().hidden, s: defaultState().s });

// n for the current network and data, checked by the package; lowers s to n.
async function describeModel() {
  const { n } = await client.describe(runOptions(state));
  page.n = n;
  controls.setMaxS(n);
  controls.clearError('hidden');
  if (state.s > n) {
    showNotice(`s = ${state.s} is more than this network's n = ${n} parameters; using s = ${n}.`);
    state.s = n;
    controls.write(state);
    syncUrl();
  }
}

// stepping: the run starts paused at θ_0 and takes one iteration (the Step button).
async function train({ stepping = false } = {}) {
  const token = begin('prepare');
  controls.settle(['run', 'step', 's', 'iters', 'ridge', 'refine', 'stopWhenStable', 'seed', 'samples', 'testFraction', 'hidden'], state);
  const options = runOptions(state);
  const l2sOptions = runOptions(state, 'l2s');
  const key = runKey(state);
  const settings = abSettingsOf(state, pageState);
  // Only the paper's rule, estimate, needs L̂₂ₛ before the run starts; for
  // every other rule the Monte Carlo histogram and the bracket follow the run.
  const estimatesFirst = state.step === 'estimate';
  const history = new RunHistory();
  let latest = null; // the latest support change: { changedAt, entered, left } of a trainer state
  controls.setStatus(estimatesFirst ? `Estimating L̂₂ₛ from ${formatInt(state.samples)} Monte Carlo samples…` : 'Starting…');
  try {
    const result = await client.train(options, {
      speed: () => (state.speed === 'auto' ? Math.ceil(options.iters / 60) : state.speed === 'max' ? 0 : state.speed),
      startPaused: stepping,
      onStart(m) {
        setBusy('train');
        page.n = m.n;
        controls.setMaxS(m.n);
        // The same settings give the same bracket on L₂ₛ: the step view reuses the last run's.
        const previous = page.run?.key === key ? (page.run.estimate ?? page.run.bracket) : null;
        page.run = { key, options, l2sOptions, settings, stepSize: m.stepSize, estimate: m.estimate, bracket: previous, result: null, history, parameters: m.parameters };
        stepView.clear(stepping ? 'Taking one IHT iteration from θ₀…' : 'The run is playing: Stop pauses it and shows its latest step here; Step takes one iteration.');
        refreshAb();
        if (stepping) client.stepTraining();
        curves.clear();
        network.startRun(m.sizes, m.parameters, { imageShape: page.dataInfo?.imageShape ?? null });
        network.update(m.state.theta, m.state.support, m.state.iteration);
        // The estimate rule's step is fixed from the start; an adaptive rule's is known once the run is over.
        const step = m.estimate ? runStep(m.state) : null;
        controls.setStepBound(m.estimate, step);
        page.iteration = m.state.iteration;
        if (m.estimate) l2s.set(m.estimate, { step });
        else l2s.setPending('The Monte Carlo estimate and the bracket on L₂ₛ follow the run.');
      },
      onProgress(m, { paused = false } = {}) {
        history.append(m.history);
        if (m.step !== undefined) showStep(m.step, paused);
        const { iteration, loss, theta, support } = m.state;
        page.iteration = iteration;
        curves.update(history, options.iters);
        const { changedAt, entered, left } = m.state;
        latest = { changedAt, entered, left };
        network.update(theta, support, iteration, { latest });
        if (m.samples && page.dataInfo?.imageShape) samples.set(m.samples, page.dataInfo.classes, page.dataInfo.imageShape);
        if (m.snapshot) {
          stability.set(m.snapshot, { final: false });
          confusion.set(m.snapshot);
        }
        const bar = $('run-progress');
        bar.max = options.iters;
        bar.value = iteration;
        controls.setStatus(
          paused
            ? `Paused at iteration ${formatInt(iteration)} of ${formatInt(options.iters)} · train loss ${formatNumber(loss)}. Step (.) takes one more iteration, Train plays on, Stop ends the run.`
            : `Iteration ${formatInt(iteration)} of ${formatInt(options.iters)} · train loss ${formatNumber(loss)}`,
        );
      },
    });
    finishRun(result, history, latest);
    if (!page.run.estimate) {
      setBusy('l2s');
      controls.setStatus(`Estimating L̂₂ₛ from ${formatInt(state.samples)} Monte Carlo samples…`);
      const estimate = await client.estimateL2s(l2sOptions);
      page.run.estimate = estimate;
      stepView.setEstimate(estimate);
      const step = runStep(result);
      l2s.set(estimate, { step });
      controls.setStepBound(estimate, step);
      controls.setStatus(runStatusText(result));
    }
  } catch (err) {
    if (err?.crashed && page.run?.key === key && page.run.history === history && !page.run.result) {
      curves.interrupt(history, options.iters);
      // A crash's error object is shared by everything it ended: say this in a new one.
      throw Object.assign(new ModelError(err.message, err.where, { crashed: true }), {
        interrupted: `Interrupted at iteration ${formatInt(page.iteration)} of ${formatInt(options.iters)}: the views show the run up to there. Press Train to run again.`,
      });
    }
    throw err;
  } finally {
    end(token);
  }
}

function runStatusText(result) {
  const acc = result.testAccuracy ?? result.trainAccuracy;
  const plural = (count, noun) => `${formatInt(count)} ${noun}${count === 1 ? '' : 's'}`;
  return `${formatStatus(result.status)[0].toUpperCase()}${formatStatus(result.status).slice(1)} after ${plural(result.iterations, 'iteration')}: ${result.testAccuracy === null ? 'train' : 'test'} accuracy ${formatPercent(acc)}, ${plural(result.support.length, 'nonzero parameter')}.`;
}

function finishRun(result, history, latest) {
  history.replace(result.history);
  page.run.result = result;
  page.run.stepSize = result.stepSize;
  curves.finish(history, result);
  network.update(result.theta, result.support, result.iterations, { latest, final: true });
  stability.set(result, { final: true });
  confusion.set(result);
  sparsity.setCurrentS(result.s);
  refreshAb();
  controls.setStatus(runStatusText(result));
  controls.announce(runStatusText(result));
  if (result.status === 'diverged') {
    controls.showError(
      'step',
      `The run diverged at iteration ${result.iterations}: with γ = ${formatNumber(result.stepSize)} the loss stopped being finite. The last finite θ is shown. Choose a smaller step, or a certified rule: bound (γ below 1/L₂ₛ, without hidden layers) or backtracking (any network).`,
    );
  }
  parent.sendResult({
    settings: stateToQuery(state),
    s: result.s,
    n: result.n,
    status: result.status,
    iterations: result.iterations,
    trainLoss: result.trainLoss,
    testLoss: result.testLoss,
    trainAccuracy: result.trainAccuracy,
    testAccuracy: result.testAccuracy,
    nnz: result.support.length,
    stepSize: result.stepSize,
    l2s: result.l2s,
    htStable: { stable: result.htStable.stable, margin: result.htStable.margin, supportGradInf: result.htStable.supportGradInf },
    theta: Array.from(result.theta),
  });
}

// One sweep in the worker, its progress in view 6 (which: 'A' or 'B' while A
// is pinned). Resolves with { result, parameters, progress }.
async function traceSweep(options, which) {
  let progress = null;
  sparsity.setProgress(0, null, which);
  const { result, parameters } = await client.sweep(options, (done, total) => {
    progress = { done, total };
    sparsity.setProgress(done, total, which);
  });
  return { result, parameters, progress };
}

const trainingsDone = (progress) => (progress ? ` after ${progress.done} of ${progress.total} trainings` : '');

// Sweep traces B's path, then, with a run pinned as A that has no whole path
// for its settings, A's (through the same worker, one after the other). B's
// path is kept whatever happens to A's sweep. Stop ends whichever runs, and
// a Stop during B's sweep leaves A's untraced.
async function sweep() {
  const token = begin('sweep');
  $('sweep-error').textContent = '';
  for (const key of Object.keys(pageState.FIELDS).filter((k) => pageState.FIELDS[k].sweepOnly)) controls.clearError(key);
  const options = runOptions(state, 'sweep');
  const key = runKey(state, { withS: false });
  // Run A as pinned when Sweep was pressed: an Unpin meanwhile drops its path.
  const a = pinned && !aHasPath(pinned) ? pinned : null;
  let stopped = false;
  let crashed = false;
  let note = '';
  try {
    // B's path is traced again unless only A's is missing and B's is whole for these settings.
    const bCurrent = a !== null && page.sweep?.complete && page.sweepKey === key;
    if (!bCurrent) {
      const b = await traceSweep(options, pinned ? 'B' : null);
      page.sweep = b.result;
      page.sweepKey = key;
      page.sweepParameters = b.parameters;
      sparsity.set(b.result, b.parameters);
      sparsity.setCurrentS(state.s);
      if (!b.result.complete) {
        // Stopped through the flag the worker reads: the path so far came back.
        note = `Sweep stopped${trainingsDone(b.progress)}: the view shows the partial path (${b.result.points.length} of ${b.result.grid.length} values of s). Press Sweep to run it whole.`;
        controls.setStatus('Sweep stopped.');
      }
    }
    if (a && pinned === a && page.sweep.complete && !page.stopRequested) note = await sweepA(a, key);
    showPinnedPath();
    updateStale();
    refreshAb();
    if (note) controls.announce(note);
    else {
      const aPath = pinned?.sweep ? `, and ${pinned.sweep.result.points.length} for run A` : '';
      controls.announce(`Sweep finished: ${page.sweep.points.length} values of s${aPath}.`);
    }
  } catch (err) {
    stopped = Boolean(err?.cancelled && page.stopRequested);
    crashed = Boolean(err?.crashed);
    throw err;
  } finally {
    sparsity.setProgress(null);
    if (note) $('sweep-progress-text').textContent = note;
    if (stopped) $('sweep-progress-text').textContent = `Sweep stopped.${page.sweep ? ' The results shown are from the previous sweep.' : ''}`;
    if (crashed) $('sweep-progress-text').textContent = `Sweep interrupted: the model worker stopped.${page.sweep ? ' The results shown are from the previous sweep.' : ''} Press Sweep to run it again.`;
    end(token);
  }
}

// Traces run A's path after B's (key: B's sweep key). Returns a note for the
// view ('' when A's path is whole); it throws only when a newer action
// cancelled it, so B's path, already shown, stays.
async function sweepA(a, key) {
  const aKey = aSweepKey(a);
  if (aKey === key) {
    // A's settings differ from B's only in s, which a sweep does not take: B's path is A's.
    a.sweep = { result: page.sweep, parameters: page.sweepParameters, key };
    return '';
  }
  try {
    const r = await traceSweep(runOptions({ ...state, ...a.settings }, 'sweep'), 'A');
    if (pinned !== a) return '';
    a.sweep = { result: r.result, parameters: r.parameters, key: aKey };
    if (r.result.complete) return '';
    controls.setStatus('Sweep stopped.');
    return `Run A's sweep stopped${trainingsDone(r.progress)}: its path is partial (${r.result.points.length} of ${r.result.grid.length} values of s); run B's is whole. Press Sweep to trace A's whole.`;
  } catch (err) {
    const kept = a.sweep ? ' A’s path shown is from an earlier sweep.' : '';
    if (err?.cancelled && page.stopRequested) return `Run A's sweep stopped; run B's path is whole.${kept} Press Sweep to trace A's.`;
    if (err?.cancelled) throw err;
    if (err?.crashed) return `Run A's sweep was interrupted: the model worker stopped. Run B's path is whole.${kept} Press Sweep to trace A's.`;
    $('sweep-error').textContent = `Run A's path could not be traced: ${err?.message ?? err}. View 6 shows run B's path.`;
    return '';
  }
}

// Stop pauses a playing run (Step and Train continue it); pressed on a paused
// run, or on anything else, it ends it.
function stop() {
  if (page.busy === 'train' && !client.paused) {
    client.pauseTraining();
    return;
  }
  page.stopRequested = true;
  if (page.busy === 'train' || page.busy === 'prepare') client.stopTraining();
  else if (page.busy === 'sweep') {
    // The sweep ends after its current training and returns the path so far;
    // where it cannot (no shared memory), or at a second Stop, it is cancelled.
    if (client.stopSweep() === 'partial') {
      $('sweep-progress-text').textContent = 'Stopping after the current training…';
    } else {
      setBusy(null);
      controls.setStatus('Stopped.');
    }
  } else if (page.busy !== null) {
    client.cancel();
    setBusy(null);
    controls.setStatus('Stopped.');
  }
}

function reset() {
  state = { ...defaultState(), embed: state.embed, hide: state.hide, debug: state.debug, lesson: state.lesson };
  controls.write(state);
  controls.clearAllErrors();
  $('notices').replaceChildren();
  syncUrl();
  updateStale();
  guard(async () => {
    if (page.loaded !== state.data) await loadData(state.data);
    await describeModel();
    await train();
  });
}

function onAction(name) {
  if (name === 'train' && page.busy === 'train' && client.paused) client.resumeTraining();
  else if (name === 'train') guard(train);
  else if (name === 'stop') stop();
  else if (name === 'reset') reset();
  else if (name === 'sweep') guard(sweep);
}

function onChange(key, value) {
  if (key === 's' && page.n !== null && value > page.n) {
    controls.showError('s', `s: expected an integer from 1 to n = ${page.n}.`);
    return;
  }
  const previous = state[key];
  state[key] = value;
  syncUrl();
  if (key === 'speed') return;
  if (pageState.FIELDS[key].sweepOnly) {
    // An option of the sweep alone: the next Sweep uses it; nothing trains now.
    updateStale();
    refreshAb();
    return;
  }
  if (key === 's') {
    controls.write(state);
    sparsity.setCurrentS(value);
  }
  updateStale();
  guard(async () => {
    if (key === 'data') {
      const before = page.dataInfo?.defaults ?? null;
      try {
        await loadData(value);
      } catch (err) {
        state.data = previous;
        controls.write(state);
        syncUrl();
        throw err;
      }
      takeDataDefaults(before);
    }
    if (key === 'data' || key === 'hidden') await describeModel();
    await trainIfQuick(key === 'data' ? 'Loaded:' : 'Settings changed:');
  });
}

function onSetState(values) {
  if (values.data === 'csv' && !page.csv) {
    showNotice('The embedding page asked for a CSV data set, but none is loaded here; keeping the current data.');
    delete values.data;
  }
  const dataChanged = 'data' in values && values.data !== state.data;
  state = { ...state, ...values };
  applyLayout();
  controls.write(state);
  syncUrl();
  updateStale();
  guard(async () => {
    if (dataChanged) {
      const before = page.dataInfo?.defaults ?? null;
      await loadData(state.data);
      takeDataDefaults(before, Object.keys(values));
    }
    await describeModel();
    // A lesson panel sets its own state and runs.
    if (values.lesson > 0) {
      await lesson.open(values.lesson, { focus: false });
      return;
    }
    if ('lesson' in values) await lesson.open(0);
    await trainIfQuick();
  });
}

watchCsvInput({
  input: $('csv-file'),
  dropZone: $('drop-zone'),
  onError: (message) => controls.showError('data', message),
  onFile(source) {
    controls.clearError('data');
    guard(async () => {
      const before = page.dataInfo?.defaults ?? null;
      try {
        page.dataInfo = await readData(source);
      } catch (err) {
        if (err.where === 'data') {
          // The package's CSV errors (code 'bad-data') already begin with the file's name.
          const named = err.code === 'bad-data' ? err.message : `${source.name}: ${err.message}`;
          err.message = `${named}. The previous data set is still loaded.`;
        } else if (err.cancelled) {
          throw Object.assign(new ModelError(err.message, err.where, { cancelled: true }), {
            stoppedText: `Stopped loading ${source.name}. The previous data set is still loaded.`,
          });
        } else if (err.crashed) {
          throw new ModelError(
            `${source.name}: the model worker stopped while loading it, perhaps for lack of memory. The previous data set is still loaded.`,
            'data',
            { crashed: true },
          );
        }
        throw err;
      }
      page.csv = source;
      page.loaded = 'csv';
      storeCsv(source);
      controls.setCsvOption(source.name);
      showData(page.dataInfo, source);
      state.data = 'csv';
      controls.write(state);
      syncUrl();
      takeDataDefaults(before);
      updateStale();
      await describeModel();
      await trainIfQuick('Loaded:');
    });
  },
});

// ---------------------------------------------------------------- downloads

function slug() {
  return `s${state.s}-seed${state.seed}`;
}

function needs(value, what) {
  if (value) return true;
  $('export-error').textContent = `Nothing to download yet: ${what}.`;
  return false;
}

const EXPORTS = {
  'export-json'() {
    if (!needs(page.run?.result, 'train a network first')) return;
    // A run file (saved-runs.js): format, version and checksum around the results, so the page can open it again.
    const text = runFileText({
      generator: `sparse-iht demo page, package ${page.version}`,
      link: location.href,
      settings: { ...state },
      data: page.dataInfo,
      train: page.run.result,
      l2s: page.run.estimate,
      sweep: page.sweep,
      sweepSettings: page.sweepKey,
    });
    download(new Blob([text], { type: 'application/json' }), `sparse-iht-${slug()}.json`);
  },
  'export-history'() {
    if (!needs(page.run?.result, 'train a network first')) return;
    const h = page.run.history;
    downloadCsv(
      `sparse-iht-${slug()}-history.csv`,
      ['iteration', 'train_loss', 'train_accuracy', 'test_accuracy', 'nnz', 'entered', 'left'],
      h.loss.map((_, k) => [k, h.loss[k], h.trainAccuracy[k], h.testAccuracy[k] ?? null, h.nnz[k], h.entered[k], h.left[k]]),
    );
  },
  'export-theta'() {
    const result = page.run?.result;
    if (!needs(result, 'train a network first')) return;
    const support = new Set(result.support);
    downloadCsv(
      `sparse-iht-${slug()}-theta.csv`,
      ['index', 'parameter', 'layer', 'kind', 'value', 'in_support'],
      page.run.parameters.map((p, i) => [i, parameterName(p), p.layer, p.kind, result.theta[i], support.has(i) ? 1 : 0]),
    );
  },
  'export-ratios'() {
    const est = page.run?.estimate;
    if (!needs(est, 'no L₂ₛ estimate yet')) return;
    downloadCsv(`sparse-iht-${slug()}-l2s-ratios.csv`, ['pair', 'ratio'], Array.from(est.ratios, (r, i) => [i, r]));
  },
  'export-sweep'() {
    if (!needs(page.sweep, 'press Sweep first')) return;
    const { cv } = page.sweep;
    const cvS = cv ? Array.from(cv.s) : [];
    const cvOf = (s, field) => (cvS.includes(s) ? cv[field][cvS.indexOf(s)] : null);
    const summary = (r) => [r?.trainLoss ?? null, r?.testLoss ?? null, r?.trainAccuracy ?? null, r?.testAccuracy ?? null];
    const row = (label, p, point) => [
      label, p.trainLoss, p.testLoss, p.trainAccuracy, p.testAccuracy, p.gapToDense ?? 0,
      point ? p.start : null, point ? p.cold.trainLoss : null, point ? p.cold.testAccuracy : null,
      ...summary(point ? p.baselines?.magnitude : null), ...summary(point ? p.baselines?.l1 : null),
      point ? p.exactGap : null, point ? cvOf(p.s, 'meanLoss') : null, point ? cvOf(p.s, 'stdErrLoss') : null,
      point ? cvOf(p.s, 'meanAccuracy') : null,
      p.htStable.stable ? 1 : 0, p.htStable.margin, p.htStable.supportGradInf, p.stepSize, p.l2s, p.iterations, p.status,
    ];
    const baselineColumns = (name) => [`${name}_train_loss`, `${name}_test_loss`, `${name}_train_accuracy`, `${name}_test_accuracy`];
    downloadCsv(
      `sparse-iht-sweep-seed${state.seed}${page.sweep.complete ? '' : '-partial'}.csv`,
      [
        's', 'train_loss', 'test_loss', 'train_accuracy', 'test_accuracy', 'gap_to_dense',
        'start', 'cold_train_loss', 'cold_test_accuracy', ...baselineColumns('magnitude'), ...baselineColumns('l1'),
        'exact_gap', 'cv_mean_loss', 'cv_std_err_loss', 'cv_mean_accuracy',
        'ht_stable', 'margin', 'support_grad_inf', 'step_size', 'l2s', 'iterations', 'status',
      ],
      [...page.sweep.points.map((p) => row(p.s, p, true)), row('dense', page.sweep.dense, false)],
    );
  },
  'export-stability'() {
    if (!needs(page.sweep?.supportFrequency?.length && page.sweepParameters, 'press Sweep with cross-validation first')) return;
    const grid = Array.from(page.sweep.cv.s);
    downloadCsv(
      `sparse-iht-stability-seed${state.seed}-cv${page.sweep.cv.folds}.csv`,
      ['s', ...page.sweepParameters.map((p) => p.label)],
      grid.map((s, i) => [s, ...Array.from(page.sweep.supportFrequency[i])]),
    );
  },
};

for (const [id, action] of Object.entries(EXPORTS)) {
  $(id).addEventListener('click', () => {
    $('export-error').textContent = '';
    action();
  });
}

const PNG = {
  curves: () => chartsPng('IHT training: loss and accuracy', curves.pngParts()),
  sparsity: () => chartsPng('The sparsity path: loss and accuracy for every s', sparsity.pngParts()),
  l2s: () => chartsPng('Monte Carlo ratios behind L̂₂ₛ', l2s.pngParts()),
  network: () => svgPng(network.svg),
};

for (const button of document.querySelectorAll('[data-png]')) {
  button.addEventListener('click', async () => {
    const name = button.dataset.png;
    try {
      download(await PNG[name](), `sparse-iht-${slug()}-${name}.png`);
    } catch (err) {
      controls.showError('export', `The ${name} image could not be made: ${err.message}`);
    }
  });
}

// ---------------------------------------------------------------- teaching (issue #14)

// Step mode: view 7 and the Step button. A Step on a run in progress (playing
// or paused) takes exactly one iteration from where it stands; on a finished
// run, or none, it starts a new run with the current settings, paused at θ_0,
// and takes the first.
const stepView = createStepView({
  onStep() {
    if (page.busy === 'train' && page.run && !page.run.result) client.stepTraining();
    else if (page.busy !== 'prepare') guard(() => train({ stepping: true }));
  },
  button: $('step-once'),
  phaseInputs: [$('phase-gradient'), $('phase-projection')],
  halvesInput: $('step-halves'),
  svgEl: $('step-svg'),
  summaryEl: $('step-summary'),
  tableEl: $('step-table'),
});

// A step of the current run; a paused run asks for the bracket on L₂ₛ it
// lacks (a finished run gets it from its own estimate).
function showStep(detail, paused) {
  const run = page.run;
  stepView.show(detail, { labels: run.parameters.map((p) => p.label), s: run.options.s, estimate: run.estimate ?? run.bracket });
  if (detail && paused && !run.estimate && !run.bracket && !run.bracketAsked) {
    run.bracketAsked = true;
    client.bracket(run.l2sOptions).then(
      (estimate) => {
        run.bracket = estimate;
        if (page.run === run && !run.estimate) stepView.setEstimate(estimate);
      },
      () => {
        run.bracketAsked = false;
      },
    );
  }
}

// A/B: the pinned run A and the current run B.
const abView = createAbView({ tableEl: $('compare-table'), summaryEl: $('compare-summary'), unpinButton: $('unpin-a'), pageState });

// Each run's path goes into view 8 when it was traced for that run's settings.
function refreshAb() {
  const run = page.run;
  const bPath = run && page.sweep && page.sweepKey === runKey({ ...state, ...run.settings }, { withS: false }) ? page.sweep : null;
  const b = run && run !== pinned?.run ? { settings: run.settings, result: run.result, parameters: run.parameters, path: bPath } : null;
  const aPath = pinned?.sweep && pinned.sweep.key === aSweepKey(pinned) ? pinned.sweep.result : null;
  abView.set(pinned && { ...pinned, path: aPath }, b);
}

/** Pins the current run as A; false (with a message) when no finished run is shown. */
function pinA() {
  const run = page.run;
  if (!run?.result) {
    $('compare-summary').textContent = 'Pin as A keeps a finished run: let this run finish, or press Stop twice to end it.';
    controls.announce($('compare-summary').textContent);
    return false;
  }
  // The sweep on screen is A's path too when it was traced for A's settings (a sweep takes no s).
  const key = runKey({ ...state, ...run.settings }, { withS: false });
  const sweep = page.sweep && page.sweepKey === key ? { result: page.sweep, parameters: page.sweepParameters, key } : null;
  pinned = { settings: run.settings, result: run.result, parameters: run.parameters, run, dataName: page.dataInfo?.name ?? null, sweep };
  linkA = null;
  curves.setPinned(run.result);
  showPinnedPath();
  updateStale();
  syncUrl();
  refreshAb();
  controls.announce('Run A pinned: the next run is B.');
  return true;
}

function unpin() {
  pinned = null;
  linkA = null;
  curves.setPinned(null);
  showPinnedPath();
  updateStale();
  syncUrl();
  refreshAb();
}

// A link with a.* settings: train A first (quietly, at full speed), then B as usual.
async function trainLinkA() {
  const settings = linkA;
  const token = begin('prepare');
  controls.setStatus('Training run A of the link…');
  try {
    let parameters = null;
    const result = await client.train(runOptions({ ...state, ...settings }), {
      speed: () => 0,
      onStart(m) {
        setBusy('train');
        parameters = m.parameters;
      },
      onProgress() {},
    });
    // A has no path yet: Sweep traces it after B's.
    pinned = { settings, result, parameters, run: null, dataName: page.dataInfo?.name ?? null, sweep: null };
    curves.setPinned(result);
    showPinnedPath();
  } catch (err) {
    if (err?.cancelled) throw err;
    showNotice(`Run A of this link could not be trained (${err?.message ?? err}); showing run B alone.`);
  } finally {
    linkA = null;
    end(token);
  }
  syncUrl();
  refreshAb();
}

$('pin-a').addEventListener('click', pinA);
$('unpin-a').addEventListener('click', () => {
  unpin();
  controls.announce('Run A unpinned.');
});

// Saved runs: a file from "All results (JSON)" opened again. It is checked
// whole before anything changes (saved-runs.js); a file the package or this
// data set cannot reproduce is refused too, and the previous data set kept.
async function restoreRun(saved, name) {
  const refuse = (why) => {
    $('import-error').textContent = `${name}: ${why} Nothing was changed.`;
  };
  if (saved.settings.data === 'csv' && page.csv?.name !== saved.dataName) {
    refuse(`this run was trained on ${saved.dataName}; load that CSV file first, then open the run again.`);
    return;
  }
  const next = { ...state, ...saved.settings };
  const previousData = state.data;
  if (next.data !== previousData) await loadData(next.data);
  const described = await client.describe(runOptions(next));
  const result = saved.train;
  if (described.n !== result.n || described.sizes.join(',') !== Array.from(result.sizes).join(',')) {
    if (next.data !== previousData) await loadData(previousData);
    refuse(`its θ has ${result.n} entries, but these settings on this data give a network of ${described.n}.`);
    return;
  }
  state = next;
  page.n = described.n;
  controls.setMaxS(described.n);
  controls.write(state);
  controls.clearAllErrors();
  syncUrl();
  const history = new RunHistory();
  history.replace(result.history);
  page.run = {
    key: runKey(state),
    options: runOptions(state),
    l2sOptions: runOptions(state, 'l2s'),
    settings: abSettingsOf(state, pageState),
    stepSize: result.stepSize,
    estimate: saved.l2s,
    bracket: null,
    result,
    history,
    parameters: described.parameters,
  };
  page.iteration = result.iterations;
  curves.clear();
  curves.finish(history, result);
  network.startRun(described.sizes, described.parameters, { imageShape: page.dataInfo?.imageShape ?? null });
  network.update(result.theta, result.support, result.iterations, { final: true });
  // A saved run carries no sample predictions: Train shows them again.
  samples.clear();
  stability.set(result, { final: true });
  confusion.set(result);
  const step = runStep(result);
  if (saved.l2s) {
    l2s.set(saved.l2s, { step });
    controls.setStepBound(saved.l2s, step);
  } else l2s.setPending('This saved run has no L₂ₛ estimate: press Train to run it again.');
  if (saved.sweep) {
    page.sweep = saved.sweep;
    page.sweepKey = saved.sweepSettings;
    sparsity.set(saved.sweep);
  }
  sparsity.setCurrentS(state.s);
  showPinnedPath();
  updateStale();
  stepView.clear('An opened run keeps no steps: press Step to run it again from θ₀, one iteration at a time.');
  refreshAb();
  const text = `Opened ${name}. ${runStatusText(result)}`;
  controls.setStatus(text);
  controls.announce(text);
}

watchRunInput({
  input: $('run-file'),
  dropZone: $('run-drop-zone'),
  onError: (message) => {
    $('import-error').textContent = message;
  },
  onText(text, name) {
    $('import-error').textContent = '';
    const read = readRunFile(text, pageState);
    if (read.error) {
      $('import-error').textContent = `${name}: ${read.error} Nothing was changed.`;
      return;
    }
    guard(async () => {
      const token = begin('prepare');
      try {
        await restoreRun(read.run, name);
      } finally {
        end(token);
      }
    });
  },
});

// Copy as code: the current settings as a command, a JavaScript and a C++ program.
function showSnippets() {
  const data = state.data === 'csv' && page.csv ? page.csv.name : state.data === 'digits' ? 'digits' : 'iris';
  const code = snippets(runOptions(state), { table: OPTIONS, data });
  $('code-native').textContent = code.native;
  $('code-js').textContent = code.js;
  $('code-cpp').textContent = code.cpp;
}

for (const button of document.querySelectorAll('[data-copy]')) {
  button.addEventListener('click', async () => {
    const el = $(button.dataset.copy);
    try {
      await navigator.clipboard.writeText(el.textContent);
      $('code-status').textContent = 'Copied.';
    } catch {
      // No clipboard (an insecure page, a refused permission): select the text for Ctrl+C.
      const range = document.createRange();
      range.selectNodeContents(el);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      $('code-status').textContent = 'Selected: press Ctrl+C (⌘C on a Mac) to copy.';
    }
  });
}

// The guided lesson (?lesson=k).
const lesson = createLesson({
  els: {
    box: $('lesson'),
    count: $('lesson-count'),
    title: $('lesson-title'),
    text: $('lesson-text'),
    question: $('lesson-question'),
    evidence: $('lesson-evidence'),
    back: $('lesson-back'),
    next: $('lesson-next'),
    close: $('lesson-close'),
  },
  api: {
    // The page's defaults with the panel's values, then a run to the end.
    set: (values) =>
      guard(async () => {
        const keep = { embed: state.embed, hide: state.hide, debug: state.debug, lesson: state.lesson, speed: state.speed };
        state = { ...defaultState(), ...keep, ...values };
        controls.write(state);
        controls.clearAllErrors();
        syncUrl();
        updateStale();
        if (page.loaded !== state.data) await loadData(state.data);
        await describeModel();
        await train();
      }),
    step: () => stepView.press(),
    sweep: () => guard(sweep),
    pin: pinA,
    unpin,
    setHalves: (on) => stepView.setHalves(on),
    result: () => page.run?.result ?? null,
    history: () => page.run?.history ?? null,
    sweepResult: () => page.sweep,
    labels: (indices) => Array.from(indices, (i) => page.run?.parameters?.[i]?.label ?? `θ[${i}]`),
    overlap: () => (pinned && page.run?.result && page.run !== pinned.run ? $('compare-summary').textContent : ''),
    parameters: () => page.run?.parameters ?? null,
    pinned: () => pinned?.result ?? null,
  },
  onPanel(k) {
    state.lesson = k;
    syncUrl();
  },
});

// ---------------------------------------------------------------- debugging

// ?debug=1: a handle for the browser tests and the console (web/README.md). It
// gives nothing a script on this page could not already reach.
if (state.debug) {
  window.sparseIhtDebug = Object.freeze({
    /** Ends the model worker without warning, as a browser may; the page must notice and recover. */
    terminateWorker: () => client.simulateCrash(),
    /** { heapInUse, wasmMemory, liveTrainers } from the worker. */
    memory: () => client.memory(),
    /** The page's model client (loadData, describe, train, sweep, estimateL2s). */
    client,
    /** The L̂₂ₛ histogram's tags as drawn: [{ label, left, right, top, bottom }]. */
    l2sLabels: () => l2s.labelBoxes(),
    /** The step view 7 shows: the package's lastStep(), or null. */
    lastStep: () => stepView.detail,
    /** The run the views show: { s, theta, iterations }, or null. */
    run: () => (page.run?.result ? { s: page.run.result.s, theta: Array.from(page.run.result.theta), iterations: page.run.result.iterations } : null),
    /** The training curves' series as drawn: [{ chart, label, points }] (points: non-null values). */
    curves: () => curves.seriesData(),
    /** View 6's loss and accuracy series as drawn, A's path included: [{ chart, label, points }]. */
    sparsity: () => sparsity.seriesData(),
  });
}

// ---------------------------------------------------------------- start

async function start() {
  applyLayout();
  for (const text of [...fromUrl.notices, ...fromLinkA.notices]) showNotice(text);
  if (page.csv) controls.setCsvOption(page.csv.name);
  if (state.data === 'csv' && !page.csv) {
    showNotice('This link used a CSV file, which a link cannot carry: load the file again below. Showing IRIS meanwhile.');
    state.data = 'iris';
  }
  controls.write(state);
  syncUrl();
  stability.clear();
  confusion.clear();
  try {
    page.version = await client.ready;
    $('version').textContent = `Package sparse-iht ${page.version}.`;
  } catch (err) {
    reportError(err);
    // The start-up message at the top of the page (boot.js) says what to try.
    window.sparseIhtBoot?.fail(err?.message ?? String(err), err?.unsupported ? 'engine' : 'worker');
    return;
  }
  window.sparseIhtBoot?.ready();
  await guard(async () => {
    await loadData(state.data);
    // A data set with its own network (the digits) brings it, unless the link sets hidden or s.
    takeDataDefaults(tableDefaults(), linkKeys);
    await describeModel();
    // A lesson panel sets its own state and runs.
    if (state.lesson) {
      lesson.open(state.lesson, { focus: false });
      return;
    }
    if (linkA) await trainLinkA();
    await train();
  });
}

start();
