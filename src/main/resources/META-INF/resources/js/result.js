// The worker's typed result (scalar, text, list, dict, series, dataframe, index, ndarray, object) as page elements.
import { h } from './dom.js';
import { formatCell, formatCount, formatNumber, plural } from './format.js';
import { dataTable } from './table.js';

const isScalar = (v) => v === null || ['number', 'string', 'boolean'].includes(typeof v);

/** Renders a result; `truncated` says the worker cut it (more rows or items than shown). */
export function renderResult(result, { truncated = false } = {}) {
  const typed = result && typeof result === 'object' && !Array.isArray(result) ? result.type : undefined;
  switch (typed) {
    case 'dataframe': return dataframe(result);
    case 'series': return series(result);
    case 'index': return list(result.data ?? [], result.length, 'value');
    case 'ndarray': return ndarray(result);
    case 'object': return h('div', { class: 'result-object' },
      h('p', { class: 'note' }, `A ${result.class ?? 'Python object'}:`), h('pre', { class: 'text-result' }, result.repr ?? ''));
    case 'omitted': return h('p', { class: 'note' }, `The stored result was left out (${result.reason ?? 'too large'}).`);
    default: break;
  }
  if (isScalar(result)) return scalar(result, truncated);
  if (Array.isArray(result)) return array(result, truncated);
  return mapping(result, truncated);
}

function scalar(value, truncated) {
  if (value === null) return h('p', { class: 'scalar empty' }, 'No value (None / NaN)');
  if (typeof value === 'string' && (value.length > 80 || value.includes('\n'))) {
    return h('div', null, h('pre', { class: 'text-result' }, value),
      truncated ? h('p', { class: 'note' }, 'The text was cut to the output limit.') : null);
  }
  const { text, title } = formatCell(value);
  return h('p', { class: `scalar ${typeof value === 'number' ? 'number' : ''}`.trim(), title }, text);
}

function shapeNote(shown, total, unit, truncated, extra) {
  const parts = [];
  if (total != null && shown < total) parts.push(`Showing ${formatCount(shown)} of ${formatCount(total)} ${unit}`);
  else if (truncated) parts.push(`Showing the first ${formatCount(shown)} ${unit}`);
  if (extra) parts.push(extra);
  return parts.length ? h('p', { class: 'note shape-note' }, parts.join(' · ')) : null;
}

function dataframe(r) {
  const rows = r.data ?? [];
  const [totalRows, totalColumns] = r.shape ?? [r.total_rows ?? rows.length, (r.columns ?? []).length];
  const hasIndex = Array.isArray(r.index);
  const indexLabel = (r.index_names ?? []).filter((n) => n != null).join(', ');
  const columns = [
    ...(hasIndex ? [{ key: '\u0000index', label: indexLabel, index: true }] : []),
    ...(r.columns ?? []).map((c) => ({ key: c, label: c })),
  ];
  const data = rows.map((row, i) => (hasIndex ? { ...row, '\u0000index': r.index[i] } : row));
  const columnsNote = r.columns_truncated ? `first ${formatCount((r.columns ?? []).length)} of ${formatCount(totalColumns)} columns` : null;
  return h('div', { class: 'result-table' },
    h('p', { class: 'shape' }, `${plural(totalRows, 'row')} × ${plural(totalColumns, 'column')}`),
    dataTable(columns, data, { label: 'Result table' }),
    shapeNote(rows.length, r.total_rows ?? totalRows, 'rows', r.truncated, columnsNote));
}

function series(r) {
  const pairs = Array.isArray(r.data) ? r.data : Object.entries(r.data ?? {});
  const indexLabel = (r.index_names ?? []).join(', ');
  const columns = [{ key: 0, label: indexLabel, index: true }, { key: 1, label: r.name ?? 'value' }];
  return h('div', { class: 'result-table' },
    h('p', { class: 'shape' }, plural(r.length ?? pairs.length, 'value')),
    dataTable(columns, pairs, { label: 'Result table' }),
    shapeNote(pairs.length, r.length, 'values', r.truncated));
}

function list(items, total, label, truncated) {
  if (items.every(isScalar)) {
    const rows = items.map((v, i) => [i, v]);
    return h('div', { class: 'result-table' },
      h('p', { class: 'shape' }, plural(total ?? items.length, 'item')),
      dataTable([{ key: 0, label: '#', index: true }, { key: 1, label }], rows, { label: 'Result list' }),
      shapeNote(items.length, total, 'items', truncated));
  }
  return json(items, truncated);
}

function array(items, truncated) {
  const records = items.length > 0 && items.every((v) => v && typeof v === 'object' && !Array.isArray(v) && !v.type);
  if (records) {
    const keys = [...new Set(items.flatMap((v) => Object.keys(v)))];
    return h('div', { class: 'result-table' },
      h('p', { class: 'shape' }, `${plural(items.length, 'row')} × ${plural(keys.length, 'column')}`),
      dataTable(keys.map((k) => ({ key: k, label: k })), items, { label: 'Result table' }),
      shapeNote(items.length, null, 'rows', truncated));
  }
  return list(items, null, 'value', truncated);
}

function mapping(object, truncated) {
  const entries = Object.entries(object ?? {});
  if (entries.every(([, v]) => isScalar(v))) {
    return h('div', { class: 'result-table' },
      h('p', { class: 'shape' }, plural(entries.length, 'entry', 'entries')),
      dataTable([{ key: 0, label: 'key', index: true }, { key: 1, label: 'value' }], entries, { label: 'Result table' }),
      shapeNote(entries.length, null, 'entries', truncated));
  }
  return json(object, truncated);
}

function ndarray(r) {
  const shape = r.shape ?? [];
  if (shape.length === 1) return list(r.data ?? [], shape[0], 'value', r.truncated);
  if (shape.length === 2 && Array.isArray(r.data) && r.data.every(Array.isArray)) {
    const width = Math.max(0, ...r.data.map((row) => row.length));
    const columns = Array.from({ length: width }, (_, i) => ({ key: i, label: String(i) }));
    return h('div', { class: 'result-table' },
      h('p', { class: 'shape' }, `array ${shape.map(formatNumber).join(' × ')}`),
      dataTable(columns, r.data, { label: 'Result array' }),
      shapeNote(r.data.length, shape[0], 'rows', r.truncated));
  }
  return isScalar(r.data) ? scalar(r.data) : json(r.data, r.truncated);
}

function json(value, truncated) {
  return h('div', null, h('pre', { class: 'text-result' }, JSON.stringify(value, null, 2)),
    truncated ? h('p', { class: 'note' }, 'The result was cut to the output limit.') : null);
}
