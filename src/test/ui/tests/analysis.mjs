// Asking: live stages, code, result, streamed interpretation, charts, self-healing, validator findings, stopping.
import assert from 'node:assert/strict';
import { ask, createSession, eventually, finished, openSession, scripted, tableTexts, unique } from './helpers.mjs';

const REVENUE_CODE = "# total revenue per category, largest first\nresult = df.groupby('category')['revenue'].sum().sort_values(ascending=False)";

export default [
  {
    name: 'ask a question and see the stages, the code, the result table and the interpretation',
    async run(t) {
      const { page } = t;
      const session = await createSession(t, unique('ask'));
      await openSession(t, session.session_id);
      const turn = await ask(t, scripted('What is the total revenue by category?'));
      assert.equal(await turn.locator('.question-text').textContent(), 'What is the total revenue by category?');
      await turn.locator('.step[data-stage=generating][data-state=active]').waitFor();
      assert.ok(await page.locator('#stop').isVisible(), 'Stop is offered while the analysis runs');
      assert.equal(await page.locator('#send').isVisible(), false);
      assert.ok(await page.locator('#suggestion-chips .chip').first().isDisabled(), 'no second question while one runs');
      await t.shot('08-generating');

      await turn.locator('pre.code').waitFor();
      assert.equal(await turn.locator('pre.code').evaluate((el) => el.textContent), REVENUE_CODE);
      assert.equal(await turn.locator('.tok-com').first().textContent(), '# total revenue per category, largest first');
      assert.deepEqual(await turn.locator('.tok-str').allTextContents(), ["'category'", "'revenue'"]);
      assert.equal(await turn.locator('pre.code .line').count(), 2);

      await turn.locator('.interpretation.streaming').waitFor();
      const partial = await turn.locator('.interpretation-text').textContent();
      const full = 'Electronics leads with 1,599.5 in revenue, ahead of Furniture with 550.5 and Office with 35.';
      assert.ok(partial.length < full.length && full.startsWith(partial), `streams token by token: "${partial}"`);
      assert.equal(await turn.locator('.step[data-stage=interpreting]').getAttribute('data-state'), 'active');
      await t.shot('09-streaming');

      assert.equal(await finished(turn), 'done');
      assert.deepEqual(await turn.locator('.step').evaluateAll((steps) => steps.map((s) => `${s.dataset.stage}:${s.dataset.state}`)),
        ['generating:done', 'validating:done', 'executing:done', 'interpreting:done']);
      assert.equal(await turn.locator('.interpretation-text').textContent(), full);
      assert.deepEqual(await tableTexts(turn.locator('.result table')), [
        ['category', 'revenue'], ['Electronics', '1,599.5'], ['Furniture', '550.5'], ['Office', '35']]);
      assert.equal(await turn.locator('.result .shape').textContent(), '3 values');
      assert.match(await turn.locator('.attempt .outcome').textContent(), /^ran in \d/);
      assert.match(await turn.locator('.turn-meta').textContent(), /executed in .* s · [\d,]+ tokens · openai · /);
      assert.ok(await page.locator('#send').isVisible(), 'Send is back');
      assert.deepEqual(await turn.locator('.answer > :not([hidden]):not(.stepper):not(.visually-hidden)').evaluateAll((all) => all.map((el) => el.className)),
        ['interpretation', 'result', 'code-details', 'turn-meta'], 'the answer comes first, the code last');
      const code = turn.locator('details.code-details');
      assert.equal(await code.evaluate((d) => d.open), false, 'the code is folded once the answer is there');
      await code.locator('summary').first().click();
      assert.equal(await code.evaluate((d) => d.open), true, 'one click shows the code');

      await turn.locator('.copy-button').click();
      await turn.locator('.copy-button', { hasText: 'Copied' }).waitFor();
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), REVENUE_CODE);

      const details = turn.locator('details.attempt');
      await details.locator('summary').click();
      assert.equal(await details.evaluate((d) => d.open), false, 'the code collapses');
      await t.shot('10-answer-code-collapsed');
      await details.locator('summary').click();
      assert.equal(await details.evaluate((d) => d.open), true);
      await turn.scrollIntoViewIfNeeded();
      await t.shot('11-answer');
      await page.emulateMedia({ colorScheme: 'dark' });
      await t.shot('12-answer-dark');
    },
  },
  {
    name: 'the reading comes above the answer, and the charts stay with their answer after a reload',
    async run(t) {
      const { page } = t;
      const session = await createSession(t, unique('reading'));
      await openSession(t, session.session_id);
      const question = scripted('Revenue by month as a chart, with its reading');
      const turn = await ask(t, question);
      assert.equal(await finished(turn), 'done');
      assert.equal(await turn.locator('.reading').textContent(), 'Reading sum of revenue per calendar month');
      assert.deepEqual(await turn.locator('.answer > :not([hidden]):not(.stepper):not(.visually-hidden)').evaluateAll((all) => all.map((el) => el.className)),
        ['reading', 'interpretation', 'charts', 'result', 'code-details', 'turn-meta'],
        'the reading, then the sentence, the chart and the result; the code last');
      assert.match(await turn.locator('.charts img').getAttribute('src'), /^data:image\/png;base64,/);

      const stored = await (await t.context.request.get(`${t.base}/api/session/${session.session_id}`)).json();
      const charts = stored.history[0].charts;
      assert.equal(charts.length, 1);
      assert.equal(charts[0].mime, 'image/png');
      assert.match(charts[0].href, new RegExp(`^/api/session/${session.session_id}/interactions/[^/]+/charts/0$`));
      assert.equal(charts[0].plot.axes[0].kind, 'bar');

      await page.reload();
      await page.locator('.dataset-title').waitFor();
      const again = page.locator('.turn').first();
      await again.waitFor();
      assert.equal(await again.locator('.question-text').textContent(), question);
      assert.equal(await again.locator('.reading').textContent(), 'Reading sum of revenue per calendar month');
      const chart = again.locator('.charts img');
      assert.equal(await chart.count(), 1, 'the chart is shown again after the reload');
      // images load lazily, once near the viewport; the page may still be laying out what comes above the chart (the
      // dataset, the suggestions), so it is brought into view again until it has loaded
      await eventually(async () => {
        await chart.scrollIntoViewIfNeeded();
        assert.ok(await chart.evaluate((img) => img.complete && img.naturalWidth > 100), 'the stored image loads');
      });
      assert.match(await chart.getAttribute('src'), /^blob:/);
      assert.equal(await again.locator('details.code-details').evaluate((d) => d.open), false);
      await again.locator('.charts').scrollIntoViewIfNeeded();
      await t.shot('13b-chart-after-reload');
    },
  },
  {
    name: 'a chart is shown as an image',
    async run(t) {
      const { page } = t;
      const session = await createSession(t, unique('chart'));
      await openSession(t, session.session_id);
      const turn = await ask(t, scripted('Revenue by month as a chart'));
      assert.equal(await finished(turn), 'done');
      const chart = turn.locator('.charts img');
      assert.equal(await chart.count(), 1);
      assert.match(await chart.getAttribute('src'), /^data:image\/png;base64,/);
      await eventually(async () => assert.ok(await chart.evaluate((img) => img.complete && img.naturalWidth > 100)));
      assert.deepEqual((await tableTexts(turn.locator('.result table')))[2], ['Feb 2024', '1,014.5']);
      await turn.locator('.charts').scrollIntoViewIfNeeded();
      await page.mouse.wheel(0, 200);
      await t.shot('13-chart');
    },
  },
  {
    name: 'self-healing shows both attempts: the failed one with its error, then the fix',
    async run(t) {
      const { page } = t;
      const session = await createSession(t, unique('heal'));
      await openSession(t, session.session_id);
      const turn = await ask(t, scripted('What were the total sales?'));
      // the note is shown from the second attempt on, inside the code box that folds once the answer is there: wait
      // for the answer (a fast run may have folded the box already), then check the note was shown
      assert.equal(await finished(turn), 'done');
      assert.equal(await turn.locator('.attempt-note').evaluate((note) => note.hidden), false);
      const attempts = turn.locator('details.attempt');
      assert.equal(await attempts.count(), 2);
      assert.deepEqual(await attempts.locator('.attempt-title').allTextContents(), ['Attempt 1', 'Attempt 2']);
      assert.equal(await attempts.nth(0).getAttribute('data-outcome'), 'failed');
      assert.equal(await attempts.nth(0).evaluate((d) => d.open), false, 'the failed attempt is folded away');
      assert.match(await attempts.nth(0).locator('.error-text').textContent(), /^KeyError: /);
      assert.equal(await attempts.nth(0).locator('pre.code').textContent(), "result = df['sales'].sum()");
      assert.equal(await turn.locator('.code-summary').textContent(), 'Code · 2 attempts');
      assert.equal(await attempts.nth(1).getAttribute('data-outcome'), 'ok');
      assert.equal(await attempts.nth(1).locator('pre.code').textContent(), "result = df['revenue'].sum()");
      assert.equal(await turn.locator('.attempt-note').textContent(), "Attempt 2: fixing the previous attempt's error");
      assert.equal(await turn.locator('.result .scalar').textContent(), '2,185');
      assert.match(await turn.locator('.turn-meta').textContent(), /2 attempts/);
      await turn.locator('details.code-details > summary').click();
      await attempts.nth(0).locator('summary').click();
      await turn.scrollIntoViewIfNeeded();
      await t.shot('14-self-healing');
      assert.equal(await page.locator('.turn').count(), 1);
    },
  },
  {
    name: "code the validator refuses shows its findings on the marked line, then the fix",
    async run(t) {
      const session = await createSession(t, unique('validator'));
      await openSession(t, session.session_id);
      const turn = await ask(t, scripted('How many orders are there?'));
      assert.equal(await finished(turn), 'done');
      const first = turn.locator('details.attempt').nth(0);
      assert.equal(await first.getAttribute('data-outcome'), 'refused');
      assert.equal(await first.locator('.outcome').textContent(), 'refused by the validator');
      assert.equal(await first.locator('.violations .rule').first().textContent(), 'import-not-allowed');
      assert.match(await first.locator('.violations .where').first().textContent(), /^line 1/);
      assert.equal(await first.locator('.line.marked').getAttribute('data-line'), '1');
      assert.equal(await turn.locator('.result .scalar').textContent(), '6');
      await turn.locator('details.code-details > summary').click();
      await first.locator('summary').click();
      await turn.scrollIntoViewIfNeeded();
      await t.shot('15-validator-findings');
    },
  },
  {
    name: 'the Stop button cancels a running analysis',
    async run(t) {
      const { page } = t;
      const session = await createSession(t, unique('stop'));
      await openSession(t, session.session_id);
      const turn = await ask(t, scripted('Count forever'));
      await turn.locator('.step[data-stage=executing][data-state=active]').waitFor();
      await t.shot('16-running');
      await page.locator('#stop').click();
      assert.equal(await finished(turn, 2_000), 'stopped');
      assert.equal(await turn.locator('.step[data-stage=executing]').getAttribute('data-state'), 'stopped');
      assert.equal(await turn.locator('.problem-title').textContent(), 'Stopped');
      assert.equal(await page.locator('#stop').isVisible(), false);
      assert.ok(await page.locator('#send').isVisible());
      await t.shot('17-stopped');
      const next = await ask(t, scripted('What is the average quantity?'));
      assert.equal(await finished(next), 'done', 'the service answers the next question');
      assert.equal(await next.locator('.result .scalar').textContent(), '3.83');
    },
  },
  {
    name: "an analysis that cannot succeed ends with the service's problem, and so does a question about a deleted session",
    async run(t) {
      const { page } = t;
      const session = await createSession(t, unique('fails'));
      await openSession(t, session.session_id);
      const turn = await ask(t, scripted('What is the profit margin?'));
      assert.equal(await finished(turn), 'failed');
      assert.deepEqual(await turn.locator('details.attempt').evaluateAll((all) => all.map((d) => d.dataset.outcome)),
        ['failed', 'failed', 'failed']);
      assert.equal(await turn.locator('.problem[role=alert] .problem-title').textContent(), 'The analysis could not be completed');
      assert.match(await turn.locator('.problem-detail').textContent(), /^No working code after 3 attempts; the last one failed: .*KeyError/);
      assert.equal(await turn.locator('.step[data-stage=executing]').getAttribute('data-state'), 'failed');
      await turn.locator('.problem').scrollIntoViewIfNeeded();
      await t.shot('17b-analysis-failed');

      assert.equal((await t.context.request.delete(`${t.base}/api/session/${session.session_id}`)).status(), 204);
      const orphan = await ask(t, scripted('What is the average quantity?'));
      assert.equal(await finished(orphan), 'failed');
      assert.equal(await orphan.locator('.problem-title').textContent(), 'Not found');
      assert.match(await orphan.locator('.problem-detail').textContent(), new RegExp(session.session_id));
      assert.ok(await page.locator('#send').isVisible());
    },
  },
  {
    name: 'an explanation with numbers the result does not support is withdrawn and replaced',
    async run(t) {
      const session = await createSession(t, unique('grounding'));
      await openSession(t, session.session_id);
      const turn = await ask(t, scripted('Which category sold the most?'));
      assert.equal(await finished(turn), 'done');
      assert.equal(await turn.locator('.result .scalar').textContent(), 'Electronics');
      const text = await turn.locator('.interpretation-text').textContent();
      assert.ok(text.length > 0 && !text.includes('12,345'), `the invented number is gone: ${text}`);
      assert.match(await turn.locator('.revised').textContent(), /stated numbers that are not in the result \(12,345\)/);
      await turn.locator('.interpretation').scrollIntoViewIfNeeded();
      await t.shot('17c-explanation-replaced');
    },
  },
  {
    name: 'a large table result says how many of its rows are shown',
    async run(t) {
      const rows = ['date,category,region,quantity,revenue'];
      for (let i = 1; i <= 40; i += 1) rows.push(`2024-01-${String((i % 28) + 1).padStart(2, '0')},C${i % 4},R${i % 3},${i},${i * 49.75}`);
      const session = await createSession(t, unique('orders'), `${rows.join('\n')}\n`);
      await openSession(t, session.session_id);
      const turn = await ask(t, scripted('List every order by revenue'));
      assert.equal(await finished(turn), 'done');
      assert.equal(await turn.locator('.result .shape').textContent(), '40 rows × 5 columns');
      assert.equal(await turn.locator('.result .shape-note').textContent(), 'Showing 10 of 40 rows');
      const table = await tableTexts(turn.locator('.result table'));
      assert.equal(table.length, 11, 'header and 10 rows');
      assert.deepEqual(table[1], ['39', '2024-01-13', 'C0', 'R1', '40', '1,990'], 'the index of the sorted rows comes first');
      await turn.locator('.result').scrollIntoViewIfNeeded();
      await t.shot('17d-large-result');
    },
  },
];
