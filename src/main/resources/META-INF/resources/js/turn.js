// One question and its answer in the conversation, built from the analysis events as they stream (or from a stored
// history entry). Everything from the model or the data is set as text.
import { codeBlock } from './code.js';
import { append, h, icon, replaceChildren } from './dom.js';
import { formatCount, formatSeconds, formatWhen, plural } from './format.js';
import { renderResult } from './result.js';
import { chartImageUrl, chartSpec, interactionUrl } from './api.js';
import { chartFigure } from './chart.js';

const STAGES = [
  ['generating', 'Generating'],
  ['validating', 'Validating'],
  ['executing', 'Executing'],
  ['interpreting', 'Interpreting'],
];
const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

// The answer comes first: the reading (what was computed), the sentence, the chart, the result; the code is one click
// away, folded. A declined question shows its reason in one line and the questions it can answer as chips.
export class Turn {
  constructor(question, { stored = false, sessionId = null, onAsk = null } = {}) {
    this.sessionId = sessionId;
    this.onAsk = onAsk;
    this.attempts = new Map();
    this.charts = 0;
    this.stage = null;
    this.interpretationText = '';
    this.live = h('p', { class: 'visually-hidden', role: 'status' });
    this.steps = new Map(STAGES.map(([stage, label]) => [stage, h('li', { class: 'step', dataset: { stage, state: 'pending' } },
      h('span', { class: 'step-dot', 'aria-hidden': 'true' }), h('span', { class: 'step-label' }, label))]));
    this.stepper = h('ol', { class: 'stepper', 'aria-label': 'Progress', hidden: stored }, [...this.steps.values()]);
    this.attemptNote = h('p', { class: 'attempt-note', hidden: true });
    this.attemptList = h('div', { class: 'attempts' });
    this.resultBox = h('section', { class: 'result', 'aria-label': 'Result', hidden: true });
    this.chartBox = h('div', { class: 'charts', hidden: true });
    this.interpretationBox = h('section', { class: 'interpretation', 'aria-label': 'Interpretation', hidden: true });
    this.interpretationTextEl = h('p', { class: 'interpretation-text' });
    this.revisedNote = h('p', { class: 'note revised', hidden: true },
      'Revised: a first draft stated numbers that the result does not support.');
    append(this.interpretationBox, this.revisedNote, this.interpretationTextEl);
    this.problemBox = h('div', { class: 'problem', role: 'alert', hidden: true });
    this.readingBox = h('p', { class: 'reading', hidden: true });
    this.codeSummary = h('span', { class: 'code-summary' }, 'Code');
    // open while the analysis runs (its progress is the code), folded once the answer is there
    this.codeBox = h('details', { class: 'code-details', hidden: true, open: !stored },
      h('summary', null, icon('code'), this.codeSummary), this.attemptNote, this.attemptList);
    this.meta = h('footer', { class: 'turn-meta' });
    this.el = h('article', { class: 'turn', dataset: { state: stored ? 'stored' : 'running' } },
      h('div', { class: 'question' }, h('span', { class: 'avatar', 'aria-hidden': 'true' }, 'You'),
        h('p', { class: 'question-text' }, question)),
      h('div', { class: 'answer' }, this.stepper, this.live, this.readingBox, this.interpretationBox, this.chartBox,
        this.resultBox, this.problemBox, this.codeBox, this.meta));
  }

  get state() {
    return this.el.dataset.state;
  }

  /** Applies one named analysis event. */
  handle(name, data) {
    switch (name) {
      case 'status': return this.status(data);
      case 'code': return this.code(data);
      case 'validation': return this.validation(data);
      case 'execution': return this.execution(data);
      case 'reading': return this.reading(data);
      case 'result': return this.result(data);
      case 'chart': return this.chart(data);
      case 'interpretation': return this.interpretation(data);
      case 'clarification': return this.clarification(data);
      case 'done': return this.done(data);
      case 'error': return this.error(data);
      default: return undefined;
    }
  }

  status({ stage, attempt }) {
    const index = STAGES.findIndex(([s]) => s === stage);
    if (index < 0) return;
    this.stage = stage;
    STAGES.forEach(([s], i) => this.setStep(s, i < index ? 'done' : i === index ? 'active' : 'pending'));
    const step = this.steps.get(stage);
    for (const other of this.steps.values()) other.removeAttribute('aria-current');
    step.setAttribute('aria-current', 'step');
    if (attempt > 1) {
      this.attemptNote.hidden = false;
      replaceChildren(this.attemptNote, icon('spark'), `Attempt ${attempt}: fixing the previous attempt's error`);
    }
    this.live.textContent = `${STAGES[index][1]}${attempt > 1 ? ` (attempt ${attempt})` : ''}…`;
  }

