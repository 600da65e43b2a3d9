// The page: upload, the session list, the dataset view and the conversation, wired to the public API only.
import * as api from './api.js';
import { datasetsOf, datasetView } from './dataset.js';
import { h, icon, replaceChildren } from './dom.js';
import { formatBytes } from './format.js';
import { renderSessionList, sessionHref } from './sessions.js';
import { awaitInsights, insightItems } from './insights.js';
import { fallbackSuggestions } from './suggestions.js';
import { sourcePanel } from './sources.js';
import { Turn } from './turn.js';
import { PlanTurn } from './plan.js';
import { pinButton, sessionTools } from './board.js';
import { evaluateTool, verifyButtons } from './verify.js';
import { sharedToken, showShared } from './shared.js';

/** The token of a share link when the page is one (/shared/{token}): then it is read-only. */
const SHARED = sharedToken();

const $ = (id) => document.getElementById(id);
const ui = {
  main: $('main'), sidebar: $('sidebar'), scrim: $('scrim'), toggle: $('sessions-toggle'), sessionList: $('session-list'),
  fileInput: $('file-input'), welcomeFile: $('welcome-file'), welcome: $('welcome'), uploadStatus: $('upload-status'),
  sessionView: $('session-view'), datasetSlot: $('dataset-slot'), suggestions: $('suggestions'),
  chips: $('suggestion-chips'), conversation: $('conversation'), composer: $('composer'), question: $('question'), mode: $('mode'),
  batchMode: $('batch-mode'),
  insights: $('insights'), insightsNote: $('insights-note'), insightList: $('insight-list'),
  send: $('send'), stop: $('stop'), overlay: $('drop-overlay'), announcer: $('announcer'), sessionsNote: $('sessions-note'),
};

const state = {
  session: null, // the session view shown (GET /api/session/{id} or the upload's answer)
  selected: 0, // the dataset shown
  run: null, // { controller, turn } while an analysis streams
  upload: null, // AbortController of a running upload
  sessions: [],
  total: 0,
};

const announce = (text) => { ui.announcer.textContent = text; };

// the owner's tools (dashboard, share) above the dataset, and the dashboard beside the conversation
const toolsSlot = h('div', { id: 'tools-slot' });
const dashboardEl = h('section', { id: 'dashboard', class: 'dashboard', 'aria-label': 'Dashboard', hidden: true });
ui.datasetSlot.before(toolsSlot);
ui.conversation.after(dashboardEl);

/** Adds a "Pin to dashboard" button to a turn whose answer ran code. */
function withPin(turn, answer, id) {
  const interaction = answer?.conversation_id ?? answer?.id;
  if (interaction && !answer.error && answer.generated_code) {
    turn.meta.append(' · ', pinButton(id, interaction, announce),
      ' · ', verifyButtons(id, interaction, state.session?.marks?.[interaction], announce));
  }
  return turn;
}
const currentId = () => state.session?.session_id ?? null;

// ---- routing: #/session/{id} ------------------------------------------------------------------------------------

function route() {
  const m = /^#\/session\/([^/?#]+)$/.exec(location.hash);
  if (m) openSession(decodeURIComponent(m[1]));
  else showWelcome();
}

function showWelcome() {
  stopRun();
  state.session = null;
  ui.welcome.hidden = false;
  ui.sessionView.hidden = true;
  ui.composer.hidden = true;
  document.body.classList.remove('has-session');
  document.title = 'LLM Analytics';
  renderSessions();
}

async function openSession(id) {
  if (id === currentId()) return;
  stopRun();
  closeDrawer();
  if (!state.upload) hideUploadStatus();
  ui.welcome.hidden = true;
  ui.sessionView.hidden = false;
  ui.composer.hidden = true;
  replaceChildren(ui.datasetSlot, h('div', { class: 'card loading', role: 'status' }, 'Opening the session…'));
  replaceChildren(ui.conversation);
  ui.suggestions.hidden = true;
  ui.insights.hidden = true;
  try {
    const session = await api.getSession(id);
    if (location.hash !== sessionHref(id)) return; // the user went elsewhere meanwhile
    showSession(session);
  } catch (e) {
    replaceChildren(ui.datasetSlot, problemCard(e.problem?.status === 404 ? 'This session no longer exists'
      : e.problem?.title ?? 'The session cannot be opened', e.problem?.detail ?? e.message));
    state.session = null;
    refreshSessions();
  }
}

