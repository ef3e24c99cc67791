// `dms-webhook send` (pkg/cli/send.js), in process, against a local receiver that records what it
// gets: the request (headers, Basic auth from the URL, the body and its signature, checked with the
// package), the options (--configured-url, --event, --unsigned, --tamper, --timeout), each usage
// error's message, the exact lines printed, and the exit status for every kind of answer.
import test from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  canonicalize, sign, signBody, verify,
} from '../../pkg/node.mjs';
import { send } from '../../pkg/cli/send.js';
import { HELP } from '../../pkg/cli/help.js';
import { pipeStdin, refusedCommand, runCommand, writeModeFile } from './cli-capture.mjs';

const TMP = mkdtempSync(path.join(tmpdir(), 'dms-webhook-send-'));
const run = (t, args, env) => runCommand(t, send, args, env);
const refused = (t, args, message, env) => refusedCommand(t, send, args, message, env);
const secretFile = (name, text, mode) => writeModeFile(TMP, name, text, mode);
test.after(() => rmSync(TMP, { recursive: true, force: true }));

const SECRET = 'send-Secret-7q';
const ACCEPTED = '{"root":"","success":true}';

/** A receiver on 127.0.0.1:0 that records each request and answers `answer(req)` (or never). */
async function receiver(t, answer = () => ({ status: 200, body: ACCEPTED })) {
  const got = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const entry = { method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      got.push(entry);
      const a = answer(entry);
      if (!a) return; // never answers
      res.writeHead(a.status, a.message ?? undefined, a.headers ?? { 'content-type': 'application/json' });
      res.end(a.body);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  });
  const base = `http://127.0.0.1:${server.address().port}`;
  return { got, base, port: server.address().port };
}

const codeOf = (body) => /code: (\d{6}) $/.exec(JSON.parse(body).messageEvent.message)[1];

test('--help prints the help of send and sends nothing', async (t) => {
  const r = await run(t, ['--help']);
  assert.deepEqual(r, { code: 0, stdout: HELP.send, stderr: '' });
  assert.equal((await run(t, ['-h', 'http://127.0.0.1:1/'])).stdout, HELP.send);
});

test('the test notification: DMS headers, the Test button\'s event, signed for the URL as given', async (t) => {
  const rx = await receiver(t);
  const url = `${rx.base}/hook`;
  const before = Date.now();
  const r = await run(t, [url, '--secret', SECRET]);
  const after = Date.now();
  assert.equal(rx.got.length, 1);
  const [req] = rx.got;
  assert.equal(req.method, 'POST');
  assert.equal(req.url, '/hook');
  assert.equal(req.headers['dms-event'], 'Message Hook');
  assert.equal(req.headers['content-type'], 'application/json');
  assert.equal(req.headers.authorization, undefined);
  const body = JSON.parse(req.body);
  assert.deepEqual(Object.keys(body), ['messageEvent', 'signatureMethod', 'signatureText']);
  assert.equal(body.signatureMethod, 'HMAC_SHA1');
  const result = verify(req.body, { url, secret: SECRET });
  assert.deepEqual(result.matched, { url, secretIndex: 0, form: 'canonical' });
  const code = codeOf(req.body);
  const { eventTime, ...rest } = result.event;
  assert.ok(eventTime >= before && eventTime <= after, `${eventTime} in [${before}, ${after}]`);
  assert.deepEqual(rest, {
    submitterName: 'dms-webhook',
    submitterUid: '0000000000000000',
    category: '工单',
    event: '执行成功',
    message: `【DMS数据管理】Webhook test, code: ${code} `,
    module: '数据变更',
    receivers: [{ name: 'dms-webhook', uid: '0000000000000000' }],
    targetUsers: [{ name: 'dms-webhook', uid: '0000000000000000' }],
    taskName: 'Webhook test',
  });
  assert.deepEqual(r, {
    code: 0,
    stderr: '',
    stdout: `POST ${url}  (signed for ${url})\n`
      + `  工单/数据变更/执行成功  task Webhook test  【DMS数据管理】Webhook test, code: ${code}\n`
      + 'HTTP 200 OK\n'
      + `${ACCEPTED}\n`
      + 'The response follows DMS\'s format: accepted.\n',
  });
});

