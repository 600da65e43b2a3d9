// The public HTTP API of the service, as a frontend consumes it. Failures are thrown as ApiError carrying the
// server's RFC 9457 problem (title, status, detail).
import { readEvents } from './sse.js';

export class ApiError extends Error {
  constructor(problem) {
    super(problem.detail || problem.title || 'Request failed');
    this.problem = problem;
    this.status = problem.status;
  }
}

async function problemOf(response) {
  const fallback = { title: response.statusText || 'Request failed', status: response.status };
  try {
    const body = await response.json();
    return { ...fallback, ...body };
  } catch {
    return { ...fallback, detail: `The server answered ${response.status} ${response.statusText}.` };
  }
}

// API keys: when the service answers 401 (keys configured), ask for a key once, keep it for this tab only
// (sessionStorage) and send it as a Bearer token from then on. In open mode nothing is asked or sent.
const KEY_ITEM = 'llm-analytics.api-key';

function authHeaders() {
  const key = sessionStorage.getItem(KEY_ITEM);
  return key ? { Authorization: `Bearer ${key}` } : {};
}

/** After a 401: asks for a key; true when one was entered (the caller then tries once more). */
function askForKey() {
  const key = window.prompt('This service needs an API key. Enter your key:')?.trim();
  if (!key) return false;
  sessionStorage.setItem(KEY_ITEM, key);
  return true;
}

async function json(url, options = {}, retried = false) {
  let response;
  try {
    response = await fetch(url, { ...options, headers: { Accept: 'application/json', ...authHeaders(), ...options.headers } });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError({ title: 'The service cannot be reached', detail: 'Check that the service is running.' });
  }
  if (response.status === 401 && !retried && askForKey()) return json(url, options, true);
  if (!response.ok) throw new ApiError(await problemOf(response));
  return response.status === 204 ? null : response.json();
}

const session = (id) => `/api/session/${encodeURIComponent(id)}`;

export const getSession = (id) => json(session(id));
export const listSessions = (limit = 100, offset = 0) => json(`/api/sessions?limit=${limit}&offset=${offset}`);
export const deleteSession = (id) => json(session(id), { method: 'DELETE' });

/** Example questions for a session, or [] when the service does not offer them. */
export async function getSuggestions(id) {
  try {
    const body = await json(`${session(id)}/suggestions`);
    const list = Array.isArray(body) ? body : body?.suggestions ?? body?.questions ?? [];
    return list.map((s) => (typeof s === 'string' ? s : s?.question ?? s?.text)).filter((s) => typeof s === 'string');
  } catch {
    return [];
  }
}

/** The session's automatic insights: {status: ready|pending|failed, insights: [...], detail?}. */
export const getInsights = (id) => json(`${session(id)}/insights`);

/**
 * Uploads a file (multipart field `file`) with progress: `onProgress(fraction)` while the body is sent, then
 * `onProgress(1)` once it is all sent and the server reads it. Resolves with the new session.
 */
export function upload(file, onProgress, signal, retried = false) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/session/create');
    xhr.setRequestHeader('Accept', 'application/json');
    Object.entries(authHeaders()).forEach(([name, value]) => xhr.setRequestHeader(name, value));
    xhr.responseType = 'text';
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    });
    xhr.upload.addEventListener('load', () => onProgress(1));
    xhr.addEventListener('load', () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch { /* not JSON */ }
      if (xhr.status === 401 && !retried && askForKey()) resolve(upload(file, onProgress, signal, true));
      else if (xhr.status >= 200 && xhr.status < 300 && body) resolve(body);
      else reject(new ApiError({ title: xhr.statusText || 'Upload refused', status: xhr.status,
        detail: `The server answered ${xhr.status}.`, ...(body ?? {}) }));
    });
    xhr.addEventListener('error', () => reject(new ApiError({ title: 'Upload failed',
      detail: 'The connection to the service was lost during the upload.' })));
    xhr.addEventListener('abort', () => reject(new DOMException('Upload cancelled', 'AbortError')));
    signal?.addEventListener('abort', () => xhr.abort());
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}

/** Adds a file's datasets (multipart field `file`) to a session. Resolves with the new datasets and join keys. */
export function addDataset(id, file) {
  const form = new FormData();
  form.append('file', file, file.name);
  return json(`${session(id)}/datasets`, { method: 'POST', body: form });
}

