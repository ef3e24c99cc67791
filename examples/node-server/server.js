// A plain node:http receiver for Alibaba Cloud DMS custom-webhook notifications.
//
//   WEBHOOK_URL=https://example.com/dms WEBHOOK_SECRET=password node server.js
//
// Configuration (environment):
//   WEBHOOK_URL     the webhook URL exactly as configured in the DMS console
//   WEBHOOK_SECRET  the signing password; several, comma-separated, while rotating
//   PORT, HOST      where to listen (default 8000 on 127.0.0.1)
//
// In your own project import the package by name:
//   import { createHandler } from 'dms-webhook/node-handler';
// This example imports the copy built in this repository.
import { createServer } from 'node:http';
import { createHandler } from '../../pkg/node-handler.js';

const url = (process.env.WEBHOOK_URL ?? '').trim();
const secret = (process.env.WEBHOOK_SECRET ?? '').split(',').map((s) => s.trim()).filter(Boolean);
if (!url || secret.length === 0) {
  console.error('Set WEBHOOK_URL and WEBHOOK_SECRET (the URL and signing password configured in DMS).');
  process.exit(2);
}

function oneLine(text) {
  // eslint-disable-next-line no-control-regex
  return String(text ?? '').replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').slice(0, 200);
}

// The handler reads the raw body itself, verifies it and answers in DMS's format. The callback
// runs for verified notifications only; when it returns, the handler answers success.
const handler = createHandler({ url, secret }, async (verified) => {
  const e = verified.event;
  console.log(`OK ${oneLine([e.category, e.module, e.event].join('/'))} ${oneLine(e.message)}`);
  // Act on the notification here (store it, post it to a chat, start a job...).
});

const server = createServer((req, res) => {
  // Refusals are answered by the handler too; log them here.
  res.on('finish', () => {
    if (res.statusCode !== 200) console.log(`refused: ${req.method} ${req.url} -> ${res.statusCode}`);
  });
  handler(req, res);
});

const port = Number(process.env.PORT ?? 8000);
const host = process.env.HOST ?? '127.0.0.1';
server.listen(port, host, () => {
  const address = server.address();
  console.log(`DMS webhook receiver listening on http://${host}:${address.port}/`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => server.close(() => process.exit(0)));
}
