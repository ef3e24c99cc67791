// The built package through `import`: its exports, every error code, and the verify options.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import * as api from '../../pkg/node.mjs';
import { BODY, ERROR_CODES, MESSAGE_EVENT, PKG, SECRET, SIGNATURE, URL_, codeOf } from './package-fixtures.mjs';

const require = createRequire(import.meta.url);
const pkgDir = fileURLToPath(PKG);

const API_FUNCTIONS = ['verify', 'createVerifier', 'sign', 'signBody', 'parse', 'canonicalize', 'explain', 'deliveryKey'];

// A secret that must never show up in an error.
const HIDDEN = 'Hidden-Secret-7f3a9c';
const HOOK = 'https://hooks.example.com/dms';
const EVENT = JSON.parse(MESSAGE_EVENT);
const signed = (event, options = { url: HOOK, secret: HIDDEN }) => api.signBody(event, options);
const unsigned = (event) => JSON.stringify({ messageEvent: event, signatureMethod: 'None' });

test('exports the whole API', async () => {
  for (const name of API_FUNCTIONS) assert.equal(typeof api[name], 'function', name);
  assert.equal(typeof api.DmsWebhookError, 'function');
  assert.equal(typeof api.verifyRequest, 'function');
  assert.equal(typeof api.dmsResponse, 'function');
  assert.equal(await api.init(), undefined, 'init() resolves at once in Node');
});

test('import and require each work, and their errors are DmsWebhookErrors to both', () => {
  const viaRequire = require('../../pkg/node.cjs');
  assert.equal(viaRequire.sign(MESSAGE_EVENT, { url: URL_, secret: SECRET }), SIGNATURE);
  const fromRequire = (() => {
    try {
      viaRequire.verify(BODY, { url: URL_, secret: 'wrong' });
    } catch (err) {
      return err;
    }
    return null;
  })();
  assert.equal(fromRequire?.code, 'SIGNATURE_MISMATCH');
  assert.ok(fromRequire instanceof api.DmsWebhookError, 'a require-side error is an import-side DmsWebhookError');
  assert.ok(new api.DmsWebhookError('X', 'y') instanceof viaRequire.DmsWebhookError, 'and the other way round');
  assert.ok(!(new Error('plain') instanceof api.DmsWebhookError));
});

test('the package name resolves through the exports map (import, require, subpaths)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dms-webhook-resolve-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(pkgDir, join(dir, 'node_modules', 'dms-webhook'), 'dir');
  writeFileSync(join(dir, 'entry.mjs'), "export * as viaImport from 'dms-webhook';\n");
  const { viaImport } = await import(pathToFileURL(join(dir, 'entry.mjs')));
  const requireThere = createRequire(join(dir, 'entry.cjs'));
  const viaRequire = requireThere('dms-webhook');
  assert.equal(viaImport.verify, api.verify, 'import of the package name is node.mjs');
  assert.equal(viaRequire.verify, require('../../pkg/node.cjs').verify, 'require of the package name is node.cjs');
  assert.equal(requireThere('dms-webhook/package.json').name, 'dms-webhook');
  assert.equal(requireThere.resolve('dms-webhook/node-handler'), join(pkgDir, 'node-handler.cjs'));
});

