// The guided lesson (?lesson=k): eight panels, each setting the page's state and
// asking one question; the last two leave IRIS for the handwritten digits. The panels' words are plain text (textContent); the
// evidence a panel quotes is read from the package's results on the page
// (the run, the sweep), never computed here. Next and Back move between
// panels and keep the panel in the URL, so a course can link to one.
import { LESSON_PANELS } from './state.js';
import { formatNumber, formatPercent } from './format.js';

const sweepPoint = (sweep, s) => sweep?.points.find((p) => p.s === s) ?? null;

// Each panel: title, text, question; run(api) sets the state (and runs what
// it needs); evidence(api) says what the package found, or ''.
export const PANELS = [
  {
    title: 'One IHT step, in two halves',
    text: 'Every IHT iteration makes two moves. The gradient step v = θ − γ∇f(θ) moves every parameter downhill on the loss. Then Hₛ keeps the s entries of v with the largest magnitude and sets all the others to zero. The run below is paused at iteration 1 with s = 5. Press Step (or the . key) and watch view 7, “One IHT step”: it shows v first, then Hₛ(v).',
    question: 'Over the first five iterations, which parameters cross the threshold line, and how soon does the support stop changing?',
    async run(api) {
      await api.set({ s: 5 });
      if (!api.current()) return;
      api.setHalves(true);
      api.step();
    },
    evidence: () => '',
  },
  {
    title: 's = 1: a single weight',
    text: 'Now IHT may keep only one of the 15 parameters (s = 1). View 2 shows the loss and accuracy, and view 1 shows which weight survived.',
    question: 'Why does the accuracy stall, and why at this value? Think about how many of the three species one weight can tell apart.',
    async run(api) {
      await api.set({ s: 1 });
    },
    evidence(api) {
      const r = api.result();
      return r ? `This run: train accuracy ${formatPercent(r.trainAccuracy)}, test accuracy ${formatPercent(r.testAccuracy)}, with ${api.labels(r.support).join(', ')} as the only nonzero parameter.` : '';
    },
  },
  {
    title: 'A step above 1/L₂ₛ',
    text: 'The convergence theorem asks for a step γ below 1/L₂ₛ. View 5 brackets L₂ₛ between the lower and upper bounds, so 1/L₂ₛ lies between 1/upper and 1/lower, below 1 on IRIS. This run uses a fixed γ = 50, far above it, for 200 iterations.',
    question: 'What does the training loss do in the first iterations, and why does the theorem no longer promise that it falls? (Press Step to walk through them one at a time.)',
    async run(api) {
      await api.set({ s: 5, step: 50, iters: 200 });
    },
    evidence(api) {
      const loss = api.history()?.loss;
      if (!loss || loss.length < 5) return '';
      return `This run's first losses: ${loss.slice(0, 5).map((x) => formatNumber(x, 3)).join(', ')}.`;
    },
  },
  {
    title: 'Cold start or warm start at s = 7',
    text: 'The sweep trains one network for every s. Each s gets a cold start from a random θ₀ and warm starts from its neighbours’ results (s − 1 and s + 1), and it keeps the best of them. The sweep is running now; view 6 shows its results.',
    question: 'At s = 7, did the cold start or a warm start reach the lower training loss? Why can the start matter on a problem that is not convex?',
    async run(api) {
      await api.set({ s: 7 });
      if (api.current()) await api.sweep();
    },
    evidence(api) {
      const p = sweepPoint(api.sweepResult(), 7);
      if (!p?.cold) return '';
      const from = { cold: 'the cold start', up: 'the warm start from s − 1', down: 'the warm start from s + 1' }[p.start] ?? p.start;
      return `The sweep at s = 7 kept ${from}: train loss ${formatNumber(p.trainLoss)}; the cold start reached ${formatNumber(p.cold.trainLoss)}.`;
    },
  },
  {
    title: 'Which weights survive?',
    text: 'Run A (seed 1) is pinned, and run B differs only in the seed. The seed draws a different train/test split, as another fold of the data would, and a different θ₀. View 8 compares the two runs, and view 2 draws both.',
    question: 'Which weights survive in both runs? What does that tell you about which flower measurements matter?',
    async run(api) {
      api.unpin();
      await api.set({ s: 5, seed: 1 });
      if (!api.current() || !api.pin()) return;
      await api.set({ s: 5, seed: 3 });
    },
    evidence: (api) => api.overlap(),
  },
  {
    title: 'IHT against magnitude pruning',
    text: 'Magnitude pruning trains the dense network, keeps its s largest weights and retrains them. IHT chooses the support while it trains. The sweep runs both at every s; it is running now.',
    question: 'At s = 5, which method reaches the lower training loss, and at s = 7? Why can choosing the support during training beat choosing it afterwards, and why not always?',
    async run(api) {
      await api.set({ s: 5 });
      if (api.current()) await api.sweep();
    },
    evidence(api) {
      const sweep = api.sweepResult();
      const parts = [5, 7].map((s) => {
        const p = sweepPoint(sweep, s);
        const m = p?.baselines?.magnitude;
        return m ? `s = ${s}: IHT ${formatNumber(p.trainLoss)}, magnitude pruning ${formatNumber(m.trainLoss)}` : null;
      });
      return parts.every(Boolean) ? `Train loss from the sweep: ${parts.join('; ')}.` : '';
    },
  },
  {
    title: 'Which pixels does each digit keep?',
    text: 'Beyond the paper: 1,797 handwritten digits of 8 × 8 pixels. The paper’s model, one softmax layer, now has 64 weights and a bias per digit: n = 650. At s = 100 IHT keeps 100 of them, and view 1 draws each digit’s weights as a picture (blue: the pixel speaks for the digit, vermillion: against it, blank: pruned). The strip below it shows test images and what the network calls them.',
    question: 'Which pixels does each digit keep at s = 100? Do the pictures look like the digits themselves, or like what tells one digit from the other nine?',
    async run(api) {
      await api.set({ data: 'digits', hidden: [], s: 100 });
    },
    evidence(api) {
      const r = api.result();
      const parameters = api.parameters();
      if (!r || !parameters || r.sizes.length !== 2) return '';
      // The kept weights (not biases) of each class, read off the support.
      const kept = r.classes.map(() => 0);
      for (const i of r.support) if (parameters[i].kind === 'weight') kept[parameters[i].toUnit] += 1;
      return `This run: test accuracy ${formatPercent(r.testAccuracy)}; weights kept per digit: ${r.classes.map((c, k) => `${c}: ${kept[k]}`).join(', ')}.`;
    },
  },
  {
    title: 'A hidden layer, sparse against dense',
    text: 'The paper names deeper networks as its next step. This is the digits’ default network: 64 pixels → 32 tanh units → 10 digits, n = 2,410 parameters. Run A keeps s = 241 (10 %) and is pinned; run B is the dense network, s = 2,410, trained the same way. Both take certified steps (backtracking). View 1 draws the first layer’s units as pictures and greys those that pass nothing on; view 8 compares the two runs.',
    question: 'How much test accuracy does keeping only 10 % of the parameters cost here, and where did IHT spend its 241: on the pixels or on the second layer?',
    async run(api) {
      api.unpin();
      await api.set({ data: 'digits', hidden: [32], s: 241 });
      if (!api.current() || !api.pin()) return;
      await api.set({ data: 'digits', hidden: [32], s: 2410 });
    },
    evidence(api) {
      const a = api.pinned();
      const b = api.result();
      const parameters = api.parameters();
      if (!a || !b || !parameters || a.n !== b.n) return '';
      const first = Array.from(a.support).filter((i) => parameters[i].layer === 1).length;
      return `Run A (s = ${a.s}): test accuracy ${formatPercent(a.testAccuracy)}, ${first} of its ${a.support.length} parameters in the first layer; run B (dense): ${formatPercent(b.testAccuracy)}.`;
    },
  },
];

