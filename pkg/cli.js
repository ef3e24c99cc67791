#!/usr/bin/env node
// The `dms-webhook` command: a verifying receiver for local testing (listen), a sender that
// behaves like the DMS console's Test button (send), and a verifier for saved bodies (verify).
import { createServer } from 'node:http';
import { randomInt } from 'node:crypto';
import { existsSync, readFileSync, realpathSync, statSync, createReadStream } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { canonicalize, explain, parse, sign, signBody, verify, DmsWebhookError } from './node.js';
import { sendDmsResponse, verifyNodeRequest } from './node-handler.js';

const PKG_DIR = path.dirname(fileURLToPath(import.meta.url));

const HELP = {
  main: `Usage: dms-webhook <command> [options]

Receive, send and verify Alibaba Cloud DMS custom-webhook notifications, checking their
HMAC_SHA1 signatures exactly as DMS's own Java receiver does.

Commands:
  listen   run a verifying receiver (and the paste-and-verify page) on this machine
  send     send a notification like the DMS console's Test button
  verify   verify a saved request body

Run "dms-webhook <command> --help" for a command's options.

Options:
  -h, --help      show this help
  -v, --version   print the version

Exit status: 0 success, 1 failure (see each command), 2 usage error.
`,
  listen: `Usage: dms-webhook listen [--port 8000] [--host 127.0.0.1] [--url URL] [--secret S ...]

Receives DMS notifications at any path (POST), verifies them and answers in DMS's format
({"root":"","success":true} or {"root":"<code>: <message>","success":false} with a 4xx).
Each delivery is printed on one line: time, verdict (OK or the error code),
category/module/event, task and message.

GET / serves the paste-and-verify page, which also shows the deliveries as they arrive;
GET /events streams them as Server-Sent Events (one JSON object per delivery:
{time, body, verdict: {ok, code, message}, event?}).

Options:
  --port N          port to listen on (default 8000; 0 picks a free one)
  --host H          address to listen on (default 127.0.0.1)
  --url URL         the webhook URL exactly as configured in DMS; signatures are made with it
                    (default http://<host>:<port>/)
  --secret S        the signing password set in DMS; repeat while rotating passwords.
                    Without one, a random secret is made up and printed.
  --allow-unsigned  accept notifications sent with signatureMethod None
  --max-body-bytes N  refuse larger bodies (default 1048576)
  -h, --help        show this help

Exit status: 0 when stopped by Ctrl-C or SIGTERM, 1 when it cannot listen, 2 usage error.
`,
  send: `Usage: dms-webhook send URL [--secret S] [--configured-url U] [--event FILE]

Sends a notification exactly like the DMS console's Test button: POST with the headers
"DMS-Event: Message Hook" and "Content-Type: application/json", signed with HMAC_SHA1,
carrying the test message "【DMS数据管理】Webhook test, code: NNNNNN" (a random 6-digit code)
or the event in FILE. user:pass@ in URL is sent as HTTP basic authentication (and, as in DMS,
is part of the URL that is signed). Prints the status and the response, and says whether the
response follows DMS's format.

Options:
  --secret S           the signing password (required unless --unsigned)
  --configured-url U   sign for this URL (the one configured in DMS) instead of URL, for
                       example when sending to a local port behind a proxy or tunnel
  --event FILE         the messageEvent to send: a JSON object, or a whole DMS body whose
                       messageEvent is taken; "-" reads standard input
  --unsigned           send with signatureMethod None (the DMS console's default)
  --tamper             change the event after signing it (a receiver must refuse it)
  --timeout SECONDS    give up after this long (default 10)
  -h, --help           show this help

Exit status: 0 when the receiver accepted it ({"success":true} with a 2xx status),
1 when it refused it, answered outside DMS's format or could not be reached, 2 usage error.
`,
  verify: `Usage: dms-webhook verify --url U --secret S [--secret S2 ...] [FILE|-]

Verifies a saved request body (from FILE, or standard input when FILE is "-" or absent)
against the webhook URL and signing password(s) configured in DMS. When it is not authentic,
prints why: the error, how the body was read, and hints such as a trailing slash missing from
the URL (the expected signature is never printed).

Options:
  --url U           the webhook URL exactly as configured in DMS (repeatable)
  --secret S        the signing password (repeatable, while rotating)
  --allow-unsigned  accept a body sent with signatureMethod None
  -h, --help        show this help

Exit status: 0 authentic, 1 not authentic (or not a valid DMS body), 2 usage error
(missing --url/--secret, unreadable file, unknown option).
`,
};

