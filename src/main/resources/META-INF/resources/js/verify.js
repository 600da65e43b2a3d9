// Verified answers and feedback under each answer ("✓ Verify", 👍, 👎), and the session's "Evaluate" action that asks
// every verified question again and shows the summary. All text via textContent.
import * as api from './api.js';
import { h, replaceChildren } from './dom.js';

/** The verify and feedback buttons of one answer; `mark` is the session view's {verified, feedback} for it, if any. */
export function verifyButtons(sessionId, interactionId, mark, announce) {
  let verified = Boolean(mark?.verified);
  const verify = h('button', { type: 'button', class: 'button ghost small verify-answer', 'aria-pressed': String(verified) });
  const label = () => { verify.textContent = verified ? '✓ Verified' : '✓ Verify'; verify.setAttribute('aria-pressed', String(verified)); };
  label();
  verify.addEventListener('click', async () => {
    verify.disabled = true;
    try {
      if (verified) await api.unverifyAnswer(sessionId, interactionId);
      else await api.verifyAnswer(sessionId, interactionId);
      verified = !verified;
      verify.title = '';
      announce?.(verified ? 'The answer is verified.' : 'The answer is no longer verified.');
    } catch (e) {
      verify.title = e.problem?.detail ?? e.message;
      announce?.(e.problem?.detail ?? 'The answer could not be verified.');
    } finally {
      label();
      verify.disabled = false;
    }
  });
  const rating = mark?.feedback?.rating ?? null;
  const rate = (value, text, name) => {
    const button = h('button', { type: 'button', class: `icon-button feedback-${value}`, 'aria-label': name,
      'aria-pressed': String(rating === value) }, text);
    button.addEventListener('click', async () => {
      try {
        await api.sendFeedback(sessionId, interactionId, value);
        for (const b of group.querySelectorAll('button[class*="feedback-"]')) b.setAttribute('aria-pressed', String(b === button));
        announce?.('Thank you: your feedback was recorded.');
      } catch (e) {
        announce?.(e.problem?.detail ?? 'The feedback could not be recorded.');
      }
    });
    return button;
  };
  const group = h('span', { class: 'answer-marks' }, verify, ' ', rate('up', '👍', 'Good answer'), rate('down', '👎', 'Wrong answer'));
  return group;
}

/** The "Evaluate" action: asks every verified question again and shows the summary in `panel`. */
export function evaluateTool(sessionId, announce) {
  const panel = h('div', { class: 'evaluation-panel card', id: 'evaluation-panel', hidden: true, role: 'status' });
  const button = h('button', { type: 'button', class: 'button ghost small', id: 'evaluate' }, 'Evaluate');
  button.addEventListener('click', async () => {
    button.disabled = true;
    panel.hidden = false;
    replaceChildren(panel, h('p', { class: 'note' }, 'Asking every verified question again…'));
    try {
      const e = await api.evaluate(sessionId);
      const items = h('ul', { class: 'evaluation-items' }, (e.items ?? []).map((item) =>
        h('li', { class: `evaluation-${item.outcome}` }, `${item.outcome}: ${item.question}`,
          item.outcome === 'equal' ? null : h('span', { class: 'note' }, ` — ${item.detail ?? ''}`))));
      replaceChildren(panel, h('p', null,
        `${e.equal} of ${e.total} equal, ${e.different} different, ${e.failed} failed (${e.analyst}${e.model ? ', ' + e.model : ''}).`), items);
      announce?.(`Evaluation: ${e.equal} of ${e.total} equal.`);
    } catch (err) {
      replaceChildren(panel, h('p', { class: 'problem-detail', role: 'alert' }, err.problem?.detail ?? err.message));
    } finally {
      button.disabled = false;
    }
  });
  return h('div', { class: 'evaluation-tool' }, button, panel);
}
