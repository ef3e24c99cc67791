// A Cloudflare Worker built on Hono, bundled by wrangler from the packed package (the `workerd`
// condition) and run in workerd: settings from the Worker's environment, app.onError of its own.
import { Hono } from 'hono';
import { dmsResponse } from 'dms-webhook';
import { dmsWebhook } from 'dms-webhook/hono';

const app = new Hono();
const errors = [];
let runs = 0;

app.onError((err, c) => {
  errors.push(`${err.message} / ${err.cause && err.cause.message}`);
  return c.json({ onError: err.message }, 500);
});

app.post('/dms', dmsWebhook((c) => ({ url: c.env.WEBHOOK_URL, secret: c.env.WEBHOOK_SECRET })), (c) => {
  runs += 1;
  if (c.get('dmsWebhook').event.message === 'fail') throw new Error('the handler failed', { cause: new Error('its cause') });
  return dmsResponse(c.get('dmsWebhook'));
});

app.get('/stats', (c) => c.json({ runs, errors }));

export default app;
