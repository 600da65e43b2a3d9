// The "Connect to a source" panel: the databases the operator named, their tables with columns, a query box, and
// buttons that start a session from a table or query or add it to the open session. Text only through textContent.
import * as api from './api.js';
import { h, icon, replaceChildren } from './dom.js';

/**
 * Builds the panel. `currentId()` is the open session's id (or null); `onCreated(session)` and `onAdded(id, added)`
 * are called after a successful import. The panel hides itself when the service has no source.
 */
export function sourcePanel({ currentId, onCreated, onAdded }) {
  const body = h('div', { class: 'source-body' });
  const status = h('p', { class: 'note source-status', role: 'status' });
  const panel = h('details', { class: 'source-panel card', id: 'source-panel', hidden: true },
    h('summary', null, icon('table'), h('span', null, 'Connect to a source')), status, body);
  let loaded = false;

  const problem = (e) => {
    const p = e.problem ?? {};
    status.className = 'problem source-problem';
    status.setAttribute('role', 'alert');
    replaceChildren(status, h('strong', null, p.title ?? 'Refused'), ': ', p.detail ?? e.message);
  };
  const note = (text) => {
    status.className = 'note source-status';
    status.setAttribute('role', 'status');
    status.textContent = text;
  };

  async function run(request, add) {
    const id = currentId();
    if (add && !id) {
      note('Open a session first, or start a new one from this source.');
      return;
    }
    note(add ? 'Adding the rows to the session…' : 'Importing the rows…');
    try {
      if (add) {
        const added = await api.addFromSource(id, request);
        note(added.message ?? 'Added.');
        onAdded(id, added);
      } else {
        const created = await api.createFromSource(request);
        note(created.message ?? 'Imported.');
        onCreated(created);
      }
    } catch (e) {
      problem(e);
    }
  }

  const buttons = (request) => h('div', { class: 'source-buttons' },
    h('button', { type: 'button', class: 'button small source-create', onclick: () => run(request(), false) },
      'New session'),
    h('button', { type: 'button', class: 'button ghost small source-add',
      onclick: () => run(request(), true) }, 'Add to session'));

  function tableItem(source, t) {
    const qualified = `${t.schema}.${t.table}`;
    const estimate = t.row_estimate == null ? null : ` · about ${t.row_estimate} rows`;
    return h('li', { class: 'source-table' },
      h('details', null,
        h('summary', null, h('code', null, qualified), estimate),
        h('ul', { class: 'source-columns' }, (t.columns ?? []).map((c) =>
          h('li', null, h('code', null, c.name), ' ', h('span', { class: 'note' }, c.type))))),
      buttons(() => ({ source, table: qualified })));
  }

  async function showSource(source) {
    replaceChildren(body, h('p', { class: 'note' }, 'Reading the tables…'));
    let tables;
    try {
      tables = await api.sourceTables(source);
    } catch (e) {
      replaceChildren(body);
      problem(e);
      return;
    }
    note('');
    const query = h('textarea', { class: 'source-query', rows: '3', 'aria-label': `A SELECT query on ${source}`,
      placeholder: 'SELECT … (one read-only statement)' });
    const name = h('input', { type: 'text', class: 'source-name', 'aria-label': 'Dataset name (optional)',
      placeholder: 'dataset name (optional)' });
    replaceChildren(body,
      h('ul', { class: 'source-tables', 'aria-label': `Tables of ${source}` }, tables.map((t) => tableItem(source, t))),
      tables.length === 0 ? h('p', { class: 'note' }, 'No table can be read from this source.') : null,
      h('div', { class: 'source-query-box' }, query, name,
        buttons(() => ({ source, query: query.value, ...(name.value.trim() ? { name: name.value.trim() } : {}) }))));
  }

  async function load() {
    let sources;
    try {
      sources = await api.listSources();
    } catch {
      return; // no panel when the list cannot be had (the page works without it)
    }
    if (!sources.length) return;
    panel.hidden = false;
    const select = h('select', { class: 'source-select', 'aria-label': 'Source' },
      sources.map((s) => h('option', { value: s.name }, `${s.name} (${s.kind})`)));
    select.addEventListener('change', () => showSource(select.value));
    panel.insertBefore(h('label', { class: 'source-pick' }, 'Source ', select), status);
    panel.addEventListener('toggle', () => {
      if (panel.open && !loaded) {
        loaded = true;
        showSource(select.value);
      }
    });
  }

  load();
  return panel;
}
