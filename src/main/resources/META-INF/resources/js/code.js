// A block of highlighted Python with a copy button.
import { h, icon, replaceChildren } from './dom.js';
import { highlight } from './highlight.js';

/** `marks`: 1-based line numbers to flag (validation findings). */
export function codeBlock(code, { marks, label = 'Python' } = {}) {
  const status = h('span', { class: 'visually-hidden', role: 'status' });
  const copy = h('button', { type: 'button', class: 'copy-button', 'aria-label': 'Copy code' }, icon('copy'), 'Copy');
  copy.addEventListener('click', async () => {
    const ok = await copyText(code);
    replaceChildren(copy, icon(ok ? 'check' : 'alert'), ok ? 'Copied' : 'Press Ctrl+C');
    status.textContent = ok ? 'Code copied' : '';
    if (!ok) selectCode(pre);
    setTimeout(() => { replaceChildren(copy, icon('copy'), 'Copy'); status.textContent = ''; }, 1600);
  });
  const pre = h('pre', { class: 'code', tabindex: '0', 'aria-label': `${label} code` },
    h('code', { class: 'language-python' }, highlight(code, new Set(marks ?? []))));
  return h('div', { class: 'code-block' },
    h('div', { class: 'code-toolbar' }, h('span', { class: 'code-lang' }, label), copy, status), pre);
}

async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

function selectCode(pre) {
  const range = document.createRange();
  range.selectNodeContents(pre);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
}
