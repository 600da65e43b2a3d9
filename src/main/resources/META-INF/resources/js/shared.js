// The page in read-only mode, at /shared/{token}: a banner, the shared session's datasets and every answer, and
// nothing that asks, uploads, pins or deletes. Its data comes from GET /api/shared/{token} without an API key.
import * as api from './api.js';
import { datasetView } from './dataset.js';
import { h, icon, replaceChildren } from './dom.js';
import { Turn } from './turn.js';

/** The token of a share-link page, or null on the normal page. */
export function sharedToken(path = location.pathname) {
  const m = /^\/shared\/([A-Za-z0-9_-]+)\/?$/.exec(path);
  return m ? m[1] : null;
}

/** Shows the shared session read-only in the page's elements `ui`. */
export async function showShared(token, ui) {
  document.body.classList.add('shared-mode', 'has-session');
  for (const el of [ui.sidebar, ui.toggle, ui.composer, ui.welcome, ui.scrim, ui.suggestions, ui.insights]) {
    if (el) el.hidden = true;
  }
  const banner = h('div', { class: 'shared-banner', role: 'note', id: 'shared-banner' }, icon('alert'),
    h('strong', null, 'Shared, read-only.'),
    h('span', null, ' You are looking at a session someone shared: nothing can be asked, added or deleted here.'));
  ui.main.prepend(banner);
  ui.sessionView.hidden = false;
  replaceChildren(ui.datasetSlot, h('div', { class: 'card loading', role: 'status' }, 'Opening the shared session…'));
  let view;
  try {
    view = await api.getShared(token);
  } catch (e) {
    replaceChildren(ui.datasetSlot, h('div', { class: 'problem card', role: 'alert' },
      h('p', { class: 'problem-title' }, icon('alert'), e.problem?.status === 404 ? 'This link opens nothing'
        : e.problem?.title ?? 'The shared session cannot be opened'), h('p', { class: 'problem-detail' },
        e.problem?.detail ?? e.message)));
    return;
  }
  document.title = `${view.file_name ?? 'Shared session'} (shared) · LLM Analytics`;
  banner.append(h('span', { class: 'shared-reports' }, ' ',
    h('a', { class: 'button ghost small report-html-link', href: api.sharedReportUrl(token, 'html'), download: '' },
      'Report (HTML)'), ' ',
    h('a', { class: 'button ghost small report-pdf-link', href: api.sharedReportUrl(token, 'pdf'), download: '' },
      'Report (PDF)')));
  if (view.expires_at) banner.append(h('span', { class: 'note' }, ` The link expires ${new Date(view.expires_at).toLocaleString()}.`));
  // no session_id: the dataset view then offers no notebook, add or refresh
  const session = { datasets: view.datasets ?? [], shared_columns: view.shared_columns ?? [] };
  const render = (selected) => replaceChildren(ui.datasetSlot, datasetView(session, selected, (index) => render(index),
    { compact: (view.interactions ?? []).length > 0 }));
  render(Math.max(0, session.datasets.findIndex((d) => d.default)));
  replaceChildren(ui.conversation, (view.interactions ?? []).map((entry) => Turn.fromHistory({
    question: entry.question,
    reading: entry.reading,
    interpretation: entry.answer,
    raw_result: entry.result,
    charts: entry.charts ?? [],
    error: entry.error,
    started_at: entry.started_at,
    attempts: entry.code ? [{ attempt: 1, code: entry.code }] : [],
  }).el));
}
