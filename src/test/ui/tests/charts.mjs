// Interactive charts: an answer with a Plotly chart is drawn by plotly.js (served by the service, loaded only when a
// chart appears) and hovering a bar shows its value, also after a reload; a chart whose title, labels, legend and
// hover template carry markup and javascript: links shows them as text and runs nothing.
import assert from 'node:assert/strict';
import { ask, createSession, eventually, finished, openSession, scripted, unique } from './helpers.mjs';

/** Moves the mouse onto the middle of `locator` (Plotly's drag layer lies above the bars and takes the events). */
async function hoverOver(page, locator) {
  const box = await locator.boundingBox();
  assert.ok(box, 'the element is drawn');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
}

/**
 * Hovers `bar` until `plot` shows a hover label matching `pattern`, and returns that label's text. Each try is one
 * mouse move straight onto the bar (a move in steps can cross another bar, whose label Plotly shows first: it handles
 * at most one move per 50 ms and the last one later), to a point a pixel apart from the last try's (a move to where the
 * mouse already is sends no event), then waits a second for the label. One hover was not always enough: in one CI run
 * no label came after a reload.
 */
async function hoverLabel(page, plot, bar, pattern) {
  const label = plot.locator('.hoverlayer .hovertext').first();
  let nudge = 0;
  return eventually(async () => {
    await plot.scrollIntoViewIfNeeded();
    const box = await bar.boundingBox();
    assert.ok(box, 'the bar is drawn');
    nudge = (nudge + 1) % 4;
    await page.mouse.move(box.x + box.width / 2 + nudge, box.y + box.height / 2);
    return eventually(async () => {
      const text = await label.textContent({ timeout: 1_000 });
      assert.match(text, pattern);
      return text;
    }, { timeout: 1_000 });
  }, { timeout: 30_000 });
}

/** Every attribute in the page that could run script: on* handlers, javascript: links (also SVG xlink:href). */
async function scriptableAttributes(page) {
  return page.evaluate(() => {
    const found = [];
    for (const el of document.querySelectorAll('*')) {
      for (const attr of el.attributes) {
        const name = attr.name.toLowerCase();
        if (name.startsWith('on') || (/href$/.test(name) && /^\s*javascript:/i.test(attr.value))) {
          found.push(`${el.tagName} ${attr.name}=${attr.value}`);
        }
      }
    }
    return found;
  });
}

