// Uploading: the file picker, drag and drop, a large file's progress, a workbook's sheets, refusals.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SALES_CSV, eventually, tableTexts, unique } from './helpers.mjs';

export default [
  {
    name: 'upload a CSV with the file picker and see its profile',
    async run(t) {
      const { page } = t;
      await page.goto(`${t.base}/`);
      await page.locator('#welcome').waitFor();
      await t.shot('01-welcome');
      await page.evaluate(() => { window.pageLoadedOnce = true; });
      const name = unique('sales');
      await page.setInputFiles('#welcome-file', { name, mimeType: 'text/csv', buffer: Buffer.from(SALES_CSV) });
      await page.locator('.dataset-title').waitFor();
      assert.equal(await page.locator('.dataset-title').textContent(), name);
      assert.equal(await page.evaluate(() => window.pageLoadedOnce), true, 'no page reload');
      assert.equal(await page.locator('.dataset .chips li').first().textContent(), '6 rows × 5 columns');

      const columns = await tableTexts(page.locator('.columns-table'));
      assert.deepEqual(columns.slice(1).map((r) => r.slice(0, 3)), [
        ['date', 'datetime64[ns]', '0'], ['category', 'object', '0'], ['region', 'object', '0'],
        ['quantity', 'int64', '0'], ['revenue', 'float64', '0']]);
      const profile = Object.fromEntries(columns.slice(1).map((r) => [r[0], r[3]]));
      assert.equal(profile.revenue, 'min 15max 999.5mean 364.17std 386.41');
      assert.equal(profile.date, 'from 2024-01-05to 2024-03-02');
      assert.match(profile.category, /^distinct 3top Electronics2Furniture2Office2$/);

      const sample = await tableTexts(page.locator('.section', { hasText: 'Sample rows' }).locator('table'));
      assert.deepEqual(sample[0], ['date', 'category', 'region', 'quantity', 'revenue']);
      assert.deepEqual(sample[1], ['2024-01-05', 'Electronics', 'North', '2', '600']);
      assert.equal(sample.length, 6, 'header and the 5 sample rows');

      const id = decodeURIComponent(new URL(page.url()).hash.replace('#/session/', ''));
      const current = page.locator('.session-link[aria-current="page"]');
      assert.equal(await current.locator('.session-name').textContent(), name);
      assert.equal(await current.getAttribute('href'), `#/session/${id}`);
      const chips = page.locator('#suggestion-chips .chip');
      await chips.first().waitFor(); // the suggestions arrive after the profile
      assert.ok(await chips.count() > 0, 'suggested questions are offered');
      await page.locator('#suggestions').waitFor();
      assert.equal(await page.evaluate(() => document.activeElement.id), 'question', 'the question box has the focus');
      await t.shot('02-profile');
    },
  },
  {
    name: 'drop a file on the page to upload it',
    async run(t) {
      const { page } = t;
      await page.goto(`${t.base}/`);
      const name = unique('dropped');
      await page.evaluate(({ name, csv }) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([csv], name, { type: 'text/csv' }));
        window.testTransfer = transfer;
        document.getElementById('drop-zone').dispatchEvent(new DragEvent('dragenter', { dataTransfer: transfer, bubbles: true, cancelable: true }));
        document.getElementById('drop-zone').dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      }, { name, csv: SALES_CSV });
      await page.locator('#drop-overlay').waitFor();
      await t.shot('03-drop-overlay');
      await page.evaluate(() => {
        document.getElementById('drop-zone').dispatchEvent(new DragEvent('drop', { dataTransfer: window.testTransfer, bubbles: true, cancelable: true }));
      });
      await page.locator('.dataset-title', { hasText: name }).waitFor();
      assert.equal(await page.locator('#drop-overlay').isVisible(), false);
    },
  },
  {
    name: 'a large upload shows its progress, then the profile',
    async run(t) {
      const { page } = t;
      await page.goto(`${t.base}/`);
      const rows = ['id,group,value'];
      for (let i = 0; i < 150_000; i += 1) rows.push(`${i},g${i % 7},${(i * 0.37).toFixed(2)}`);
      const csv = `${rows.join('\n')}\n`;
      await page.evaluate(() => {
        window.progressSeen = [];
        window.labelsSeen = [];
        const status = document.getElementById('upload-status');
        new MutationObserver(() => {
          const bar = status.querySelector('progress');
          if (bar) window.progressSeen.push(bar.hasAttribute('value') ? Number(bar.value) : 'reading');
          const label = status.querySelector('.upload-label');
          if (label) window.labelsSeen.push(label.textContent);
        }).observe(status, { subtree: true, childList: true, attributes: true, characterData: true });
      });
      const cdp = await t.context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: -1,
        uploadThroughput: 1024 * 1024 });
      const name = unique('large');
      await page.setInputFiles('#welcome-file', { name, mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await page.locator('#upload-status progress').waitFor();
      await eventually(async () => assert.ok((await page.evaluate(() => window.progressSeen)).some((v) => v > 0 && v < 100)),
        { timeout: 20_000 });
      await t.shot('04-upload-progress');
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
      await page.locator('.dataset-title', { hasText: name }).waitFor({ timeout: 60_000 });
      const seen = await page.evaluate(() => window.progressSeen);
      const labels = await page.evaluate(() => window.labelsSeen);
      assert.ok(seen.includes('reading') || seen.includes(100), `the bar reached the end: ${seen.slice(-5)}`);
      assert.ok(labels.some((l) => l.startsWith('Reading and profiling')), labels.slice(-3).join(' | '));
      assert.equal(await page.locator('.dataset .chips li').first().textContent(), '150,000 rows × 3 columns');
      assert.equal(await page.locator('#upload-status').isVisible(), false);
    },
  },
  {
    name: 'a workbook with two sheets has a sheet switcher',
    async run(t) {
      const { page } = t;
      await page.goto(`${t.base}/`);
      const name = unique('workbook', 'xlsx');
      await page.setInputFiles('#file-input', { name, buffer: readFileSync(join(t.corpus, 'files', 'csvkit_multi-sheet.xlsx')),
        mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
      await page.locator('.dataset-title', { hasText: name }).waitFor();
      const tabs = page.locator('[role=tab]');
      assert.deepEqual(await tabs.locator('.tab-name').allTextContents(), ['data', 'ʤ']);
      assert.equal(await tabs.nth(0).getAttribute('aria-selected'), 'true');
      assert.equal(await page.locator('.variable-note code').textContent(), 'df');
      assert.ok((await page.locator('.dataset .chips').textContent()).includes('2 datasets'));
      const firstColumns = await tableTexts(page.locator('.columns-table'));
      assert.equal(firstColumns.length - 1, 8);
      assert.equal(firstColumns[1][0], 'text');
      await t.shot('05-workbook-first-sheet');

      await tabs.nth(1).click();
      assert.equal(await page.locator('[role=tab]').nth(1).getAttribute('aria-selected'), 'true');
      assert.equal(await page.locator('.variable-note code').textContent(), 'dfs["ʤ"]');
      const columns = await tableTexts(page.locator('.columns-table'));
      assert.deepEqual(columns.slice(1).map((r) => r[0]), ['a', 'b', 'c']);
      const sample = await tableTexts(page.locator('.section', { hasText: 'Sample rows' }).locator('table'));
      assert.deepEqual(sample, [['a', 'b', 'c'], ['1', '2', '3']]);
      await t.shot('06-workbook-second-sheet');

      await page.locator('[role=tab]').nth(1).press('ArrowLeft');
      assert.equal(await page.locator('[role=tab]').nth(0).getAttribute('aria-selected'), 'true');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'dataset-tab-0', 'the arrow key moves the focus');
    },
  },
  {
    name: "a refused upload shows the server's reason",
    async run(t) {
      const { page } = t;
      await page.goto(`${t.base}/`);
      for (const [name, content, mimeType] of [['empty.csv', '', 'text/csv'], ['report.pdf', '%PDF-1.4 not a table', 'application/pdf']]) {
        const direct = await t.context.request.post(`${t.base}/api/session/create`, {
          multipart: { file: { name, mimeType, buffer: Buffer.from(content) } },
        });
        assert.ok(direct.status() >= 400 && direct.status() < 500, `${name}: ${direct.status()}`);
        const { detail, title } = await direct.json();
        await page.setInputFiles('#welcome-file', { name, mimeType, buffer: Buffer.from(content) });
        const alert = page.locator('.upload-problem[role=alert]');
        await alert.locator('.problem-detail', { hasText: detail }).waitFor();
        assert.equal(await alert.locator('.problem-detail').textContent(), detail);
        assert.equal(await alert.locator('.problem-title').textContent(), `${name} was not accepted: ${title}`);
        if (name === 'report.pdf') await t.shot('07-refused-upload');
      }
      assert.ok(await page.locator('#welcome').isVisible(), 'the page stays where it was');
      await page.locator('.upload-problem button[aria-label=Dismiss]').click();
      assert.equal(await page.locator('#upload-status').isVisible(), false);
    },
  },
];
