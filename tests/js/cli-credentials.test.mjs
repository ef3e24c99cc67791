// Secrets and tokens as the command handles them (pkg/cli/credentials.js), in process: where they
// are read from (one way only), each refusal's message, the shape of what it makes up, the
// redaction of URLs and request targets, and the scrubber that masks credentials in output.
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  makeScrubber, makeSecret, makeToken, readCredential, redactTarget, redactUrl, sameSecret, saveGeneratedSecret,
} from '../../pkg/cli/credentials.js';
import { UsageError } from '../../pkg/cli/usage.js';

const TMP = mkdtempSync(path.join(tmpdir(), 'dms-webhook-cred-'));
test.after(() => rmSync(TMP, { recursive: true, force: true }));

const ENV = 'DMS_WEBHOOK_TEST_CREDENTIAL';
const SPEC = { envName: ENV, what: 'secret', flagName: '--secret', fileFlag: '--secret-file' };

function withEnv(t, value) {
  if (value === undefined) delete process.env[ENV];
  else process.env[ENV] = value;
  t.after(() => { delete process.env[ENV]; });
}

function privateFile(name, text, mode = 0o600) {
  const file = path.join(TMP, name);
  writeFileSync(file, text);
  chmodSync(file, mode);
  return file;
}

function usageError(fn, message) {
  assert.throws(fn, (err) => err instanceof UsageError && err.message === message);
}

test('readCredential: nothing given is no value, from nowhere', (t) => {
  withEnv(t, undefined);
  assert.deepEqual(readCredential({ ...SPEC }), { values: [], from: null, warning: undefined });
  withEnv(t, '');
  assert.deepEqual(readCredential({ ...SPEC, flag: [] }), { values: [], from: null, warning: undefined });
});

test('readCredential: by flag, repeatable, as given', (t) => {
  withEnv(t, '');
  assert.deepEqual(readCredential({ ...SPEC, flag: ['a b ', 'c'] }), { values: ['a b ', 'c'], from: 'flag', warning: undefined });
  usageError(() => readCredential({ ...SPEC, flag: ['ok', ''] }), 'the secret must not be empty');
});

test('readCredential: from the environment, one value per line', (t) => {
  withEnv(t, '\uFEFFfirst\r\n\n second \nthird\r');
  assert.deepEqual(readCredential({ ...SPEC }), { values: ['first', ' second ', 'third'], from: 'env', warning: undefined });
});

test('readCredential: from a file, one per line (BOM, CRLF and blank lines dropped, spaces kept)', (t) => {
  withEnv(t, undefined);
  const file = privateFile('two', '\uFEFFold secret\r\n\r\nnew-secret \n');
  assert.deepEqual(readCredential({ ...SPEC, file }), { values: ['old secret', 'new-secret '], from: 'file', warning: undefined });
  const open = privateFile('open', 's3cret\n', 0o644);
  assert.deepEqual(readCredential({ ...SPEC, file: open }),
    { values: ['s3cret'], from: 'file', warning: `${open} can be read by other users: chmod 600 it` });
  const groupOnly = privateFile('group', 's3cret\n', 0o640);
  assert.equal(readCredential({ ...SPEC, file: groupOnly }).warning, `${groupOnly} can be read by other users: chmod 600 it`);
  assert.equal(readCredential({ ...SPEC, file: privateFile('owner', 's3cret\n', 0o400) }).warning, undefined);
  const empty = privateFile('empty', '\r\n\n');
  usageError(() => readCredential({ ...SPEC, file: empty }), `${empty} holds no secret (one per line)`);
  const missing = path.join(TMP, 'missing');
  usageError(() => readCredential({ ...SPEC, file: missing }), `cannot read --secret-file ${missing}: no such file`);
  const dir = path.join(TMP, 'a-dir');
  mkdirSync(dir);
  usageError(() => readCredential({ ...SPEC, file: dir }),
    `cannot read --secret-file ${dir}: EISDIR: illegal operation on a directory, read`);
});