  setStep(stage, state) {
    this.steps.get(stage).dataset.state = state;
  }

  attemptBlock(attempt) {
    let block = this.attempts.get(attempt);
    if (block) return block;
    for (const previous of this.attempts.values()) previous.details.open = false;
    const title = h('span', { class: 'attempt-title' }, 'Code');
    const outcome = h('span', { class: 'outcome', dataset: { outcome: 'pending' } });
    const details = h('details', { class: 'attempt', open: true, dataset: { attempt: String(attempt) } },
      h('summary', null, title, outcome));
    const findings = h('div', { class: 'findings' });
    block = { details, title, outcome, findings, codeEl: null, code: '' };
    append(details, findings);
    this.attempts.set(attempt, block);
    this.attemptList.append(details);
    this.codeBox.hidden = false;
    if (this.attempts.size > 1) {
      for (const [n, b] of this.attempts) b.title.textContent = `Attempt ${n}`;
    }
    this.codeSummary.textContent = this.attempts.size > 1 ? `Code · ${plural(this.attempts.size, 'attempt')}` : 'Code';
    return block;
  }

  setOutcome(block, outcome, text) {
    block.outcome.dataset.outcome = outcome;
    block.outcome.textContent = text;
    block.details.dataset.outcome = outcome;
  }

  code({ attempt, code }) {
    const block = this.attemptBlock(attempt);
    block.code = code ?? '';
    const view = codeBlock(block.code);
    if (block.codeEl) block.codeEl.replaceWith(view);
    else block.findings.before(view);
    block.codeEl = view;
  }

  validation({ attempt, ok, violations = [] }) {
    const block = this.attemptBlock(attempt);
    if (ok) return;
    this.setStep('validating', 'failed');
    this.setOutcome(block, 'refused', 'refused by the validator');
    const view = codeBlock(block.code, { marks: violations.map((v) => v.line).filter((n) => n > 0) });
    block.codeEl?.replaceWith(view);
    block.codeEl = view;
    append(block.findings, h('div', { class: 'finding refused' },
      h('p', { class: 'finding-title' }, icon('alert'), 'The validator refused this code'),
      h('ul', { class: 'violations' }, violations.map((v) => h('li', null,
        h('code', { class: 'rule' }, v.rule ?? 'rule'),
        v.line > 0 ? h('span', { class: 'where' }, `line ${v.line}${v.column >= 0 ? `:${v.column}` : ''}`) : null,
        h('span', { class: 'message' }, v.message ?? ''))))));
  }

  execution({ attempt, success, stdout, error, execution_time: seconds, cached }) {
    const block = this.attemptBlock(attempt);
    if (success) {
      this.setOutcome(block, 'ok', cached ? 'ran (cached result)' : `ran in ${formatSeconds(seconds)}`);
    } else {
      this.setStep('executing', 'failed');
      this.setOutcome(block, 'failed', 'failed');
      append(block.findings, h('div', { class: 'finding failed' },
        h('p', { class: 'finding-title' }, icon('alert'), 'The code raised an error'),
        h('pre', { class: 'error-text' }, error ?? 'The code failed.')));
    }
    if (stdout) {
      append(block.findings, h('details', { class: 'stdout' }, h('summary', null, 'Printed output'),
        h('pre', { class: 'text-result' }, stdout)));
    }
  }

  /** What the executed code computes, in plain words (set as text). */
  reading({ text }) {
    if (typeof text !== 'string' || !text.trim()) return;
    this.readingBox.hidden = false;
    replaceChildren(this.readingBox, h('span', { class: 'reading-label' }, 'Reading'), ' ', text.trim());
  }

  result({ result, truncated }) {
    this.resultBox.hidden = false;
    replaceChildren(this.resultBox, h('h3', null, icon('table'), 'Result'), renderResult(result, { truncated }));
  }

  chart({ mime, data, width, height, spec }) {
    if (!IMAGE_TYPES.has(mime) || typeof data !== 'string' || !BASE64.test(data)) return;
    const img = this.chartImage(width, height, spec);
    img.src = `data:${mime};base64,${data}`;
  }