class UsageError extends Error {}

function parseCommandArgs(argv, options, allowPositionals = false) {
  try {
    return parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals,
      strict: true,
    });
  } catch (err) {
    throw new UsageError(err.message);
  }
}

function commandName() {
  const script = process.argv[1] ? path.basename(process.argv[1]) : 'dms-webhook';
  if (/^cli\.m?js$/.test(script)) {
    const rel = path.relative(process.cwd(), process.argv[1]) || script;
    return `node ${shellQuote(rel)}`;
  }
  return process.env.npm_command === 'exec' ? 'npx dms-webhook' : 'dms-webhook';
}

function shellQuote(text) {
  if (/^[A-Za-z0-9_\-.,:/@%+=]+$/.test(text)) return text;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function oneLine(text, max = 200) {
  // Never let a body drive the terminal: control characters and line breaks become spaces.
  // eslint-disable-next-line no-control-regex
  const clean = String(text).replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

function parseInteger(text, name, min, max) {
  if (!/^\d+$/.test(String(text))) throw new UsageError(`${name} must be a whole number`);
  const n = Number(text);
  if (n < min || n > max) throw new UsageError(`${name} must be between ${min} and ${max}`);
  return n;
}

function checkSecrets(secrets) {
  for (const s of secrets) {
    if (s === '') throw new UsageError('--secret must not be empty (DMS refuses an empty password)');
  }
}

function makeSecret() {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  let s = '';
  for (let i = 0; i < 24; i += 1) s += alphabet[randomInt(alphabet.length)];
  return s;
}

function jsonReplacer(_key, value) {
  return typeof value === 'bigint' ? value.toString() : value;
}

function eventSummary(event) {
  if (!event || typeof event !== 'object') return '';
  const part = (v) => (v === undefined || v === null || v === '' ? '-' : oneLine(String(v), 40));
  const parts = [`${part(event.category)}/${part(event.module)}/${part(event.event)}`];
  const task = [event.taskId, event.taskName].filter((v) => v !== undefined && v !== null && v !== '');
  if (task.length) parts.push(`task ${oneLine(task.join(' '), 60)}`);
  if (event.message !== undefined && event.message !== null) parts.push(oneLine(String(event.message)));
  return parts.join('  ');
}

function readStdin() {
  return new Promise((resolve, reject) => {
    const chunks = [];
    process.stdin.on('data', (c) => chunks.push(c));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks)));
    process.stdin.on('error', reject);
  });
}

async function readInput(file) {
  if (file === '-' || file === undefined) {
    if (file === undefined && process.stdin.isTTY) {
      throw new UsageError('give a FILE, or pipe the body on standard input');
    }
    return readStdin();
  }
  try {
    return readFileSync(file);
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
  }
}

// ---------------------------------------------------------------------------------------------
// listen

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.ts': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
};

function wwwDir() {
  for (const dir of [path.join(PKG_DIR, 'www'), path.join(PKG_DIR, '..', 'www')]) {
    if (existsSync(path.join(dir, 'index.html'))) return dir;
  }
  return null;
}

/**
 * Resolves a URL path inside root, refusing anything outside it (.., encoded slashes,
 * symlinks that lead out, dot files, node_modules). Returns the file path or null.
 */
