// Loads the package with `require` as the README shows it, checks the fixture's bodies with
// verify(), then serves the Node handler (dms-webhook/node-handler) and delivers them to it.
// (The shared checks are ES modules; the package itself is required.)
const http = require('node:http');
const { verify, DmsWebhookError } = require('dms-webhook');
const { createHandler } = require('dms-webhook/node-handler');

async function main() {
  const { check } = await import('./check.mjs');
  const { deliver } = await import('./deliver.mjs');
  const { URL, SECRET } = await import('./fixture.mjs');
  const { poster } = await import('./post.mjs');
  console.log(check({ verify, DmsWebhookError }));
  // The fixture's events are from 2021: no freshness window.
  const server = http.createServer(createHandler({ url: URL, secret: SECRET, maxAgeMs: null }));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    console.log(await deliver(poster(server.address().port)));
  } finally {
    server.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
