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
import { createHtStability } from './charts/ht-stability.js';
import { createConfusionMatrix } from './charts/confusion-matrix.js';
import { chartsPng, download, downloadCsv, downloadJson, svgPng } from './export.js';
import { formatInt, formatNumber, formatPercent, formatStatus } from './format.js';
import { runStep } from './theory.js';

const $ = (id) => document.getElementById(id);

// The page's settings, typed and ranged by the package's option table.
const pageState = createState(OPTIONS);
const { defaultState, runKey, runOptions, stateFromQuery, stateToQuery } = pageState;
const fromUrl = stateFromQuery(location.search);
let state = fromUrl.state;

const page = {
  version: '',
  csv: storedCsv(), // { csv, name } the user loaded in this tab, if any
  dataInfo: null,
  n: null,
  run: null, // { key, options, stepSize, estimate, result, history, parameters }
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
  history.replaceState(null, '', `${location.pathname}?${stateToQuery(state)}${location.hash}`);
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

function showNotice(text) {
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

function updateStale() {
  const stale = page.sweep !== null && page.sweepKey !== runKey(state, { withS: false });
  $('sweep-stale').hidden = !stale;
  $('card-sparsity').classList.toggle('is-stale', stale);
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
  // After a crash the status line says what is still shown.
  controls.setStatus(err?.crashed ? (err.interrupted ?? (page.run?.result ? runStatusText(page.run.result) : '')) : '');
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
}

async function loadData(which) {
  const source = which === 'csv' ? page.csv : 'iris';
  if (!source) throw Object.assign(new Error('Load a CSV file first.'), { where: 'data' });
  const info = await readData(source);
  page.dataInfo = info;
  showData(info, source);
  controls.clearError('data');
}

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

async function train() {
  const token = begin('prepare');
  for (const key of ['run', 'step', 's', 'iters', 'ridge', 'refine', 'stopWhenStable', 'seed', 'samples', 'testFraction', 'hidden']) {
    controls.clearError(key);
  }
  const options = runOptions(state);
  const l2sOptions = runOptions(state, 'l2s');
  const key = runKey(state);
  // Only the paper's rule, estimate, needs L̂₂ₛ before the run starts; for
  // every other rule the Monte Carlo histogram and the bracket follow the run.
  const estimatesFirst = state.step === 'estimate';
  const history = new RunHistory();
  let latest = null; // the latest support change: { changedAt, entered, left } of a trainer state
  controls.setStatus(estimatesFirst ? `Estimating L̂₂ₛ from ${formatInt(state.samples)} Monte Carlo samples…` : 'Starting…');
  try {
    const result = await client.train(options, {
      speed: () => (state.speed === 'auto' ? Math.ceil(options.iters / 60) : state.speed === 'max' ? 0 : state.speed),
      onStart(m) {
        setBusy('train');
        page.n = m.n;
        controls.setMaxS(m.n);
        page.run = { key, options, stepSize: m.stepSize, estimate: m.estimate, result: null, history, parameters: m.parameters };
        curves.clear();
        network.startRun(m.sizes, m.parameters);
        network.update(m.state.theta, m.state.support, m.state.iteration);
        // The estimate rule's step is fixed from the start; an adaptive rule's is known once the run is over.
        const step = m.estimate ? runStep(m.state) : null;
        controls.setStepBound(m.estimate, step);
        page.iteration = m.state.iteration;
        if (m.estimate) l2s.set(m.estimate, { step });
        else l2s.setPending('The Monte Carlo estimate and the bracket on L₂ₛ follow the run.');
      },
      onProgress(m) {
        history.append(m.history);
        const { iteration, loss, theta, support } = m.state;
        page.iteration = iteration;
        curves.update(history, options.iters);
        const { changedAt, entered, left } = m.state;
        latest = { changedAt, entered, left };
        network.update(theta, support, iteration, { latest });
        if (m.snapshot) {
          stability.set(m.snapshot, { final: false });
          confusion.set(m.snapshot);
        }
        const bar = $('run-progress');
        bar.max = options.iters;
        bar.value = iteration;
        controls.setStatus(`Iteration ${formatInt(iteration)} of ${formatInt(options.iters)} · train loss ${formatNumber(loss)}`);
      },
    });
    finishRun(result, history, latest);
    if (!page.run.estimate) {
      setBusy('l2s');
      controls.setStatus(`Estimating L̂₂ₛ from ${formatInt(state.samples)} Monte Carlo samples…`);
      const estimate = await client.estimateL2s(l2sOptions);
      page.run.estimate = estimate;
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
  return `${formatStatus(result.status)[0].toUpperCase()}${formatStatus(result.status).slice(1)} after ${formatInt(result.iterations)} iterations: ${result.testAccuracy === null ? 'train' : 'test'} accuracy ${formatPercent(acc)}, ${result.support.length} nonzero parameters.`;
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

async function sweep() {
  const token = begin('sweep');
  $('sweep-error').textContent = '';
  for (const key of Object.keys(pageState.FIELDS).filter((k) => pageState.FIELDS[k].sweepOnly)) controls.clearError(key);
  const options = runOptions(state, 'sweep');
  const key = runKey(state, { withS: false });
  // The number of trainings is known from the first report on.
  sparsity.setProgress(0, null);
  let progress = null;
  let stopped = false;
  let crashed = false;
  let note = '';
  try {
    const { result, parameters } = await client.sweep(options, (done, total) => {
      progress = { done, total };
      sparsity.setProgress(done, total);
    });
    page.sweep = result;
    page.sweepKey = key;
    page.sweepParameters = parameters;
    sparsity.set(result, parameters);
    sparsity.setCurrentS(state.s);
    updateStale();
    if (result.complete) {
      controls.announce(`Sweep finished: ${result.points.length} values of s.`);
    } else {
      // Stopped through the flag the worker reads: the path so far came back.
      const done = progress ? ` after ${progress.done} of ${progress.total} trainings` : '';
      note = `Sweep stopped${done}: the view shows the partial path (${result.points.length} of ${result.grid.length} values of s). Press Sweep to run it whole.`;
      controls.setStatus('Sweep stopped.');
      controls.announce(note);
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

function stop() {
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
  const hadCsv = state.data !== 'iris';
  state = { ...defaultState(), embed: state.embed, hide: state.hide, debug: state.debug };
  controls.write(state);
  controls.clearAllErrors();
  $('notices').replaceChildren();
  syncUrl();
  updateStale();
  guard(async () => {
    if (hadCsv) await loadData('iris');
    await describeModel();
    await train();
  });
}

function onAction(name) {
  if (name === 'train') guard(train);
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
    return;
  }
  if (key === 's') {
    controls.write(state);
    sparsity.setCurrentS(value);
  }
  updateStale();
  guard(async () => {
    if (key === 'data') {
      try {
        await loadData(value);
      } catch (err) {
        state.data = previous;
        controls.write(state);
        syncUrl();
        throw err;
      }
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
    if (dataChanged) await loadData(state.data);
    await describeModel();
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
      storeCsv(source);
      controls.setCsvOption(source.name);
      showData(page.dataInfo, source);
      state.data = 'csv';
      controls.write(state);
      syncUrl();
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
    downloadJson(`sparse-iht-${slug()}.json`, {
      generator: `sparse-iht demo page, package ${page.version}`,
      link: location.href,
      settings: { ...state },
      data: page.dataInfo,
      train: page.run.result,
      l2s: page.run.estimate,
      sweep: page.sweep,
      sweepSettings: page.sweepKey,
    });
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
  });
}

// ---------------------------------------------------------------- start

async function start() {
  applyLayout();
  for (const text of fromUrl.notices) showNotice(text);
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
    return;
  }
  await guard(async () => {
    await loadData(state.data);
    await describeModel();
    await train();
  });
}

start();
