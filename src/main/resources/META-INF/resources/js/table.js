// Tables of values (samples, results): every cell is text, numbers right-aligned and formatted.
import { h } from './dom.js';
import { formatCell } from './format.js';

/**
 * A scrollable table. `columns`: [{ key, label, index? }]; `rows`: objects (or arrays with numeric keys).
 * Numeric columns (every present value a number) are right-aligned.
 */
export function dataTable(columns, rows, { caption, label } = {}) {
  const numeric = columns.map((c) => rows.length > 0
    && rows.every((r) => r[c.key] == null || typeof r[c.key] === 'number')
    && rows.some((r) => typeof r[c.key] === 'number'));
  const head = h('thead', null, h('tr', null, columns.map((c, i) => h('th', {
    scope: 'col', class: [numeric[i] ? 'num' : '', c.index ? 'index' : ''].join(' ').trim() || null,
  }, c.label ?? ''))));
  const body = h('tbody', null, rows.map((row) => h('tr', null, columns.map((c, i) => {
    const { text, title, kind } = formatCell(row[c.key]);
    const cls = [numeric[i] ? 'num' : '', kind === 'null' || kind === 'date' ? kind : '', c.index ? 'index' : ''].join(' ').trim();
    return h(c.index ? 'th' : 'td', { class: cls || null, title, scope: c.index ? 'row' : null }, text);
  }))));
  const table = h('table', { class: 'data' }, caption ? h('caption', null, caption) : null, head, body);
  return h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': label ?? caption ?? 'Table' },
    table);
}
