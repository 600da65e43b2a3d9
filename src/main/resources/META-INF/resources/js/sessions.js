// The session list (newest first): open a session by its link, delete it after an inline confirmation.
import { h, icon, replaceChildren } from './dom.js';
import { formatCount, formatWhen, plural } from './format.js';

export const sessionHref = (id) => `#/session/${encodeURIComponent(id)}`;

/** Renders `sessions` into `list`; `onDelete(session)` returns a promise. */
export function renderSessionList(list, sessions, currentId, { onDelete, onOpen }) {
  if (sessions.length === 0) {
    replaceChildren(list, h('li', { class: 'empty' }, 'No sessions yet. Upload a file to start.'));
    return;
  }
  replaceChildren(list, sessions.map((s) => item(s, s.session_id === currentId, onDelete, onOpen)));
}

function item(session, current, onDelete, onOpen) {
  const name = session.file_name || 'Untitled';
  const details = [
    `${formatCount(session.rows)} × ${formatCount(session.columns)}`,
    session.datasets?.length > 1 ? plural(session.datasets.length, 'sheet') : null,
    session.interactions > 0 ? plural(session.interactions, 'question') : null,
  ].filter(Boolean).join(' · ');
  const link = h('a', { class: 'session-link', href: sessionHref(session.session_id), 'aria-current': current ? 'page' : null,
    onclick: () => onOpen?.() },
  h('span', { class: 'session-name' }, name),
  h('span', { class: 'session-meta' }, details),
  h('time', { class: 'session-when', datetime: session.created_at }, formatWhen(session.created_at)));
  const remove = h('button', { type: 'button', class: 'icon-button danger session-delete', 'aria-label': `Delete session ${name}`,
    title: 'Delete' }, icon('trash'));
  const li = h('li', { class: 'session-item', dataset: { sessionId: session.session_id } }, link, remove);
  remove.addEventListener('click', () => confirmDelete(li, session, name, onDelete, remove));
  return li;
}

function confirmDelete(li, session, name, onDelete, remove) {
  const normal = [...li.childNodes];
  const yes = h('button', { type: 'button', class: 'button danger small' }, 'Delete');
  const no = h('button', { type: 'button', class: 'button ghost small' }, 'Cancel');
  const box = h('div', { class: 'confirm', role: 'group', 'aria-label': `Delete ${name}?` },
    h('span', { class: 'confirm-text' }, 'Delete ', h('strong', null, name), ' and its conversation?'),
    h('span', { class: 'confirm-actions' }, yes, no));
  const restore = () => { li.replaceChildren(...normal); remove.focus(); };
  no.addEventListener('click', restore);
  box.addEventListener('keydown', (e) => { if (e.key === 'Escape') restore(); });
  yes.addEventListener('click', async () => {
    yes.disabled = true;
    no.disabled = true;
    try {
      await onDelete(session);
    } catch {
      restore();
    }
  });
  li.replaceChildren(box);
  yes.focus();
}