function showSession(session) {
  stopRun();
  state.session = session;
  state.selected = Math.max(0, datasetsOf(session).findIndex((d) => d.default));
  ui.welcome.hidden = true;
  ui.sessionView.hidden = false;
  ui.composer.hidden = false;
  document.body.classList.add('has-session');
  document.title = `${session.file_name ?? 'Session'} · LLM Analytics`;
  // with a conversation to read, the columns and sample start folded
  renderDataset({ compact: (session.history ?? []).length > 0 });
  replaceChildren(ui.conversation, (session.history ?? []).map((entry) =>
    entry.analysis ? PlanTurn.fromHistory(entry, ask).el
      : withPin(Turn.fromHistory(entry, session.session_id, ask), entry, session.session_id).el));
  ui.conversation.hidden = false;
  dashboardEl.hidden = true;
  replaceChildren(toolsSlot, sessionTools({ sessionId: session.session_id, conversationEl: ui.conversation,
    dashboardEl, announce }), evaluateTool(session.session_id, announce));
  renderSuggestions(session);
  renderInsights(session);
  renderSessions();
  setRunning(false);
}

function renderDataset({ focus = false, compact = false } = {}) {
  replaceChildren(ui.datasetSlot, datasetView(state.session, state.selected, (index, options) => {
    state.selected = index;
    renderDataset(options);
  }, { compact, onAdd: addDataset, onRefresh: refreshDataset }));
  if (focus) document.getElementById(`dataset-tab-${state.selected}`)?.focus();
}

async function renderSuggestions(session) {
  const id = session.session_id;
  const dataset = datasetsOf(session).find((d) => d.default) ?? datasetsOf(session)[0];
  let questions = await api.getSuggestions(id);
  if (id !== currentId()) return;
  if (questions.length === 0) questions = fallbackSuggestions(dataset);
  replaceChildren(ui.chips, questions.slice(0, 6).map((q) => h('button', {
    type: 'button', class: 'chip', disabled: state.run != null, onclick: () => ask(q),
  }, q)));
  ui.suggestions.hidden = questions.length === 0;
}

async function renderInsights(session) {
  const id = session.session_id;
  replaceChildren(ui.insightList);
  ui.insightsNote.textContent = 'Looking for insights in the data…';
  ui.insights.hidden = false;
  const answer = await awaitInsights(() => api.getInsights(id), () => id === currentId());
  if (id !== currentId()) return;
  const insights = answer?.status === 'ready' ? answer.insights ?? [] : [];
  replaceChildren(ui.insightList, insightItems(insights, ask, state.run != null));
  ui.insightsNote.textContent = answer == null ? ''
    : answer.status === 'failed' ? `No insights: ${answer.detail ?? 'they could not be computed.'}`
      : answer.status === 'pending' ? 'The insights are still being computed; reopen the session to see them.'
        : insights.length === 0 ? 'Nothing stands out in this data.' : '';
  ui.insightsNote.hidden = ui.insightsNote.textContent === '';
  ui.insights.hidden = answer == null;
}

// ---- the session list -------------------------------------------------------------------------------------------

const LIST_LIMIT = 100;

async function refreshSessions() {
  try {
    const page = await api.listSessions(LIST_LIMIT, 0);
    state.sessions = page.sessions ?? [];
    state.total = page.total ?? state.sessions.length;
  } catch {
    state.sessions = state.sessions ?? [];
  }
  renderSessions();
}

function renderSessions() {
  renderSessionList(ui.sessionList, state.sessions, currentId(), { onDelete: removeSession, onOpen: closeDrawer });
  ui.sessionsNote.hidden = !(state.total > state.sessions.length);
  ui.sessionsNote.textContent = `The newest ${state.sessions.length} of ${state.total} sessions.`;
}

async function removeSession(session) {
  try {
    await api.deleteSession(session.session_id);
  } catch (e) {
    if (e.problem?.status !== 404) {
      announce(`The session could not be deleted: ${e.problem?.detail ?? e.message}`);
      throw e;
    }
  }
  state.sessions = state.sessions.filter((s) => s.session_id !== session.session_id);
  announce(`Deleted ${session.file_name ?? 'the session'}.`);
  if (session.session_id === currentId()) {
    state.session = null;
    location.hash = '';
  } else {
    renderSessions();
  }
  const next = ui.sessionList.querySelector('.session-link');
  if (next) next.focus();
  else ui.fileInput.focus();
  refreshSessions();
}

// ---- upload -----------------------------------------------------------------------------------------------------

