// Shared test data and steps.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const script = JSON.parse(readFileSync(new URL('../fixtures/llm-script.json', import.meta.url), 'utf8'));

/** A question the LLM stub has an answer for (fixtures/llm-script.json). */
export function scripted(question) {
  assert.ok(script.questions[question], `fixtures/llm-script.json has no answer for "${question}"`);
  return question;
}

export const SALES_CSV = `date,category,region,quantity,revenue
2024-01-05,Electronics,North,2,600.0
2024-01-06,Furniture,South,1,150.5
2024-02-11,Electronics,North,1,999.5
2024-02-12,Office,East,10,15.0
2024-03-01,Furniture,West,4,400.0
2024-03-02,Office,East,5,20.0
`;

let counter = 0;
/** A file name no other test (nor an earlier run) uses. */
export function unique(prefix, extension = 'csv') {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}${counter}.${extension}`;
}

/** Creates a session through the API (for scenarios about something else than uploading). */
export async function createSession(t, name, content = SALES_CSV, mimeType = 'text/csv') {
  const response = await t.context.request.post(`${t.base}/api/session/create`, {
    multipart: { file: { name, mimeType, buffer: Buffer.from(content) } },
  });
  assert.equal(response.status(), 201, await response.text());
  return response.json();
}

/** Opens the page on a session. */
export async function openSession(t, id) {
  await t.page.goto(`${t.base}/#/session/${encodeURIComponent(id)}`);
  await t.page.locator('.dataset-title').waitFor();
}

/** Types a question and sends it with Enter; returns the locator of its turn. */
export async function ask(t, question) {
  const turns = t.page.locator('.turn');
  const before = await turns.count();
  await t.page.locator('#question').fill(question);
  await t.page.locator('#question').press('Enter');
  await t.page.waitForFunction((n) => document.querySelectorAll('.turn').length > n, before);
  return turns.nth(before);
}

/** Waits until a turn reaches a final state (done, failed, stopped) and returns that state. */
export async function finished(turn, timeout = 60_000) {
  return eventually(async () => {
    const state = await turn.getAttribute('data-state');
    assert.notEqual(state, 'running', 'the analysis is still running');
    return state;
  }, { timeout });
}

/** Polls `check` until it stops throwing. */
export async function eventually(check, { timeout = 10_000, interval = 50 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, interval));
    }
  }
}

/** The visible texts of the cells of a table (rows of cells), header row first. */
export async function tableTexts(table) {
  return table.evaluate((el) => [...el.querySelectorAll('tr')].map((tr) => [...tr.children].map((c) => c.textContent)));
}

/** Interactive elements without an accessible name (a heuristic of the accessible-name computation). */
export async function unlabelledControls(page) {
  return page.evaluate(() => {
    const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length)
      || (el.matches('input[type=file]') && el.closest('label'));
    const nameOf = (el) => {
      const aria = el.getAttribute('aria-label');
      if (aria && aria.trim()) return aria.trim();
      const by = el.getAttribute('aria-labelledby');
      if (by) return by.split(/\s+/).map((id) => document.getElementById(id)?.textContent ?? '').join(' ').trim();
      if (el.id) {
        const label = document.querySelector(`label[for="${CSS.escape(el.id)}"]`);
        if (label?.textContent.trim()) return label.textContent.trim();
      }
      const wrapping = el.closest('label');
      if (wrapping?.textContent.trim()) return wrapping.textContent.trim();
      if (!el.matches('input, textarea, select') && el.textContent.trim()) return el.textContent.trim();
      return (el.getAttribute('title') ?? '').trim();
    };
    const controls = document.querySelectorAll('a[href], button, input, textarea, select, summary, [role=tab], [tabindex="0"]');
    return [...controls].filter((el) => visible(el) && !nameOf(el)).map((el) => el.outerHTML.slice(0, 120));
  });
}
