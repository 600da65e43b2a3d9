// The dataset at a glance: shape, the sheet/dataset switcher, the columns with their profile, the sample rows.
import { append, h, icon } from './dom.js';
import { formatCell, formatCount, formatDate, formatNumber, formatWhen, plural } from './format.js';
import { dataTable } from './table.js';
import { getDictionary, notebookUrl, putDictionary, reportUrl } from './api.js';

const OPEN_COLUMNS_UP_TO = 12;

/** The datasets of a session view (older sessions without `datasets` get one from `data_info`). */
export function datasetsOf(session) {
  if (Array.isArray(session.datasets) && session.datasets.length > 0) return session.datasets;
  return [{ name: session.file_name ?? 'data', default: true, ...session.data_info, profile: session.profile }];
}

/**
 * The dataset card. `selected` is the index of the dataset shown; `onSelect(index)` switches; `compact` starts with
 * the columns and sample folded.
 */
export function datasetView(session, selected, onSelect, { compact = false, onAdd = null, onRefresh = null } = {}) {
  const datasets = datasetsOf(session);
  const dataset = datasets[selected] ?? datasets[0];
  const chips = [
    `${plural(dataset.rows, 'row')} × ${plural(dataset.columns, 'column')}`,
    datasets.length > 1 ? plural(datasets.length, 'dataset') : null,
    session.format ? session.format.toUpperCase() : null,
    session.created_at ? `uploaded ${formatWhen(session.created_at)}` : null,
  ].filter(Boolean);
  return h('section', { class: 'dataset card', 'aria-labelledby': 'dataset-title' },
    h('header', { class: 'dataset-header' },
      h('div', { class: 'file-icon', 'aria-hidden': 'true' }, icon('file')),
      h('div', null,
        h('h2', { id: 'dataset-title', class: 'dataset-title' }, session.file_name ?? 'Dataset'),
        h('ul', { class: 'chips', 'aria-label': 'About this dataset' }, chips.map((c) => h('li', null, c))))),
    actions(session, onAdd),
    dataset.source && onRefresh ? sourceLine(dataset, onRefresh) : null,
    datasets.length > 1 ? switcher(datasets, selected, onSelect) : null,
    h('div', { id: 'dataset-panel', role: datasets.length > 1 ? 'tabpanel' : null,
      'aria-labelledby': datasets.length > 1 ? `dataset-tab-${selected}` : null },
    datasets.length > 1 ? h('p', { class: 'note variable-note' }, 'In code this dataset is ',
      h('code', null, dataset.default ? 'df' : `dfs[${JSON.stringify(dataset.name)}]`), '.') : null,
    columnsSection(dataset, !compact, session.session_id),
    sampleSection(dataset, !compact)));
}

/** Where a dataset imported from a database came from, and a button that imports it again. */
function sourceLine(dataset, onRefresh) {
  const from = dataset.source;
  return h('p', { class: 'note source-origin' }, `From source ${from.source}: `,
    h('code', null, from.table ?? from.query ?? ''), from.imported_at ? ` · imported ${formatWhen(from.imported_at)} ` : ' ',
    h('button', { type: 'button', class: 'button ghost small refresh-dataset', onclick: () => onRefresh(dataset.name) },
      'Refresh from source'));
}

/** Add a dataset to the session, download it as a notebook or a report (HTML, PDF). */
function actions(session, onAdd) {
  if (!session.session_id) return null;
  const input = h('input', { type: 'file', id: 'add-dataset-input', class: 'visually-hidden',
    accept: '.csv,.tsv,.txt,.xlsx,.xls,.json' });
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    input.value = '';
    if (file && onAdd) onAdd(file);
  });
  return h('div', { class: 'dataset-actions' },
    onAdd ? h('label', { class: 'button ghost small add-dataset' }, icon('upload'), h('span', null, 'Add a dataset'), input)
      : null,
    h('a', { class: 'button ghost small notebook-link', href: notebookUrl(session.session_id),
      download: `session-${session.session_id}.ipynb` }, icon('file'), h('span', null, 'Download notebook')),
    h('a', { class: 'button ghost small report-html-link', href: reportUrl(session.session_id, 'html'), download: '' },
      icon('file'), h('span', null, 'Report (HTML)')),
    h('a', { class: 'button ghost small report-pdf-link', href: reportUrl(session.session_id, 'pdf'), download: '' },
      icon('file'), h('span', null, 'Report (PDF)')),
    joinKeys(session));
}

