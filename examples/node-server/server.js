// A node:http receiver for Alibaba Cloud DMS custom-webhook notifications, ready to face the
// internet as it is started.
//
//   WEBHOOK_URL=https://example.com/dms WEBHOOK_SECRET_FILE=/etc/dms-webhook/secret node server.js
//
// Configuration (environment):
//   WEBHOOK_URL          the webhook URL exactly as configured in the DMS console
//   WEBHOOK_SECRET_FILE  a file holding the signing password (one per line while rotating), or
//   WEBHOOK_SECRET       the password itself; several comma-separated while rotating
//   DELIVERIES_DIR       where handled deliveries are remembered (default ./deliveries)
//   MAX_AGE_MS           the freshness window on eventTime (default 3600000, one hour; "off")
//   PORT, HOST           where to listen (default 8000 on 127.0.0.1)
//
// What it does for you: the raw body is read within 1 MiB and 10 s; a refusal closes the
// connection without reading the rest; header and request timeouts are short; eventTime must be
// within the window; a delivery already handled (same deliveryKey, remembered on disk across
// restarts) is answered success without running the callback again; SIGINT/SIGTERM stop
// accepting, answer what is in flight and exit within 5 s.
//
// In your own project import the package by name:
//   import { createHandler, limitServer, closeGracefully } from 'dms-webhook/node-handler';
// This example imports the copy built in this repository.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { closeGracefully, createHandler, limitServer } from '../../pkg/node-handler.js';
import { FileDeliveryStore } from './seen-deliveries.js';

function secrets() {
  const file = process.env.WEBHOOK_SECRET_FILE;
  if (file) return readFileSync(file, 'utf8').split('\n').map((l) => l.replace(/\r$/, '')).filter(Boolean);
  return (process.env.WEBHOOK_SECRET ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

const url = (process.env.WEBHOOK_URL ?? '').trim();
const secret = secrets();
if (!url || secret.length === 0) {
  console.error('Set WEBHOOK_URL and WEBHOOK_SECRET_FILE or WEBHOOK_SECRET (the URL and signing password configured in DMS).');
  process.exit(2);
}
const maxAge = process.env.MAX_AGE_MS;

function oneLine(text) {
  // Unverified text never drives the terminal: controls, bidi overrides and zero-width
  // characters are shown as <U+XXXX>.
  return String(text ?? '').replace(/[\t\n\r\u2028\u2029]+/g, ' ')
    .replace(/[\p{Cc}\p{Cf}\p{Cs}]/gu, (c) => `<U+${c.codePointAt(0).toString(16).toUpperCase().padStart(4, '0')}>`)
    .slice(0, 200);
}

// The handler reads the raw body itself, verifies it and answers in DMS's format. The callback
// runs once per verified notification; when it returns, the handler records the delivery as
// handled and answers success. If it throws, DMS is answered 500 and will retry.
const handler = createHandler({
  url,
  secret,
  maxAgeMs: maxAge === 'off' ? null : maxAge === undefined ? undefined : Number(maxAge),
  deduplicate: new FileDeliveryStore(process.env.DELIVERIES_DIR ?? 'deliveries'),
}, async (verified) => {
  const e = verified.event;
  console.log(`OK ${oneLine([e.category, e.module, e.event].join('/'))} ${oneLine(e.message)}`);
  // Act on the notification here (store it, post it to a chat, start a job...).
});

const server = limitServer(createServer((req, res) => {
  res.on('finish', () => {
    if (req.dmsWebhookDuplicate) console.log(`duplicate: ${oneLine(req.url)} answered success, not handled again`);
    else if (res.statusCode !== 200) console.log(`refused: ${oneLine(req.method)} ${oneLine(req.url)} -> ${res.statusCode}`);
  });
  handler(req, res);
}));

const port = Number(process.env.PORT ?? 8000);
const host = process.env.HOST ?? '127.0.0.1';
server.listen(port, host, () => {
  console.log(`DMS webhook receiver listening on http://${host}:${server.address().port}/`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    const { ms } = await closeGracefully(server, { graceMs: 5000 });
    console.log(`stopped in ${ms} ms`);
    process.exit(0);
  });
}