test('the 6-digit code differs from one notification to the next', async (t) => {
  const rx = await receiver(t);
  for (let i = 0; i < 4; i += 1) assert.equal((await run(t, [rx.base, '--secret', SECRET])).code, 0);
  const codes = rx.got.map((g) => codeOf(g.body));
  assert.ok(new Set(codes).size > 1, codes.join(','));
});

test('user and password in the URL: sent as Basic auth, not in the request, redacted in what is printed', async (t) => {
  const rx = await receiver(t);
  const url = `http://dms:p%40ss-word@127.0.0.1:${rx.port}/hook?key=k3y-value`;
  const r = await run(t, [url, '--secret', SECRET]);
  const [req] = rx.got;
  assert.equal(req.headers.authorization, `Basic ${Buffer.from('dms:p@ss-word').toString('base64')}`);
  assert.equal(req.url, '/hook?key=k3y-value');
  assert.deepEqual(verify(req.body, { url, secret: SECRET }).matched, { url, secretIndex: 0, form: 'canonical' });
  // Where it is sent no longer carries them (they went into the header); what it is signed for does.
  assert.equal(r.stdout.split('\n')[0],
    `POST http://127.0.0.1:${rx.port}/hook?key=***  (signed for http://***@127.0.0.1:${rx.port}/hook?key=***)`);
  for (const hidden of ['p%40ss', 'p@ss', 'k3y-value']) assert.ok(!r.stdout.includes(hidden), hidden);

  // A password alone is enough.
  await run(t, [`http://:0nly-pass@127.0.0.1:${rx.port}/`, '--secret', SECRET]);
  assert.equal(rx.got[1].headers.authorization, `Basic ${Buffer.from(':0nly-pass').toString('base64')}`);
});

test('what the receiver echoes of the URLs\' password, user name or query values is hidden too', async (t) => {
  const rx = await receiver(t, (req) => ({
    status: 401,
    body: JSON.stringify({ root: `${Buffer.from(req.headers.authorization.slice(6), 'base64')} ${req.url} abcd1234`, success: false }),
  }));
  const r = await run(t, [`http://dms-user:p%40ss-word@127.0.0.1:${rx.port}/hook?key=k3y-value`, '--secret', SECRET,
    '--configured-url', 'https://dms.example.com/hook?token=abcd1234']);
  assert.equal(r.code, 1);
  assert.deepEqual(r.stdout.split('\n').slice(3), [
    '{"root":"***:*** /hook?key=*** ***","success":false}',
    'The response follows DMS\'s format: refused: ***:*** /hook?key=*** ***.',
    '',
  ]);
});

test('a user name or password in the URL that is not percent-encoded UTF-8: a usage error, nothing sent', async (t) => {
  const rx = await receiver(t);
  await refused(t, [`http://%ff:pass@127.0.0.1:${rx.port}/`, '--secret', SECRET],
    'the user name and password in the URL must be percent-encoded UTF-8');
  await refused(t, [`http://user:%E0%A4@127.0.0.1:${rx.port}/`, '--secret', SECRET],
    'the user name and password in the URL must be percent-encoded UTF-8');
  assert.equal(rx.got.length, 0);
});

test('--configured-url: signed for that URL, sent to the other', async (t) => {
  const rx = await receiver(t);
  const configured = 'https://dms.example.com/hook?token=abcd1234';
  const r = await run(t, [`${rx.base}/`, '--secret', SECRET, '--configured-url', configured]);
  assert.equal(r.code, 0);
  assert.deepEqual(verify(rx.got[0].body, { url: configured, secret: SECRET }).matched.url, configured);
  assert.throws(() => verify(rx.got[0].body, { url: `${rx.base}/`, secret: SECRET }), { code: 'SIGNATURE_MISMATCH' });
  assert.equal(r.stdout.split('\n')[0], `POST ${rx.base}/  (signed for https://dms.example.com/hook?token=***)`);
  assert.ok(!r.stdout.includes('abcd1234'));
});