/** The candidate join keys between the session's datasets, with their measured overlap. */
function joinKeys(session) {
  const keys = session.shared_columns ?? [];
  if (keys.length === 0) return null;
  return h('p', { class: 'note join-keys' }, 'Shared columns: ', keys.slice(0, 5).map((k, i) => [i > 0 ? ', ' : null,
    h('code', null, `${k.left_dataset}.${k.left_column} ~ ${k.right_dataset}.${k.right_column}`),
    ` (${formatNumber(k.overlap * 100)} % overlap)`]));
}

function switcher(datasets, selected, onSelect) {
  const tabs = datasets.map((d, i) => h('button', {
    type: 'button', role: 'tab', id: `dataset-tab-${i}`, class: 'tab', 'aria-selected': String(i === selected),
    'aria-controls': 'dataset-panel', tabIndex: i === selected ? 0 : -1, onclick: () => onSelect(i),
  }, h('span', { class: 'tab-name' }, d.name), h('span', { class: 'tab-shape' }, `${formatCount(d.rows)} × ${formatCount(d.columns)}`)));
  const list = h('div', { role: 'tablist', class: 'tabs', 'aria-label': 'Datasets (sheets) in this file' }, tabs);
  list.addEventListener('keydown', (e) => {
    const moves = { ArrowRight: 1, ArrowLeft: -1, Home: -selected, End: datasets.length - 1 - selected };
    if (!(e.key in moves)) return;
    e.preventDefault();
    const next = (selected + moves[e.key] + datasets.length) % datasets.length;
    onSelect(next, { focus: true });
  });
  return list;
}