if (PANELS.length !== LESSON_PANELS) throw new Error(`lesson.js: ${PANELS.length} panels, state.js expects ${LESSON_PANELS}`);

/**
 * The lesson panel. api: what the page offers a panel (main.js): set(values),
 * step(), sweep(), pin(), unpin(), setHalves(on), result(), history(),
 * sweepResult(), labels(indices), overlap(), parameters() (describe()'s, of
 * the run shown), pinned() (run A's result, or null); onPanel(k) keeps the
 * panel number (0: closed) in the state and URL.
 */
export function createLesson({ els, api, onPanel }) {
  let panel = 0;
  let token = 0;

  function showEvidence() {
    if (!panel) return;
    els.evidence.textContent = PANELS[panel - 1].evidence(api) ?? '';
  }

  async function open(k, { focus = true } = {}) {
    panel = k;
    onPanel(k);
    els.box.hidden = k === 0;
    if (k === 0) return;
    const p = PANELS[k - 1];
    els.count.textContent = `Lesson · ${k} of ${PANELS.length}`;
    els.title.textContent = p.title;
    els.text.textContent = p.text;
    els.question.textContent = p.question;
    els.evidence.textContent = '';
    els.back.disabled = k === 1;
    els.next.disabled = k === PANELS.length;
    if (focus) els.title.focus();
    const mine = ++token;
    await p.run({ ...api, current: () => mine === token });
    if (mine === token) showEvidence();
  }

  els.back.addEventListener('click', () => panel > 1 && open(panel - 1));
  els.next.addEventListener('click', () => panel < PANELS.length && open(panel + 1));
  els.close.addEventListener('click', () => {
    token += 1;
    open(0);
  });

  return {
    open,
    /** A run or sweep finished: the panel's evidence may have changed. */
    refresh: showEvidence,
    get panel() {
      return panel;
    },
  };
}