test('the secret from DMS_WEBHOOK_SECRET (the first line) or --secret-file; a readable file is warned about', async (t) => {
  const rx = await receiver(t);
  assert.equal((await run(t, [rx.base, '--secret-file', secretFile('one', 'file-Secret-1\nnext-Secret-2\n')])).code, 0);
  assert.equal(verify(rx.got[0].body, { url: rx.base, secret: 'file-Secret-1' }).matched.secretIndex, 0);
  const env = await run(t, [rx.base], { DMS_WEBHOOK_SECRET: 'env-Secret-1\nenv-Secret-2' });
  assert.equal(env.code, 0);
  assert.equal(verify(rx.got[1].body, { url: rx.base, secret: 'env-Secret-1' }).matched.secretIndex, 0);
  assert.equal(env.stderr, '');
  const open = secretFile('open', 'open-Secret-1\n', 0o644);
  const warned = await run(t, [rx.base, '--secret-file', open]);
  assert.equal(warned.code, 0);
  assert.equal(warned.stderr, `dms-webhook: warning: ${open} can be read by other users: chmod 600 it\n`);
});

test('the secret never appears in what is printed, even when the receiver echoes it', async (t) => {
  const rx = await receiver(t, () => ({ status: 200, body: `{"root":"got ${SECRET}","success":false}` }));
  const r = await run(t, [rx.base, '--secret', SECRET]);
  assert.equal(r.code, 1);
  assert.ok(!r.stdout.includes(SECRET));
  assert.deepEqual(r.stdout.split('\n').slice(-3), [
    '{"root":"got ***","success":false}',
    'The response follows DMS\'s format: refused: got ***.',
    '',
  ]);
});

test('--event FILE: a messageEvent, or a whole DMS body whose messageEvent is sent, in canonical form', async (t) => {
  const rx = await receiver(t);
  const eventFile = secretFile('event.json', '\uFEFF{ "taskId": 12345678901234567890, "category": "任务编排", "message": "a\\u2028b" }');
  const a = await run(t, [rx.base, '--secret', SECRET, '--event', eventFile]);
  assert.equal(a.code, 0);
  const first = JSON.parse(rx.got[0].body);
  assert.equal(rx.got[0].body.slice(0, rx.got[0].body.indexOf(',"signatureMethod"')),
    `{"messageEvent":${canonicalize('{"messageEvent":{"taskId":12345678901234567890,"category":"任务编排","message":"a\\u2028b"}}')}`);
  assert.equal(first.messageEvent.category, '任务编排');
  assert.equal(verify(rx.got[0].body, { url: rx.base, secret: SECRET }).event.taskId, 12345678901234567890n);
  assert.equal(a.stdout.split('\n')[1], '  任务编排/-/-  task 12345678901234567890  a b');

  const wholeFile = secretFile('whole.json', signBody({ category: 'x', message: 'from a saved body' }, { url: 'https://elsewhere/', secret: 'other' }));
  assert.equal((await run(t, [rx.base, '--secret', SECRET, '--event', wholeFile])).code, 0);
  const second = verify(rx.got[1].body, { url: rx.base, secret: SECRET });
  assert.deepEqual(second.event, { category: 'x', message: 'from a saved body' });

  // A member named messageEvent that is not an object is part of the event.
  const oddFile = secretFile('odd.json', '{"messageEvent":[1],"message":"odd"}');
  assert.equal((await run(t, [rx.base, '--secret', SECRET, '--event', oddFile])).code, 0);
  assert.deepEqual(verify(rx.got[2].body, { url: rx.base, secret: SECRET }).event, { messageEvent: [1], message: 'odd' });
  // So is one that is null (and, null, it is left out of the canonical form like any null member).
  const nullFile = secretFile('null-member.json', '{"messageEvent":null,"message":"n"}');
  assert.equal((await run(t, [rx.base, '--secret', SECRET, '--event', nullFile])).code, 0);
  assert.deepEqual(verify(rx.got[3].body, { url: rx.base, secret: SECRET }).event, { message: 'n' });

  // Only a byte order mark at the very start is dropped; U+FEFF inside a string is data.
  const innerFile = secretFile('inner-bom.json', '{"message":"a\uFEFFb"}');
  assert.equal((await run(t, [rx.base, '--secret', SECRET, '--event', innerFile])).code, 0);
  assert.equal(rx.got[4].body.slice(0, rx.got[4].body.indexOf(',"signatureMethod"')),
    `{"messageEvent":${canonicalize('{"messageEvent":{"message":"a\uFEFFb"}}')}`);
  assert.deepEqual(verify(rx.got[4].body, { url: rx.base, secret: SECRET }).event, { message: 'a\uFEFFb' });
});

