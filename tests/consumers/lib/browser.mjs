// Opens a built page in headless Chromium (the system's, driven by playwright-core) and reads
// what its script wrote into #result, with every page error and failed request.
import { serve } from './serve.mjs';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

let launched = null;

async function chromium(require) {
  const { chromium: driver } = require('playwright-core');
  launched ??= driver.launch({ executablePath: CHROMIUM, args: ARGS });
  return launched;
}

/** Closes the browser, if one was started. */
export async function closeBrowser() {
  if (launched) await (await launched).close();
  launched = null;
}

/**
 * Opens `url` and waits for #result[data-done]; resolves to its text and the problems seen on
 * the way (page errors, console errors, and the failed requests `failedRequests()` names).
 * Rejects with them when there is no result.
 */
export async function openUrl(require, url, failedRequests = () => [], timeoutMs = 30_000) {
  const browser = await chromium(require);
  const context = await browser.newContext();
  const tab = await context.newPage();
  const problems = [];
  tab.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  tab.on('console', (msg) => { if (msg.type() === 'error') problems.push(`console: ${msg.text()}`); });
  tab.on('requestfailed', (req) => problems.push(`request failed: ${req.url()} ${req.failure()?.errorText ?? ''}`));
  try {
    await tab.goto(url);
    await tab.waitForSelector('#result[data-done]', { state: 'attached', timeout: timeoutMs });
    const text = await tab.textContent('#result');
    const failed = failedRequests();
    if (failed.length) problems.push(`requests: ${failed.join(', ')}`);
    return { text: text.trim(), problems };
  } catch (err) {
    const failed = failedRequests();
    throw new Error([err.message.split('\n')[0], ...problems, failed.length ? `requests: ${failed.join(', ')}` : ''].filter(Boolean).join('\n'));
  } finally {
    await context.close();
  }
}

/** Serves `dir` (lib/serve.mjs) and opens `page` in it, as openUrl() does. */
export async function openPage(require, dir, page = 'index.html', timeoutMs = 30_000) {
  const server = await serve(dir);
  try {
    return await openUrl(require, server.url + page, () => server.requests.filter((r) => !r.startsWith('200')), timeoutMs);
  } finally {
    await server.close();
  }
}
