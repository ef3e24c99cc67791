// Unit tests of the page's pure helpers (www/format.js, www/request.js): no browser needed.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import test from 'node:test';

import {
  base64ToHex,
  curlCommand,
  describeChar,
  count,
  eventTimeMs,
  firstDifference,
  formatDuration,
  maskUrl,
  normalizeNewlines,
  randomCode,
  shellQuote,
  splitUserinfo,
  testMessage,
  timeAgo,
} from '../../www/format.js';
import { checkRequest, header, requestUrl, splitRequest } from '../../www/request.js';
import { caseVariants, firstMatch, typoVariants } from '../../www/variants.js';
import { loadPackage } from './page-fixtures.mjs';

/** What a POSIX shell makes of a command line: the words it would pass to the program. */
function shellWords(command) {
  const out = execFileSync('sh', ['-c', `printf '%s\\0' ${command.replace(/^curl /, '')}`]);
  return out.toString('utf8').split('\0').slice(0, -1);
}

test('shellQuote survives a POSIX shell unchanged', () => {
  for (const word of ["it's", 'a b', '$HOME', '`id`', '"q"', '\\', '!x', '*', '【DMS数据管理】', "'", "''", 'a\nb', '']) {
    assert.deepEqual(shellWords(`curl ${shellQuote(word)}`), [word], JSON.stringify(word));
  }
  assert.equal(shellQuote('https://example.com/hook'), 'https://example.com/hook');
});

test('curlCommand: headers, exact body, basic auth from the URL', () => {
  const body = '{"messageEvent":{"message":"it\'s 【DMS数据管理】 $x"},"signatureMethod":"HMAC_SHA1","signatureText":"abc="}';
  const plain = curlCommand('https://example.com/dms/hook?a=1&b=2', body);
  assert.match(plain, /-H 'DMS-Event: Message Hook'/);
  assert.match(plain, /-H 'Content-Type: application\/json'/);
  assert.doesNotMatch(plain, / -u /);
  const words = shellWords(plain.replace(/ \\\n\s+/g, ' '));
  assert.deepEqual(words, [
    '-sS',
    'https://example.com/dms/hook?a=1&b=2',
    '-H',
    'DMS-Event: Message Hook',
    '-H',
    'Content-Type: application/json',
    '--data-binary',
    body,
  ]);

  const auth = curlCommand('http://alice:p%40ss:word@127.0.0.1:8080/hook', body);
  const authWords = shellWords(auth.replace(/ \\\n\s+/g, ' '));
  assert.equal(authWords[1], 'http://127.0.0.1:8080/hook');
  assert.deepEqual(authWords.slice(2, 4), ['-u', 'alice:p@ss:word']);
  // The command as printed (with line continuations) is what the shell runs too.
  assert.deepEqual(shellWords(auth), authWords);
});

test('splitUserinfo and maskUrl do not normalise the URL', () => {
  assert.equal(splitUserinfo('https://example.com/a@b'), null);
  const parts = splitUserinfo('HTTPS://u:p@Example.com:443/x/');
  assert.equal(parts.withoutUserinfo, 'HTTPS://Example.com:443/x/');
  assert.equal(parts.user, 'u');
  assert.equal(parts.password, 'p');
  assert.equal(maskUrl('https://u:secret@example.com/'), 'https://u:••••••@example.com/');
  assert.equal(maskUrl('https://example.com/'), 'https://example.com/');
});

test('base64ToHex and firstDifference', () => {
  assert.equal(base64ToHex('4mOdwflN1Cg5NdM2XPuipuCYYWk='), 'e2639dc1f94dd4283935d3365cfba2a6e0986169');
  assert.equal(base64ToHex('not base64!'), null);
  assert.equal(base64ToHex(''), null);
  assert.equal(firstDifference('abc', 'abc'), -1);
  assert.equal(firstDifference('abc', 'abd'), 2);
  assert.equal(firstDifference('ab', 'abc'), 2);
});