async function uploadFile(file) {
  if (!file) return;
  state.upload?.abort();
  const controller = new AbortController();
  state.upload = controller;
  const bar = h('progress', { max: '100', value: '0', 'aria-label': `Uploading ${file.name}` });
  const label = h('span', { class: 'upload-label', role: 'status' }, `Uploading ${file.name}`);
  const figure = h('span', { class: 'upload-figure' }, formatBytes(file.size));
  const cancel = h('button', { type: 'button', class: 'button ghost small', onclick: () => controller.abort() }, 'Cancel');
  showUploadStatus(h('div', { class: 'upload-card card' },
    h('div', { class: 'upload-row' }, icon('upload'), label, figure, cancel), bar));
  try {
    const created = await api.upload(file, (fraction) => {
      const percent = Math.round(fraction * 100);
      bar.value = percent;
      figure.textContent = `${percent} % of ${formatBytes(file.size)}`;
      if (fraction >= 1) {
        label.textContent = `Reading and profiling ${file.name}…`;
        bar.removeAttribute('value');
        cancel.hidden = true;
      }
    }, controller.signal);
    hideUploadStatus();
    state.sessions = [summaryOf(created), ...state.sessions.filter((s) => s.session_id !== created.session_id)];
    showSession({ ...created, history: [] });
    location.hash = sessionHref(created.session_id);
    announce(created.message ?? `Loaded ${file.name}.`);
    ui.question.focus();
    refreshSessions();
  } catch (e) {
    if (e.name === 'AbortError') {
      hideUploadStatus();
      return;
    }
    const problem = e.problem ?? {};
    const dismiss = h('button', { type: 'button', class: 'icon-button', 'aria-label': 'Dismiss', onclick: hideUploadStatus },
      icon('close'));
    showUploadStatus(h('div', { class: 'problem upload-problem', role: 'alert' },
      h('div', { class: 'problem-head' }, h('p', { class: 'problem-title' }, icon('alert'),
        `${file.name} was not accepted: ${problem.title ?? 'upload refused'}`), dismiss),
      h('p', { class: 'problem-detail' }, problem.detail ?? e.message)));
  } finally {
    if (state.upload === controller) state.upload = null;
  }
}

/** Adds a file's datasets to the open session, then shows the session again with them. */
async function addDataset(file) {
  const id = currentId();
  if (!id || !file) return;
  showUploadStatus(h('div', { class: 'upload-card card' }, h('div', { class: 'upload-row' }, icon('upload'),
    h('span', { class: 'upload-label', role: 'status' }, `Adding ${file.name} to the session…`))));
  try {
    const added = await api.addDataset(id, file);
    const session = await api.getSession(id);
    hideUploadStatus();
    if (id !== currentId()) return;
    const selected = datasetsOf(session).findIndex((d) => d.name === added.datasets?.[0]?.name);
    showSession(session);
    if (selected >= 0) {
      state.selected = selected;
      renderDataset();
    }
    announce(added.message ?? `Added ${file.name}.`);
  } catch (e) {
    const problem = e.problem ?? {};
    const dismiss = h('button', { type: 'button', class: 'icon-button', 'aria-label': 'Dismiss', onclick: hideUploadStatus },
      icon('close'));
    showUploadStatus(h('div', { class: 'problem upload-problem', role: 'alert' },
      h('div', { class: 'problem-head' }, h('p', { class: 'problem-title' }, icon('alert'),
        `${file.name} was not added: ${problem.title ?? 'refused'}`), dismiss),
      h('p', { class: 'problem-detail' }, problem.detail ?? e.message)));
  }
}

/** Re-imports a dataset from its source, then shows the session again. */
async function refreshDataset(name) {
  const id = currentId();
  if (!id) return;
  showUploadStatus(h('div', { class: 'upload-card card' }, h('div', { class: 'upload-row' }, icon('upload'),
    h('span', { class: 'upload-label', role: 'status' }, `Importing ${name} again from its source…`))));
  try {
    const refreshed = await api.refreshDataset(id, name);
    const session = await api.getSession(id);
    hideUploadStatus();
    if (id !== currentId()) return;
    const selected = datasetsOf(session).findIndex((d) => d.name === name);
    showSession(session);
    if (selected >= 0) {
      state.selected = selected;
      renderDataset();
    }
    announce(refreshed.message ?? `Refreshed ${name}.`);
  } catch (e) {
    const problem = e.problem ?? {};
    const dismiss = h('button', { type: 'button', class: 'icon-button', 'aria-label': 'Dismiss', onclick: hideUploadStatus },
      icon('close'));
    showUploadStatus(h('div', { class: 'problem upload-problem', role: 'alert' },
      h('div', { class: 'problem-head' }, h('p', { class: 'problem-title' }, icon('alert'),
        `${name} was not refreshed: ${problem.title ?? 'refused'}`), dismiss),
      h('p', { class: 'problem-detail' }, problem.detail ?? e.message)));
  }
}

