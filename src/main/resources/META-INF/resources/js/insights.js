// Automatic insights (GET /api/session/{id}/insights): computed by the service after upload; shown as a list of
// sentences, each with a button that asks its follow-up question. Text only (textContent), never markup.
import { h } from './dom.js';

/** The list items of `insights`; `ask(question)` runs a follow-up, `busy` disables the buttons. */
export function insightItems(insights, ask, busy) {
  return insights.map((insight) => h('li', { class: 'insight', dataset: { kind: String(insight.kind ?? '') } },
    h('span', { class: 'insight-sentence', text: insight.sentence ?? '' }),
    insight.question ? h('button', {
      type: 'button', class: 'chip insight-ask', disabled: busy, title: insight.question,
      'aria-label': `Ask: ${insight.question}`, onclick: () => ask(insight.question),
    }, insight.question) : null));
}

/**
 * Polls until the insights are ready or failed (at most `attempts` times, `delayMs` apart) while `stillWanted()`;
 * resolves with the last answer, or null when the service does not offer insights.
 */
export async function awaitInsights(fetchInsights, stillWanted, { attempts = 60, delayMs = 1000 } = {}) {
  let last = null;
  for (let i = 0; i < attempts && stillWanted(); i++) {
    try {
      last = await fetchInsights();
    } catch {
      return null;
    }
    if (last?.status !== 'pending') return last;
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
  return last;
}
