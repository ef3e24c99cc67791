// Loads the package with `import` as the README shows it, checks the fixture's bodies with
// verify(), then serves the Node handler (dms-webhook/node-handler) and delivers them to it.
import http from 'node:http';
import { verify, DmsWebhookError } from 'dms-webhook';
import { createHandler } from 'dms-webhook/node-handler';
import { check } from './check.mjs';
import { deliver } from './deliver.mjs';
import { URL, SECRET } from './fixture.mjs';
import { poster } from './post.mjs';

console.log(check({ verify, DmsWebhookError }));

// The fixture's events are from 2021: no freshness window.
const server = http.createServer(createHandler({ url: URL, secret: SECRET, maxAgeMs: null }));
server.listen(0, '127.0.0.1', async () => {
  try {
    console.log(await deliver(poster(server.address().port)));
  } finally {
    server.close();
  }
});
