// Fills an HTML <table> from plain rows, with textContent only: cells may hold
// user-supplied text (CSV column and class names).

/**
 * columns: [{ label, numeric? }]; rows: arrays of cell text; foot: optional rows
 * for <tfoot>. A cell may be { text, header: true } for a row header.
 */
export function fillTable(table, { caption, columns, rows, foot = [] }) {
  table.replaceChildren();
  if (caption) {
    const c = document.createElement('caption');
    c.textContent = caption;
    table.append(c);
  }
  const thead = document.createElement('thead');
  const headRow = document.createElement('tr');
  for (const col of columns) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = col.label;
    if (col.numeric) th.className = 'num';
    headRow.append(th);
  }
  thead.append(headRow);
  table.append(thead, section('tbody', rows, columns));
  if (foot.length) table.append(section('tfoot', foot, columns));
}

function section(tag, rows, columns) {
  const body = document.createElement(tag);
  for (const row of rows) {
    const tr = document.createElement('tr');
    row.forEach((cell, i) => {
      const isHeader = typeof cell === 'object' && cell !== null && cell.header;
      const td = document.createElement(isHeader ? 'th' : 'td');
      if (isHeader) td.scope = 'row';
      td.textContent = typeof cell === 'object' && cell !== null ? cell.text : String(cell);
      if (columns[i]?.numeric) td.className = 'num';
      tr.append(td);
    });
    body.append(tr);
  }
  return body;
}
