// Added by the test to a copy of examples/nextjs: dms-webhook/hono in Next.js's edge runtime
// (the package's edge-light entry), through Hono's Vercel adapter.
import { Hono } from 'hono';
import { handle } from 'hono/vercel';
import { dmsResponse } from 'dms-webhook';
import { dmsWebhook } from 'dms-webhook/hono';

export const runtime = 'edge';

const app = new Hono().basePath('/hono');
app.onError((err, c) => {
  console.error('hono onError:', err);
  return c.json({ onError: err.message }, 500);
});
const options = () => ({
  url: process.env.DMS_WEBHOOK_URL,
  secret: (process.env.DMS_WEBHOOK_SECRET ?? '').split(',').map((s) => s.trim()).filter(Boolean),
});

app.post('/', dmsWebhook(options), (c) => {
  const { event } = c.get('dmsWebhook');
  if (event.message === 'fail') throw new Error('the handler failed', { cause: new Error('a cause') });
  return dmsResponse(c.get('dmsWebhook'));
});

export const POST = handle(app);
