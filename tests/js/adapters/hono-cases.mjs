// The Hono app every runtime check runs (Node ESM, Deno, Bun, the default entry), given the
// middleware and dmsResponse as that runtime loaded them, and bodies signed beforehand
// (bodies.mjs, written by the test). Answers through app.request(): no network.
import { Hono } from 'hono';
import bodies from './bodies.mjs';

export async function runCases({ dmsWebhook, dmsResponse }) {
  const app = new Hono();
  const errors = [];
  let runs = 0;
  app.onError((err, c) => {
    errors.push(`${err.message} / ${err.cause && err.cause.message}`);
    return c.json({ onError: err.message }, 500);
  });
  app.post('/dms', dmsWebhook(bodies.options), (c) => {
    runs += 1;
    if (c.get('dmsWebhook').event.message === 'fail') throw new Error('the handler failed', { cause: new Error('its cause') });
    return dmsResponse(c.get('dmsWebhook'));
  });
  const headers = { 'DMS-Event': 'Message Hook', 'Content-Type': 'application/json' };
  const answers = [];
  for (const body of [bodies.signed, bodies.signed, bodies.tampered, bodies.fail, bodies.old, 'x'.repeat(1048577)]) {
    const response = await app.request('/dms', { method: 'POST', headers, body });
    answers.push(`${response.status} ${await response.text()}`);
  }
  return { answers, runs, errors };
}