test('package.json: entries, types and files are all there', () => {
  const manifest = JSON.parse(readFileSync(new URL('package.json', PKG), 'utf8'));
  assert.equal(manifest.name, 'dms-webhook');
  assert.equal(manifest.type, 'module');
  const targets = [];
  const walk = (value) => {
    if (typeof value === 'string') targets.push(value);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(manifest.exports);
  walk(manifest.bin);
  for (const target of new Set(targets)) {
    assert.doesNotThrow(() => readFileSync(new URL(target, PKG)), `${target} exists`);
  }
  for (const condition of ['workerd', 'edge-light', 'deno', 'browser', 'default']) {
    assert.ok(manifest.exports['.'][condition].types, `${condition} has types`);
  }
  assert.equal(manifest.exports['.'].node.import.types, './index.d.ts');
  assert.equal(manifest.exports['.'].node.require.types, './index.d.cts');
  const packed = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: pkgDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'],
  }));
  const files = new Set(packed[0].files.map((f) => f.path));
  for (const file of ['package.json', 'node.mjs', 'node.cjs', 'web.js', 'deno.js', 'workerd.js', 'edge-light.js',
    'api.js', 'abi.js', 'error.js', 'fetch.js', 'verify.wasm', 'full.wasm', 'verify.wasm.js', 'full.wasm.js', 'node-files.js',
    'index.d.ts', 'index.d.cts', 'cli.js', 'node-handler.mjs', 'node-handler.cjs', 'README.md', 'www/index.html']) {
    assert.ok(files.has(file), `the package carries ${file}`);
  }
});

test('index.d.ts declares every runtime export', () => {
  const dts = readFileSync(new URL('index.d.ts', PKG), 'utf8');
  for (const name of Object.keys(api)) {
    assert.match(dts, new RegExp(`export (?:declare )?(?:function|class|const) ${name}\\b|export \\{[^}]*\\b${name}\\b`), name);
  }
  for (const code of ERROR_CODES) assert.ok(dts.includes(`"${code}"`), code);
});

test('the browser entry refuses clearly before init(), works after', () => {
  const script = `
    import { readFileSync } from 'node:fs';
    const web = await import(${JSON.stringify(new URL('web.js', PKG).href)});
    const out = {};
    try { web.verify('{}', { url: 'u', secret: 's' }); out.before = 'no error'; } catch (e) { out.before = e.message; }
    const file = (name) => readFileSync(new URL(name, ${JSON.stringify(PKG.href)}));
    await web.init({ verify: file('verify.wasm'), full: file('full.wasm') });
    out.after = web.sign(${JSON.stringify(MESSAGE_EVENT)}, { url: ${JSON.stringify(URL_)}, secret: ${JSON.stringify(SECRET)} });
    console.log(JSON.stringify(out));`;
  const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }));
  assert.match(out.before, /await init\(\)/);
  assert.equal(out.after, SIGNATURE);
});

// One case per error code: [code, body, options].
const ERROR_CASES = [
  ['MALFORMED_JSON', '{"messageEvent":{"a":1}', {}],
  ['UNSUPPORTED_JSON', '{"messageEvent":{"@type":"java.util.HashMap","a":1},"signatureMethod":"HMAC_SHA1","signatureText":"x"}', {}],
  ['NESTING_TOO_DEEP', `{"messageEvent":{"a":${'['.repeat(600)}${']'.repeat(600)}},"signatureMethod":"HMAC_SHA1","signatureText":"x"}`, {}],
  ['NUMBER_OUT_OF_RANGE', '{"messageEvent":{"a":1e2147483648},"signatureMethod":"HMAC_SHA1","signatureText":"x"}', {}],
  ['INVALID_UTF8', new Uint8Array([...Buffer.from('{"messageEvent":{"a":"'), 0xff, ...Buffer.from('"},"signatureMethod":"None"}')]), {}],
  ['BODY_TOO_LARGE', () => signed(EVENT), { maxBodyBytes: 100 }],
  ['MISSING_MESSAGE_EVENT', '{"signatureMethod":"HMAC_SHA1","signatureText":"x"}', {}],
  ['INVALID_MESSAGE_EVENT', '{"messageEvent":"{\\"a\\":1}","signatureMethod":"HMAC_SHA1","signatureText":"x"}', {}],
  ['UNSIGNED', () => unsigned(EVENT), {}],
  ['UNSUPPORTED_SIGNATURE_METHOD', `{"messageEvent":${MESSAGE_EVENT},"signatureMethod":"HMAC_SHA256","signatureText":"x"}`, {}],
  ['SIGNATURE_MISMATCH', () => signed(EVENT, { url: HOOK, secret: `${HIDDEN}!` }), {}],
  ['EVENT_TOO_OLD', () => signed(EVENT), { maxAgeMs: 60_000, now: EVENT.eventTime + 3_600_000 }],
  ['EVENT_IN_FUTURE', () => signed(EVENT), { maxAgeMs: 60_000, now: EVENT.eventTime - 3_600_000 }],
  ['INVALID_OPTIONS', () => signed(EVENT), { secret: [HIDDEN, ''] }],
];