  /** The chart's image, in a figure that becomes interactive when `spec` (or its promise) gives a drawable spec. */
  chartImage(width, height, spec) {
    this.charts += 1;
    this.chartBox.hidden = false;
    const label = `Chart ${this.charts} drawn by the analysis`;
    const img = h('img', { class: 'chart', alt: label,
      width: width > 0 ? width : null, height: height > 0 ? height : null, loading: 'lazy' });
    append(this.chartBox, chartFigure(img, spec, label));
    return img;
  }

  /** A chart stored with its answer, loaded from the service (with the API key, when one is used). */
  storedChart({ mime, width, height, href }) {
    if (!IMAGE_TYPES.has(mime) || typeof href !== 'string') return;
    const img = this.chartImage(width, height, chartSpec(href));
    chartImageUrl(href).then((url) => {
      if (url) img.src = url;
      else img.replaceWith(h('p', { class: 'note' }, 'This chart could not be loaded.'));
    });
  }

  interpretation({ delta, reset }) {
    this.interpretationBox.hidden = false;
    this.interpretationBox.classList.add('streaming');
    if (reset) {
      this.interpretationText = '';
      this.interpretationTextEl.textContent = '';
      this.revisedNote.hidden = false;
    }
    if (delta) {
      this.interpretationText += delta;
      this.interpretationTextEl.append(document.createTextNode(delta));
    }
  }

  setInterpretation(text) {
    if (!text) return;
    this.interpretationBox.hidden = false;
    if (text !== this.interpretationText) {
      this.interpretationText = text;
      this.interpretationTextEl.textContent = text;
    }
  }

  /** The analyst asks back: its question, and each option as a button that asks that option as it is. */
  clarification({ question, options = [] }) {
    this.el.dataset.clarification = 'true';
    this.stepper.hidden = true;
    this.problemBox.hidden = false;
    this.problemBox.classList.add('clarification');
    const buttons = (Array.isArray(options) ? options : []).filter((q) => typeof q === 'string' && q.trim())
      .slice(0, 5).map((q) => h('button', { type: 'button', class: 'chip clarification-option',
        onclick: () => this.onAsk?.(q) }, q));
    replaceChildren(this.problemBox,
      h('p', { class: 'clarification-question' }, icon('spark'), String(question ?? 'Which do you mean?')),
      buttons.length ? h('div', { class: 'chip-row', role: 'group', 'aria-label': 'Which do you mean?' }, buttons) : null);
  }

  done(answer) {
    this.el.dataset.state = 'done';
    this.codeBox.open = false;
    if (answer.clarification) {
      if (this.el.dataset.clarification !== 'true') this.clarification(answer.clarification);
      this.live.textContent = 'The analyst asks which reading you mean.';
      this.footer(answer);
      return;
    }
    STAGES.forEach(([s]) => this.setStep(s, 'done'));
    this.interpretationBox.classList.remove('streaming');
    if (this.resultBox.hidden && answer.raw_result !== undefined) this.result({ result: answer.raw_result });
    this.setInterpretation(answer.interpretation);
    if (this.readingBox.hidden && answer.reading) this.reading({ text: answer.reading });
    this.live.textContent = 'Answered.';
    this.grounding(answer.grounding);
    this.footer(answer);
  }

  /** The service replaces an explanation whose numbers the result does not support by a summary of the result. */
  grounding(grounding) {
    if (!grounding || grounding.ok || !(grounding.ungrounded?.length > 0)) return;
    this.revisedNote.hidden = false;
    replaceChildren(this.revisedNote, icon('alert'), `The model's explanation stated numbers that are not in the result `
      + `(${grounding.ungrounded.join(', ')}), so this summary was written from the result itself.`);
  }

  footer(answer) {
    const attempts = Array.isArray(answer.attempts) ? answer.attempts.length : answer.attempts;
    const usage = answer.usage ?? {};
    const parts = [
      answer.execution_time > 0 ? `executed in ${formatSeconds(answer.execution_time)}` : null,
      attempts > 1 ? plural(attempts, 'attempt') : null,
      usage.total_tokens > 0 ? `${formatCount(usage.total_tokens)} tokens` : null,
      [usage.analyst, usage.model].filter(Boolean).join(' · ') || null,
    ].filter(Boolean);
    replaceChildren(this.meta, parts.join(' · '), this.downloads(answer));
  }

