// `dms-webhook verify` (pkg/cli/verify.js), in process: the exact lines for an authentic body
// (which URL, which secret, which form) and for one that is not (the error, what the body holds,
// the hints), the secret and URL credentials never printed, the exit status, and every usage error.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sign, signBody } from '../../pkg/node.mjs';
import { verifyCommand } from '../../pkg/cli/verify.js';
import { HELP } from '../../pkg/cli/help.js';
import { pipeStdin, refusedCommand, runCommand, writeModeFile } from './cli-capture.mjs';

const TMP = mkdtempSync(path.join(tmpdir(), 'dms-webhook-verify-'));
const run = (t, args, env) => runCommand(t, verifyCommand, args, env);
const refused = (t, args, message, env) => refusedCommand(t, verifyCommand, args, message, env);
const file = (name, text, mode) => writeModeFile(TMP, name, text, mode);
test.after(() => rmSync(TMP, { recursive: true, force: true }));

const URL1 = 'https://dms.example.com/hook';
const SECRET = 'verify-Secret-3k';
const MISMATCH = 'not authentic: SIGNATURE_MISMATCH: the signature matches none of the 1 configured URL and secret pair(s), over the canonical or the raw messageEvent';

const good = file('good.json', signBody({ category: '工单', module: '数据变更', taskId: 42, message: 'saved' }, { url: URL1, secret: SECRET }));

test('--help prints the help of verify', async (t) => {
  assert.deepEqual(await run(t, ['--help']), { code: 0, stdout: HELP.verify, stderr: '' });
});

test('authentic: which URL and secret matched, in which form, and the event', async (t) => {
  assert.deepEqual(await run(t, ['--url', URL1, '--secret', SECRET, good]), {
    code: 0,
    stderr: '',
    stdout: `authentic: signature verified for ${URL1} with secret #1 (canonical form)\n`
      + '  工单/数据变更/-  task 42  saved\n',
  });
  // Several URLs and secrets (rotation): the second of each matched.
  const r = await run(t, ['--url', 'https://old.example.com/hook', '--url', URL1, '--secret', 'old-Secret-1', '--secret', SECRET, good]);
  assert.equal(r.code, 0);
  assert.equal(r.stdout.split('\n')[0], `authentic: signature verified for ${URL1} with secret #2 (canonical form)`);
});

test('the secrets from DMS_WEBHOOK_SECRET or --secret-file, one per line; a readable file is warned about', async (t) => {
  const env = await run(t, ['--url', URL1, good], { DMS_WEBHOOK_SECRET: `next-Secret-9\n${SECRET}` });
  assert.equal(env.code, 0);
  assert.match(env.stdout, /with secret #2 /);
  const open = file('open-secret', `${SECRET}\n`, 0o640);
  const warned = await run(t, ['--url', URL1, '--secret-file', open, good]);
  assert.equal(warned.code, 0);
  assert.equal(warned.stderr, `dms-webhook: warning: ${open} can be read by other users: chmod 600 it\n`);
  assert.equal((await run(t, ['--url', URL1, '--secret-file', file('private-secret', `${SECRET}\n`), good])).stderr, '');
});

test('the body from standard input, for "-" or no FILE', async (t) => {
  const body = JSON.stringify({ messageEvent: { message: 'piped' }, signatureMethod: 'HMAC_SHA1', signatureText: sign('{"message":"piped"}', { url: URL1, secret: SECRET }) });
  pipeStdin(t, body);
  assert.equal((await run(t, ['--url', URL1, '--secret', SECRET, '-'])).stdout,
    `authentic: signature verified for ${URL1} with secret #1 (canonical form)\n  -/-/-  piped\n`);
  pipeStdin(t, body);
  assert.equal((await run(t, ['--url', URL1, '--secret', SECRET])).code, 0);
});

test('credentials in the URL are not printed, nor is the secret', async (t) => {
  const url = 'https://dms:pa55word@dms.example.com/hook?key=k3y-value';
  const body = file('creds.json', signBody({ message: `mentions ${SECRET}` }, { url, secret: SECRET }));
  const r = await run(t, ['--url', url, '--secret', SECRET, body]);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, 'authentic: signature verified for https://dms:***@dms.example.com/hook?key=*** with secret #1 (canonical form)\n'
    + '  -/-/-  mentions ***\n');
});

