// A Fastify app with the README's plugin (dms-webhook/fastify, required), handed the fixture's
// deliveries through app.inject(). (The shared checks are ES modules; the package is required.)
const Fastify = require('fastify');
const { dmsWebhook } = require('dms-webhook/fastify');

async function main() {
  const { deliver, HEADERS } = await import('./deliver.mjs');
  const { URL, SECRET } = await import('./fixture.mjs');
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
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