function resolveInside(root, relPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(relPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').filter((s) => s !== '');
  if (segments.some((s) => s.startsWith('.') || s === 'node_modules')) return null;
  const realRoot = realpathSync(root);
  let file = path.resolve(realRoot, ...segments);
  if (file !== realRoot && !file.startsWith(realRoot + path.sep)) return null;
  try {
    let st = statSync(file);
    if (st.isDirectory()) {
      file = path.join(file, 'index.html');
      st = statSync(file);
    }
    if (!st.isFile()) return null;
    const real = realpathSync(file);
    if (!real.startsWith(realRoot + path.sep)) return null;
    return real;
  } catch {
    return null;
  }
}

function serveFile(req, res, file, extraHeaders = {}) {
  const type = CONTENT_TYPES[path.extname(file).toLowerCase()];
  if (!type) return false;
  const size = statSync(file).size;
  res.writeHead(200, {
    'content-type': type,
    'content-length': String(size),
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
    ...extraHeaders,
  });
  if (req.method === 'HEAD') {
    res.end();
  } else {
    createReadStream(file).on('error', () => res.destroy()).pipe(res);
  }
  return true;
}

/** Serves the page (GET /) and the package's files (GET /dms-webhook/...). */
function serveStatic(req, res, pathname) {
  if (pathname === '/dms-webhook' || pathname.startsWith('/dms-webhook/')) {
    const rel = pathname.slice('/dms-webhook'.length);
    if (rel === '' || rel === '/') return false;
    const file = resolveInside(PKG_DIR, rel);
    return file ? serveFile(req, res, file) : false;
  }
  const www = wwwDir();
  if (!www) {
    if (pathname === '/' || pathname === '/index.html') {
      const text = 'The page is not in this copy of dms-webhook (no www/ beside cli.js).\n';
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(req.method === 'HEAD' ? undefined : text);
      return true;
    }
    return false;
  }
  const file = resolveInside(www, pathname);
  if (!file) return false;
  // The page looks for this header to show the deliveries as they arrive.
  const link = file.endsWith('.html') ? { link: '</events>; rel="alternate"; type="text/event-stream"' } : {};
  return serveFile(req, res, file, link);
}

async function listen(argv) {
  const { values } = parseCommandArgs(argv, {
    port: { type: 'string', default: '8000' },
    host: { type: 'string', default: '127.0.0.1' },
    url: { type: 'string' },
    secret: { type: 'string', multiple: true },
    'allow-unsigned': { type: 'boolean', default: false },
    'max-body-bytes': { type: 'string' },
  });
  if (values.help) {
    process.stdout.write(HELP.listen);
    return 0;
  }
  const port = parseInteger(values.port, '--port', 0, 65535);
  const maxBodyBytes = values['max-body-bytes'] === undefined
    ? 1048576 : parseInteger(values['max-body-bytes'], '--max-body-bytes', 1, 2 ** 31);
  const givenSecrets = values.secret ?? [];
  checkSecrets(givenSecrets);
  const generated = givenSecrets.length === 0;
  const secrets = generated ? [makeSecret()] : givenSecrets;
  if (values.url === '') throw new UsageError('--url must not be empty');
  try {
    // Refuse options the verifier would refuse, before listening.
    verify('{"messageEvent":{}}', { url: values.url ?? 'http://127.0.0.1/', secret: secrets, requireSignature: false, maxBodyBytes });
  } catch (err) {
    if (err instanceof DmsWebhookError && err.code === 'INVALID_OPTIONS') throw new UsageError(err.message);
  }

  const clients = new Set();
  const history = [];
  let lastId = 0;
  let options = null;

  function broadcast(delivery) {
    lastId += 1;
    const frame = `id: ${lastId}\ndata: ${JSON.stringify(delivery, jsonReplacer)}\n\n`;
    history.push({ id: lastId, frame });
    if (history.length > 100) history.shift();
    for (const client of clients) client.write(frame);
  }

  function openEvents(req, res) {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    const since = Number(req.headers['last-event-id'] ?? 0) || 0;
    for (const item of history) if (item.id > since) res.write(item.frame);
    clients.add(res);
    req.on('close', () => clients.delete(res));
  }

  async function deliver(req, res) {
    const time = new Date().toISOString();
    let body = null;
    let verdict;
    let event;
    let shown;
    let hint = '';
    try {
      const { result, body: raw } = await verifyNodeRequest(req, options);
      body = raw;
      event = result.event;
      shown = event;
      const m = result.matched;
      verdict = {
        ok: true,
        code: null,
        message: m
          ? `signature verified (${m.url}, secret #${m.secretIndex + 1}, ${m.form} form)`
          : 'accepted without a signature (signatureMethod None)',
      };
      sendDmsResponse(res, result);
    } catch (err) {
      body = err && err.body ? err.body : null;
      const known = err instanceof DmsWebhookError;
      verdict = {
        ok: false,
        code: known ? err.code : 'INTERNAL_ERROR',
        message: known ? err.message : 'the receiver failed while handling the notification',
      };
      if (!known) console.error(err);
      sendDmsResponse(res, err, { close: !req.readableEnded });
      if (body) {
        try {
          shown = parse(body).event;
        } catch { /* not a DMS body */ }
        try {
          const first = explain(body, options).hints[0];
          if (first) hint = first.message;
        } catch { /* explain needs valid options */ }
      }
    }
    const verdictText = verdict.ok ? 'OK' : verdict.code;
    const line = [time, verdictText.padEnd(8), eventSummary(shown)];
    if (!verdict.ok) line.push(`(${oneLine(verdict.message, 160)}${hint ? `; ${oneLine(hint, 160)}` : ''})`);
    process.stdout.write(`${line.filter(Boolean).join('  ')}\n`);
    const delivery = {
      time,
      method: req.method,
      path: req.url,
      body: body ? body.toString('utf8') : '',
      verdict,
    };
    if (event !== undefined) delivery.event = event;
    broadcast(delivery);
  }

  const server = createServer((req, res) => {
    let pathname;
    try {
      pathname = new URL(req.url, 'http://localhost').pathname;
    } catch {
      pathname = '/';
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      if (pathname === '/events' && req.method === 'GET') {
        openEvents(req, res);
        return;
      }
      try {
        if (serveStatic(req, res, pathname)) return;
      } catch (err) {
        console.error(err);
      }
    }
    if (req.method !== 'POST') {
      sendDmsResponse(res, new DmsWebhookError('METHOD_NOT_ALLOWED',
        `${req.method} is not allowed here: DMS delivers notifications with POST`));
      return;
    }
    deliver(req, res).catch((err) => {
      console.error(err);
      if (!res.headersSent) sendDmsResponse(res, err);
    });
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, values.host, () => {
      server.removeListener('error', reject);
      resolve();
    });
  }).catch((err) => {
    const why = err.code === 'EADDRINUSE' ? `port ${port} is in use (try --port 0 for a free one)` : err.message;
    throw Object.assign(new Error(`cannot listen on ${values.host}:${port}: ${why}`), { exitCode: 1 });
  });

  const actualPort = server.address().port;
  let urlHost = values.host;
  if (urlHost === '0.0.0.0' || urlHost === '::' || urlHost === '') urlHost = '127.0.0.1';
  if (urlHost.includes(':')) urlHost = `[${urlHost}]`;
  const local = `http://${urlHost}:${actualPort}/`;
  const url = values.url ?? local;
  options = {
    url,
    secret: secrets,
    requireSignature: !values['allow-unsigned'],
    maxBodyBytes,
  };

  const cmd = commandName();
  const out = [];
  out.push(`dms-webhook listening on ${local}`);
  out.push('');
  out.push(`  Webhook URL  ${url}${values.url ? '' : '  (pass --url to use the one configured in DMS)'}`);
  if (generated) {
    out.push(`  Secret       ${secrets[0]}  (made up for this run; pass --secret to use your own)`);
  } else {
    out.push(`  Secrets      ${secrets.length} configured`);
  }
  out.push(`  Signatures   ${values['allow-unsigned'] ? 'checked when present; unsigned notifications accepted' : 'required'}`);
  out.push(`  Page         ${local}  (paste a body to verify it; deliveries appear as they arrive)`);
  out.push('');
  out.push('Send a test notification like the DMS console\'s Test button:');
  const secretArg = generated ? shellQuote(secrets[0]) : '<secret>';
  const configured = url !== local ? ` --configured-url ${shellQuote(url)}` : '';
  out.push(`  ${cmd} send ${local} --secret ${secretArg}${configured}`);
  out.push('');
  out.push('Deliveries (Ctrl-C to stop):');
  process.stdout.write(`${out.join('\n')}\n`);

  const heartbeat = setInterval(() => {
    for (const client of clients) client.write(': ping\n\n');
  }, 20000);
  heartbeat.unref();

  return new Promise((resolve) => {
    const stop = () => {
      clearInterval(heartbeat);
      for (const client of clients) client.end();
      server.close(() => resolve(0));
      server.closeAllConnections?.();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

// ---------------------------------------------------------------------------------------------
// send

function testEvent() {
  const code = String(randomInt(0, 1000000)).padStart(6, '0');
  return {
    submitterName: 'dms-webhook',
    submitterUid: '0000000000000000',
    category: '工单',
    event: '执行成功',
    eventTime: Date.now(),
    message: `【DMS数据管理】Webhook test, code: ${code} `,
    module: '数据变更',
    receivers: [{ name: 'dms-webhook', uid: '0000000000000000' }],
    targetUsers: [{ name: 'dms-webhook', uid: '0000000000000000' }],
    taskName: 'Webhook test',
  };
}

/** The messageEvent text of an --event file: a messageEvent object, or a whole DMS body. */
function eventText(bytes, file) {
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  let value;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${file} is not JSON: ${err.message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UsageError(`${file} must hold a JSON object (a messageEvent, or a whole DMS body)`);
  }
  const whole = value.messageEvent !== null && typeof value.messageEvent === 'object'
    && !Array.isArray(value.messageEvent);
  try {
    return canonicalize(whole ? text : `{"messageEvent":${text}}`);
  } catch (err) {
    throw new UsageError(`${file}: ${err.code ? `${err.code}: ` : ''}${err.message}`);
  }
}

function followsDmsFormat(text) {
  try {
    const value = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      && typeof value.success === 'boolean' && typeof value.root === 'string' ? value : null;
  } catch {
    return null;
  }
}

async function send(argv) {
  const { values, positionals } = parseCommandArgs(argv, {
    secret: { type: 'string' },
    'configured-url': { type: 'string' },
    event: { type: 'string' },
    unsigned: { type: 'boolean', default: false },
    tamper: { type: 'boolean', default: false },
    timeout: { type: 'string', default: '10' },
  }, true);
  if (values.help) {
    process.stdout.write(HELP.send);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('give exactly one URL to send to');
  const given = positionals[0];
  let target;
  try {
    target = new URL(given);
  } catch {
    throw new UsageError(`not a URL: ${given}`);
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new UsageError('the URL must start with http:// or https://');
  }
  if (values.unsigned && values.secret !== undefined) {
    throw new UsageError('--unsigned and --secret do not go together');
  }
  if (!values.unsigned && values.secret === undefined) {
    throw new UsageError('--secret is required (or --unsigned to send without a signature)');
  }
  if (values.secret !== undefined) checkSecrets([values.secret]);
  const timeout = parseInteger(values.timeout, '--timeout', 1, 3600);
  const configuredUrl = values['configured-url'] ?? given;

  let event;
  if (values.event !== undefined) {
    event = eventText(await readInput(values.event), values.event === '-' ? 'standard input' : values.event);
  } else {
    event = JSON.stringify(testEvent());
  }
  const signing = { url: configuredUrl, secret: values.secret };
  let body;
  if (values.unsigned) {
    const canonical = canonicalize(`{"messageEvent":${event}}`);
    body = `{"messageEvent":${values.tamper ? tampered(canonical) : canonical},"signatureMethod":"None"}`;
  } else if (values.tamper) {
    const canonical = canonicalize(`{"messageEvent":${event}}`);
    const signature = sign(canonical, signing);
    body = `{"messageEvent":${tampered(canonical)},"signatureMethod":"HMAC_SHA1","signatureText":${JSON.stringify(signature)}}`;
  } else {
    body = signBody(event, signing);
  }

  const headers = { 'DMS-Event': 'Message Hook', 'Content-Type': 'application/json' };
  if (target.username || target.password) {
    const user = decodeURIComponent(target.username);
    const pass = decodeURIComponent(target.password);
    headers.Authorization = `Basic ${Buffer.from(`${user}:${pass}`, 'utf8').toString('base64')}`;
    target.username = '';
    target.password = '';
  }

  let summary = '';
  try {
    summary = eventSummary(parse(body).event);
  } catch { /* shown as sent */ }
  const how = values.unsigned ? 'unsigned' : `signed for ${configuredUrl}`;
  process.stdout.write(`POST ${target.href}  (${how}${values.tamper ? ', tampered after signing' : ''})\n`);
  if (summary) process.stdout.write(`  ${summary}\n`);

  let response;
  let text;
  try {
    response = await fetch(target, {
      method: 'POST',
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeout * 1000),
    });
    text = await response.text();
  } catch (err) {
    const cause = err.cause && err.cause.message ? `: ${err.cause.message}` : '';
    const why = err.name === 'TimeoutError' ? `no answer within ${timeout} s` : `${err.message}${cause}`;
    process.stdout.write(`could not deliver: ${why}\n`);
    return 1;
  }
  process.stdout.write(`HTTP ${response.status} ${response.statusText}\n`);
  process.stdout.write(`${oneLine(text, 2000)}\n`);
  const reply = followsDmsFormat(text);
  const ok2xx = response.status >= 200 && response.status < 300;
  if (!reply) {
    process.stdout.write('The response does not follow DMS\'s format: DMS expects JSON like '
      + '{"root":"","success":true} (or "success":false with the error in "root").\n');
    return 1;
  }
  if (reply.success && ok2xx) {
    process.stdout.write('The response follows DMS\'s format: accepted.\n');
    return 0;
  }
  if (reply.success) {
    process.stdout.write(`The response follows DMS's format, but says success with status ${response.status}.\n`);
    return 1;
  }
  process.stdout.write(`The response follows DMS's format: refused${reply.root ? `: ${oneLine(reply.root)}` : ''}.\n`);
  return 1;
}

/** The canonical messageEvent with a field added, so that its signature no longer matches. */
function tampered(canonical) {
  return canonical === '{}' ? '{"tampered":true}' : `${canonical.slice(0, -1)},"tampered":true}`;
}

// ---------------------------------------------------------------------------------------------
// verify

async function verifyCommand(argv) {
  const { values, positionals } = parseCommandArgs(argv, {
    url: { type: 'string', multiple: true },
    secret: { type: 'string', multiple: true },
    'allow-unsigned': { type: 'boolean', default: false },
  }, true);
  if (values.help) {
    process.stdout.write(HELP.verify);
    return 0;
  }
  if (!values.url || values.url.length === 0) throw new UsageError('--url is required');
  if (!values.secret || values.secret.length === 0) throw new UsageError('--secret is required');
  checkSecrets(values.secret);
  if (positionals.length > 1) throw new UsageError('give at most one FILE');
  const bytes = await readInput(positionals[0]);
  const options = {
    url: values.url.length === 1 ? values.url[0] : values.url,
    secret: values.secret.length === 1 ? values.secret[0] : values.secret,
    requireSignature: !values['allow-unsigned'],
  };
  let result;
  try {
    result = verify(bytes, options);
  } catch (err) {
    if (!(err instanceof DmsWebhookError)) throw err;
    if (err.code === 'INVALID_OPTIONS') throw new UsageError(err.message);
    printExplanation(err, bytes, options);
    return 1;
  }
  const m = result.matched;
  const how = m
    ? `signature verified for ${m.url} with secret #${m.secretIndex + 1} (${m.form} form)`
    : 'no signature (signatureMethod None), accepted as --allow-unsigned asks';
  process.stdout.write(`authentic: ${how}\n`);
  const summary = eventSummary(result.event);
  if (summary) process.stdout.write(`  ${summary}\n`);
  return 0;
}

function printExplanation(err, bytes, options) {
  const lines = [`not authentic: ${err.code}: ${oneLine(err.message, 500)}`];
  let x = null;
  try {
    x = explain(bytes, options);
  } catch { /* explain needs valid options; verify already said why */ }
  if (x) {
    if (x.parsed) {
      lines.push(`  body: a DMS body, signatureMethod ${x.signatureMethod ?? '(none)'}, `
        + `signatureText ${x.signatureText == null ? '(none)' : JSON.stringify(x.signatureText)}`);
      const summary = eventSummary(x.event);
      if (summary) lines.push(`  event (unverified): ${summary}`);
      if (x.canonicalEqualsRaw === false) {
        lines.push(`  the messageEvent in the body is not in fastjson's canonical form (first difference at character ${x.firstDifference}); both forms were tried`);
      }
    } else if (x.parseError) {
      const at = x.parseError.offset !== undefined && x.parseError.offset !== null ? ` at byte ${x.parseError.offset}` : '';
      lines.push(`  body: not readable as a DMS body${at}: ${x.parseError.code}: ${oneLine(x.parseError.message, 300)}`);
    }
    for (const hint of x.hints || []) {
      lines.push(`  hint: ${hint.code}: ${oneLine(hint.message, 500)}`);
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

// ---------------------------------------------------------------------------------------------

function version() {
  try {
    return JSON.parse(readFileSync(path.join(PKG_DIR, 'package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

async function main(argv) {
  const [command, ...rest] = argv;
  switch (command) {
    case 'listen': return listen(rest);
    case 'send': return send(rest);
    case 'verify': return verifyCommand(rest);
    case 'help':
      if (rest[0] && HELP[rest[0]]) {
        process.stdout.write(HELP[rest[0]]);
        return 0;
      }
      process.stdout.write(HELP.main);
      return 0;
    case '-h':
    case '--help':
      process.stdout.write(HELP.main);
      return 0;
    case '-v':
    case '--version':
      process.stdout.write(`${version()}\n`);
      return 0;
    case undefined:
      process.stderr.write(HELP.main);
      return 2;
    default:
      throw new UsageError(`unknown command "${command}" (listen, send or verify)`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    if (err instanceof UsageError) {
      process.stderr.write(`dms-webhook: ${err.message}\nRun "dms-webhook --help" for usage.\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`dms-webhook: ${err && err.message ? err.message : err}\n`);
      process.exitCode = err && err.exitCode ? err.exitCode : 1;
    }
  },
);
