// A browser page's script, as the README shows it for browsers and bundlers: `await init()`,
// then the synchronous API. The outcome goes into #result for the runner to read.
import { init, verify, DmsWebhookError } from 'dms-webhook';
import { check } from './check.mjs';

async function main() {
  const out = document.getElementById('result');
  try {
    await init();
    out.textContent = check({ verify, DmsWebhookError });
  } catch (err) {
    out.textContent = `error: ${(err && err.stack) || err}`;
  } finally {
    out.dataset.done = 'true';
  }
}

main();
