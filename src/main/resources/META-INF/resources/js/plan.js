// A multi-step analysis (modes explore, statistics, model) in the conversation: the report on top (findings and the
// next questions as buttons that ask them), then the plan as a checklist that fills as steps finish, each step
// collapsible with its code and result. Everything from the model or the data is set as text.
import { chartImageUrl, chartSpec } from './api.js';
import { chartFigure } from './chart.js';
import { codeBlock } from './code.js';
import { append, h, icon, replaceChildren } from './dom.js';
import { renderResult } from './result.js';

const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

const ENDED_BY = {
  steps: 'The plan was longer than the steps budget; the steps beyond it were not run.',
  wall_time: 'The analysis reached its wall-time budget; the steps not started by then were not run.',
};

export class PlanTurn {
  constructor(question, mode, { onAsk = null } = {}) {
    this.onAsk = onAsk;
    this.mode = mode;
    this.items = new Map();
    this.live = h('p', { class: 'visually-hidden', role: 'status' });
    this.reportBox = h('section', { class: 'report', 'aria-label': 'Report', hidden: true });
    this.planBox = h('ol', { class: 'plan-checklist', 'aria-label': 'Plan' });
    this.chartBox = h('div', { class: 'charts', hidden: true });
    this.charts = 0;
    this.planNote = h('p', { class: 'note plan-status' }, 'Planning…');
    this.problemBox = h('div', { class: 'problem', role: 'alert', hidden: true });
    this.el = h('article', { class: 'turn plan-turn', dataset: { state: 'running', mode } },
      h('div', { class: 'question' }, h('span', { class: 'avatar', 'aria-hidden': 'true' }, 'You'),
        h('p', { class: 'question-text' }, question), h('span', { class: 'mode-badge' }, mode)),
      h('div', { class: 'answer' }, this.live, this.reportBox, this.chartBox, this.problemBox, this.planNote,
        this.planBox));
  }

  get state() {
    return this.el.dataset.state;
  }

  handle(name, data) {
    if (name === 'plan') return this.plan(data);
    if (name === 'report') return this.report(data.report);
    if (name === 'done') return this.done(data);
    if (name === 'error') return this.error(data);
    if (data && Number.isInteger(data.step)) return this.step(name, data);
    return undefined;
  }

  plan({ steps = [] }) {
    replaceChildren(this.planNote, `Plan: ${steps.length} steps`);
    replaceChildren(this.planBox, steps.map((goal, i) => {
      const body = h('div', { class: 'plan-step-body' });
      const details = h('details', { class: 'plan-step' },
        h('summary', null, h('span', { class: 'plan-check', 'aria-hidden': 'true' }), h('span', { class: 'plan-goal' }, String(goal))),
        body);
      const li = h('li', { class: 'plan-item', dataset: { step: String(i + 1), state: 'pending' } }, details);
      this.items.set(i + 1, { li, body, details });
      return li;
    }));
  }

  step(name, data) {
    const item = this.items.get(data.step);
    if (!item) return;
    if (name === 'status' && item.li.dataset.state === 'pending') item.li.dataset.state = 'running';
    if (name === 'code') {
      item.body.querySelector('.code-view')?.remove();
      const view = codeBlock(data.code ?? '');
      view.classList.add('code-view');
      item.body.prepend(view);
    }
    if (name === 'execution' && !data.success) {
      append(item.body, h('p', { class: 'note failed' }, `Attempt ${data.attempt}: ${data.error ?? 'the code failed'}`));
    }
    if (name === 'result') {
      item.li.dataset.state = 'done';
      append(item.body, renderResult(data.result, { truncated: data.truncated }));
      this.live.textContent = `Step ${data.step} done.`;
    }
    if (name === 'chart' && IMAGE_TYPES.has(data.mime) && typeof data.data === 'string' && BASE64.test(data.data)) {
      const img = this.chartImage(item.body, data.width, data.height, data.spec, `Chart of step ${data.step}`);
      img.src = `data:${data.mime};base64,${data.data}`;
    }
    if (name === 'step_failed') {
      item.li.dataset.state = 'failed';
      append(item.body, h('p', { class: 'note failed' }, data.reason ?? 'This step failed.'));
    }
  }

  /** A chart's image in `box`, in a figure that becomes interactive when `spec` (or its promise) is drawable. */
  chartImage(box, width, height, spec, label) {
    const img = h('img', { class: 'chart', alt: label,
      width: width > 0 ? width : null, height: height > 0 ? height : null, loading: 'lazy' });
    append(box, chartFigure(img, spec, label));
    return img;
  }

  /** A chart stored with the analysis, loaded from the service, shown under the report. */
  storedChart({ mime, width, height, href }) {
    if (!IMAGE_TYPES.has(mime) || typeof href !== 'string') return;
    this.charts += 1;
    this.chartBox.hidden = false;
    const img = this.chartImage(this.chartBox, width, height, chartSpec(href), `Chart ${this.charts} drawn by the analysis`);
    chartImageUrl(href).then((url) => {
      if (url) img.src = url;
      else img.replaceWith(h('p', { class: 'note' }, 'This chart could not be loaded.'));
    });
  }

  report({ text, findings = [], next_questions: next = [], ended_by: endedBy } = {}) {
    this.reportBox.hidden = false;
    const buttons = next.filter((q) => typeof q === 'string' && q.trim()).map((q) => h('button',
      { type: 'button', class: 'chip next-question', onclick: () => this.onAsk?.(q, 'answer') }, q));
    replaceChildren(this.reportBox,
      h('h3', null, icon('spark'), 'Report'),
      h('p', { class: 'report-text' }, text ?? ''),
      findings.length ? h('ul', { class: 'findings-list' }, findings.map((f) => h('li', null, String(f)))) : null,
      ENDED_BY[endedBy] ? h('p', { class: 'note budget' }, ENDED_BY[endedBy]) : null,
      buttons.length ? h('div', { class: 'chip-row', role: 'group', 'aria-label': 'Ask next' }, buttons) : null);
  }

  done(answer) {
    for (const [, item] of this.items) {
      if (item.li.dataset.state === 'pending' || item.li.dataset.state === 'running') item.li.dataset.state = 'not-run';
    }
    if (this.reportBox.hidden && answer?.report) this.report(answer.report);
    this.el.dataset.state = 'done';
  }

  error(problem) {
    this.el.dataset.state = 'failed';
    this.problemBox.hidden = false;
    replaceChildren(this.problemBox, h('p', { class: 'problem-title' }, icon('alert'),
      problem.title ?? 'The analysis could not be completed'),
      problem.detail ? h('p', { class: 'problem-detail' }, problem.detail) : null);
  }

  stopped() {
    this.el.dataset.state = 'stopped';
    this.live.textContent = 'Stopped.';
  }

  /** A stored multi-step analysis (a history entry with its `analysis`). */
  static fromHistory(entry, onAsk = null) {
    const a = entry.analysis;
    const turn = new PlanTurn(entry.question ?? '', a.mode ?? 'explore', { onAsk });
    turn.plan({ steps: a.plan ?? [] });
    for (const s of a.steps ?? []) {
      if (s.code) turn.step('code', { step: s.step, code: s.code });
      if (s.status === 'done' && s.result) turn.step('result', { step: s.step, result: s.result });
      if (s.status === 'failed') turn.step('step_failed', { step: s.step, reason: s.error });
    }
    if (a.report) turn.report(a.report);
    for (const chart of Array.isArray(entry.charts) ? entry.charts : []) {
      if (chart?.href) turn.storedChart(chart);
    }
    turn.done(null);
    turn.el.dataset.state = 'stored';
    return turn;
  }
}