test('test message and time helpers', () => {
  assert.match(testMessage(), /^【DMS数据管理】Webhook test, code: [1-9]\d{5}$/);
  for (let i = 0; i < 50; i++) assert.match(randomCode(), /^[1-9]\d{5}$/);
  assert.equal(eventTimeMs(1625630049930), 1625630049930);
  assert.equal(eventTimeMs('1625630049930'), 1625630049930);
  assert.equal(eventTimeMs(1625630049930n), 1625630049930);
  assert.equal(eventTimeMs('2021-07-07T04:34:09.930Z'), 1625632449930);
  assert.equal(eventTimeMs('soon'), null);
  assert.equal(timeAgo(1000, 1000 + 3 * 60000, 'en'), '3 minutes ago');
  assert.equal(timeAgo(1000 + 2 * 3600e3, 1000, 'en'), 'in 2 hours');
  assert.equal(timeAgo(1000, 1000, 'en'), 'now');
  assert.equal(describeChar(' '), 'a space (U+0020)');
  assert.equal(describeChar(undefined), 'the end of the text');
  assert.equal(describeChar('"'), 'a double quote (U+0022)');
  assert.equal(describeChar('\u2028'), 'an invisible character (U+2028)');
  assert.equal(describeChar('数'), '“数” (U+6570)');
});

