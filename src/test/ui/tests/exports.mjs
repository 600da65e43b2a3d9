// Several datasets and exports: adding a file to the open session, the notebook link, per-answer downloads.
import assert from 'node:assert/strict';
import { ask, createSession, finished, openSession, scripted, unique } from './helpers.mjs';

const REGIONS_CSV = `region,manager
North,Ann
South,Bob
East,Cid
West,Dee
`;

export default [
  {
    name: 'add a dataset to the session, then download the notebook and an answer as CSV, XLSX and code',
    async run(t) {
      const { page } = t;
      const session = await createSession(t, unique('multi'));
      const id = session.session_id;
      await openSession(t, id);
      assert.equal(await page.locator('.notebook-link').getAttribute('href'), `/api/session/${id}/notebook`);

      await page.setInputFiles('#add-dataset-input', { name: 'Regions.csv', mimeType: 'text/csv', buffer: Buffer.from(REGIONS_CSV) });
      await page.locator('.dataset .tab', { hasText: 'regions' }).waitFor();
      assert.equal(await page.locator('.dataset .tab').count(), 2);
      assert.equal(await page.locator('.dataset .tab[aria-selected=true] .tab-name').textContent(), 'regions');
      assert.equal(await page.locator('.variable-note code').textContent(), 'dfs["regions"]');
      assert.match(await page.locator('.join-keys').textContent(), /\.region ~ regions\.region \(100 % overlap\)/);
      await t.shot('30-added-dataset');

      const turn = await ask(t, scripted('What is the total revenue by category?'));
      assert.equal(await finished(turn), 'done');
      const links = turn.locator('.downloads a');
      assert.deepEqual(await links.allTextContents(), ['code.py', 'result.csv', 'result.xlsx']);
      const csv = await t.context.request.get(`${t.base}${await links.nth(1).getAttribute('href')}`);
      assert.equal(csv.status(), 200);
      assert.equal(await csv.text(), 'category,revenue\nElectronics,1599.5\nFurniture,550.5\nOffice,35.0\n');
      const code = await t.context.request.get(`${t.base}${await links.nth(0).getAttribute('href')}`);
      assert.match(await code.text(), /groupby\('category'\)/);

      const notebook = await t.context.request.get(`${t.base}/api/session/${id}/notebook`);
      assert.equal(notebook.status(), 200);
      const nb = await notebook.json();
      assert.equal(nb.nbformat, 4);
      assert.ok(nb.cells[0].source.join('').includes('regions.csv'), 'the notebook names every dataset file');
    },
  },
];
