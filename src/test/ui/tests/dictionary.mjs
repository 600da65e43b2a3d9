// The data dictionary in the column table: drafts shown as such, a description edited inline survives a reload.
import assert from 'node:assert/strict';
import { createSession, eventually, openSession, unique } from './helpers.mjs';

const ORDERS = `order_id,region,price,revenue
1,North,€12.50,100.5
2,South,€8.00,20.0
3,North,€3.25,31.0
4,East,€40.00,12.0
`;

export default [
  {
    name: 'edit a column description inline, reload, and it is still there',
    async run(t) {
      const { page } = t;
      const session = await createSession(t, unique('dictionary'), ORDERS);
      await openSession(t, session.session_id);
      const columns = page.locator('details.section', { has: page.locator('summary', { hasText: 'Columns' }) });
      if (!(await columns.evaluate((d) => d.open))) await columns.locator('summary').click();

      const price = page.locator('tr[data-column="price"]');
      await eventually(async () => assert.equal(await price.locator('.dict-unit').inputValue(), '€'));
      assert.equal(await price.locator('.dict-draft').isVisible(), true, 'a drafted entry is marked');
      assert.equal(await price.locator('.dict-description').inputValue(), 'values written with € (stored as text)');

      const revenue = page.locator('tr[data-column="revenue"]');
      assert.equal(await revenue.locator('.dict-description').inputValue(), '');
      const url = `${t.base}/api/session/${session.session_id}/datasets/${session.datasets?.[0]?.name ?? 'data'}/dictionary`;
      const stored = async () => (await (await t.context.request.get(url)).json()).columns.revenue ?? {};
      await revenue.locator('.dict-description').fill('Net revenue after refunds');
      await revenue.locator('.dict-description').press('Tab');
      await eventually(async () => assert.equal((await stored()).description, 'Net revenue after refunds'));
      await revenue.locator('.dict-unit').fill('€');
      await revenue.locator('.dict-unit').press('Tab');
      await eventually(async () => assert.equal((await stored()).unit, '€'));
      await eventually(async () => assert.equal(await revenue.locator('.dict-status').textContent(), 'Saved'));
      await t.shot('40-dictionary-edited');

      await page.reload();
      await page.locator('.dataset-title').waitFor();
      const again = page.locator('details.section', { has: page.locator('summary', { hasText: 'Columns' }) });
      if (!(await again.evaluate((d) => d.open))) await again.locator('summary').click();
      const reloaded = page.locator('tr[data-column="revenue"]');
      await eventually(async () =>
        assert.equal(await reloaded.locator('.dict-description').inputValue(), 'Net revenue after refunds'));
      assert.equal(await reloaded.locator('.dict-unit').inputValue(), '€');
      assert.equal(await reloaded.locator('.dict-draft').isVisible(), false, 'edited by a person: no longer a draft');

      const dictionary = (await (await t.context.request.get(url)).json()).columns.revenue;
      assert.equal(dictionary.description, 'Net revenue after refunds');
      assert.equal(dictionary.draft, undefined);
    },
  },
];