test('--event -: the event from standard input', async (t) => {
  const rx = await receiver(t);
  pipeStdin(t, '{"message":"from stdin"}');
  assert.equal((await run(t, [rx.base, '--secret', SECRET, '--event', '-'])).code, 0);
  assert.deepEqual(verify(rx.got[0].body, { url: rx.base, secret: SECRET }).event, { message: 'from stdin' });
});

test('--event that is not a JSON object, or that DMS could not read: usage errors, nothing sent', async (t) => {
  const rx = await receiver(t);
  const notJson = secretFile('bad.json', '{"message":');
  let parseMessage;
  try { JSON.parse('{"message":'); } catch (err) { parseMessage = err.message; }
  await refused(t, [rx.base, '--secret', SECRET, '--event', notJson], `${notJson} is not JSON: ${parseMessage}`);
  for (const text of ['[1]', 'null', '"text"', '3']) {
    const file = secretFile('notobject.json', text);
    await refused(t, [rx.base, '--secret', SECRET, '--event', file],
      `${file} must hold a JSON object (a messageEvent, or a whole DMS body)`);
  }
  const deepText = `{"a":${'['.repeat(600)}${']'.repeat(600)}}`;
  const deep = secretFile('deep.json', deepText);
  await refused(t, [rx.base, '--secret', SECRET, '--event', deep],
    `${deep}: NESTING_TOO_DEEP: objects and arrays are nested more than 512 levels deep (at byte 531)`);
  pipeStdin(t, '[]');
  await refused(t, [rx.base, '--secret', SECRET, '--event', '-'],
    'standard input must hold a JSON object (a messageEvent, or a whole DMS body)');
  await refused(t, [rx.base, '--secret', SECRET, '--event', path.join(TMP, 'missing.json')],
    `cannot read ${path.join(TMP, 'missing.json')}: no such file`);
  assert.equal(rx.got.length, 0);
});

test('--unsigned: signatureMethod None and no signatureText; a secret from the environment is not used', async (t) => {
  const rx = await receiver(t);
  const r = await run(t, [`${rx.base}/u`, '--unsigned'], { DMS_WEBHOOK_SECRET: SECRET });
  assert.equal(r.code, 0);
  const body = JSON.parse(rx.got[0].body);
  assert.deepEqual(Object.keys(body), ['messageEvent', 'signatureMethod']);
  assert.equal(body.signatureMethod, 'None');
  assert.throws(() => verify(rx.got[0].body, { url: `${rx.base}/u`, secret: SECRET }), { code: 'UNSIGNED' });
  assert.equal(verify(rx.got[0].body, { url: `${rx.base}/u`, secret: SECRET, requireSignature: false }).matched, null);
  assert.equal(r.stdout.split('\n')[0], `POST ${rx.base}/u  (unsigned)`);
  assert.equal((await run(t, [`${rx.base}/u`, '--unsigned'])).code, 0);
  assert.equal(JSON.parse(rx.got[1].body).signatureMethod, 'None');
});

test('--tamper: the messageEvent gains a field after signing, so the signature no longer matches', async (t) => {
  const rx = await receiver(t, () => ({ status: 401, body: '{"root":"SIGNATURE_MISMATCH: no","success":false}' }));
  const eventFile = secretFile('tamper.json', '{"message":"t"}');
  const r = await run(t, [rx.base, '--secret', SECRET, '--tamper', '--event', eventFile]);
  assert.equal(r.code, 1);
  const signature = sign('{"message":"t"}', { url: rx.base, secret: SECRET });
  assert.equal(rx.got[0].body,
    `{"messageEvent":{"message":"t","tampered":true},"signatureMethod":"HMAC_SHA1","signatureText":${JSON.stringify(signature)}}`);
  assert.throws(() => verify(rx.got[0].body, { url: rx.base, secret: SECRET }), { code: 'SIGNATURE_MISMATCH' });
  assert.equal(r.stdout, `POST ${rx.base}/  (signed for ${rx.base}/, tampered after signing)\n`
    + '  -/-/-  t\n'
    + 'HTTP 401 Unauthorized\n'
    + '{"root":"SIGNATURE_MISMATCH: no","success":false}\n'
    + 'The response follows DMS\'s format: refused: SIGNATURE_MISMATCH: no.\n');

  const empty = secretFile('empty-event.json', '{}');
  await run(t, [rx.base, '--unsigned', '--tamper', '--event', empty]);
  assert.equal(rx.got[1].body, '{"messageEvent":{"tampered":true},"signatureMethod":"None"}');
  await run(t, [rx.base, '--secret', SECRET, '--tamper', '--event', empty]);
  assert.equal(rx.got[2].body, `{"messageEvent":{"tampered":true},"signatureMethod":"HMAC_SHA1","signatureText":${JSON.stringify(sign('{}', { url: rx.base, secret: SECRET }))}}`);
  const unsignedTampered = await run(t, [rx.base, '--unsigned', '--tamper', '--event', eventFile]);
  assert.equal(rx.got[3].body, '{"messageEvent":{"message":"t","tampered":true},"signatureMethod":"None"}');
  assert.equal(unsignedTampered.stdout.split('\n')[0], `POST ${rx.base}/  (unsigned, tampered after signing)`);
});

