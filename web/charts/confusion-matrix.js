// View 6: the confusion matrix (rows: true class, columns: predicted class)
// on the test set, or the training set when there is none, as a table whose
// cell shading follows the row share.
import { formatPercent } from '../format.js';

export function createConfusionMatrix({ tableEl, summaryEl }) {
  return {
    set(result) {
      const { confusion, classes } = result;
      const on = result.confusionOn === 'train' ? 'training set' : 'test set';
      const total = confusion.reduce((a, r) => a + r.reduce((b, c) => b + c, 0), 0);
      const correct = confusion.reduce((a, r, i) => a + (r[i] ?? 0), 0);

      tableEl.replaceChildren();
      const caption = document.createElement('caption');
      caption.textContent = `${on[0].toUpperCase()}${on.slice(1)}, ${total} samples: rows are the true classes, columns the predicted ones.`;
      const thead = document.createElement('thead');
      const head = document.createElement('tr');
      const corner = document.createElement('td');
      corner.className = 'corner';
      corner.textContent = 'true ↓ / predicted →';
      head.append(corner);
      for (const name of classes) {
        const th = document.createElement('th');
        th.scope = 'col';
        th.textContent = name;
        head.append(th);
      }
      thead.append(head);
      const tbody = document.createElement('tbody');
      confusion.forEach((counts, i) => {
        const tr = document.createElement('tr');
        const th = document.createElement('th');
        th.scope = 'row';
        th.textContent = classes[i];
        tr.append(th);
        const rowTotal = counts.reduce((a, b) => a + b, 0) || 1;
        counts.forEach((count, j) => {
          const td = document.createElement('td');
          td.className = i === j ? 'num diagonal' : 'num';
          td.textContent = String(count);
          const share = count / rowTotal;
          if (count > 0) {
            // Blue for correct, vermillion for confusions (Okabe–Ito), as shading only.
            td.style.backgroundColor = i === j ? `rgba(0, 114, 178, ${0.12 + 0.6 * share})` : `rgba(213, 94, 0, ${0.12 + 0.6 * share})`;
            if (share > 0.6) td.style.color = '#fff';
          }
          tr.append(td);
        });
        tbody.append(tr);
      });
      tableEl.append(caption, thead, tbody);
      summaryEl.textContent = `${correct} of ${total} ${on} samples classified correctly (${formatPercent(total ? correct / total : null)}).`;
    },
    clear() {
      tableEl.replaceChildren();
      summaryEl.textContent = 'No run yet.';
    },
  };
}
