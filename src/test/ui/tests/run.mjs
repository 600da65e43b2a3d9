// Runs the browser scenarios one after another in one headless Chromium, each in a fresh browser context, and writes
// their outcome as JSON (WebPageTest turns each into a JUnit test). Usage:
//   BASE_URL=http://127.0.0.1:8080 node tests/run.mjs [name filter...]
// Environment: BASE_URL (required), CHROMIUM (default /usr/bin/chromium), SCREENSHOT_DIR (default
// ../../../target/ui-screenshots), RESULTS_FILE (optional), CORPUS_DIR (the shared test corpus).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, watch } from './browser.mjs';
import access from './access.mjs';
import analysis from './analysis.mjs';
import batch from './batch.mjs';
import charts from './charts.mjs';
import dictionary from './dictionary.mjs';
import exportsScenarios from './exports.mjs';
import modes from './modes.mjs';
import modules from './modules.mjs';
import reports from './reports.mjs';
import safety from './safety.mjs';
import sessions from './sessions.mjs';
import share from './share.mjs';
import sources from './sources.mjs';
import upload from './upload.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const base = (process.env.BASE_URL ?? '').replace(/\/+$/, '');
if (!base) {
  console.error('Set BASE_URL to the running service, e.g. BASE_URL=http://127.0.0.1:8080');
  process.exit(2);
}
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const shots = resolve(process.env.SCREENSHOT_DIR ?? join(here, '..', '..', '..', '..', 'target', 'ui-screenshots'));
mkdirSync(shots, { recursive: true });
const SCENARIO_TIMEOUT = 120_000;

const filters = process.argv.slice(2).map((f) => f.toLowerCase());
const all = [
  ...modules, ...upload, ...analysis, ...charts, ...modes, ...batch, ...exportsScenarios, ...reports, ...sessions, ...sources, ...share, ...safety, ...access, ...dictionary,
];
const selected = all.filter((s) => filters.length === 0 || filters.some((f) => s.name.toLowerCase().includes(f)));

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([promise, new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms);
  })]).finally(() => clearTimeout(timer));
}

/**
 * Waits until GET /api/health says every part is up and the validator's start-up contexts are warm (it reports itself
 * up while they warm, and a question asked then waits for them: under the browser's load that can take longer than a
 * test's own limits, which are about the page, not about start-up).
 */
async function serviceReady(timeoutMs = 180_000) {
  const started = Date.now();
  let last = '';
  while (Date.now() - started < timeoutMs) {
    try {
      const response = await fetch(`${base}/api/health`);
      const text = await response.text();
      last = `${response.status} ${text}`;
      if (response.ok && JSON.parse(text).components?.validator?.details?.warming === false) {
        return Date.now() - started;
      }
    } catch (e) {
      last = String(e);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`The service was not ready within ${timeoutMs / 1000} s: ${last}`);
}

console.log(`Service ready after ${await serviceReady()} ms`);
const results = [];
const browser = await launch(chromiumPath);
console.log(`Chromium ${browser.version()} at ${chromiumPath}; service at ${base}; screenshots in ${shots}`);
try {
  for (const scenario of selected) {
    const started = Date.now();
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-US',
      timezoneId: 'UTC', ...(scenario.context ?? {}) });
    context.setDefaultTimeout(30_000);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    const page = await context.newPage();
    const watcher = watch(page, base);
    const t = {
      page, context, base, watcher, corpus: process.env.CORPUS_DIR ?? '/work/shared/corpus',
      shot: async (name, options = {}) => {
        await page.screenshot({ path: join(shots, `${name}.png`), ...options });
      },
    };
    let error = null;
    try {
      await withTimeout(scenario.run(t), SCENARIO_TIMEOUT, scenario.name);
      if (watcher.problems.length > 0) throw new Error(`The page misbehaved:\n${watcher.problems.join('\n')}`);
    } catch (e) {
      error = e;
      await page.screenshot({ path: join(shots, `FAILED-${scenario.name.replace(/[^\w-]+/g, '-')}.png`) }).catch(() => {});
    } finally {
      await context.close().catch(() => {});
    }
    const ms = Date.now() - started;
    results.push({ name: scenario.name, passed: error == null, error: error ? String(error.stack ?? error) : null, duration_ms: ms });
    console.log(`${error ? 'FAIL' : 'ok  '} ${scenario.name} (${(ms / 1000).toFixed(1)} s)`);
    if (error) console.log(String(error.stack ?? error).replace(/^/gm, '     '));
  }
} finally {
  await browser.close();
}

const failed = results.filter((r) => !r.passed).length;
console.log(`${results.length - failed} passed, ${failed} failed`);
if (process.env.RESULTS_FILE) writeFileSync(process.env.RESULTS_FILE, JSON.stringify({ scenarios: results }, null, 2));
process.exit(failed > 0 || results.length === 0 ? 1 : 0);