function columnsSection(dataset, open, sessionId = null) {
  const names = dataset.column_names ?? Object.keys(dataset.profile ?? {});
  const editors = new Map();
  const rows = names.map((name) => {
    const p = dataset.profile?.[name] ?? {};
    const dtype = dataset.data_types?.[name] ?? p.dtype ?? '';
    const editor = sessionId ? meaningEditor(name) : null;
    if (editor) editors.set(name, editor);
    return h('tr', { 'data-column': name },
      h('th', { scope: 'row', class: 'column-name' }, name),
      h('td', null, h('span', { class: `dtype dtype-${kindOf(dtype)}` }, dtype)),
      h('td', { class: 'num' }, nulls(dataset.null_counts?.[name] ?? p.nulls, dataset.rows)),
      h('td', { class: 'profile' }, profileSummary(p, dtype)),
      editor ? h('td', { class: 'meaning' }, editor.cell) : null);
  });
  const headings = ['Column', 'Type', 'Missing', 'Profile', ...(sessionId ? ['Meaning'] : [])];
  const table = h('table', { class: 'data columns-table' },
    h('thead', null, h('tr', null, headings.map((t, i) =>
      h('th', { scope: 'col', class: i === 2 ? 'num' : null }, t)))),
    h('tbody', null, rows));
  if (sessionId && dataset.name) loadDictionary(sessionId, dataset.name, editors);
  return h('details', { class: 'section', open: open && names.length <= OPEN_COLUMNS_UP_TO },
    h('summary', null, h('span', null, 'Columns'), h('span', { class: 'count' }, formatCount(names.length))),
    h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Columns' }, table));
}

/** The inline editor of a column's description and unit; a drafted entry is marked until a person saves it. */
function meaningEditor(name) {
  const description = h('input', { type: 'text', class: 'dict-description', maxlength: '500',
    placeholder: 'What this column means', 'aria-label': `Description of ${name}` });
  const unit = h('input', { type: 'text', class: 'dict-unit', maxlength: '16', size: '4', placeholder: 'unit',
    'aria-label': `Unit of ${name}` });
  const badge = h('span', { class: 'dict-draft', hidden: true, title: 'Drafted from the data; edit to confirm' }, 'draft');
  const status = h('span', { class: 'dict-status', role: 'status' });
  return { description, unit, badge, status, entry: {}, cell: h('div', { class: 'dict-editor' }, description, unit, badge, status) };
}

function showEntry(editor, entry = {}) {
  editor.entry = entry;
  editor.description.value = entry.description ?? '';
  editor.unit.value = entry.unit ?? '';
  editor.badge.hidden = entry.draft !== true;
  editor.description.classList.toggle('draft', entry.draft === true);
}

/** Reads the dictionary into the editors and saves an edited entry (PUT of that column) when a field changes. */
function loadDictionary(sessionId, datasetName, editors) {
  getDictionary(sessionId, datasetName).then((dictionary) => {
    editors.forEach((editor, name) => showEntry(editor, dictionary.columns?.[name]));
  }).catch(() => {});
  editors.forEach((editor, name) => {
    const save = () => {
      const description = editor.description.value.trim();
      const unit = editor.unit.value.trim();
      if (description === (editor.entry.description ?? '') && unit === (editor.entry.unit ?? '')
        && editor.entry.draft !== true) return;
      const entry = { ...editor.entry, description: description || null, unit: unit || null };
      delete entry.draft;
      editor.status.textContent = 'Saving…';
      putDictionary(sessionId, datasetName, { columns: { [name]: entry } }).then((dictionary) => {
        // the inputs keep what the person typed meanwhile; only the stored entry and its draft mark are updated
        editor.entry = dictionary.columns?.[name] ?? {};
        editor.badge.hidden = editor.entry.draft === true ? false : true;
        editor.description.classList.toggle('draft', editor.entry.draft === true);
        editor.status.textContent = 'Saved';
      }).catch((e) => { editor.status.textContent = e.message ?? 'Not saved'; });
    };
    editor.description.addEventListener('change', save);
    editor.unit.addEventListener('change', save);
  });
}

function sampleSection(dataset, open) {
  const sample = dataset.sample ?? [];
  const names = dataset.column_names ?? Object.keys(sample[0] ?? {});
  return h('details', { class: 'section', open },
    h('summary', null, h('span', null, 'Sample rows'), h('span', { class: 'count' }, `first ${formatCount(sample.length)}`)),
    sample.length > 0
      ? dataTable(names.map((n) => ({ key: n, label: n })), sample, { label: 'Sample rows' })
      : h('p', { class: 'note' }, 'No rows.'));
}

function kindOf(dtype) {
  if (/^(int|uint|float)/.test(dtype)) return 'number';
  if (dtype.startsWith('datetime')) return 'date';
  if (dtype === 'bool') return 'bool';
  return 'text';
}

function nulls(count, rows) {
  if (!count) return h('span', { class: 'muted' }, '0');
  const share = rows > 0 ? count / rows : 0;
  return h('span', { title: `${formatNumber(share * 100)} % of the rows` }, formatCount(count));
}

function figure(label, value) {
  return h('span', { class: 'figure' }, h('span', { class: 'figure-label' }, label), ' ', value);
}

function profileSummary(p, dtype) {
  const parts = [];
  if (typeof p.min === 'number') parts.push(figure('min', formatNumber(p.min)));
  if (typeof p.max === 'number') parts.push(figure('max', formatNumber(p.max)));
  if (typeof p.mean === 'number') parts.push(figure('mean', formatNumber(p.mean)));
  if (typeof p.std === 'number') parts.push(figure('std', formatNumber(p.std)));
  if (p.min_date || p.max_date) {
    parts.push(figure('from', formatDate(p.min_date ?? '')), figure('to', formatDate(p.max_date ?? '')));
  }
  if (typeof p.distinct === 'number' && kindOf(dtype) !== 'number') {
    parts.push(figure('distinct', `${p.distinct_estimated ? '≈' : ''}${formatCount(p.distinct)}`));
  }
  if (Array.isArray(p.top_values) && p.top_values.length > 0) {
    const top = p.top_values.slice(0, 3);
    parts.push(h('span', { class: 'top-values' }, h('span', { class: 'figure-label' }, 'top'), ' ',
      top.map((t) => h('span', { class: 'top-value', title: `${formatCount(t.count)} rows` },
        h('span', { class: 'value' }, formatCell(t.value).text), h('span', { class: 'value-count' }, formatCount(t.count))))));
  }
  return parts.length ? append(h('div', { class: 'figures' }), parts) : h('span', { class: 'muted' }, '—');
}