test('usage errors: each with its message, before anything is sent or printed', async (t) => {
  const rx = await receiver(t);
  const url = `${rx.base}/`;
  await refused(t, [], 'give exactly one URL to send to');
  await refused(t, [url, url, '--secret', SECRET], 'give exactly one URL to send to');
  await refused(t, ['not a url', '--secret', SECRET], 'not a URL (the URL to send to)');
  await refused(t, [`ftp://127.0.0.1:${rx.port}/`, '--secret', SECRET], 'the URL must start with http:// or https://');
  await refused(t, [url], 'a secret is required: --secret-file FILE or DMS_WEBHOOK_SECRET (or --unsigned to send without a signature)');
  await refused(t, [url, '--secret', ''], 'the secret must not be empty');
  await refused(t, [url, '--unsigned', '--secret', SECRET], '--unsigned and a secret do not go together');
  await refused(t, [url, '--unsigned', '--secret-file', secretFile('s', 'x-Secret\n')], '--unsigned and a secret do not go together');
  await refused(t, [url, '--secret', SECRET], 'give the secret one way: --secret, --secret-file or DMS_WEBHOOK_SECRET',
    { DMS_WEBHOOK_SECRET: 'env-Secret' });
  await refused(t, [url, '--secret', SECRET, '--timeout', '0'], '--timeout must be between 1 and 3600');
  await refused(t, [url, '--secret', SECRET, '--timeout', '3601'], '--timeout must be between 1 and 3600');
  await refused(t, [url, '--secret', SECRET, '--timeout', '1.5'], '--timeout must be a whole number');
  await refused(t, [url, '--secret', SECRET, '--bogus'], /^Unknown option '--bogus'\./);
  assert.equal(rx.got.length, 0);
});

test('every kind of answer: the status line, the body, the verdict and the exit status', async (t) => {
  const answers = {
    '/created': { status: 201, body: ACCEPTED },
    '/edge': { status: 299, body: '{"success":true,"root":"fine","extra":1}' },
    '/error': { status: 500, body: ACCEPTED },
    '/redirect': { status: 300, body: ACCEPTED },
    '/refused': { status: 400, body: '{"root":"","success":false}' },
    '/plain': { status: 200, body: 'OK' },
    '/array': { status: 200, body: '[{"root":"","success":true}]' },
    '/string-success': { status: 200, body: '{"root":"","success":"true"}' },
    '/number-root': { status: 200, body: '{"root":0,"success":true}' },
    '/null': { status: 200, body: 'null' },
    '/moved': { status: 302, body: '', headers: { location: '/created' } },
    '/long': { status: 200, message: 'M'.repeat(150), body: `"${'x'.repeat(3000)}"` },
  };
  const rx = await receiver(t, (req) => answers[req.url]);
  const lines = async (p) => {
    const r = await run(t, [`${rx.base}${p}`, '--secret', SECRET]);
    return [r.code, r.stdout.split('\n').slice(2, -1)];
  };
  const notDms = 'The response does not follow DMS\'s format: DMS expects JSON like {"root":"","success":true} (or "success":false with the error in "root").';
  assert.deepEqual(await lines('/created'), [0, ['HTTP 201 Created', ACCEPTED, 'The response follows DMS\'s format: accepted.']]);
  assert.deepEqual(await lines('/edge'), [0, ['HTTP 299 unknown', '{"success":true,"root":"fine","extra":1}', 'The response follows DMS\'s format: accepted.']]);
  assert.deepEqual(await lines('/error'), [1, ['HTTP 500 Internal Server Error', ACCEPTED, 'The response follows DMS\'s format, but says success with status 500.']]);
  assert.deepEqual(await lines('/redirect'), [1, ['HTTP 300 Multiple Choices', ACCEPTED, 'The response follows DMS\'s format, but says success with status 300.']]);
  assert.deepEqual(await lines('/refused'), [1, ['HTTP 400 Bad Request', '{"root":"","success":false}', 'The response follows DMS\'s format: refused.']]);
  assert.deepEqual(await lines('/plain'), [1, ['HTTP 200 OK', 'OK', notDms]]);
  assert.deepEqual(await lines('/array'), [1, ['HTTP 200 OK', '[{"root":"","success":true}]', notDms]]);
  assert.deepEqual(await lines('/string-success'), [1, ['HTTP 200 OK', '{"root":"","success":"true"}', notDms]]);
  assert.deepEqual(await lines('/number-root'), [1, ['HTTP 200 OK', '{"root":0,"success":true}', notDms]]);
  assert.deepEqual(await lines('/null'), [1, ['HTTP 200 OK', 'null', notDms]]);
  // A redirect is not followed: it is the answer.
  assert.deepEqual(await lines('/moved'), [1, ['HTTP 302 Found', '', notDms]]);
  assert.deepEqual(rx.got.map((g) => g.url).filter((u) => u === '/created'), ['/created']);
  // The status text is cut at 100 characters, the body at 2000.
  assert.deepEqual(await lines('/long'), [1, [`HTTP 200 ${'M'.repeat(99)}…`, `"${'x'.repeat(1998)}…`, notDms]]);
});