export default [
  {
    name: 'a Plotly chart is interactive: hovering a bar shows its value, also after a reload',
    async run(t) {
      const { page } = t;
      const session = await createSession(t, unique('plotly'));
      await openSession(t, session.session_id);
      const before = t.watcher.requests.filter((r) => r.endsWith('/vendor/plotly.min.js')).length;
      assert.equal(before, 0, 'plotly.js is not loaded before a chart appears');
      const turn = await ask(t, scripted('Revenue by category as an interactive chart'));
      assert.equal(await finished(turn), 'done');
      const figure = turn.locator('.charts figure');
      await eventually(async () => assert.equal(await figure.getAttribute('data-interactive'), 'true'),
        { timeout: 30_000 });
      assert.equal(t.watcher.requests.filter((r) => r.endsWith('/vendor/plotly.min.js')).length, 1);
      const plot = turn.locator('.chart-interactive');
      assert.equal(await plot.locator('.gtitle').textContent(), 'Revenue by category');
      const bars = plot.locator('.bars .point path');
      assert.equal(await bars.count(), 3);

      // hover the first bar (Electronics): its value appears in the hover label
      assert.match(await hoverLabel(page, plot, bars.first(), /1,?599\.5/), /Electronics/);
      await t.shot('70-interactive-chart-hover');

      // the mode bar offers the download as PNG, with a name for assistive technology
      const download = plot.locator('.modebar-btn[data-title^="Download plot as a PNG"]');
      assert.equal(await download.count(), 1);
      assert.match(await download.getAttribute('aria-label'), /^Download plot as a PNG/);
      // the PNG stays as the static form, out of sight
      assert.match(await turn.locator('.charts img').getAttribute('src'), /^data:image\/png;base64,/);

      // after a reload: the stored spec is fetched and drawn again. The stored PNG is held back until the interactive
      // chart is drawn (which hides it): the static form (printed, saved) must load all the same
      let release;
      const drawn = new Promise((resolve) => { release = resolve; });
      const png = /\/interactions\/[^/]+\/charts\/0$/;
      await page.route(png, async (route) => { await drawn; await route.continue(); });
      await page.reload();
      await page.locator('.dataset-title').waitFor();
      const again = page.locator('.turn').first();
      await again.locator('.charts figure').scrollIntoViewIfNeeded();
      await eventually(async () => assert.equal(await again.locator('.charts figure').getAttribute('data-interactive'),
        'true'), { timeout: 30_000 });
      release();
      const hidden = again.locator('.charts img');
      await eventually(async () => assert.ok(await hidden.evaluate((img) => img.complete && img.naturalWidth > 100),
        'the hidden static chart loads'));
      assert.match(await hidden.getAttribute('src'), /^blob:/);
      await page.unroute(png);
      const storedBars = again.locator('.chart-interactive .bars .point path');
      assert.equal(await storedBars.count(), 3);
      await hoverLabel(page, again.locator('.chart-interactive'), storedBars.nth(1), /550\.5/);
    },
  },
  {
    name: 'a chart whose labels carry markup and javascript: links shows them as text and runs nothing',
    async run(t) {
      const { page } = t;
      const session = await createSession(t, unique('hostile-chart'));
      await openSession(t, session.session_id);
      const turn = await ask(t, scripted('Draw the chart with the odd labels'));
      assert.equal(await finished(turn), 'done');
      const figure = turn.locator('.charts figure');
      await eventually(async () => assert.equal(await figure.getAttribute('data-interactive'), 'true'),
        { timeout: 30_000 });
      const plot = turn.locator('.chart-interactive');
      const title = await plot.locator('.gtitle').textContent();
      assert.ok(title.includes('<img src=x onerror="window.pwned=5">'), `the title is text: ${title}`);
      assert.ok(title.includes('<a href="javascript:window.pwned=6" target="_blank">title</a>'), title);
      const ticks = await plot.locator('.xtick text').allTextContents();
      assert.deepEqual(ticks, ['<img src=x onerror="window.pwned=1">', '<a href="javascript:window.pwned=2">click</a>']);
      assert.equal(await plot.locator('.g-xtitle').textContent(), '<b onmouseover="window.pwned=7">labels</b>');
      assert.match(await plot.locator('.legendtext').first().textContent(), /<a href="javascript:window\.pwned=3">/);

      // hover and click everything that could be a link
      await plot.scrollIntoViewIfNeeded();
      const bars = plot.locator('.bars .point path');
      for (let i = 0; i < await bars.count(); i += 1) {
        await hoverOver(page, bars.nth(i));
        await eventually(async () => assert.ok(await plot.locator('.hoverlayer .hovertext').count() > 0));
      }
      // the hover template (a link around the value, marked pwned=4) is left out; the default label shows the
      // category, itself markup shown as text
      assert.doesNotMatch(await plot.locator('.hoverlayer').textContent(), /pwned=4/,
        'a hover template with tags is left out (the default hover label stays)');
      await plot.locator('.gtitle').click({ force: true });
      await plot.locator('.g-xtitle').hover({ force: true });
      await plot.locator('.xtick text').first().click({ force: true });
      await t.shot('71-hostile-chart');

      assert.equal(await page.evaluate(() => window.pwned), undefined, 'nothing ran');
      assert.deepEqual(await scriptableAttributes(page), []);
      assert.equal(await page.locator('img[src="x"]').count(), 0);
      assert.deepEqual(t.watcher.dialogs, []);
      assert.equal(page.url().startsWith(t.base), true, 'the page did not navigate');
    },
  },
];