test('every error code has a case here', () => {
  assert.deepEqual(ERROR_CASES.map(([code]) => code), ERROR_CODES);
});

for (const [code, makeBody, extra] of ERROR_CASES) {
  test(`error ${code}`, () => {
    const body = typeof makeBody === 'function' ? makeBody() : makeBody;
    const options = { url: HOOK, secret: HIDDEN, ...extra };
    let thrown;
    try {
      api.verify(body, options);
    } catch (err) {
      thrown = err;
    }
    assert.ok(thrown, 'verify threw');
    assert.ok(thrown instanceof api.DmsWebhookError, 'instanceof DmsWebhookError');
    assert.ok(thrown instanceof Error, 'instanceof Error');
    assert.equal(thrown.name, 'DmsWebhookError');
    assert.equal(thrown.code, code);
    assert.ok(thrown.message.length > 0, 'has a message');
    for (const text of [thrown.message, String(thrown), thrown.stack, JSON.stringify(thrown)]) {
      assert.ok(!String(text).includes(HIDDEN), 'the secret is never in the error');
    }
    if (thrown.offset !== undefined) assert.ok(Number.isInteger(thrown.offset) && thrown.offset >= 0, 'offset');
    // explain() reports the same code without throwing, and hides the expected signatures
    const explained = api.explain(body, options);
    assert.equal(explained.ok, false);
    assert.equal(explained.error.code, code);
    assert.equal(explained.expected, null);
    assert.ok(!JSON.stringify(explained, (k, v) => (typeof v === 'bigint' ? String(v) : v)).includes(HIDDEN));
    // and the module keeps working
    assert.equal(api.verify(signed(EVENT), { url: HOOK, secret: HIDDEN }).matched.secretIndex, 0);
  });
}

test('MALFORMED_JSON and INVALID_UTF8 carry the byte offset', () => {
  const errorOf = (fn) => { try { fn(); } catch (err) { return err; } return null; };
  const malformed = errorOf(() => api.parse('{"messageEvent":{"a":1,}}'));
  assert.equal(malformed.code, 'MALFORMED_JSON');
  assert.equal(typeof malformed.offset, 'number');
  const bad = new Uint8Array([...Buffer.from('{"messageEvent":{"a":"'), 0xc3, 0x28, ...Buffer.from('"}}')]);
  const utf8 = errorOf(() => api.parse(bad));
  assert.equal(utf8.code, 'INVALID_UTF8');
  assert.equal(utf8.offset, 22);
});

test('sign -> verify round trip (object and JSON text, unknown fields kept)', () => {
  const event = { ...EVENT, extra: { nested: [1, 'two', true, null] }, taskId: '42' };
  const options = { url: HOOK, secret: HIDDEN };
  const body = api.signBody(event, options);
  const verified = api.verify(body, options);
  assert.equal(verified.signatureMethod, 'HMAC_SHA1');
  assert.deepEqual(verified.matched, { url: HOOK, secretIndex: 0, form: 'canonical' });
  assert.deepEqual(verified.event.extra, { nested: [1, 'two', true, null] });
  assert.equal(verified.event.taskId, '42');
  const parsed = api.parse(body);
  assert.equal(parsed.signatureText, api.sign(event, options));
  assert.equal(parsed.signatureText, api.sign(JSON.stringify(event), options));
  // the spec's example, signed by DMS
  assert.equal(api.sign(MESSAGE_EVENT, { url: URL_, secret: SECRET }), SIGNATURE);
  assert.deepEqual(api.verify(BODY, { url: URL_, secret: SECRET }).event, EVENT);
});

