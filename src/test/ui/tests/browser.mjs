// Launching Debian's Chromium through playwright-core (never a downloaded browser) and the checks every scenario gets:
// no page errors, no console errors, no request leaving the service's origin.
import { chromium } from 'playwright-core';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/**
 * Starts Chromium headless. playwright-core gives every launch a fresh temporary profile (--user-data-dir) and
 * removes it on close; scenarios then open a fresh context each.
 */
export async function launch(executablePath) {
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
}

/**
 * Watches a page: page errors, console errors (except the browser's own "Failed to load resource" lines for HTTP
 * errors the page handles), dialogs, and every request's URL (only the service's origin and data: URLs allowed).
 */
export function watch(page, origin) {
  const problems = [];
  const requests = [];
  const dialogs = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(`console error: ${m.text()}`);
  });
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  page.on('request', (r) => {
    const url = r.url();
    requests.push(url);
    // blob: URLs of this origin hold what the page fetched from the service (stored charts, loaded with the key)
    if (!url.startsWith(`${origin}/`) && !url.startsWith('data:') && !url.startsWith(`blob:${origin}/`)) {
      problems.push(`request outside the service: ${url}`);
    }
  });
  return { problems, requests, dialogs };
}
