// Reports: the session view offers the HTML and PDF reports beside the notebook; the HTML report, saved and opened
// from a file with the network blocked, draws every chart (an interactive plot per chart with a spec, its image for the
// others) and asks for nothing.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ask, createSession, eventually, finished, openSession, scripted, unique } from './helpers.mjs';

export default [
  {
    name: 'download the HTML report and open it from a file with the network off: every chart drawn, nothing fetched',
    async run(t) {
      const { page } = t;
      const session = await createSession(t, unique('report'));
      const id = session.session_id;
      await openSession(t, id);
      const table = await ask(t, scripted('What is the total revenue by category?'));
      assert.equal(await finished(table), 'done');
      const chart = await ask(t, scripted('Revenue by month as a chart'));
      assert.equal(await finished(chart), 'done');

      assert.equal(await page.locator('.report-html-link').getAttribute('href'), `/api/session/${id}/report.html`);
      assert.equal(await page.locator('.report-pdf-link').getAttribute('href'), `/api/session/${id}/report.pdf`);
      assert.equal(await page.locator('.notebook-link').count(), 1, 'the notebook export stays');
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('.report-html-link').click()]);
      assert.match(download.suggestedFilename(), /-report\.html$/);
      // saved under its own name: a file:// page is HTML by its extension
      const file = join(mkdtempSync(join(tmpdir(), 'report-')), download.suggestedFilename());
      await download.saveAs(file);
      const pdf = await t.context.request.get(`${t.base}/api/session/${id}/report.pdf`);
      assert.equal(pdf.status(), 200);
      assert.equal((await pdf.body()).subarray(0, 5).toString(), '%PDF-');

      // a fresh context without network: every request that is not the file itself is aborted and counted
      const offline = await t.context.browser().newContext({ viewport: { width: 1280, height: 860 } });
      try {
        const attempted = [];
        await offline.route('**/*', (route) => {
          const url = route.request().url();
          if (url.startsWith('file:') || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
          attempted.push(url);
          return route.abort();
        });
        const report = await offline.newPage();
        const errors = [];
        report.on('request', (r) => {
          const url = r.url();
          if (!url.startsWith('file:') && !url.startsWith('data:') && !url.startsWith('blob:')) attempted.push(url);
        });
        report.on('pageerror', (e) => errors.push(String(e)));
        await report.goto(pathToFileURL(file).href);
        const questions = report.locator('section.question h2');
        assert.deepEqual(await questions.allTextContents(),
          ['1. What is the total revenue by category?', '2. Revenue by month as a chart']);
        const figures = report.locator('figure.chart');
        const count = await figures.count();
        assert.ok(count >= 1, 'the chart answer has a chart in the report');
        for (let i = 0; i < count; i++) {
          const figure = figures.nth(i);
          const id = await figure.getAttribute('id');
          const hasSpec = await report.locator(`script.chart-spec[data-chart="${id}"]`).count() === 1;
          if (hasSpec) {
            await eventually(async () => assert.ok(
              await figure.locator('.plot svg.main-svg, .plot canvas').count() > 0, `chart ${id} is drawn by plotly.js`),
            { timeout: 20_000 });
            assert.equal(await figure.locator('img.chart-png').isVisible(), false, 'the PNG is for printing');
          } else {
            const image = figure.locator('img.chart-png');
            await eventually(async () => assert.ok(await image.evaluate((img) => img.complete && img.naturalWidth > 0),
              `chart ${id} shows its image`));
            assert.equal(await image.isVisible(), true);
          }
        }
        // the table answer's table and the folded code
        assert.ok((await report.locator('table.result').first().textContent()).includes('Electronics'));
        assert.equal(await report.locator('details.code').count(), 2);
        assert.equal(await report.locator('details.code pre').first().isVisible(), false, 'code is folded');
        assert.deepEqual(attempted, [], 'the report asked for nothing');
        assert.deepEqual(errors, [], 'no script error');
      } finally {
        await offline.close();
      }
    },
  },
];