test('integers beyond 2^53 come back as bigint', () => {
  const body = api.signBody('{"id":12345678901234567890,"small":7}', { url: HOOK, secret: HIDDEN });
  const { event } = api.verify(body, { url: HOOK, secret: HIDDEN });
  assert.equal(event.id, 12345678901234567890n);
  assert.equal(event.small, 7);
});

test('an integer is a bigint from magnitude 2^53 on, of either sign; below that, a number', () => {
  const text = '{"max":9007199254740991,"two53":9007199254740992,"next":9007199254740993,'
    + '"min":-9007199254740991,"negTwo53":-9007199254740992,"i64":9223372036854775807,"real":9007199254740993.5,'
    + '"empty":[],"none":{},"list":[1,9007199254740993,[],{}],"deep":{"a":[{"b":-9007199254740993,"c":[[]]}],"d":{}}}';
  const expected = {
    max: 9007199254740991, two53: 9007199254740992n, next: 9007199254740993n,
    min: -9007199254740991, negTwo53: -9007199254740992n, i64: 9223372036854775807n, real: 9007199254740994,
    empty: [], none: {}, list: [1, 9007199254740993n, [], {}], deep: { a: [{ b: -9007199254740993n, c: [[]] }], d: {} },
  };
  const body = api.signBody(text, { url: HOOK, secret: HIDDEN });
  assert.deepEqual(api.verify(body, { url: HOOK, secret: HIDDEN }).event, expected);
  assert.deepEqual(api.parse(body).event, expected);
});

test('explain() reports the event (bigint where wide) and whether the canonical form is the text as sent', () => {
  const options = { url: HOOK, secret: HIDDEN };
  const compact = api.signBody('{"a":1,"n":[7]}', options);
  const x = api.explain(compact, options);
  assert.equal(x.ok, true);
  assert.deepEqual(x.event, { a: 1, n: [7] });
  assert.equal(x.canonical, '{"a":1,"n":[7]}');
  assert.equal(x.raw, '{"a":1,"n":[7]}');
  assert.equal(x.canonicalEqualsRaw, true);
  assert.equal(x.firstDifference, null);

  const spaced = '{"a": 1, "n": 9007199254740993}';
  const body = `{"messageEvent":${spaced},"signatureMethod":"HMAC_SHA1","signatureText":"${api.sign(spaced, options)}"}`;
  const y = api.explain(body, options);
  assert.equal(y.ok, true);
  assert.deepEqual(y.event, { a: 1, n: 9007199254740993n });
  assert.equal(y.canonical, '{"a":1,"n":9007199254740993}');
  assert.equal(y.raw, spaced);
  assert.equal(y.canonicalEqualsRaw, false);
  assert.equal(y.firstDifference, 5);

  const unreadable = api.explain('{"messageEvent":', options);
  assert.equal(unreadable.event, null);
  assert.equal(unreadable.canonicalEqualsRaw, null);
});

test('rotation: several URLs and secrets, the match reported', () => {
  const urls = ['https://old.example.com/dms', HOOK, 'https://new.example.com/dms'];
  const secrets = ['first-secret', 'second-secret', HIDDEN];
  for (const [u, s] of [[0, 0], [1, 2], [2, 1]]) {
    const body = signed(EVENT, { url: urls[u], secret: secrets[s] });
    const verified = api.verify(body, { url: urls, secret: secrets });
    assert.deepEqual(verified.matched, { url: urls[u], secretIndex: s, form: 'canonical' });
  }
  const stranger = signed(EVENT, { url: HOOK, secret: 'someone-else' });
  assert.equal(codeOf(api, () => api.verify(stranger, { url: urls, secret: secrets })), 'SIGNATURE_MISMATCH');
});

