// The "Connect to a source" panel against a real SQLite database: WebPageTest names it as source `shop`
// (SOURCES_SHOP_URL=jdbc:sqlite:<repository>/target/ui-sources/shop.sqlite); this scenario makes the file with Debian's
// sqlite3, then lists the source and its tables with their columns, starts sessions from a table and from a query,
// asks a question and checks the number against the data, refreshes after the table changed, and sees a write refused.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ask, eventually, finished, scripted, tableTexts } from './helpers.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const DATABASE = process.env.SOURCE_DATABASE ?? join(here, '..', '..', '..', '..', 'target', 'ui-sources', 'shop.sqlite');

function sqlite(sql) {
  execFileSync('sqlite3', ['-bail', DATABASE, sql], { stdio: ['ignore', 'pipe', 'pipe'] });
}

const ORDERS = [
  [1, 'North', 10.5, '2024-01-05'],
  [2, 'South', 20.25, '2024-01-06'],
  [3, 'North', 30.0, '2024-02-11'],
  [4, 'East', 39.0, '2024-03-01'],
];

function makeDatabase() {
  mkdirSync(dirname(DATABASE), { recursive: true });
  rmSync(DATABASE, { force: true });
  sqlite(`CREATE TABLE orders (id INTEGER PRIMARY KEY, region TEXT NOT NULL, amount REAL NOT NULL, ordered DATE);
    INSERT INTO orders VALUES ${ORDERS.map((r) => `(${r[0]}, '${r[1]}', ${r[2]}, '${r[3]}')`).join(', ')};
    CREATE TABLE regions (name TEXT, manager TEXT);
    INSERT INTO regions VALUES ('North', 'Ada'), ('South', 'Grace'), ('East', 'Edsger');`);
}

/** Opens the panel and waits for the tables of the (only) source. */
async function openPanel(page) {
  const panel = page.locator('#source-panel');
  await panel.waitFor();
  await panel.locator('summary').first().click();
  await panel.locator('.source-table').first().waitFor();
  return panel;
}

const chipsOf = (page) => page.locator('.dataset .chips li').first().textContent();

export default [
  {
    name: 'a database source: tables with columns, sessions from a table and a query, a question, a refresh, a refused write',
    async run(t) {
      const { page } = t;
      makeDatabase();
      await page.goto(`${t.base}/`);
      let panel = await openPanel(page);

      // the source and its tables, each with its columns
      assert.deepEqual(await panel.locator('.source-select option').allTextContents(), ['shop (sqlite)']);
      const tables = panel.locator('.source-table');
      assert.deepEqual(await tables.locator('summary code').allTextContents(), ['main.orders', 'main.regions']);
      const orders = tables.filter({ has: page.locator('summary code', { hasText: 'main.orders' }) });
      await orders.locator('summary').click();
      assert.deepEqual(await orders.locator('.source-columns li code').allTextContents(),
        ['id', 'region', 'amount', 'ordered']);
      assert.deepEqual(await orders.locator('.source-columns li .note').allTextContents(),
        ['INTEGER', 'TEXT', 'REAL', 'DATE']);
      await t.shot('40-source-panel');

      // a session from the table: its rows and columns, where it came from
      await orders.locator('.source-create').click();
      await page.locator('.dataset .source-origin').waitFor();
      assert.equal(await chipsOf(page), '4 rows × 4 columns');
      assert.match(await page.locator('.source-origin').textContent(), /^From source shop: main\.orders · imported /);
      const sessionUrl = page.url();
      assert.match(sessionUrl, /#\/session\//);
      const sample = await tableTexts(page.locator('.section', { hasText: 'Sample rows' }).locator('table'));
      assert.deepEqual(sample.slice(1).map((r) => r[1]), ORDERS.map((r) => r[1]), 'the regions, in table order');

      // a question on it, answered from the imported rows (10.5 + 20.25 + 30 + 39)
      const turn = await ask(t, scripted('What is the total amount of the orders?'));
      assert.equal(await finished(turn), 'done');
      assert.equal(await turn.locator('pre.code').textContent(), "result = df['amount'].sum()");
      assert.equal(await turn.locator('.result .scalar').textContent(), '99.75');
      await t.shot('41-source-question');

      // the table changes; the refresh button imports it again and shows the new row count
      sqlite("INSERT INTO orders VALUES (5, 'West', 5.5, '2024-03-02');");
      await page.locator('.refresh-dataset').click();
      await eventually(async () => assert.equal(await chipsOf(page), '5 rows × 4 columns'), { timeout: 30_000 });
      const refreshed = await tableTexts(page.locator('.section', { hasText: 'Sample rows' }).locator('table'));
      assert.equal(refreshed.at(-1)[1], 'West');
      assert.equal(await page.locator('.turn').count(), 1, 'the conversation stays');
      await t.shot('42-source-refreshed');

      // a session from a query, under the name given
      panel = page.locator('#source-panel');
      await panel.locator('.source-query').fill(
        'SELECT region, SUM(amount) AS total FROM orders GROUP BY region ORDER BY region');
      await panel.locator('.source-name').fill('by_region');
      await panel.locator('.source-query-box .source-create').click();
      await page.waitForURL((url) => url.href !== sessionUrl && /#\/session\//.test(url.href));
      await eventually(async () => assert.equal(await chipsOf(page), '4 rows × 2 columns'), { timeout: 30_000 });
      assert.match(await page.locator('.source-origin').textContent(), /^From source shop: SELECT region, SUM\(amount\)/);
      const totals = await tableTexts(page.locator('.section', { hasText: 'Sample rows' }).locator('table'));
      assert.deepEqual(totals.slice(1),
        [['East', '39'], ['North', '40.5'], ['South', '20.25'], ['West', '5.5']]);

      // a write is refused, and the page says why
      await panel.locator('.source-query').fill('DELETE FROM orders');
      await panel.locator('.source-name').fill('');
      await panel.locator('.source-query-box .source-create').click();
      const problem = panel.locator('.source-problem');
      await problem.waitFor();
      assert.match(await problem.textContent(),
        /The query is a DELETE.*only reads \(SELECT or WITH \.\.\. SELECT\) are accepted\./);
      assert.equal(await page.locator('.source-problem[role="alert"]').count(), 1);
      await t.shot('43-source-refused-write');
      assert.equal(Number(execFileSync('sqlite3', [DATABASE, 'SELECT COUNT(*) FROM orders;']).toString().trim()), 5,
        'the table is untouched');
    },
  },
];
