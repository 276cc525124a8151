// View 3: the HT-stability verdict of the current iterate (Damadi & Shen):
// θ* is HT-stable for γ when ∇_S f(θ*) = 0 and γ·max_{j∉S}|∇_j f(θ*)| <
// min_{i∈S}|θ*_i|, i.e. the margin is positive. The package computes it and
// says why in one sentence (htStable.reason), shown as text.
import { formatNumber } from '../format.js';
import { isAdaptive } from '../theory.js';

function row(list, term, value) {
  const dt = document.createElement('dt');
  dt.textContent = term;
  const dd = document.createElement('dd');
  dd.textContent = value;
  list.append(dt, dd);
}

export function createHtStability({ verdictEl, reasonEl, listEl, explainEl }) {
  return {
    set(result, { final }) {
      const h = result.htStable;
      verdictEl.replaceChildren();
      verdictEl.className = `verdict ${h.stable ? 'verdict-stable' : 'verdict-unstable'}`;
      const mark = document.createElement('span');
      mark.setAttribute('aria-hidden', 'true');
      mark.textContent = h.stable ? '✓ ' : '✗ ';
      verdictEl.append(mark, document.createTextNode(h.stable ? 'HT-stable' : 'Not HT-stable'));
      if (!final) verdictEl.append(document.createTextNode(' (so far)'));
      reasonEl.textContent = h.reason ?? '';

      listEl.replaceChildren();
      row(listEl, 'margin m: smallest kept |θᵢ| − γ × largest pruned |∇ⱼ f|', formatNumber(h.margin));
      row(
        listEl,
        h.supportSize < result.s ? 'largest |∇ⱼ f| of all, ‖∇f‖∞ (as |S| < s)' : 'largest |∇ᵢ f| on the support, ‖∇_S f‖∞',
        formatNumber(h.supportGradInf),
      );
      row(listEl, 'tolerance for “zero”', formatNumber(h.tolerance));
      row(listEl, 'support size |S|', `${h.supportSize} of s = ${result.s}`);
      row(listEl, isAdaptive(result.stepRule) ? `step γ (${result.stepRule}: the last one)` : 'step γ', formatNumber(result.stepSize));

      const gradOk = h.supportGradInf < h.tolerance;
      const marginOk = h.margin > 0;
      let why;
      if (h.stable) why = 'The gradient on the support is zero (below the tolerance) and the margin is positive, so one more IHT step would return exactly this θ: it is a fixed point that small perturbations do not knock off.';
      else if (!gradOk && !marginOk) why = 'The gradient on the support is not yet zero and the margin is not positive: another gradient step would still move the kept weights and could swap a pruned weight into the support.';
      else if (!gradOk) why = 'The gradient on the support is not yet zero (above the tolerance): the kept weights are still moving. The sentence above says whether more iterations can settle them.';
      else why = 'The margin is not positive: one gradient step could lift a pruned weight above the smallest kept one, so hard thresholding might change the support.';
      explainEl.textContent = `θ is HT-stable when the gradient on its support S is zero and a gradient step cannot push any pruned weight past the smallest kept one (margin > 0). ${why}`;
    },
    clear() {
      verdictEl.className = 'verdict';
      verdictEl.textContent = 'No run yet.';
      reasonEl.textContent = '';
      listEl.replaceChildren();
      explainEl.textContent = '';
    },
  };
}