test('requireSignature: false accepts an unsigned body, still checks a signed one', () => {
  const options = { url: HOOK, secret: HIDDEN, requireSignature: false };
  const verified = api.verify(unsigned(EVENT), options);
  assert.equal(verified.signatureMethod, 'None');
  assert.equal(verified.matched, null);
  assert.deepEqual(verified.event, EVENT);
  assert.equal(codeOf(api, () => api.verify(unsigned(EVENT), { ...options, requireSignature: true })), 'UNSIGNED');
  assert.equal(api.verify(signed(EVENT), options).matched.secretIndex, 0);
  const forged = signed(EVENT, { url: HOOK, secret: 'wrong' });
  assert.equal(codeOf(api, () => api.verify(forged, options)), 'SIGNATURE_MISMATCH');
});

test('maxAgeMs and now, in both directions', () => {
  const body = signed(EVENT);
  const at = (now) => codeOf(api, () => api.verify(body, { url: HOOK, secret: HIDDEN, maxAgeMs: 300_000, now }));
  const t = EVENT.eventTime;
  assert.equal(at(t), 'no error');
  assert.equal(at(t + 300_000), 'no error', 'exactly maxAgeMs old');
  assert.equal(at(t - 300_000), 'no error', 'exactly maxAgeMs ahead');
  assert.equal(at(t + 300_001), 'EVENT_TOO_OLD');
  assert.equal(at(t - 300_001), 'EVENT_IN_FUTURE');
  // without maxAgeMs the age is not checked; now defaults to Date.now()
  assert.equal(codeOf(api, () => api.verify(body, { url: HOOK, secret: HIDDEN })), 'no error');
  assert.equal(codeOf(api, () => api.verify(body, { url: HOOK, secret: HIDDEN, maxAgeMs: 60_000 })), 'EVENT_TOO_OLD');
  const fresh = signed({ ...EVENT, eventTime: Date.now() });
  assert.equal(codeOf(api, () => api.verify(fresh, { url: HOOK, secret: HIDDEN, maxAgeMs: 60_000 })), 'no error');
});

test('maxBodyBytes counts bytes; the default is 1 MiB', () => {
  const body = signed({ ...EVENT, message: '漢'.repeat(200) });
  const size = Buffer.byteLength(body);
  const options = { url: HOOK, secret: HIDDEN };
  assert.equal(codeOf(api, () => api.verify(body, { ...options, maxBodyBytes: size })), 'no error');
  assert.equal(codeOf(api, () => api.verify(body, { ...options, maxBodyBytes: size - 1 })), 'BODY_TOO_LARGE');
  assert.equal(codeOf(api, () => api.verify(body, { ...options, maxBodyBytes: body.length })), 'BODY_TOO_LARGE',
    'a string body is measured in UTF-8 bytes, not UTF-16 units');
  const big = signed({ ...EVENT, message: 'x'.repeat(1024 * 1024) });
  assert.equal(codeOf(api, () => api.verify(big, options)), 'BODY_TOO_LARGE');
  assert.equal(codeOf(api, () => api.verify(big, { ...options, maxBodyBytes: 2 * 1024 * 1024 })), 'no error');
});

