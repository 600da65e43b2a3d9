// Share links and the dashboard: pin two answers and see them as live cards; share the session and open the link in a
// fresh browser context without a key (a read-only page with every answer); a revoked link opens nothing.
import assert from 'node:assert/strict';
import { ask, createSession, eventually, finished, openSession, scripted, unique, tableTexts } from './helpers.mjs';
import { watch } from './browser.mjs';

export default [
  {
    name: 'pin two answers to the dashboard, share the session and read it through the link without a key',
    async run(t) {
      const { page } = t;
      const session = await createSession(t, unique('shared'));
      const id = session.session_id;
      await openSession(t, id);

      const table = await ask(t, scripted('What is the total revenue by category?'));
      assert.equal(await finished(table), 'done');
      const chart = await ask(t, scripted('Revenue by month as a chart'));
      assert.equal(await finished(chart), 'done');
      await chart.locator('img.chart').first().waitFor();

      // pin both answers
      for (const turn of [table, chart]) {
        await turn.locator('.pin-answer').click();
        await eventually(async () => assert.equal(await turn.locator('.pin-answer').textContent(), 'Pinned'));
      }

      // the dashboard: two live cards, computed again on the data (question, table, chart), one removed
      await page.locator('#dashboard-toggle').click();
      const cards = page.locator('.dashboard-card');
      await eventually(async () => assert.equal(await cards.count(), 2), { timeout: 30_000 });
      assert.equal(await page.locator('#conversation').isVisible(), false, 'the dashboard replaces the conversation');
      assert.deepEqual(await cards.locator('.dashboard-question').allTextContents(),
        ['What is the total revenue by category?', 'Revenue by month as a chart']);
      const answered = await tableTexts(table.locator('table').first());
      assert.ok(answered.flat().includes('Electronics'), JSON.stringify(answered));
      assert.deepEqual(await tableTexts(cards.nth(0).locator('table').first()), answered, 'the card shows the same table');
      const image = cards.nth(1).locator('img.chart');
      await image.waitFor();
      await eventually(async () => assert.ok(await image.evaluate((img) => img.complete && img.naturalWidth > 0)));
      await t.shot('60-dashboard');
      await cards.nth(0).locator('.remove-pin').click();
      await eventually(async () => assert.equal(await cards.count(), 1));
      assert.equal(await cards.nth(0).locator('.dashboard-question').textContent(), 'Revenue by month as a chart');
      await page.locator('#dashboard-toggle').click();
      assert.equal(await page.locator('#conversation').isVisible(), true);

      // a read-only link
      await page.locator('#share-toggle').click();
      await page.locator('#create-share').click();
      const url = await page.locator('#share-url').inputValue();
      assert.match(url, /^http:\/\/[^/]+\/shared\/[A-Za-z0-9_-]{43}$/);
      await eventually(async () => assert.equal(await page.locator('.share-item').count(), 1));
      await t.shot('61-share-panel');

      // opened in a fresh context: no key, no session of its own, nothing that writes
      const reader = await t.context.browser().newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-US' });
      try {
        const other = await reader.newPage();
        const watcher = watch(other, t.base);
        await other.goto(url);
        await other.locator('#shared-banner').waitFor();
        assert.match(await other.locator('#shared-banner').textContent(), /Shared, read-only\./);
        const turns = other.locator('.turn');
        await eventually(async () => assert.equal(await turns.count(), 2));
        assert.deepEqual(await turns.locator('.question-text').allTextContents(),
          ['What is the total revenue by category?', 'Revenue by month as a chart']);
        assert.deepEqual(await tableTexts(turns.nth(0).locator('table').first()), answered, 'the answer table is shown');
        assert.ok((await turns.nth(0).textContent()).length > 0);
        const shared = turns.nth(1).locator('img.chart').first();
        await shared.waitFor();
        await eventually(async () => assert.ok(await shared.evaluate((img) => img.complete && img.naturalWidth > 0)));
        for (const selector of ['#composer', '#question', '#file-input', '#sidebar', '.pin-answer', '#share-toggle',
          '#dashboard-toggle', '.add-dataset', '.notebook-link']) {
          assert.equal(await other.locator(selector).first().isVisible().catch(() => false), false, `${selector} is shown`);
        }
        assert.deepEqual(watcher.problems, []);
        assert.deepEqual(watcher.dialogs, [], 'no key was asked for');
        const api = watcher.requests.filter((r) => r.includes('/api/'));
        assert.ok(api.length > 0 && api.every((r) => new URL(r).pathname.startsWith('/api/shared/')), api.join('\n'));
        await other.screenshot({ path: `${process.env.SCREENSHOT_DIR ?? '/tmp'}/62-shared-read-only.png` }).catch(() => {});

        // revoked: the link opens nothing
        await page.locator('.revoke-share').click();
        await eventually(async () => assert.equal(await page.locator('.share-item').count(), 0));
        await other.reload();
        await other.locator('.problem-title', { hasText: 'This link opens nothing' }).waitFor();
      } finally {
        await reader.close();
      }
    },
  },
];
