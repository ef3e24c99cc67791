// A Fastify app with the README's plugin (dms-webhook/fastify, imported), handed the fixture's
// deliveries through app.inject().
import Fastify from 'fastify';
import dmsWebhook from 'dms-webhook/fastify';
import { deliver, HEADERS } from './deliver.mjs';
import { URL, SECRET } from './fixture.mjs';

const app = Fastify();
// The fixture's events are from 2021: no freshness window.
await app.register(dmsWebhook, { path: '/dms-hook', url: URL, secret: SECRET, maxAgeMs: null, async onVerified() {} });
try {
  console.log(await deliver(async (payload) => {
    const response = await app.inject({ method: 'POST', url: '/dms-hook', headers: HEADERS, payload });
    return { status: response.statusCode, text: response.body };
  }));
} finally {
  await app.close();
}