// ---- database sources -------------------------------------------------------------------------------------------

if (!SHARED) $('source-slot').append(sourcePanel({
  currentId,
  onCreated: (created) => {
    state.sessions = [summaryOf(created), ...state.sessions.filter((s) => s.session_id !== created.session_id)];
    showSession({ ...created, history: [] });
    location.hash = sessionHref(created.session_id);
    announce(created.message ?? 'Imported.');
    refreshSessions();
  },
  onAdded: async (id, added) => {
    const session = await api.getSession(id);
    if (id !== currentId()) return;
    const selected = datasetsOf(session).findIndex((d) => d.name === added.datasets?.[0]?.name);
    showSession(session);
    if (selected >= 0) {
      state.selected = selected;
      renderDataset();
    }
    announce(added.message ?? 'Added.');
  },
}));

function summaryOf(created) {
  const info = created.data_info ?? {};
  return { session_id: created.session_id, created_at: created.created_at, file_name: created.file_name,
    format: created.format, rows: info.rows, columns: info.columns,
    datasets: (created.datasets ?? []).map((d) => d.name), interactions: 0 };
}

function showUploadStatus(content) {
  ui.uploadStatus.hidden = false;
  replaceChildren(ui.uploadStatus, content);
}

function hideUploadStatus() {
  ui.uploadStatus.hidden = true;
  replaceChildren(ui.uploadStatus);
}

for (const input of [ui.fileInput, ui.welcomeFile]) {
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    input.value = '';
    closeDrawer();
    uploadFile(file);
  });
}

// drag and drop anywhere on the page
let dragDepth = 0;
const hasFiles = (e) => !SHARED && [...(e.dataTransfer?.types ?? [])].includes('Files');
window.addEventListener('dragenter', (e) => {
  if (!hasFiles(e)) return;
  e.preventDefault();
  dragDepth += 1;
  ui.overlay.hidden = false;
});
window.addEventListener('dragover', (e) => {
  if (!hasFiles(e)) return;
  e.preventDefault();
  e.dataTransfer.dropEffect = 'copy';
});
window.addEventListener('dragleave', (e) => {
  if (!hasFiles(e)) return;
  dragDepth = Math.max(0, dragDepth - 1);
  if (dragDepth === 0) ui.overlay.hidden = true;
});
window.addEventListener('drop', (e) => {
  if (!hasFiles(e)) return;
  e.preventDefault();
  dragDepth = 0;
  ui.overlay.hidden = true;
  uploadFile(e.dataTransfer.files?.[0]);
});

// ---- asking -----------------------------------------------------------------------------------------------------

function nearBottom() {
  return window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 160;
}

async function ask(text, forcedMode = null) {
  const question = text.trim();
  const id = currentId();
  if (!question || state.run || !id) return;
  const mode = forcedMode ?? ui.mode?.value ?? 'answer';
  const turn = mode === 'answer' ? new Turn(question, { sessionId: id, onAsk: ask })
    : new PlanTurn(question, mode, { onAsk: ask });
  ui.conversation.append(turn.el);
  turn.el.scrollIntoView({ block: 'start', behavior: 'smooth' });
  const controller = new AbortController();
  state.run = { controller, turn };
  setRunning(true);
  ui.question.value = '';
  autosize();
  let answer = null;
  try {
    await api.analyze(id, question, (name, data) => {
      const follow = nearBottom();
      if (name === 'done') answer = data;
      turn.handle(name, data);
      if (follow) window.scrollTo({ top: document.documentElement.scrollHeight });
    }, controller.signal, false, mode);
  } catch (e) {
    if (e.name === 'AbortError') turn.stopped();
    else turn.error(e.problem ?? { title: 'The analysis failed', detail: e.message });
  } finally {
    if (state.run?.controller === controller) {
      state.run = null;
      setRunning(false);
    }
  }
  if (turn.state === 'done' && turn instanceof Turn) withPin(turn, answer, id);
  announce(turn.state === 'done' ? 'The answer is ready.' : turn.state === 'stopped' ? 'Stopped.' : 'The analysis failed.');
  if (id === currentId()) {
    const summary = state.sessions.find((s) => s.session_id === id);
    if (summary && turn.state === 'done') summary.interactions = (summary.interactions ?? 0) + 1;
    renderSessions();
  }
}

