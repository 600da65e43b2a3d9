// The owner's share links and the session's dashboard: a toolbar above the dataset, a share panel (create, copy,
// revoke), a "Pin" button on answers, and the dashboard as a grid of live cards. All text via textContent.
import * as api from './api.js';
import { h, icon, replaceChildren } from './dom.js';
import { formatWhen } from './format.js';
import { chartFigure } from './chart.js';
import { renderResult } from './result.js';

const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/**
 * The toolbar of a session ({sessionId}): "Dashboard" shows the grid in `dashboardEl` instead of `conversationEl`,
 * "Share" opens the share panel. Returns the toolbar element.
 */
export function sessionTools({ sessionId, conversationEl, dashboardEl, announce }) {
  const panel = h('div', { class: 'share-panel card', id: 'share-panel', hidden: true });
  const dashboardButton = h('button', { type: 'button', class: 'button ghost small', id: 'dashboard-toggle',
    'aria-pressed': 'false', 'aria-controls': 'dashboard' }, icon('table'), h('span', null, 'Dashboard'));
  const shareButton = h('button', { type: 'button', class: 'button ghost small', id: 'share-toggle',
    'aria-expanded': 'false', 'aria-controls': 'share-panel' }, icon('copy'), h('span', null, 'Share'));
  dashboardButton.addEventListener('click', () => {
    const show = dashboardButton.getAttribute('aria-pressed') !== 'true';
    dashboardButton.setAttribute('aria-pressed', String(show));
    dashboardEl.hidden = !show;
    conversationEl.hidden = show;
    if (show) loadDashboard(sessionId, dashboardEl, announce);
  });
  shareButton.addEventListener('click', () => {
    const open = panel.hidden;
    panel.hidden = !open;
    shareButton.setAttribute('aria-expanded', String(open));
    if (open) renderSharePanel(sessionId, panel, announce);
  });
  return h('div', { class: 'session-tools' }, h('div', { class: 'tool-row' }, dashboardButton, shareButton), panel);
}

// ---- share links --------------------------------------------------------------------------------------------------

async function renderSharePanel(sessionId, panel, announce, created = null) {
  const create = h('button', { type: 'button', class: 'button primary small', id: 'create-share' }, 'Create a read-only link');
  const expiry = h('select', { id: 'share-expiry', 'aria-label': 'The link expires after' },
    h('option', { value: 'P1D' }, '1 day'), h('option', { value: 'P7D', selected: true }, '7 days'),
    h('option', { value: 'P30D' }, '30 days'));
  const note = h('p', { class: 'note', role: 'status' });
  const list = h('ul', { class: 'share-list' });
  create.addEventListener('click', async () => {
    create.disabled = true;
    try {
      const link = await api.createShare(sessionId, expiry.value);
      await renderSharePanel(sessionId, panel, announce, link);
      announce?.('A read-only link was created.');
    } catch (e) {
      note.textContent = e.problem?.detail ?? e.message;
      create.disabled = false;
    }
  });
  const fresh = created ? h('div', { class: 'share-created' },
    h('label', { for: 'share-url' }, 'Anyone with this link can read the session (no key needed). It is shown once:'),
    h('div', { class: 'share-url-row' },
      h('input', { id: 'share-url', class: 'share-url', type: 'text', readonly: true,
        value: new URL(created.url, location.origin).href }),
      copyButton(() => new URL(created.url, location.origin).href))) : null;
  replaceChildren(panel, h('p', { class: 'share-head' }, 'Share this session read-only: the people you send the link '
    + 'to see the datasets and every answer, and can change nothing.'),
  h('div', { class: 'share-create-row' }, expiry, create), fresh, note, list);
  try {
    const { shares = [] } = await api.listShares(sessionId);
    replaceChildren(list, shares.map((s) => h('li', { class: 'share-item', 'data-share-id': s.id },
      h('span', null, `Link created ${formatWhen(s.created_at)}, ${s.expired ? 'expired' : 'expires'} `
        + `${new Date(s.expires_at).toLocaleString()}`),
      h('button', { type: 'button', class: 'button ghost small revoke-share', onclick: async () => {
        try {
          await api.revokeShare(sessionId, s.id);
          announce?.('The link was revoked.');
          renderSharePanel(sessionId, panel, announce);
        } catch (e) {
          note.textContent = e.problem?.detail ?? e.message;
        }
      } }, icon('trash'), h('span', null, 'Revoke')))));
    if (shares.length === 0) list.append(h('li', { class: 'note' }, 'No links yet.'));
  } catch (e) {
    note.textContent = e.problem?.detail ?? e.message;
  }
}

