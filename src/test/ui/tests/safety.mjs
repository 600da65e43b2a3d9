// Whatever the data, the code or the model's answer contains, it is shown as text: no markup, no script, no image.
import assert from 'node:assert/strict';
import { ask, finished, scripted, tableTexts } from './helpers.mjs';

const HOSTILE_CSV = `product,<script>document.title='pwned-header'</script>,"<img src=x onerror=""document.title='pwned-th'"">"
<b>Widget</b>,<script>document.title='pwned-cell'</script>,"<img src=x onerror=""document.title='pwned-td'"">"
Gadget,plain,"<svg onload=""document.title='pwned-svg'""></svg>"
Gizmo,<iframe src=javascript:parent.document.title='pwned-iframe'></iframe>,<a href=javascript:void(0)>link</a>
`;

export default [
  {
    name: 'column names, cells, code and answers that look like HTML are shown as text',
    async run(t) {
      const { page } = t;
      await page.goto(`${t.base}/`);
      const name = `<img src=x onerror="document.title='pwned-name'">.csv`;
      await page.setInputFiles('#welcome-file', { name, mimeType: 'text/csv', buffer: Buffer.from(HOSTILE_CSV) });
      await page.locator('.dataset-title').waitFor();
      const fileName = await page.locator('.dataset-title').textContent();
      assert.ok(fileName.includes('<img') || fileName.includes('img src'), `the name is shown as text: ${fileName}`);

      const columns = await tableTexts(page.locator('.columns-table'));
      assert.deepEqual(columns.slice(1).map((r) => r[0]), ['product', "<script>document.title='pwned-header'</script>",
        `<img src=x onerror="document.title='pwned-th'">`]);
      const sample = await tableTexts(page.locator('.section', { hasText: 'Sample rows' }).locator('table'));
      assert.deepEqual(sample[1], ['<b>Widget</b>', "<script>document.title='pwned-cell'</script>",
        `<img src=x onerror="document.title='pwned-td'">`]);

      const turn = await ask(t, scripted('Show the first rows'));
      assert.equal(await finished(turn), 'done');
      assert.match(await turn.locator('pre.code').textContent(), /^# <script>document.title = 'pwned-code'<\/script>\n/);
      const result = await tableTexts(turn.locator('.result table'));
      assert.equal(result[2][2], `<svg onload="document.title='pwned-svg'"></svg>`);
      assert.equal(result[3][1], "<iframe src=javascript:parent.document.title='pwned-iframe'></iframe>");
      const interpretation = await turn.locator('.interpretation-text').textContent();
      assert.ok(interpretation.includes(`<img src=x onerror="document.title='pwned-img'">`), interpretation);
      assert.ok(interpretation.includes('**this** is not markdown'), interpretation);
      await turn.scrollIntoViewIfNeeded();
      await t.shot('22-hostile-content-as-text');

      await page.waitForTimeout(300); // time for anything that could load or run
      const dom = await page.evaluate(() => ({
        title: document.title,
        scripts: document.scripts.length,
        images: document.images.length,
        handlers: document.querySelectorAll('[onerror], [onload], [onclick]').length,
        markup: document.querySelectorAll('main b, main iframe, main img, main a[href^="javascript"], main svg:not(.icon)').length,
      }));
      assert.deepEqual(dom, { title: `${fileName} · LLM Analytics`, scripts: 1, images: 0, handlers: 0, markup: 0 });
      assert.deepEqual(t.watcher.dialogs, []);
      assert.deepEqual(t.watcher.requests.filter((u) => /\/x$|javascript:/.test(u)), []);

      const csp = (await t.context.request.get(`${t.base}/`)).headers()['content-security-policy'] ?? '';
      assert.match(csp, /script-src 'self'/, 'the page also forbids inline script');
    },
  },
];