test('--allow-unsigned: signatureMethod None is accepted and said so; without it, refused', async (t) => {
  const unsigned = file('unsigned.json', '{"messageEvent":{"message":"x"},"signatureMethod":"None"}');
  assert.deepEqual(await run(t, ['--url', URL1, '--secret', SECRET, '--allow-unsigned', unsigned]), {
    code: 0,
    stderr: '',
    stdout: 'authentic: no signature (signatureMethod None), accepted as --allow-unsigned asks\n  -/-/-  x\n',
  });
  const strict = await run(t, ['--url', URL1, '--secret', SECRET, unsigned]);
  assert.equal(strict.code, 1);
  assert.equal(strict.stdout, 'not authentic: UNSIGNED: the body is not signed (signatureMethod is None or absent) and a signature is required\n'
    + '  body: a DMS body, signatureMethod None, signatureText (none)\n'
    + '  event (unverified): -/-/-  x\n'
    + '  hint: SIGNATURE_METHOD_NONE: DMS sends signatureMethod None when no password is set for the webhook: set one in the DMS console so that deliveries are signed\n');
  const absent = await run(t, ['--url', URL1, '--secret', SECRET, file('absent.json', '{"messageEvent":{}}')]);
  assert.equal(absent.stdout.split('\n')[1], '  body: a DMS body, signatureMethod (none), signatureText (none)');
});

test('not authentic: the error, what the body holds (unverified), and no expected signature', async (t) => {
  const tamperedText = JSON.parse(signBody({ category: '工单', message: 'saved' }, { url: URL1, secret: SECRET }));
  tamperedText.messageEvent.message = 'SAVED';
  const tampered = file('tampered.json', JSON.stringify(tamperedText));
  const r = await run(t, ['--url', URL1, '--secret', SECRET, tampered]);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, `${MISMATCH}\n`
    + `  body: a DMS body, signatureMethod HMAC_SHA1, signatureText ${JSON.stringify(tamperedText.signatureText)}\n`
    + '  event (unverified): 工单/-/-  SAVED\n');
  assert.ok(!r.stdout.includes(sign('{"category":"工单","message":"SAVED"}', { url: URL1, secret: SECRET })));

  // A URL written differently from the one signed for: a hint.
  const slash = await run(t, ['--url', `${URL1}/`, '--secret', SECRET, good]);
  assert.equal(slash.code, 1);
  assert.equal(slash.stdout.split('\n').at(-2), `  hint: URL_TRAILING_SLASH: the signature matches the URL "${URL1}" (without the trailing slash): configure the URL exactly as it is written in the DMS console`);
});

test('not authentic, and not in canonical form: where it first differs', async (t) => {
  const signature = sign('{"message":"x"}', { url: URL1, secret: SECRET });
  const body = file('spaced.json', `{"messageEvent":{ "message" : "y" },"signatureMethod":"HMAC_SHA1","signatureText":"${signature}"}`);
  const r = await run(t, ['--url', URL1, '--secret', SECRET, body]);
  assert.equal(r.code, 1);
  assert.deepEqual(r.stdout.split('\n').slice(1, 4), [
    `  body: a DMS body, signatureMethod HMAC_SHA1, signatureText "${signature}"`,
    '  event (unverified): -/-/-  y',
    '  the messageEvent in the body is not in fastjson\'s canonical form (first difference at character 1); both forms were tried',
  ]);
  assert.match(r.stdout.split('\n')[4], /^ {2}hint: BODY_RESERIALIZED: /);
});

test('not a DMS body: why it cannot be read, with the byte when there is one', async (t) => {
  const garbage = await run(t, ['--url', URL1, '--secret', SECRET, file('garbage.json', '{"messageEvent":')]);
  assert.deepEqual(garbage, {
    code: 1,
    stderr: '',
    stdout: 'not authentic: MALFORMED_JSON: malformed JSON at byte 16: unexpected end of the body, expected a value\n'
      + '  body: not readable as a DMS body at byte 16: MALFORMED_JSON: malformed JSON at byte 16: unexpected end of the body, expected a value\n',
  });
  const empty = await run(t, ['--url', URL1, '--secret', SECRET, file('object.json', '{}')]);
  assert.equal(empty.stdout, 'not authentic: MISSING_MESSAGE_EVENT: the body has no messageEvent member\n'
    + '  body: not readable as a DMS body: MISSING_MESSAGE_EVENT: the body has no messageEvent member\n');
});

test('usage errors: each with its message', async (t) => {
  await refused(t, [good], '--url is required');
  await refused(t, ['--url', URL1, good], 'a secret is required: --secret-file FILE or DMS_WEBHOOK_SECRET');
  await refused(t, ['--url', URL1, '--secret', '', good], 'the secret must not be empty');
  await refused(t, ['--url', URL1, '--secret', SECRET, good, good], 'give at most one FILE');
  await refused(t, ['--url', URL1, '--secret', SECRET, path.join(TMP, 'missing.json')], `cannot read ${path.join(TMP, 'missing.json')}: no such file`);
  await refused(t, ['--url', URL1, '--secret', SECRET, good], 'give the secret one way: --secret, --secret-file or DMS_WEBHOOK_SECRET',
    { DMS_WEBHOOK_SECRET: 'env-Secret' });
  await refused(t, ['--url', URL1, '--secret', SECRET, '--nope', good], /^Unknown option '--nope'\./);
});