test('Uint8Array and string bodies give the same results', () => {
  const options = { url: HOOK, secret: HIDDEN };
  const bodies = [
    signed(EVENT), signed({ ...EVENT, message: '😀 \u2028 \u007f' }), unsigned(EVENT), BODY,
    '{"messageEvent":{"a":1e2147483648}}', '{"messageEvent":[]}', '{"messageEvent":{"a":1}', '\ufeff' + signed(EVENT),
  ];
  const normalize = (value) => JSON.stringify(value, (k, v) => (typeof v === 'bigint' ? `${v}n` : v));
  const run = (fn) => { try { return normalize(fn()); } catch (err) { return `${err.code} ${err.offset}`; } };
  for (const text of bodies) {
    const bytes = new TextEncoder().encode(text);
    for (const name of ['parse', 'canonicalize', 'deliveryKey']) {
      assert.equal(run(() => api[name](bytes)), run(() => api[name](text)), `${name}: ${text.slice(0, 40)}`);
    }
    assert.equal(run(() => api.verify(bytes, options)), run(() => api.verify(text, options)), `verify: ${text.slice(0, 40)}`);
    assert.equal(run(() => api.explain(bytes, options)), run(() => api.explain(text, options)), `explain: ${text.slice(0, 40)}`);
  }
  // a subarray view is read from its own offset
  const inner = new TextEncoder().encode(`xxxx${signed(EVENT)}yyyy`);
  assert.equal(api.verify(inner.subarray(4, inner.length - 4), options).matched.secretIndex, 0);
});

test('the event is what was verified, even when the caller reuses its buffer afterwards', () => {
  const options = { url: HOOK, secret: HIDDEN };
  for (const make of [(s) => new TextEncoder().encode(s), (s) => Buffer.from(s)]) {
    for (const event of [{ taskName: 'pay 10 USD' }, '{"taskName":"pay 10 USD","id":12345678901234567890}']) {
      const bytes = make(api.signBody(event, options));
      const verified = api.verify(bytes, options);
      bytes.set(new TextEncoder().encode('pay 99 USD'), bytes.indexOf('pay 10'.charCodeAt(0)));
      assert.equal(verified.event.taskName, 'pay 10 USD', `${bytes.constructor.name} ${typeof event}`);
    }
  }
});

test('thousands of secrets: the one that signed is found and named (memory grows during the call)', () => {
  const secrets = Array.from({ length: 6000 }, (_, i) => `candidate-${i}-${'x'.repeat(i % 40)}`);
  const body = api.signBody(EVENT, { url: HOOK, secret: secrets[5999] });
  const v = api.verify(body, { url: HOOK, secret: secrets });
  assert.deepEqual(v.matched, { url: HOOK, secretIndex: 5999, form: 'canonical' });
  assert.equal(v.event.taskName, EVENT.taskName);
  const explained = api.explain(body, { url: HOOK, secret: secrets });
  assert.equal(explained.ok, true);
  assert.equal(explained.matched.secretIndex, 5999);
});

test('several URLs and secrets: the pair that signed is named, canonical or raw form, small body or large', () => {
  const urls = [HOOK, `${HOOK}/second`];
  const secrets = ['first-secret', 'second-secret', HIDDEN];
  const options = { url: urls, secret: secrets };
  // Over 4 KiB the host's HMAC-SHA1 computes the candidates (Node has one), under it the module's own.
  for (const message of ['short', 'x'.repeat(8192)]) {
    for (const [u, s] of [[1, 2], [0, 1], [1, 0], [0, 0]]) {
      const canonical = api.signBody({ ...EVENT, message }, { url: urls[u], secret: secrets[s] });
      assert.deepEqual(api.verify(canonical, options).matched, { url: urls[u], secretIndex: s, form: 'canonical' },
        `canonical ${message.length} ${u} ${s}`);
      // Signed over the messageEvent exactly as written, which is not its canonical form.
      const raw = `{ "message" : "${message}", "taskName": "as written" }`;
      const signature = createHmac('sha1', secrets[s]).update(urls[u] + secrets[s] + raw).digest('base64');
      const body = `{"messageEvent":${raw},"signatureMethod":"HMAC_SHA1","signatureText":"${signature}"}`;
      const verified = api.verify(body, options);
      assert.deepEqual(verified.matched, { url: urls[u], secretIndex: s, form: 'raw' }, `raw ${message.length} ${u} ${s}`);
      assert.equal(verified.event.taskName, 'as written');
    }
  }
});