test('readCredential: only a BOM at the very start and a CR at a line\'s end are dropped', (t) => {
  withEnv(t, undefined);
  const file = privateFile('inner', 'a\uFEFFb\n\uFEFFc\nd\re\r\n');
  assert.deepEqual(readCredential({ ...SPEC, file }).values, ['a\uFEFFb', '\uFEFFc', 'd\re']);
});

test('readCredential: at most one of flag, file and environment', (t) => {
  const file = privateFile('one', 'x\n');
  const message = `give the secret one way: --secret, --secret-file or ${ENV}`;
  withEnv(t, 'from-env');
  usageError(() => readCredential({ ...SPEC, flag: ['a'] }), message);
  usageError(() => readCredential({ ...SPEC, file }), message);
  withEnv(t, '');
  usageError(() => readCredential({ ...SPEC, flag: ['a'], file }), message);
  usageError(() => readCredential({ ...SPEC, flag: ['a'], file: '' }), message);
  assert.equal(readCredential({ ...SPEC, flag: ['a'] }).from, 'flag');
  const token = { envName: ENV, what: 'dashboard token', flagName: '--dashboard-token', fileFlag: '--dashboard-token-file' };
  usageError(() => readCredential({ ...token, flag: ['a'], file }),
    `give the dashboard token one way: --dashboard-token, --dashboard-token-file or ${ENV}`);
});

test('makeSecret: 24 unambiguous letters and digits, new each time', () => {
  const seen = new Set();
  for (let i = 0; i < 200; i += 1) {
    const s = makeSecret();
    assert.match(s, /^[A-HJ-NP-Za-km-z2-9]{24}$/);
    seen.add(s);
  }
  assert.equal(seen.size, 200);
  // Every character of the alphabet can come out.
  const chars = new Set([...Array.from({ length: 400 }, makeSecret).join('')]);
  assert.equal(chars.size, 57);
});

test('makeToken: 192 random bits in base64url', () => {
  const a = makeToken();
  assert.match(a, /^[A-Za-z0-9_-]{32}$/);
  assert.notEqual(makeToken(), a);
});

test('saveGeneratedSecret: a new private file (600 in a 700 folder) holding the secret', () => {
  const file = saveGeneratedSecret('Generated-Secret-1');
  try {
    assert.equal(path.basename(file), 'secret');
    assert.equal(path.dirname(path.dirname(file)), tmpdir());
    assert.match(path.basename(path.dirname(file)), /^dms-webhook-/);
    assert.equal(readFileSync(file, 'utf8'), 'Generated-Secret-1\n');
    // eslint-disable-next-line no-bitwise
    assert.equal(statSync(file).mode & 0o777, 0o600);
    // eslint-disable-next-line no-bitwise
    assert.equal(statSync(path.dirname(file)).mode & 0o777, 0o700);
    assert.notEqual(path.dirname(saveGeneratedSecret('x')), path.dirname(file));
  } finally {
    rmSync(path.dirname(file), { recursive: true, force: true });
  }
});

test('sameSecret: equal strings only, any lengths, never throws', () => {
  assert.equal(sameSecret('token-1234', 'token-1234'), true);
  assert.equal(sameSecret('', ''), true);
  assert.equal(sameSecret('token-1234', 'token-1235'), false);
  assert.equal(sameSecret('short', 'a much longer token'), false);
  assert.equal(sameSecret('é', 'e\u0301'), false);
  assert.equal(sameSecret(undefined, undefined), false);
  assert.equal(sameSecret(null, 'x'), false);
  assert.equal(sameSecret('x', null), false);
  assert.equal(sameSecret(['x'], 'x'), false);
});