function stopRun() {
  if (state.run) {
    state.run.controller.abort();
    state.run = null;
  }
  setRunning(false);
}

function setRunning(running) {
  ui.send.hidden = running;
  ui.stop.hidden = !running;
  ui.composer.dataset.running = String(running);
  for (const chip of ui.chips.querySelectorAll('button')) chip.disabled = running;
  for (const button of ui.insightList.querySelectorAll('button')) button.disabled = running;
}

function autosize() {
  ui.question.style.height = '';
  if (ui.question.value) ui.question.style.height = `${Math.min(ui.question.scrollHeight, 200)}px`;
}

/** Several questions at once, one per line: each gets its own turn, filled as its events arrive. */
async function askBatch(text) {
  const questions = text.split('\n').map((q) => q.trim()).filter(Boolean);
  const id = currentId();
  if (questions.length === 0 || state.run || !id) return;
  if (questions.length === 1) {
    ask(questions[0]);
    return;
  }
  const turns = questions.map((q) => new Turn(q, { sessionId: id, onAsk: ask }));
  const answers = new Map();
  for (const turn of turns) ui.conversation.append(turn.el);
  turns[0].el.scrollIntoView({ block: 'start', behavior: 'smooth' });
  const controller = new AbortController();
  state.run = { controller, turn: turns[0] };
  setRunning(true);
  ui.question.value = '';
  autosize();
  try {
    await api.analyzeBatch(id, questions, (name, data) => {
      if (name === 'batch_done' || typeof data.index !== 'number') return;
      const turn = turns[data.index];
      if (!turn) return;
      if (name === 'done') answers.set(data.index, data);
      turn.handle(name, data);
    }, controller.signal);
  } catch (e) {
    for (const turn of turns) {
      if (turn.state !== 'running') continue;
      if (e.name === 'AbortError') turn.stopped();
      else turn.error(e.problem ?? { title: 'The analysis failed', detail: e.message });
    }
  } finally {
    if (state.run?.controller === controller) {
      state.run = null;
      setRunning(false);
    }
  }
  turns.forEach((turn, i) => {
    if (turn.state === 'done' && !answers.get(i)?.clarification) withPin(turn, answers.get(i), id);
  });
  const answered = turns.filter((t) => t.state === 'done').length;
  announce(`${answered} of ${turns.length} questions answered.`);
  if (id === currentId()) {
    const summary = state.sessions.find((s) => s.session_id === id);
    if (summary) summary.interactions = (summary.interactions ?? 0) + answered;
    renderSessions();
  }
}

function submitQuestion() {
  if (ui.batchMode?.checked) askBatch(ui.question.value);
  else ask(ui.question.value);
}

ui.composer.addEventListener('submit', (e) => {
  e.preventDefault();
  submitQuestion();
});
ui.question.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && !e.altKey && !e.ctrlKey && !e.metaKey) {
    e.preventDefault();
    if (!state.run) submitQuestion();
  }
});
ui.question.addEventListener('input', autosize);
ui.stop.addEventListener('click', () => {
  state.run?.controller.abort();
  ui.question.focus();
});
document.addEventListener('keydown', (e) => {
  if (e.key !== 'Escape') return;
  if (state.run) state.run.controller.abort();
  else if (ui.sidebar.classList.contains('open')) {
    closeDrawer();
    ui.toggle.focus();
  }
});

// ---- the session drawer on narrow screens -----------------------------------------------------------------------

function openDrawer() {
  ui.sidebar.classList.add('open');
  ui.scrim.hidden = false;
  ui.toggle.setAttribute('aria-expanded', 'true');
  ui.toggle.setAttribute('aria-label', 'Hide sessions');
  ui.sidebar.querySelector('.upload-button input')?.focus();
}

function closeDrawer() {
  if (!ui.sidebar.classList.contains('open')) return;
  ui.sidebar.classList.remove('open');
  ui.scrim.hidden = true;
  ui.toggle.setAttribute('aria-expanded', 'false');
  ui.toggle.setAttribute('aria-label', 'Show sessions');
}

ui.toggle.addEventListener('click', () => (ui.sidebar.classList.contains('open') ? closeDrawer() : openDrawer()));
ui.scrim.addEventListener('click', closeDrawer);

function problemCard(title, detail) {
  return h('div', { class: 'problem card', role: 'alert' }, h('p', { class: 'problem-title' }, icon('alert'), title),
    detail ? h('p', { class: 'problem-detail' }, detail) : null);
}

if (SHARED) {
  showShared(SHARED, ui);
} else {
  window.addEventListener('hashchange', route);
  route();
  refreshSessions();
}
