// The node:http receiver with replay de-duplication by deliveryKey.
//
//   WEBHOOK_URL=https://example.com/dms WEBHOOK_SECRET=password node deduplicate.js
//
// DMS may deliver the same notification more than once (a retry after a timeout, a network
// hiccup), and a valid signed body stays valid forever: whoever captured one can send it again.
// deliveryKey(body) is the hex SHA-256 of the canonical messageEvent, the same for every
// delivery of one notification however it was spaced or escaped. Remember the keys of what
// you processed for a while and answer success without acting again when one comes back.
//
// The store here is an in-memory Map with expiry, bounded in size: enough for one process.
// With several processes or restarts use a shared store with an atomic "set if absent with a
// TTL" (Redis `SET key 1 NX EX 604800`, a database unique key).
import { createServer } from 'node:http';
import { deliveryKey } from '../../pkg/node.js';
import { sendDmsResponse, verifyNodeRequest } from '../../pkg/node-handler.js';

const url = (process.env.WEBHOOK_URL ?? '').trim();
const secret = (process.env.WEBHOOK_SECRET ?? '').split(',').map((s) => s.trim()).filter(Boolean);
if (!url || secret.length === 0) {
  console.error('Set WEBHOOK_URL and WEBHOOK_SECRET (the URL and signing password configured in DMS).');
  process.exit(2);
}

const TTL_MS = 7 * 24 * 3600 * 1000; // keep keys a week
const MAX_KEYS = 100_000; // and at most this many (the oldest go first)
const seen = new Map(); // deliveryKey -> expiry (epoch ms), in insertion order

/** True the first time a key is seen within TTL_MS; records it. */
function firstDelivery(key, now = Date.now()) {
  const expiry = seen.get(key);
  if (expiry !== undefined && expiry > now) return false;
  seen.delete(key);
  seen.set(key, now + TTL_MS);
  // Drop expired keys from the front (insertion order = expiry order), and the oldest past MAX_KEYS.
  for (const [k, e] of seen) {
    if (e > now && seen.size <= MAX_KEYS) break;
    seen.delete(k);
  }
  return true;
}

async function handle(req, res) {
  let result;
  let body;
  try {
    ({ result, body } = await verifyNodeRequest(req, { url, secret }));
  } catch (err) {
    // Refused: the right status and DMS's answer (close the connection if the body was not read).
    sendDmsResponse(res, err, { close: !req.readableEnded });
    return;
  }
  // Only verified deliveries reach the store, so forged bodies cannot fill it.
  const key = deliveryKey(body);
  if (!firstDelivery(key)) {
    console.log(`duplicate ${key}: already processed, answered success`);
    sendDmsResponse(res, result); // success, so DMS stops retrying
    return;
  }
  try {
    const e = result.event;
    console.log(`OK ${key} ${[e.category, e.module, e.event].join('/')}`);
    // Act on the notification here.
  } catch (err) {
    seen.delete(key); // not processed: let a redelivery try again
    throw err;
  }
  sendDmsResponse(res, result);
}

const server = createServer((req, res) => {
  handle(req, res).catch((err) => {
    console.error(err);
    sendDmsResponse(res, err);
  });
});

const port = Number(process.env.PORT ?? 8000);
const host = process.env.HOST ?? '127.0.0.1';
server.listen(port, host, () => {
  console.log(`DMS webhook receiver (de-duplicating) listening on http://${host}:${server.address().port}/`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => server.close(() => process.exit(0)));
}
