// `dms-webhook listen` (pkg/cli/listen.js), in process: its options and their refusals, the secret
// and dashboard token it makes up (the secret saved in a private file, never printed), the exact
// banner for each way of giving them, the listener it starts (deliveries verified with those
// credentials), and how it stops on SIGTERM or SIGINT (a second signal stops at once). The
// handlers listen installed for SIGTERM and SIGINT are called as a signal would (none is sent,
// and no other handler of the test process runs: a test runner's own may exit), each test
// removes them, and every listener is stopped; os.tmpdir() points into the test's own folder.
import test from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import {
  chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync,
} from 'node:fs';
import { createServer, request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { signBody } from '../../pkg/node.mjs';
import { listen } from '../../pkg/cli/listen.js';
import { HELP } from '../../pkg/cli/help.js';
import { UsageError } from '../../pkg/cli/usage.js';
import { captureOutput, withEnv } from './cli-capture.mjs';

const TMP = mkdtempSync(path.join(tmpdir(), 'dms-webhook-listen-'));
test.after(() => rmSync(TMP, { recursive: true, force: true }));

const SECRET = 'listen-Secret-4m';
const TOKEN = 'listen-token-0123456789';
const SIGNALS = ['SIGINT', 'SIGTERM'];
const CLEAN_ENV = {
  DMS_WEBHOOK_SECRET: undefined, DMS_WEBHOOK_DASHBOARD_TOKEN: undefined, DMS_WEBHOOK_URL: undefined, npm_command: undefined,
};
let dirs = 0;

/** A fresh folder for os.tmpdir() during the test: where a made-up secret is saved. */
function tmpFolder(t) {
  dirs += 1;
  const dir = path.join(TMP, `tmp-${dirs}`);
  mkdirSync(dir);
  withEnv(t, { TMPDIR: dir });
  return dir;
}

/**
 * Runs `listen --port 0 ...args` until it printed its banner (or failed). The handlers it added
 * for SIGINT and SIGTERM are noted then, and removed when it stops or the test ends; a listener
 * still running when the test ends (it failed) is stopped through its own handler.
 */
async function launch(t, args, env) {
  withEnv(t, { ...CLEAN_ENV, ...env });
  const before = Object.fromEntries(SIGNALS.map((s) => [s, process.listeners(s)]));
  const added = () => Object.fromEntries(SIGNALS.map((s) => [s, process.listeners(s).filter((l) => !before[s].includes(l))]));
  let settled = null;
  let mine = null;
  let out = null;
  let done = null;
  const cleanup = () => {
    for (const [s, ls] of Object.entries(mine ?? added())) for (const l of ls) process.removeListener(s, l);
    out?.restore();
  };
  // Registered before the capture's own restore, so that what a listener still running prints
  // while it stops is captured too.
  t.after(async () => {
    if (settled === null && mine?.SIGTERM.length) {
      mine.SIGTERM[0]('SIGTERM');
      await done.catch(() => {});
    }
    cleanup();
  });
  out = captureOutput(t);
  done = listen(['--port', '0', ...args]).then(
    (code) => { settled = { code }; return code; },
    (err) => { settled = { err }; throw err; },
  );
  done.catch(() => {});
  const deadline = Date.now() + 5000;
  while (!out.stdout.includes('Deliveries (Ctrl-C to stop):\n') && settled === null) {
    if (Date.now() > deadline) throw new Error(`no banner: ${out.stdout}${out.stderr}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
  mine = added();
  return { out, done, settled, cleanup, handlers: mine };
}

/** Starts a listener; `stop(signal)` emits the signal and resolves to listen's exit status. */
async function start(t, args, env = {}) {
  const run = await launch(t, args, env);
  if (run.settled?.err) {
    run.cleanup();
    throw run.settled.err;
  }
  const local = /^dms-webhook listening on (http:\/\/127\.0\.0\.1:(\d+)\/)\n/.exec(run.out.stdout);
  assert.ok(local, run.out.stdout);
  return {
    ...run,
    base: local[1],
    port: Number(local[2]),
    async stop(signal = 'SIGTERM') {
      assert.equal(run.handlers[signal].length, 1, `one handler for ${signal}`);
      run.handlers[signal][0](signal);
      const code = await run.done;
      run.cleanup();
      return code;
    },
  };
}

/** listen refuses `args` with a usage error, having printed nothing and listened nowhere. */
async function refused(t, args, message, env = {}) {
  const counts = SIGNALS.map((s) => process.listenerCount(s));
  const run = await launch(t, args, env);
  run.cleanup();
  assert.ok(run.settled?.err, `${args.join(' ')}: it listened`);
  const { err } = run.settled;
  assert.ok(err instanceof UsageError, `${args.join(' ')}: ${err.stack}`);
  if (message instanceof RegExp) assert.match(err.message, message);
  else assert.equal(err.message, message, args.join(' '));
  assert.equal(run.out.stdout, '', args.join(' '));
  assert.deepEqual(SIGNALS.map((s) => process.listenerCount(s)), counts, 'no handler left');
}

/** One request on a connection of its own (closed after the answer, so stopping never waits for it). */
function call(base, { method = 'GET', path: target = '/', headers = {}, body } = {}) {
  const { port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path: target, headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function deliver(base, body) {
  return call(base, { method: 'POST', headers: { 'DMS-Event': 'Message Hook', 'content-type': 'application/json' }, body });
}

const config = (base, token, host) => call(base, {
  path: '/config', headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(host ? { host } : {}) },
}).then((r) => r.status);

const event = (message) => ({ category: '工单', event: '执行成功', eventTime: Date.now(), message });

function banner(lines) {
  return `${lines.join('\n')}\n`;
}

test('--help prints the help of listen, listens nowhere, installs no handler', async (t) => {
  const counts = SIGNALS.map((s) => process.listenerCount(s));
  const out = captureOutput(t);
  const code = await listen(['--help', '--port', 'not-a-port']);
  out.restore();
  assert.equal(code, 0);
  assert.equal(out.stdout, HELP.listen);
  assert.deepEqual(SIGNALS.map((s) => process.listenerCount(s)), counts);
});

test('no secret, no token: both made up, the secret saved in a private file and never printed', async (t) => {
  const dir = tmpFolder(t);
  const l = await start(t, []);
  const [folder] = readdirSync(dir);
  assert.match(folder, /^dms-webhook-/);
  const secretFile = path.join(dir, folder, 'secret');
  assert.equal(statSync(path.join(dir, folder)).mode & 0o777, 0o700);
  assert.equal(statSync(secretFile).mode & 0o777, 0o600);
  const secret = readFileSync(secretFile, 'utf8').replace(/\n$/, '');
  assert.match(secret, /^[A-Za-z0-9]{24}$/);
  const token = /\?token=([A-Za-z0-9_-]{32})\n/.exec(l.out.stdout)?.[1];
  assert.ok(token, l.out.stdout);
  assert.equal(l.out.stdout, banner([
    `dms-webhook listening on ${l.base}`,
    '',
    `  Webhook URL  ${l.base}  (pass --url to use the one configured in DMS)`,
    `  Secret       made up for this run, in ${secretFile}  (set it as the password in DMS, or pass --secret-file)`,
    '  Signatures   required',
    '  Replays      eventTime must be within 1h of now; repeats within that window are not handled twice',
    `  Page         ${l.base}?token=${token}`,
    '               (private: this address carries the dashboard token; deliveries appear as they arrive)',
    '',
    'Send a test notification like the DMS console\'s Test button:',
    `  dms-webhook send ${l.base} --secret-file ${secretFile}`,
    '',
    'Deliveries (Ctrl-C to stop):',
  ]));
  assert.equal(l.out.stderr, '');
  assert.ok(!l.out.stdout.includes(secret));
  assert.equal(l.handlers.SIGINT.length, 1);
  assert.equal(l.handlers.SIGTERM.length, 1);
  assert.equal(l.handlers.SIGINT[0], l.handlers.SIGTERM[0]);

  // The listener verifies with the made-up secret, for the local URL; the page opens with the token.
  assert.equal((await deliver(l.base, signBody(event('made-up secret'), { url: l.base, secret }))).status, 200);
  assert.equal((await deliver(l.base, signBody(event('wrong secret'), { url: l.base, secret: SECRET }))).status, 401);
  assert.equal(await config(l.base, token), 200);
  assert.equal(await config(l.base), 401);
  const log = l.out.stdout.split('Deliveries (Ctrl-C to stop):\n')[1].split('\n');
  assert.match(log[0], /  OK  .*made-up secret$/);
  assert.match(log[1], /  SIGNATURE_MISMATCH  .*wrong secret  \(the signature matches none/);

  const before = l.out.stdout.length;
  assert.equal(await l.stop('SIGTERM'), 0);
  assert.match(l.out.stdout.slice(before), /^Stopped in \d+ ms\.\n$/);
  const refusedNow = await call(l.base).then(() => 'answered', (err) => err.code);
  assert.equal(refusedNow, 'ECONNREFUSED');
});

test('--secret, --dashboard-token and --url: counted, not printed; signatures checked for that URL', async (t) => {
  const url = 'https://dms.example.com/hooks/dms';
  const dir = tmpFolder(t);
  const l = await start(t, ['--secret', SECRET, '--secret', 'listen-Secret-next', '--dashboard-token', TOKEN, '--url', url]);
  assert.deepEqual(readdirSync(dir), [], 'no secret file');
  assert.equal(l.out.stdout, banner([
    `dms-webhook listening on ${l.base}`,
    '',
    `  Webhook URL  ${url}`,
    '  Secrets      2 configured (from --secret)',
    '  Signatures   required',
    '  Replays      eventTime must be within 1h of now; repeats within that window are not handled twice',
    `  Page         ${l.base}`,
    '               (private: open it with ?token=<your dashboard token>; deliveries appear as they arrive)',
    '',
    'Send a test notification like the DMS console\'s Test button:',
    `  dms-webhook send ${l.base} --secret-file <file with the secret> --configured-url ${url}`,
    '',
    'Deliveries (Ctrl-C to stop):',
  ]));
  assert.equal((await deliver(l.base, signBody(event('for the URL'), { url, secret: 'listen-Secret-next' }))).status, 200);
  assert.equal((await deliver(l.base, signBody(event('for local'), { url: l.base, secret: SECRET }))).status, 401);
  assert.equal(await config(l.base, TOKEN), 200);
  assert.equal(await l.stop('SIGINT'), 0);
});

test('a URL with credentials: redacted, and the send command does not repeat it', async (t) => {
  const url = 'https://dms:pa55word@dms.example.com/hook?key=k3y-value';
  const l = await start(t, ['--secret', SECRET, '--url', url]);
  const lines = l.out.stdout.split('\n');
  assert.equal(lines[2], '  Webhook URL  https://***@dms.example.com/hook?key=***');
  assert.equal(lines[10], `  dms-webhook send ${l.base} --secret-file <file with the secret> --configured-url '<the Webhook URL as configured in DMS>'`);
  for (const hidden of ['pa55word', 'k3y-value']) assert.ok(!l.out.stdout.includes(hidden), hidden);
  assert.equal((await deliver(l.base, signBody(event('creds'), { url, secret: SECRET }))).status, 200);
  assert.equal(await l.stop(), 0);
  // A URL that is only a query, or odd characters: quoted for the shell.
  const q = await start(t, ['--secret', SECRET, '--url', 'https://dms.example.com/a b']);
  assert.equal(q.out.stdout.split('\n')[10], `  dms-webhook send ${q.base} --secret-file <file with the secret> --configured-url 'https://dms.example.com/a b'`);
  assert.equal(await q.stop(), 0);
  const query = await start(t, ['--secret', SECRET, '--url', 'https://dms.example.com/?a']);
  assert.equal(query.out.stdout.split('\n')[10], `  dms-webhook send ${query.base} --secret-file <file with the secret> --configured-url '<the Webhook URL as configured in DMS>'`);
  assert.equal(await query.stop(), 0);
  // A user name or a password alone is enough to keep the URL out of the send command; a URL
  // that cannot be read (here its port) is not repeated either: what in it is secret is unknown.
  for (const [given, shown] of [
    ['https://dms:pa55word@dms.example.com/hook', 'https://***@dms.example.com/hook'],
    ['https://:pa55word@dms.example.com/hook', 'https://***@dms.example.com/hook'],
    ['https://pa55word@dms.example.com/hook', 'https://***@dms.example.com/hook'],
    ['https://dms:pa55word@dms.example.com:99999/hook', '(not a URL)'],
  ]) {
    const c = await start(t, ['--secret', SECRET, '--url', given]);
    const cLines = c.out.stdout.split('\n');
    assert.equal(cLines[2], `  Webhook URL  ${shown}`, given);
    assert.equal(cLines[10], `  dms-webhook send ${c.base} --secret-file <file with the secret> --configured-url '<the Webhook URL as configured in DMS>'`, given);
    assert.ok(!c.out.stdout.includes('pa55word'), given);
    assert.equal(await c.stop(), 0);
  }
});

test('the secrets from a file (its path in the send command, a warning when others can read it)', async (t) => {
  const file = path.join(TMP, 'two secrets');
  writeFileSync(file, `${SECRET}\nlisten-Secret-old\n`);
  chmodSync(file, 0o644);
  const l = await start(t, ['--secret-file', file]);
  assert.equal(l.out.stderr, `dms-webhook: warning: ${file} can be read by other users: chmod 600 it\n`);
  const lines = l.out.stdout.split('\n');
  assert.equal(lines[3], '  Secrets      2 configured (from the --secret-file)');
  assert.equal(lines[10], `  dms-webhook send ${l.base} --secret-file '${file}'`);
  assert.equal((await deliver(l.base, signBody(event('second'), { url: l.base, secret: 'listen-Secret-old' }))).status, 200);
  assert.equal(await l.stop(), 0);
});

test('from the environment: secret, dashboard token and URL', async (t) => {
  const url = 'https://dms.example.com/env-hook';
  const tokenFile = path.join(TMP, 'token');
  writeFileSync(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
  const l = await start(t, [], { DMS_WEBHOOK_SECRET: SECRET, DMS_WEBHOOK_DASHBOARD_TOKEN: TOKEN, DMS_WEBHOOK_URL: url });
  const lines = l.out.stdout.split('\n');
  assert.deepEqual([lines[2], lines[3], lines[6], lines[10]], [
    `  Webhook URL  ${url}`,
    '  Secrets      1 configured (from DMS_WEBHOOK_SECRET)',
    `  Page         ${l.base}`,
    `  dms-webhook send ${l.base} --configured-url ${url}  (with DMS_WEBHOOK_SECRET set)`,
  ]);
  assert.equal((await deliver(l.base, signBody(event('env'), { url, secret: SECRET }))).status, 200);
  assert.equal(await config(l.base, TOKEN), 200);
  assert.equal(await l.stop(), 0);
  // An empty DMS_WEBHOOK_URL is no URL; the token from --dashboard-token-file.
  const e = await start(t, ['--secret', SECRET, '--dashboard-token-file', tokenFile], { DMS_WEBHOOK_URL: '' });
  const eLines = e.out.stdout.split('\n');
  assert.equal(eLines[2], `  Webhook URL  ${e.base}  (pass --url to use the one configured in DMS)`);
  assert.equal(eLines[6], `  Page         ${e.base}`);
  assert.equal(await config(e.base, TOKEN), 200);
  assert.equal(await e.stop(), 0);
});

test('--allow-unsigned, --max-age, --max-body-bytes and --allowed-host reach the listener and the banner', async (t) => {
  const l = await start(t, ['--secret', SECRET, '--allow-unsigned', '--max-age', 'off', '--max-body-bytes', '400', '--allowed-host', 'dash.test']);
  const lines = l.out.stdout.split('\n');
  assert.equal(lines[4], '  Signatures   checked when present; unsigned notifications accepted');
  assert.equal(lines[5], '  Replays      any eventTime accepted (--max-age off); repeats of a delivery not handled twice');
  const unsigned = JSON.stringify({ messageEvent: { message: 'unsigned', eventTime: 1 }, signatureMethod: 'None' });
  assert.equal((await deliver(l.base, unsigned)).status, 200);
  assert.equal((await deliver(l.base, JSON.stringify({ messageEvent: { message: 'x'.repeat(400) }, signatureMethod: 'None' }))).status, 413);
  const token = l.out.stdout.match(/\?token=(\S+)/)[1];
  assert.equal(await config(l.base, token, 'dash.test'), 200);
  assert.equal(await config(l.base, token, 'other.test'), 403);
  assert.equal(await l.stop(), 0);

  const m = await start(t, ['--secret', SECRET, '--max-age', '90s']);
  assert.equal(m.out.stdout.split('\n')[5], '  Replays      eventTime must be within 90s of now; repeats within that window are not handled twice');
  const old = signBody({ ...event('old'), eventTime: Date.now() - 120000 }, { url: m.base, secret: SECRET });
  assert.equal((await deliver(m.base, old)).status, 401);
  assert.equal(await m.stop(), 0);
});

test('usage errors: each with its message, before listening; nothing printed, no handler left', async (t) => {
  await refused(t, ['--port', '65536'], '--port must be between 0 and 65535');
  await refused(t, ['--port', 'http'], '--port must be a whole number');
  await refused(t, ['--max-body-bytes', '0'], '--max-body-bytes must be between 1 and 2147483648');
  await refused(t, ['--max-body-bytes', '2147483649'], '--max-body-bytes must be between 1 and 2147483648');
  await refused(t, ['--max-age', 'soon'], '--max-age must be a duration like 90s, 15m, 1h or 2d, or "off"');
  await refused(t, ['--secret', SECRET, '--dashboard-token', 'x'.repeat(15)], 'the dashboard token must be at least 16 characters long');
  const two = path.join(TMP, 'two-tokens');
  writeFileSync(two, `${TOKEN}\n${TOKEN}x\n`, { mode: 0o600 });
  await refused(t, ['--secret', SECRET, '--dashboard-token-file', two], 'give one dashboard token');
  await refused(t, ['--secret', SECRET, '--url', ''], '--url must not be empty');
  await refused(t, ['--secret', ''], 'the secret must not be empty');
  await refused(t, ['--secret', SECRET], 'give the secret one way: --secret, --secret-file or DMS_WEBHOOK_SECRET', { DMS_WEBHOOK_SECRET: SECRET });
  await refused(t, ['--secret', SECRET, '--dashboard-token', TOKEN], 'give the dashboard token one way: --dashboard-token, --dashboard-token-file or DMS_WEBHOOK_DASHBOARD_TOKEN',
    { DMS_WEBHOOK_DASHBOARD_TOKEN: TOKEN });
  await refused(t, ['--secret', SECRET, 'stray'], /^Unexpected argument 'stray'/);
});

test('limits that are just allowed: a 16-character token, --max-body-bytes 2147483648, port given', async (t) => {
  const l = await start(t, ['--secret', SECRET, '--dashboard-token', 'y'.repeat(16), '--max-body-bytes', '2147483648', '--max-age', '0']);
  assert.equal(l.out.stdout.split('\n')[5], '  Replays      eventTime must be within 0ms of now; repeats within that window are not handled twice');
  assert.equal(await config(l.base, 'y'.repeat(16)), 200);
  assert.equal(await l.stop(), 0);
});

test('a port in use, or an address that is not this machine\'s (port 8000 by default): exit status 1, no secret saved, no handler', async (t) => {
  const dir = tmpFolder(t);
  const taken = createServer();
  taken.listen(0, '127.0.0.1');
  await once(taken, 'listening');
  t.after(() => new Promise((resolve) => taken.close(resolve)));
  const { port } = taken.address();
  const counts = SIGNALS.map((s) => process.listenerCount(s));
  withEnv(t, CLEAN_ENV);
  const out = captureOutput(t);
  const inUse = await listen(['--port', String(port)]).then(() => null, (err) => err);
  const elsewhere = await listen(['--port', '0', '--host', '192.0.2.1', '--secret', SECRET]).then(() => null, (err) => err);
  // Without --port: 8000 (an address not this machine's, so nothing is bound whatever holds 8000).
  const byDefault = await listen(['--host', '192.0.2.1', '--secret', SECRET]).then(() => null, (err) => err);
  out.restore();
  assert.ok(!(inUse instanceof UsageError));
  assert.equal(inUse.message, `cannot listen on 127.0.0.1:${port}: port ${port} is in use (try --port 0 for a free one)`);
  assert.equal(inUse.exitCode, 1);
  assert.equal(elsewhere.message, 'cannot listen on 192.0.2.1:0: listen EADDRNOTAVAIL: address not available 192.0.2.1');
  assert.equal(elsewhere.exitCode, 1);
  assert.equal(byDefault.message, 'cannot listen on 192.0.2.1:8000: listen EADDRNOTAVAIL: address not available 192.0.2.1:8000');
  assert.equal(byDefault.exitCode, 1);
  assert.equal(out.stdout, '');
  assert.deepEqual(readdirSync(dir), []);
  assert.deepEqual(SIGNALS.map((s) => process.listenerCount(s)), counts);
});

/**
 * A delivery whose headers reached the listener on `port` and whose 100-byte body is still to
 * come: the server's "100 Continue" (to `Expect: 100-continue`) says it has the request and waits.
 */
async function requestInFlight(t, port) {
  const socket = connect(port, '127.0.0.1');
  t.after(() => socket.destroy());
  await once(socket, 'connect');
  const closed = once(socket, 'close');
  socket.on('error', () => {});
  socket.write('POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nDMS-Event: Message Hook\r\nContent-Type: application/json\r\n'
    + 'Content-Length: 100\r\nExpect: 100-continue\r\n\r\n');
  const [continued] = await once(socket, 'data');
  assert.match(continued.toString(), /^HTTP\/1\.1 100 Continue\r\n/);
  return { socket, closed };
}

test('a request in flight: the first signal waits for it, a second one stops at once (130)', async (t) => {
  const l = await start(t, ['--secret', SECRET]);
  const { socket, closed } = await requestInFlight(t, l.port);
  socket.write('{"messageEvent":');
  l.handlers.SIGTERM[0]('SIGTERM');
  const first = await Promise.race([l.done, new Promise((resolve) => setTimeout(() => resolve('still waiting'), 100))]);
  assert.equal(first, 'still waiting');
  assert.ok(!l.out.stdout.includes('Stopped in'));
  l.handlers.SIGINT[0]('SIGINT');
  assert.equal(await l.done, 130);
  await closed;
  // The first stop then ends too: the connection it waited for is gone, not cut at its deadline.
  while (!l.out.stdout.includes('Stopped in')) await new Promise((resolve) => setImmediate(resolve));
  l.cleanup();
  assert.match(l.out.stdout.split('Deliveries (Ctrl-C to stop):\n')[1], /^Stopped in \d+ ms\.\n$/);
});

test('a connection still open at the 5 s deadline is cut, and the stop says so', async (t) => {
  const l = await start(t, ['--secret', SECRET]);
  const { closed } = await requestInFlight(t, l.port);
  // The body never comes. The stop's deadline timer is recorded and made to fire after 20 ms
  // instead of the 5 s asked for, so the deadline is reached without waiting for it.
  const asked = [];
  const realSetTimeout = globalThis.setTimeout;
  globalThis.setTimeout = (fn, ms, ...rest) => {
    asked.push(ms);
    return realSetTimeout(fn, ms === 5000 ? 20 : ms, ...rest);
  };
  try {
    l.handlers.SIGTERM[0]('SIGTERM');
  } finally {
    globalThis.setTimeout = realSetTimeout;
  }
  assert.deepEqual(asked, [5000]);
  assert.equal(await l.done, 0);
  await closed;
  l.cleanup();
  assert.match(l.out.stdout.split('Deliveries (Ctrl-C to stop):\n')[1], /^Stopped in \d+ ms \(connections still open after 5 s were closed\)\.\n$/);
});