test('a raw HTTP request is split and its DMS headers checked', () => {
  const body = '{"messageEvent":{"message":"hi"},"signatureMethod":"HMAC_SHA1","signatureText":"x"}';
  const raw = `POST /dms/hook HTTP/1.1\r\nHost: hooks.example.com\r\nDMS-Event: Message Hook\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  const req = splitRequest(raw);
  assert.equal(req.isRequest, true);
  assert.equal(req.method, 'POST');
  assert.equal(req.body, body);
  assert.equal(header(req, 'dms-event'), 'Message Hook');
  assert.equal(requestUrl(req), 'https://hooks.example.com/dms/hook');
  assert.deepEqual(
    checkRequest(req).filter((c) => !c.ok),
    [],
  );

  // Pasted from a terminal: LF line ends, the header missing, the body cut short.
  const bad = splitRequest(`POST /dms/hook HTTP/1.1\nHost: h\nContent-Length: 500\n\n${body}\n`);
  const problems = checkRequest(bad).filter((c) => !c.ok).map((c) => c.name);
  assert.deepEqual(problems, ['DMS-Event', 'Content-Type', 'Content-Length']);
  assert.equal(checkRequest(splitRequest(`POST / HTTP/1.1\nDMS-Event: message hook\n\n{}`))[0].ok, false);

  // A plain body is not a request; bytes stay bytes.
  assert.deepEqual(splitRequest(body), { isRequest: false, body });
  const bytes = new Uint8Array([...Buffer.from('POST / HTTP/1.1\r\nDMS-Event: Message Hook\r\n\r\n{"a":"'), 0xff, 0x22, 0x7d]);
  const fromBytes = splitRequest(bytes);
  assert.equal(fromBytes.isRequest, true);
  assert.ok(fromBytes.body instanceof Uint8Array);
  assert.deepEqual([...fromBytes.body], [...Buffer.from('{"a":"'), 0xff, 0x22, 0x7d]);

  // Chunked transfer encoding is joined.
  const chunked = splitRequest('POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{"a":\r\n3\r\n"b"\r\n1\r\n}\r\n0\r\n\r\n');
  assert.equal(chunked.body, '{"a":"b"}');
});

test('formatDuration and count read like a person writes them', () => {
  assert.equal(formatDuration(850), '850 ms');
  assert.equal(formatDuration(60000), '1 minute');
  assert.equal(formatDuration(5 * 60000 + 3000), '5 minutes and 3 seconds');
  assert.equal(formatDuration(-2 * 3600e3), '2 hours');
  assert.equal(formatDuration(170517143953), '5 years and 147 days');
  assert.doesNotMatch(formatDuration(170517143953), /ms/);
  assert.equal(count(1, 'variant'), '1 variant');
  assert.equal(count(5415, 'variant'), '5,415 variants');
});

test('normalizeNewlines does what a text area does to CRLF and CR', () => {
  assert.equal(normalizeNewlines('a\r\nb\rc\nd\r\n'), 'a\nb\nc\nd\n');
});

test('a body pasted with CRLF line breaks: Content-Length explained, not flagged', () => {
  const body = '{\r\n  "messageEvent": {"message": "hi"},\r\n  "signatureMethod": "None"\r\n}';
  const raw = (b) =>
    `POST /hook HTTP/1.1\r\nDMS-Event: Message Hook\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${b}`;
  const lengthChecks = (text) => checkRequest(splitRequest(text)).filter((c) => c.name === 'Content-Length');
  // With its CRLF kept the length matches; with the LF a text box leaves, it is explained.
  assert.deepEqual(lengthChecks(raw(body)), []);
  const lf = lengthChecks(normalizeNewlines(raw(body)));
  assert.equal(lf.length, 1);
  assert.equal(lf[0].ok, true);
  assert.match(lf[0].text, /CRLF/);
  assert.equal(lengthChecks(`${normalizeNewlines(raw(body))}\n`)[0].ok, true, 'a final line break added by the paste');
  // A body cut short is still flagged.
  const cut = lengthChecks(normalizeNewlines(raw(body.slice(0, 30))));
  assert.equal(cut[0].ok, false);
  assert.match(cut[0].text, /cut off/);
});

test('caseVariants: lower, upper, inverted, first letter; never the secret itself', () => {
  assert.deepEqual(
    caseVariants('Secret1').map((v) => v.secret),
    ['secret1', 'SECRET1', 'sECRET1'],
  );
  assert.deepEqual(caseVariants('12345'), []);
  const mixed = caseVariants('aBc');
  assert.deepEqual(mixed.map((v) => v.secret), ['abc', 'ABC', 'AbC', 'ABc']);
  assert.match(mixed[2].how, /Caps Lock/);
  assert.ok(caseVariants('abc').some((v) => v.secret === 'Abc' && /character 1/.test(v.how)));
});

test('typoVariants: every one-mistake secret once, described', () => {
  const secret = 'ab1';
  const variants = typoVariants(secret);
  const all = variants.map((v) => v.secret);
  assert.equal(new Set(all).size, all.length, 'no duplicates');
  assert.ok(!all.includes(secret));
  for (const expected of ['Ab1', 'a1', 'ab', 'ab1!', 'ba1', 'aX1', ' ab1']) assert.ok(all.includes(expected), expected);
  assert.equal(variants.find((v) => v.secret === 'aX1').how, 'with character 2 “X” (U+0058) instead of “b” (U+0062)');
  assert.equal(variants.find((v) => v.secret === 'a1').how, 'without character 2 (“b” (U+0062))');
  assert.equal(variants.find((v) => v.secret === 'ba1').how, 'with characters 1 and 2 swapped');
  assert.match(variants.find((v) => v.secret === 'ab1!').how, /added at the end/);
  // Substitutions (3 × 94), deletions (3), insertions (4 × 95), swaps (2), less what repeats.
  assert.ok(all.length > 600 && all.length < 3 * 94 + 3 + 4 * 95 + 2, String(all.length));
  // Characters outside the BMP stay whole.
  assert.ok(typoVariants('a😀').every((v) => !/[\ud800-\udbff](?![\udc00-\udfff])/.test(v.secret)));
});

test('firstMatch finds the secret DMS used among thousands of candidates in one call', async () => {
  const api = await loadPackage();
  const url = 'https://hooks.example.com/dms/webhook';
  const body = api.signBody({ message: 'hi', eventTime: 1 }, { url, secret: 'correct horse battery stapIe' });
  const typed = 'correct horse battery staple';
  assert.equal(firstMatch(api, body, url, caseVariants(typed)), null);
  const found = firstMatch(api, body, url, typoVariants(typed));
  assert.equal(found.secret, 'correct horse battery stapIe');
  assert.match(found.how, /character 27 “I” \(U\+0049\) instead of “l” \(U\+006C\)/);
  assert.equal(firstMatch(api, body, url, []), null);
});
