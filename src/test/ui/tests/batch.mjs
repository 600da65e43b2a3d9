// Clarifying questions and batches: the options of a clarification are buttons that ask them; several questions at
// once (one per line) each get their own answer as it completes.
import assert from 'node:assert/strict';
import { ask, createSession, eventually, finished, openSession, scripted, tableTexts, unique } from './helpers.mjs';

export default [
  {
    name: 'a clarifying question shows its options as buttons, and a button asks that option',
    async run(t) {
      const { page } = t;
      const session = await createSession(t, unique('clarify'));
      await openSession(t, session.session_id);
      const turn = await ask(t, scripted('Which amount by region?'));
      assert.equal(await finished(turn), 'done');
      assert.equal(await turn.locator('.clarification-question').textContent(),
        'Which amount do you mean: revenue or quantity?');
      const options = turn.locator('button.clarification-option');
      assert.deepEqual(await options.allTextContents(),
        [scripted('Total revenue by region'), scripted('Total quantity by region')]);
      assert.equal(await turn.locator('.result').isVisible(), false, 'a clarification has no result');
      await t.shot('40-clarification');

      const turns = page.locator('.turn');
      const before = await turns.count();
      await options.nth(1).click();
      await page.waitForFunction((n) => document.querySelectorAll('.turn').length > n, before);
      const next = turns.nth(before);
      assert.equal(await next.locator('.question-text').textContent(), 'Total quantity by region');
      assert.equal(await finished(next), 'done');
      const rows = await tableTexts(next.locator('.result table'));
      assert.deepEqual(rows[0], ['region', 'quantity']);
      assert.ok(rows.some((r) => r[0] === 'East' && r[1] === '15'), JSON.stringify(rows));

      // stored: after a reload the clarification and its buttons are still there
      await page.reload();
      await page.locator('.dataset-title').waitFor();
      const stored = page.locator('.turn').first();
      await stored.locator('button.clarification-option').first().waitFor();
      assert.equal(await stored.locator('button.clarification-option').count(), 2);
    },
  },
  {
    name: 'a batch of three questions shows three answers',
    async run(t) {
      const { page } = t;
      const session = await createSession(t, unique('batch'));
      await openSession(t, session.session_id);
      const questions = [scripted('Total revenue by region'), scripted('Total quantity by region'),
        scripted('What is the average revenue?')];
      await page.locator('#batch-mode').check();
      await page.locator('#question').fill(questions.join('\n'));
      await page.locator('#send').click();
      await page.waitForFunction(() => document.querySelectorAll('.turn').length >= 3);
      const turns = page.locator('.turn');
      assert.equal(await turns.count(), 3, 'one turn per line');
      for (let i = 0; i < 3; i++) {
        const turn = turns.nth(i);
        assert.equal(await turn.locator('.question-text').textContent(), questions[i]);
        assert.equal(await finished(turn), 'done', `question ${i} answered`);
        await turn.locator('.result').waitFor();
      }
      assert.equal(await turns.nth(2).locator('.interpretation-text').textContent(),
        'The average revenue per order is shown above.');
      await eventually(async () => assert.ok(await page.locator('#send').isVisible(), 'Send is back'));
      await t.shot('41-batch');
    },
  },
];
