// A phone-sized screen, and the keyboard alone.
import assert from 'node:assert/strict';
import { SALES_CSV, ask, finished, scripted, unique, unlabelledControls } from './helpers.mjs';

const PHONE = { width: 390, height: 844 };

/** Nothing is wider than the screen (a wider page would make a phone zoom out or scroll sideways). */
async function fitsThePhone(page) {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  assert.ok(scroll <= PHONE.width && width === PHONE.width, `the page is ${scroll} px wide (layout ${width} px) on a ${PHONE.width} px screen`);
}

/** Presses Tab (or Shift+Tab) until `predicate(activeElement)` holds; fails after `limit` presses. */
async function tabTo(page, predicate, { back = false, limit = 60, arg } = {}) {
  for (let i = 0; i < limit; i += 1) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    if (await page.evaluate(predicate, arg)) return;
  }
  throw new Error(`Tab never reached the element (${predicate})`);
}

export default [
  {
    name: 'works on a phone-sized screen',
    context: { viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true, reducedMotion: 'reduce' },
    async run(t) {
      const { page } = t;
      await page.goto(`${t.base}/`);
      assert.ok(await page.locator('#sessions-toggle').isVisible(), 'the session drawer has a button');
      assert.equal(await page.locator('#sidebar').isVisible(), false, 'the drawer starts closed');
      await fitsThePhone(page);
      await t.shot('23-phone-welcome');

      const name = unique('phone');
      await page.setInputFiles('#welcome-file', { name, mimeType: 'text/csv', buffer: Buffer.from(SALES_CSV) });
      await page.locator('.dataset-title', { hasText: name }).waitFor();
      await fitsThePhone(page);
      await t.shot('24-phone-profile');

      const turn = await ask(t, scripted('What is the total revenue by category?'));
      assert.equal(await finished(turn), 'done');
      await fitsThePhone(page);
      const composer = await page.locator('.composer-inner').boundingBox();
      assert.ok(composer.y + composer.height <= PHONE.height && composer.x >= 0 && composer.x + composer.width <= PHONE.width,
        `the question box is on screen: ${JSON.stringify(composer)}`);
      const table = await turn.locator('.result .table-scroll').boundingBox();
      assert.ok(table.x >= 0 && table.x + table.width <= PHONE.width, 'the result table fits the screen');
      await t.shot('25-phone-answer');

      await page.locator('#sessions-toggle').tap();
      await page.locator('#sidebar .session-name', { hasText: name }).waitFor();
      const drawer = await page.locator('#sidebar').boundingBox();
      assert.ok(drawer.x === 0 && drawer.width < PHONE.width, `the drawer slides in from the left: ${JSON.stringify(drawer)}`);
      assert.equal(await page.locator('#sessions-toggle').getAttribute('aria-expanded'), 'true');
      await t.shot('26-phone-sessions');
      await page.locator('#scrim').tap({ position: { x: 370, y: 420 } });
      await page.waitForFunction(() => getComputedStyle(document.getElementById('sidebar')).visibility === 'hidden');
      assert.equal(await page.locator('#sessions-toggle').getAttribute('aria-expanded'), 'false');
    },
  },
  {
    name: 'works with the keyboard alone, every control labelled',
    async run(t) {
      const { page } = t;
      // Listen for the file chooser before anything else. Playwright turns Chromium's file-chooser interception on
      // when the first listener is added, without waiting for it: a key pressed right after waitForEvent can reach the
      // page first, the chooser then opens natively, unseen, and the wait runs out (seen on a busy machine). The page
      // load and the Tab presses below are round trips that come after the interception is on. (The wait's time
      // counts from here.)
      const chooser = page.waitForEvent('filechooser', { timeout: 120_000 });
      chooser.catch(() => {}); // awaited below; if an earlier step fails, that step's error is the one reported
      await page.goto(`${t.base}/`);
      await page.locator('#welcome').waitFor();
      assert.deepEqual(await unlabelledControls(page), []);

      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Skip to content');
      await tabTo(page, () => document.activeElement.type === 'file');
      await page.keyboard.press('Space');
      const name = unique('keyboard');
      await (await chooser).setFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(SALES_CSV) });
      await page.locator('.dataset-title', { hasText: name }).waitFor();
      assert.equal(await page.evaluate(() => document.activeElement.id), 'question');

      const question = scripted('What is the average quantity?');
      await page.keyboard.type(question);
      await page.keyboard.press('Shift+Enter');
      await page.keyboard.type('Thanks!');
      assert.equal(await page.locator('#question').inputValue(), `${question}\nThanks!`);
      assert.equal(await page.locator('.turn').count(), 0, 'Shift+Enter does not send');
      await page.keyboard.press('Enter');
      const turn = page.locator('.turn').first();
      assert.equal(await finished(turn), 'done');
      assert.equal(await turn.locator('.question-text').textContent(), `${question}\nThanks!`);
      assert.equal(await turn.locator('.result .scalar').textContent(), '3.83');
      assert.equal(await page.locator('#question').inputValue(), '');
      assert.deepEqual(await unlabelledControls(page), []);

      await page.locator('#question').focus();
      await tabTo(page, () => document.activeElement.matches('details.code-details > summary'), { back: true });
      await page.keyboard.press('Enter');
      assert.equal(await turn.locator('details.code-details').evaluate((d) => d.open), true, 'Enter unfolds the code');
      await tabTo(page, () => document.activeElement.classList.contains('copy-button'));
      assert.notEqual(await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle), 'none',
        'the focus is visible');
      await t.shot('27-keyboard-focus');
      await page.keyboard.press('Enter');
      await turn.locator('.copy-button', { hasText: 'Copied' }).waitFor();
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), "result = round(df['quantity'].mean(), 2)");
      await tabTo(page, () => document.activeElement.matches('details.attempt > summary'), { back: true });
      await page.keyboard.press('Enter');
      assert.equal(await turn.locator('details.attempt').evaluate((d) => d.open), false, 'Enter folds the code');

      await tabTo(page, () => document.activeElement.id === 'question');
      await page.keyboard.type(scripted('Count forever'));
      await page.keyboard.press('Enter');
      const running = page.locator('.turn').nth(1);
      await running.locator('.step[data-stage=executing][data-state=active]').waitFor();
      await page.keyboard.press('Escape');
      assert.equal(await finished(running, 2_000), 'stopped');

      await tabTo(page, (n) => document.activeElement.getAttribute('aria-label') === `Delete session ${n}`,
        { arg: name, back: true, limit: 400 }); // past every older session in the list
      await page.keyboard.press('Enter');
      assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Delete', 'the confirmation has the focus');
      await page.keyboard.press('Escape');
      assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), `Delete session ${name}`);
      assert.equal((await t.context.request.get(`${t.base}/api/session/${page.url().split('/').pop()}`)).status(), 200);
    },
  },
];