test('verify() reads url and secret at every call: a list grown or changed in place is seen', () => {
  const secrets = ['old-secret'];
  const urls = [HOOK];
  const options = { url: urls, secret: secrets };
  const rotated = api.signBody(EVENT, { url: `${HOOK}/moved`, secret: 'new-secret' });
  assert.equal(codeOf(api, () => api.verify(rotated, options)), 'SIGNATURE_MISMATCH');
  secrets.push('new-secret');
  urls[0] = `${HOOK}/moved`;
  assert.deepEqual(api.verify(rotated, options).matched, { url: `${HOOK}/moved`, secretIndex: 1, form: 'canonical' });
  secrets.length = 1;
  assert.equal(codeOf(api, () => api.verify(rotated, options)), 'SIGNATURE_MISMATCH');
  // A list that only grows by one at its end is not taken for the same one.
  const signedBySecond = api.signBody(EVENT, { url: `${HOOK}/b`, secret: 'old-secret' });
  assert.equal(codeOf(api, () => api.verify(signedBySecond, { url: [`${HOOK}/moved`], secret: 'old-secret' })), 'SIGNATURE_MISMATCH');
  assert.equal(api.verify(signedBySecond, { url: [`${HOOK}/moved`, `${HOOK}/b`], secret: 'old-secret' }).matched.url, `${HOOK}/b`);
});

test('a verify result: JSON.stringify and console.log show its event; the event can be replaced', () => {
  const options = { url: HOOK, secret: HIDDEN };
  const verified = api.verify(signed(EVENT), options);
  const expected = { event: EVENT, signatureMethod: 'HMAC_SHA1', matched: { url: HOOK, secretIndex: 0, form: 'canonical' } };
  assert.deepEqual(JSON.parse(JSON.stringify(verified)), expected);
  assert.equal(inspect(verified, { depth: 5, breakLength: Infinity }),
    `VerifiedWebhook ${inspect(expected, { depth: 5, breakLength: Infinity })}`);
  const replaced = { taskName: 'replaced' };
  verified.event = replaced;
  assert.equal(verified.event, replaced);
  assert.equal(JSON.parse(JSON.stringify(verified)).event.taskName, 'replaced');
  // Replaced before it was ever read, too.
  const unread = api.verify(signed(EVENT), options);
  unread.event = replaced;
  assert.equal(unread.event, replaced);
});

test('error details: a body that is neither text nor bytes is named; the size of one too large; an offset only where the body has one', () => {
  const options = { url: HOOK, secret: HIDDEN };
  const errorOf = (fn) => {
    try {
      fn();
    } catch (err) {
      return err;
    }
    return assert.fail('did not throw');
  };
  for (const body of [42, null, {}, new ArrayBuffer(4), [123, 125]]) {
    for (const fn of [() => api.verify(body, options), () => api.createVerifier(options).verify(body), () => api.parse(body)]) {
      const err = errorOf(fn);
      assert.equal(`${err.code}: ${err.message}`, 'INVALID_OPTIONS: the body must be a string or a Uint8Array');
    }
  }
  // Too large: a string's size is known only as far as it was encoded, bytes' exactly.
  const capped = { ...options, maxBodyBytes: 10 };
  for (const [body, size] of [['x'.repeat(11), 'at least 11'], ['漢'.repeat(4), 'at least 12'], [new Uint8Array(11), '11']]) {
    const err = errorOf(() => api.verify(body, capped));
    assert.equal(`${err.code}: ${err.message}`, `BODY_TOO_LARGE: the body is ${size} bytes, more than the 10 allowed`);
  }
  assert.equal(errorOf(() => api.verify('{"messageEvent":{"a":1},}', options)).offset, 24);
  for (const err of [errorOf(() => api.verify(signed(EVENT), { url: HOOK, secret: 'other' })),
    errorOf(() => api.verify(unsigned(EVENT), options)), errorOf(() => api.verify(signed(EVENT), { url: HOOK, secret: '' }))]) {
    assert.ok(!('offset' in err), `${err.code} has no offset`);
  }
});