  /** Links to the answer's code, and to its table as CSV and XLSX when the result is a table. */
  downloads(answer) {
    const id = answer.conversation_id ?? answer.id;
    if (!this.sessionId || !id || answer.error || !answer.generated_code) return null;
    const type = answer.raw_result?.type;
    const table = type === 'dataframe' || type === 'series' || type === 'omitted';
    const link = (file, label) => h('a', { class: 'download-link', href: interactionUrl(this.sessionId, id, file),
      download: file }, label);
    return h('span', { class: 'downloads' }, ' · ', link('code.py', 'code.py'),
      table ? [' · ', link('result.csv', 'result.csv'), ' · ', link('result.xlsx', 'result.xlsx')] : null);
  }

  error(problem) {
    this.el.dataset.state = 'failed';
    if (this.stage && this.steps.get(this.stage).dataset.state === 'active') this.setStep(this.stage, 'failed');
    this.interpretationBox.classList.remove('streaming');
    this.live.textContent = 'The analysis failed.';
    if (Array.isArray(problem.suggestions) || Array.isArray(problem.unrecognized)) this.declined(problem);
    else this.problem(problem.title ?? 'The analysis could not be completed', problem.detail);
  }

  problem(title, detail) {
    this.problemBox.hidden = false;
    replaceChildren(this.problemBox, h('p', { class: 'problem-title' }, icon('alert'), title),
      detail ? h('p', { class: 'problem-detail' }, detail) : null);
  }

  /** A question the analyst declined: its reason in one line, then the questions it can answer, as chips. */
  declined({ detail, title, suggestions = [] }) {
    this.el.dataset.declined = 'true';
    this.problemBox.hidden = false;
    this.problemBox.classList.add('declined');
    const reason = String(detail || title || 'The question was not understood.').replace(/\s+/g, ' ').trim();
    const chips = (Array.isArray(suggestions) ? suggestions : []).filter((q) => typeof q === 'string' && q.trim())
      .slice(0, 6).map((q) => h('button', { type: 'button', class: 'chip suggestion',
        onclick: () => this.onAsk?.(q) }, q));
    replaceChildren(this.problemBox, h('p', { class: 'problem-reason', title: reason }, icon('alert'), reason),
      chips.length ? h('div', { class: 'chip-row', role: 'group', 'aria-label': 'Questions you can ask instead' },
        chips) : null);
  }

  stopped() {
    this.el.dataset.state = 'stopped';
    if (this.stage) this.setStep(this.stage, 'stopped');
    this.interpretationBox.classList.remove('streaming');
    this.live.textContent = 'Stopped.';
    this.problemBox.hidden = false;
    this.problemBox.classList.add('info');
    replaceChildren(this.problemBox, h('p', { class: 'problem-title' }, icon('stop'), 'Stopped'),
      h('p', { class: 'problem-detail' }, 'You stopped this analysis; the service cancelled it.'));
  }

  /** A stored interaction from the session's history. */
  static fromHistory(entry, sessionId = null, onAsk = null) {
    const turn = new Turn(entry.question ?? '', { stored: true, sessionId, onAsk });
    for (const a of entry.attempts ?? []) {
      turn.code({ attempt: a.attempt, code: a.code ?? '' });
      if (a.validation) turn.validation({ attempt: a.attempt, ...a.validation });
      if (a.execution) turn.execution({ attempt: a.attempt, ...a.execution });
    }
    for (const block of turn.attempts.values()) block.details.open = false;
    if (entry.reading) turn.reading({ text: entry.reading });
    if (entry.raw_result !== undefined && entry.raw_result !== null) turn.result({ result: entry.raw_result });
    if (Array.isArray(entry.charts)) {
      for (const chart of entry.charts) {
        if (chart?.href) turn.storedChart(chart);
      }
    } else if (entry.charts > 0) {
      turn.chartBox.hidden = false;
      append(turn.chartBox, h('p', { class: 'note' },
        `${plural(entry.charts, 'chart')} drawn; charts are not kept in the history, ask again to see them.`));
    }
    if (entry.clarification) turn.clarification(entry.clarification);
    turn.setInterpretation(entry.interpretation);
    turn.grounding(entry.grounding);
    if (entry.error) {
      turn.el.dataset.state = 'failed';
      const problem = entry.problem ?? {};
      if (Array.isArray(problem.suggestions) || Array.isArray(problem.unrecognized)) {
        turn.declined({ ...problem, detail: entry.error });
      } else {
        turn.problem(problem.title ?? 'The analysis could not be completed', entry.error);
      }
    }
    turn.footer(entry);
    if (entry.started_at) turn.meta.prepend(h('time', { datetime: entry.started_at }, formatWhen(entry.started_at)),
      turn.meta.textContent ? ' · ' : '');
    return turn;
  }
}