function copyButton(text) {
  const button = h('button', { type: 'button', class: 'button ghost small', 'aria-label': 'Copy the link' }, icon('copy'),
    h('span', null, 'Copy'));
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text());
      replaceChildren(button, icon('check'), h('span', null, 'Copied'));
    } catch {
      document.getElementById('share-url')?.select();
    }
  });
  return button;
}

// ---- pins and the dashboard ---------------------------------------------------------------------------------------

/** A "Pin" button for an answer computed by code; it says when the answer is pinned or why not. */
export function pinButton(sessionId, interactionId, announce) {
  const button = h('button', { type: 'button', class: 'button ghost small pin-answer' }, 'Pin to dashboard');
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      await api.pinAnswer(sessionId, interactionId);
      button.textContent = 'Pinned';
      announce?.('The answer was pinned to the dashboard.');
    } catch (e) {
      button.textContent = e.problem?.status === 409 ? (e.problem.pin_id ? 'Pinned' : 'Dashboard full') : 'Not pinned';
      button.title = e.problem?.detail ?? e.message;
    }
  });
  return button;
}

async function loadDashboard(sessionId, el, announce) {
  replaceChildren(el, h('h2', { class: 'small-title' }, 'Dashboard'),
    h('p', { class: 'note', role: 'status' }, 'Running the pinned answers on the current data…'));
  try {
    const { items = [] } = await api.getDashboard(sessionId);
    const grid = h('div', { class: 'dashboard-grid', role: 'list' }, items.map((item) => card(sessionId, item, el, announce)));
    replaceChildren(el, h('h2', { class: 'small-title' }, 'Dashboard'),
      items.length === 0 ? h('p', { class: 'note' }, 'Nothing pinned yet: use "Pin to dashboard" under an answer.') : grid);
    announce?.(`The dashboard shows ${items.length} pinned answers.`);
  } catch (e) {
    replaceChildren(el, h('h2', { class: 'small-title' }, 'Dashboard'),
      h('div', { class: 'problem card', role: 'alert' }, h('p', { class: 'problem-title' }, icon('alert'),
        e.problem?.title ?? 'The dashboard cannot be shown'), h('p', { class: 'problem-detail' }, e.problem?.detail ?? e.message)));
  }
}

function card(sessionId, item, el, announce) {
  const remove = h('button', { type: 'button', class: 'icon-button remove-pin', 'aria-label': `Remove "${item.question}"` },
    icon('close'));
  remove.addEventListener('click', async () => {
    remove.disabled = true;
    try {
      await api.unpin(sessionId, item.pin_id);
      announce?.('The pin was removed.');
      loadDashboard(sessionId, el, announce);
    } catch (e) {
      remove.disabled = false;
      remove.title = e.problem?.detail ?? e.message;
    }
  });
  const charts = (item.charts ?? []).filter((c) => IMAGE_TYPES.has(c.mime) && typeof c.data === 'string'
    && /^[A-Za-z0-9+/=]+$/.test(c.data)).map((c) => chartFigure(h('img', { class: 'chart', alt: `Chart of "${item.question}"`,
    src: `data:${c.mime};base64,${c.data}`, width: c.width > 0 ? c.width : null, height: c.height > 0 ? c.height : null }),
    c.spec, `Chart of "${item.question}"`));
  return h('article', { class: 'dashboard-card card', role: 'listitem', 'data-pin-id': item.pin_id },
    h('header', { class: 'dashboard-card-head' }, h('h3', { class: 'dashboard-question' }, item.question ?? ''), remove),
    item.error
      ? h('div', { class: 'problem' }, h('p', { class: 'problem-title' }, icon('alert'),
        item.error.kind === 'execution' ? 'The code fails on the current data' : item.error.kind === 'validation'
          ? 'The code is no longer allowed' : 'Not computed now'), h('p', { class: 'problem-detail' }, item.error.message ?? ''))
      : h('div', { class: 'dashboard-result' }, renderResult(item.result, { truncated: item.result_truncated === true })),
    charts.length ? h('div', { class: 'dashboard-charts' }, charts) : null,
    item.computed_at ? h('footer', { class: 'note' }, `Computed ${formatWhen(item.computed_at)}`) : null);
}
