// The session list: newest first, reopening shows the stored conversation, deleting.
import assert from 'node:assert/strict';
import { createSession, eventually, scripted, tableTexts, unique } from './helpers.mjs';

async function askByApi(t, id, question) {
  const response = await t.context.request.post(`${t.base}/api/session/${id}/analyze`, {
    headers: { Accept: 'application/json', 'Content-Type': 'application/json' }, data: { question },
  });
  assert.equal(response.status(), 200, await response.text());
  return response.json();
}

export default [
  {
    name: 'reopen a session from the list and see its stored conversation',
    async run(t) {
      const { page } = t;
      const olderName = unique('older');
      const older = await createSession(t, olderName);
      const name = unique('reopen');
      const session = await createSession(t, name);
      await askByApi(t, session.session_id, scripted('Which regions are there?'));
      await askByApi(t, session.session_id, scripted('What were the total sales?'));

      await page.goto(`${t.base}/`);
      const item = page.locator('.session-item', { has: page.locator('.session-name', { hasText: name }) });
      await item.waitFor();
      const names = await page.locator('.session-name').allTextContents();
      assert.ok(names.indexOf(name) < names.indexOf(olderName), 'newest first');
      assert.match(await item.locator('.session-meta').textContent(), /^6 × 5 · 2 questions$/);
      await t.shot('18-session-list');

      await item.locator('.session-link').click();
      await page.locator('.dataset-title', { hasText: name }).waitFor();
      assert.equal(new URL(page.url()).hash, `#/session/${session.session_id}`);
      assert.equal(await item.locator('.session-link').getAttribute('aria-current'), 'page');
      const turns = page.locator('.turn');
      await eventually(async () => assert.equal(await turns.count(), 2));
      assert.deepEqual(await turns.evaluateAll((all) => all.map((el) => el.dataset.state)), ['stored', 'stored']);
      assert.deepEqual(await turns.locator('.question-text').allTextContents(),
        ['Which regions are there?', 'What were the total sales?']);
      const first = turns.nth(0);
      assert.deepEqual((await tableTexts(first.locator('.result table'))).slice(1).map((r) => r[1]), ['East', 'North', 'South', 'West']);
      assert.equal(await first.locator('.interpretation-text').textContent(), 'The orders come from East, North, South and West.');
      assert.equal(await first.locator('pre.code').textContent(), "result = sorted(df['region'].unique().tolist())");
      assert.equal(await first.locator('details.attempt').evaluate((d) => d.open), false, 'stored code starts folded');
      assert.equal(await first.locator('.stepper').isVisible(), false);
      assert.match(await first.locator('.turn-meta').textContent(), /^just now · executed in .* s · [\d,]+ tokens · openai · /);
      const second = turns.nth(1);
      assert.equal(await second.locator('details.attempt').count(), 2);
      assert.equal(await second.locator('details.attempt').nth(0).getAttribute('data-outcome'), 'failed');
      assert.equal(await second.locator('.result .scalar').textContent(), '2,185');
      assert.match(await second.locator('.turn-meta').textContent(), /2 attempts/);
      assert.deepEqual(await page.locator('details.section').evaluateAll((all) => all.map((d) => d.open)), [false, false],
        'with a conversation to read, the columns and the sample start folded');
      await t.shot('19-reopened-conversation');

      await page.locator('.session-link', { hasText: olderName }).click();
      await page.locator('.dataset-title', { hasText: olderName }).waitFor();
      assert.equal(await page.locator('.turn').count(), 0);
      await page.goBack();
      await page.locator('.dataset-title', { hasText: name }).waitFor();
      await eventually(async () => assert.equal(await page.locator('.turn').count(), 2));
      assert.ok(older.session_id);
    },
  },
  {
    name: 'delete a session from the list',
    async run(t) {
      const { page } = t;
      const name = unique('delete-me');
      const session = await createSession(t, name);
      await page.goto(`${t.base}/#/session/${session.session_id}`);
      await page.locator('.dataset-title', { hasText: name }).waitFor();
      const item = page.locator(`.session-item[data-session-id="${session.session_id}"]`);

      await item.getByRole('button', { name: `Delete session ${name}` }).click();
      await item.locator('.confirm').waitFor();
      await t.shot('20-delete-confirm');
      await item.getByRole('button', { name: 'Cancel' }).click();
      assert.ok(await item.locator('.session-link').isVisible(), 'cancel keeps it');
      assert.equal((await t.context.request.get(`${t.base}/api/session/${session.session_id}`)).status(), 200);

      await item.getByRole('button', { name: `Delete session ${name}` }).click();
      await item.getByRole('button', { name: 'Delete', exact: true }).click();
      await item.waitFor({ state: 'detached' });
      await page.locator('#welcome').waitFor();
      assert.equal(await page.locator('#session-view').isVisible(), false);
      assert.equal((await t.context.request.get(`${t.base}/api/session/${session.session_id}`)).status(), 404);
      await t.shot('21-deleted');

      await page.goto(`${t.base}/#/session/${session.session_id}`);
      await page.locator('[role=alert]', { hasText: 'This session no longer exists' }).waitFor();
    },
  },
];