/** Where the session's exports are: the notebook, and per answer its table (CSV, XLSX) and code. */
export const notebookUrl = (id) => `${session(id)}/notebook`;
/** The session's report, `format` 'html' (one self-contained file) or 'pdf'. */
export const reportUrl = (id, format) => `${session(id)}/report.${format === 'pdf' ? 'pdf' : 'html'}`;
/** A shared session's report, through its link's token (no key). */
export const sharedReportUrl = (token, format) =>
  `/api/shared/${encodeURIComponent(token)}/report.${format === 'pdf' ? 'pdf' : 'html'}`;
/**
 * A stored chart's image as an object URL (fetched with the API key, which an <img src> could not send); null when it
 * cannot be loaded. Only the service's own chart paths are fetched.
 */
export async function chartImageUrl(href) {
  if (typeof href !== 'string'
    || !/^\/api\/(session|shared)\/[^/?#]+\/interactions\/[^/?#]+\/charts\/\d+$/.test(href)) return null;
  try {
    const response = await fetch(href, { headers: { Accept: 'image/*', ...authHeaders() } });
    if (!response.ok) return null;
    const blob = await response.blob();
    return blob.type.startsWith('image/') ? URL.createObjectURL(blob) : null;
  } catch {
    return null;
  }
}

/**
 * A stored chart's interactive form (its Plotly spec, at the chart's href + /spec); null when it has none or it cannot
 * be loaded. Only the service's own chart paths are fetched.
 */
export async function chartSpec(href) {
  if (typeof href !== 'string'
    || !/^\/api\/(session|shared)\/[^/?#]+\/interactions\/[^/?#]+\/charts\/\d+$/.test(href)) return null;
  try {
    const response = await fetch(`${href}/spec`, { headers: { Accept: 'application/json', ...authHeaders() } });
    if (!response.ok || !(response.headers.get('Content-Type') ?? '').startsWith('application/json')) return null;
    return await response.json();
  } catch {
    return null;
  }
}

export const interactionUrl = (id, interaction, file) =>
  `${session(id)}/interactions/${encodeURIComponent(interaction)}/${file}`;

/**
 * Asks a question and calls `onEvent(name, data)` for every event of the stream (status, code, validation, execution,
 * result, chart, interpretation, done, error). Resolves when the stream ends; throws ApiError when the service refuses
 * before streaming, and AbortError when `signal` cancels it (the service then stops the analysis).
 */
export async function analyze(id, question, onEvent, signal, retried = false, mode = 'answer') {
  let response;
  try {
    response = await fetch(`${session(id)}/analyze`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream', ...authHeaders() },
      body: JSON.stringify(mode && mode !== 'answer' ? { question, mode } : { question }),
      signal,
    });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError({ title: 'The service cannot be reached', detail: 'Check that the service is running.' });
  }
  if (response.status === 401 && !retried && askForKey()) return analyze(id, question, onEvent, signal, true, mode);
  if (!response.ok) throw new ApiError(await problemOf(response));
  let terminal = false;
  for await (const { event, data } of readEvents(response.body)) {
    let payload;
    try { payload = JSON.parse(data); } catch { continue; }
    onEvent(event, payload);
    if (event === 'done' || event === 'error') terminal = true;
  }
  if (!terminal) {
    throw new ApiError({ title: 'The answer was cut off',
      detail: 'The connection ended before the analysis finished. Ask again.' });
  }
}

/**
 * Asks several questions at once (POST /batch) and calls `onEvent(name, data)` for every event; each question's events
 * carry its `index`, and `batch_done` ends the stream. Throws as `analyze` does.
 */
export async function analyzeBatch(id, questions, onEvent, signal, retried = false) {
  let response;
  try {
    response = await fetch(`${session(id)}/batch`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream', ...authHeaders() },
      body: JSON.stringify({ questions }),
      signal,
    });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError({ title: 'The service cannot be reached', detail: 'Check that the service is running.' });
  }
  if (response.status === 401 && !retried && askForKey()) return analyzeBatch(id, questions, onEvent, signal, true);
  if (!response.ok) throw new ApiError(await problemOf(response));
  let ended = false;
  for await (const { event, data } of readEvents(response.body)) {
    let payload;
    try { payload = JSON.parse(data); } catch { continue; }
    onEvent(event, payload);
    if (event === 'batch_done') ended = true;
  }
  if (!ended) {
    throw new ApiError({ title: 'The answers were cut off',
      detail: 'The connection ended before every question was answered. Ask again.' });
  }
}

// ---- database sources (named by the operator) -------------------------------------------------------------------

const jsonBody = (body) => ({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

/** The sources: [{name, kind, tables_allowed}]. */
export const listSources = () => json('/api/sources');
/** A source's tables: [{schema, table, columns: [{name, type}], row_estimate}]. */
export const sourceTables = (name) => json(`/api/sources/${encodeURIComponent(name)}/tables`);
/** A new session from `{source, table}` or `{source, query}` (optional `name`). */
export const createFromSource = (request) => json('/api/session/create', jsonBody(request));
/** Adds a dataset from `{source, table}` or `{source, query}` to a session. */
export const addFromSource = (id, request) => json(`${session(id)}/datasets`, jsonBody(request));
/** Re-imports a dataset that came from a source. */
export const refreshDataset = (id, name) =>
  json(`${session(id)}/datasets/${encodeURIComponent(name)}/refresh`, { method: 'POST' });

// ---- share links and dashboards ---------------------------------------------------------------------------------

/** A new read-only link to a session: {id, token, url, expires_at, scope}; `expiresIn` an ISO-8601 duration or null. */
export const createShare = (id, expiresIn = null) =>
  json(`${session(id)}/shares`, jsonBody(expiresIn ? { expires_in: expiresIn } : {}));
/** The session's links, without their tokens: {shares: [{id, created_at, expires_at, expired}]}. */
export const listShares = (id) => json(`${session(id)}/shares`);
export const revokeShare = (id, shareId) =>
  json(`${session(id)}/shares/${encodeURIComponent(shareId)}`, { method: 'DELETE' });

/** What a share link opens (no API key is sent or asked for: the token is the credential). */
export async function getShared(token) {
  let response;
  try {
    response = await fetch(`/api/shared/${encodeURIComponent(token)}`, { headers: { Accept: 'application/json' } });
  } catch {
    throw new ApiError({ title: 'The service cannot be reached', detail: 'Check your connection and reload the page.' });
  }
  if (!response.ok) throw new ApiError(await problemOf(response));
  return response.json();
}

/** Pins an answer to the session's dashboard: {pin_id, interaction_id, question, position}. */
export const pinAnswer = (id, interactionId) => json(`${session(id)}/pins`, jsonBody({ interaction_id: interactionId }));
export const listPins = (id) => json(`${session(id)}/pins`);
export const unpin = (id, pinId) => json(`${session(id)}/pins/${encodeURIComponent(pinId)}`, { method: 'DELETE' });
export const reorderPins = (id, pinIds) =>
  json(`${session(id)}/pins/order`, { ...jsonBody({ pin_ids: pinIds }), method: 'PUT' });
/** Every pinned answer re-run on the current datasets: {items: [{pin_id, question, result, charts, computed_at, error?}]}. */
export const getDashboard = (id) => json(`${session(id)}/dashboard`);

/** Verified answers, feedback and evaluations. */
const interaction = (id, iid) => `${session(id)}/interactions/${encodeURIComponent(iid)}`;
export const verifyAnswer = (id, iid) => json(`${interaction(id, iid)}/verify`, { method: 'POST' });
export const unverifyAnswer = (id, iid) => json(`${interaction(id, iid)}/verify`, { method: 'DELETE' });
export const sendFeedback = (id, iid, rating, comment = null) =>
  json(`${interaction(id, iid)}/feedback`, jsonBody(comment ? { rating, comment } : { rating }));
export const evaluate = (id) => json(`${session(id)}/evaluate`, { method: 'POST', headers: { Accept: 'application/json' } });
const dictionary = (id, name) => `${session(id)}/datasets/${encodeURIComponent(name)}/dictionary`;
/** A dataset's data dictionary: `{dataset, description, columns: {<column>: {description, unit, synonyms, values, draft}}}`. */
export const getDictionary = (id, name) => json(dictionary(id, name));
/** Replaces the entries of the columns given (and the description when given); answers the whole dictionary. */
export const putDictionary = (id, name, body) => json(dictionary(id, name), { ...jsonBody(body), method: 'PUT' });
