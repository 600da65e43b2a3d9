// Analysis modes: the mode selector, a multi-step analysis' plan as a checklist that fills as steps finish, and its
// report on top with the next questions as buttons that ask them.
import assert from 'node:assert/strict';
import { createSession, finished, openSession, scripted, unique } from './helpers.mjs';

export default [
  {
    name: 'explore mode shows the plan as a checklist, each step with its result, and the grounded report',
    async run(t) {
      const { page } = t;
      const session = await createSession(t, unique('explore'));
      await openSession(t, session.session_id);
      await page.locator('#mode').selectOption('explore');
      const turns = page.locator('.turn');
      const before = await turns.count();
      await page.locator('#question').fill(scripted('Give me an overview of the sales'));
      await page.locator('#question').press('Enter');
      const turn = turns.nth(before);
      await turn.locator('.plan-item').first().waitFor();
      assert.equal(await turn.getAttribute('data-mode'), 'explore');
      assert.deepEqual(await turn.locator('.plan-goal').allTextContents(),
        ['Total revenue per category', 'Share of each category in the total revenue', 'Number of orders']);

      assert.equal(await finished(turn), 'done');
      assert.deepEqual(await turn.locator('.plan-item').evaluateAll((items) => items.map((i) => i.dataset.state)),
        ['done', 'done', 'done'], 'every step is checked once it finished');
      const report = turn.locator('.report');
      const text = await report.locator('.report-text').textContent();
      assert.ok(text.includes('1599.5') && text.includes('73.2%'), text);
      assert.ok(!text.includes('9999'), `a number no step computed is not stated: ${text}`);
      const shown = await turn.locator('.answer > :not([hidden]):not(.visually-hidden)').evaluateAll(
        (all) => all.map((el) => el.className));
      assert.equal(shown[0], 'report', 'the report comes first');

      const step2 = turn.locator('.plan-item[data-step="2"] details');
      assert.equal(await step2.evaluate((d) => d.open), false, 'steps are folded');
      await step2.locator('summary').click();
      assert.equal(await step2.evaluate((d) => d.open), true, 'a step opens on a click');
      assert.match(await step2.locator('pre.code').evaluate((el) => el.textContent), /step1/);
      await t.shot('40-explore-report');

      const next = report.locator('button.next-question', { hasText: 'What is the total amount of the orders?' });
      assert.equal(await report.locator('button.next-question').count(), 2);
      await next.click();
      const asked = turns.nth(before + 1);
      await asked.locator('.question-text').waitFor();
      assert.equal(await asked.locator('.question-text').textContent(), 'What is the total amount of the orders?');
      assert.equal(await asked.getAttribute('data-mode'), null, 'a next question is asked as a plain question');
      await finished(asked);
    },
  },
];