test('a refusal\'s root is shown on one line, hidden characters made visible', async (t) => {
  const rx = await receiver(t, () => ({ status: 403, body: JSON.stringify({ root: 'line one\nline two \u202e', success: false }) }));
  const r = await run(t, [rx.base, '--secret', SECRET]);
  assert.equal(r.code, 1);
  assert.equal(r.stdout.split('\n').at(-2), 'The response follows DMS\'s format: refused: line one line two <U+202E>.');
});

test('nothing listening: "could not deliver" with the reason, exit 1', async (t) => {
  const closed = createServer();
  closed.listen(0, '127.0.0.1');
  await once(closed, 'listening');
  const { port } = closed.address();
  await new Promise((resolve) => closed.close(resolve));
  const r = await run(t, [`http://127.0.0.1:${port}/`, '--secret', SECRET]);
  assert.equal(r.code, 1);
  assert.equal(r.stdout.split('\n').slice(2).join('\n'), `could not deliver: fetch failed: connect ECONNREFUSED 127.0.0.1:${port}\n`);
  // An https:// URL is taken as well: it gets as far as connecting.
  const tls = await run(t, [`https://127.0.0.1:${port}/`, '--secret', SECRET]);
  assert.equal(tls.code, 1);
  assert.equal(tls.stdout.split('\n')[0], `POST https://127.0.0.1:${port}/  (signed for https://127.0.0.1:${port}/)`);
  assert.equal(tls.stdout.split('\n').slice(2).join('\n'), `could not deliver: fetch failed: connect ECONNREFUSED 127.0.0.1:${port}\n`);
});

test('--timeout: how long it waits for the answer (10 s unless given), then "no answer within"', async (t) => {
  const rx = await receiver(t, () => null);
  // The wait is AbortSignal.timeout(seconds * 1000); the signal given here fires after 20 ms.
  const original = AbortSignal.timeout;
  const asked = [];
  AbortSignal.timeout = (ms) => {
    asked.push(ms);
    return original.call(AbortSignal, 20);
  };
  t.after(() => { AbortSignal.timeout = original; });
  const given = await run(t, [rx.base, '--secret', SECRET, '--timeout', '7']);
  const byDefault = await run(t, [rx.base, '--secret', SECRET]);
  AbortSignal.timeout = original;
  assert.deepEqual(asked, [7000, 10000]);
  assert.equal(given.code, 1);
  assert.equal(given.stdout.split('\n').slice(2).join('\n'), 'could not deliver: no answer within 7 s\n');
  assert.equal(byDefault.code, 1);
  assert.equal(byDefault.stdout.split('\n').slice(2).join('\n'), 'could not deliver: no answer within 10 s\n');
  assert.equal(rx.got.length, 2);
});

