// A Hono app with the README's middleware (dms-webhook/hono), handed the fixture's deliveries
// through app.request(): the same code in Node, Bun and Deno.
import { Hono } from 'hono';
import { dmsResponse } from 'dms-webhook';
import { dmsWebhook } from 'dms-webhook/hono';
import { deliver, HEADERS } from './deliver.mjs';
import { URL, SECRET } from './fixture.mjs';

const app = new Hono();
// The fixture's events are from 2021: no freshness window.
app.post('/dms-hook', dmsWebhook({ url: URL, secret: SECRET, maxAgeMs: null }), (c) => dmsResponse(c.get('dmsWebhook')));
app.onError((err, c) => {
  console.error(err);
  return c.text('Internal Server Error', 500);
});

console.log(await deliver(async (body) => {
  const response = await app.request('/dms-hook', { method: 'POST', headers: HEADERS, body });
  return { status: response.status, text: await response.text() };
}));