test('redactUrl: credentials, query values and key-like path segments become ***', () => {
  assert.equal(redactUrl('https://hooks.example.com/dms/webhook'), 'https://hooks.example.com/dms/webhook');
  assert.equal(redactUrl('https://user:pa55@hooks.example.com:8443/x'), 'https://***@hooks.example.com:8443/x');
  assert.equal(redactUrl('https://user@h/x'), 'https://***@h/x');
  assert.equal(redactUrl('https://:pw@h/x'), 'https://***@h/x');
  assert.equal(redactUrl('http://h/hook?token=T0K&x=1&flag&=v#frag'), 'http://h/hook?token=***&x=***&flag&=***');
  assert.equal(redactUrl('http://h/hook?'), 'http://h/hook');
  assert.equal(redactUrl('http://h/hook?&&a=1'), 'http://h/hook?a=***');
  assert.equal(redactUrl('http://h/services/T01ABCDEF/B02GHIJKL/abcdefghij1234567890/x'),
    'http://h/services/T01ABCDEF/B02GHIJKL/***/x');
  // Twenty characters with a letter and a digit: a key; fewer, or only letters: a name.
  assert.equal(redactUrl('http://h/abcdefghijklmnopqrs1'), 'http://h/***');
  assert.equal(redactUrl('http://h/abcdefghijklmnopqr1'), 'http://h/abcdefghijklmnopqr1');
  assert.equal(redactUrl('http://h/abcdefghijklmnopqrstuvwxyz'), 'http://h/abcdefghijklmnopqrstuvwxyz');
  assert.equal(redactUrl('http://h/12345678901234567890'), 'http://h/12345678901234567890');
  assert.equal(redactUrl('http://h/a1b2c3d4e5-f6g7h8i9j0_~.%2B=+'), 'http://h/***');
  assert.equal(redactUrl('http://h/a1b2c3d4e5f6g7h8i9j0!'), 'http://h/a1b2c3d4e5f6g7h8i9j0!');
  // A segment is key-like as a whole: one with a character outside the set is shown.
  assert.equal(redactUrl('http://h/v1:abcdefghij0123456789'), 'http://h/v1:abcdefghij0123456789');
  assert.equal(redactUrl('not a url'), '(not a URL)');
  assert.equal(redactUrl(''), '(not a URL)');
});

test('redactTarget: the path and query of a request, redacted the same way', () => {
  assert.equal(redactTarget('/hook'), '/hook');
  assert.equal(redactTarget('/hook?sig=abc&x'), '/hook?sig=***&x');
  assert.equal(redactTarget('/k/a1b2c3d4e5f6g7h8i9j0?'), '/k/***');
  assert.equal(redactTarget('http://evil/abs?q=1#f'), '/abs?q=***');
  assert.equal(redactTarget('//[bad'), '/');
  assert.equal(redactTarget('*'), '/*');
});

test('makeScrubber: every secret, token and URL credential masked, longest first', () => {
  const scrub = makeScrubber({
    secrets: ['secret-one', 'abc', 'secret-one-and-more'],
    tokens: ['TokenXYZ'],
    urls: ['https://us%40er:p%40ss@h/path/a1b2c3d4e5f6g7h8i9j0%2B?key=v+a%26l&short=ab', 'not a url'],
  });
  assert.equal(scrub('secret-one-and-more / secret-one / abc'), '*** / *** / abc');
  assert.equal(scrub('token TokenXYZ TokenXYZ'), 'token *** ***');
  assert.equal(scrub('user us%40er us@er pass p%40ss p@ss'), 'user *** *** pass *** ***');
  assert.equal(scrub('seg a1b2c3d4e5f6g7h8i9j0%2B a1b2c3d4e5f6g7h8i9j0+'), 'seg *** ***');
  assert.equal(scrub('query v a&l v%20a%26l short ab'), 'query *** *** short ab');
  assert.equal(scrub(12345), '12345');
  const none = makeScrubber({});
  assert.equal(none('secret-one'), 'secret-one');
  const odd = makeScrubber({ secrets: [undefined, 1234, 'four'], tokens: [null] });
  assert.equal(odd('four 1234 null undefined'), '*** 1234 null undefined');
});
