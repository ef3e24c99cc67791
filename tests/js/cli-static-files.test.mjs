// The files `listen` serves (pkg/cli/static-files.js), in process: only files inside their
// folder (no .., encoded dots or slashes, NUL bytes, dot files, node_modules, symlinks out), with
// their type, compressed as the client accepts, revalidated by ETag, bounded in size.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import {
  mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, truncateSync, utimesSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { StaticFiles, acceptedEncodings, resolveInside } from '../../pkg/cli/static-files.js';

const TMP = realpathSync(mkdtempSync(path.join(tmpdir(), 'dms-webhook-static-')));
const ROOT = path.join(TMP, 'root');
const OUTSIDE = path.join(TMP, 'outside');
const PAGE = `<!doctype html><title>page</title>${'<p>dms-webhook</p>\n'.repeat(40)}`;
for (const dir of [ROOT, OUTSIDE, path.join(ROOT, 'sub'), path.join(ROOT, 'noindex'), path.join(ROOT, 'node_modules'),
  path.join(ROOT, '.git'), path.join(ROOT, 'odd'), path.join(ROOT, 'odd', 'index.html')]) mkdirSync(dir, { recursive: true });
writeFileSync(path.join(ROOT, 'index.html'), PAGE);
writeFileSync(path.join(ROOT, 'app.js'), 'export const x = 1;\n');
writeFileSync(path.join(ROOT, 'UPPER.JS'), 'export const y = 2;\n');
writeFileSync(path.join(ROOT, 'sub', 'index.html'), '<p>sub</p>');
writeFileSync(path.join(ROOT, 'sub', 'page.html'), '<p>sub page</p>');
writeFileSync(path.join(ROOT, 'noindex', 'a.css'), 'a{}');
writeFileSync(path.join(ROOT, 'node_modules', 'x.js'), 'x');
writeFileSync(path.join(ROOT, '.git', 'config.json'), '{}');
writeFileSync(path.join(ROOT, '.env.json'), '{}');
writeFileSync(path.join(ROOT, 'data.bin'), 'binary');
writeFileSync(path.join(ROOT, 'noext'), 'x');
writeFileSync(path.join(ROOT, 'back\\slash.js'), 'x'); // a backslash is a separator on Windows
writeFileSync(path.join(OUTSIDE, 'secret.json'), '{"secret":true}');
symlinkSync(path.join(OUTSIDE, 'secret.json'), path.join(ROOT, 'leak.json'));
symlinkSync(OUTSIDE, path.join(ROOT, 'outlink'));
symlinkSync(path.join(ROOT, 'app.js'), path.join(ROOT, 'alias.mjs'));
test.after(() => rmSync(TMP, { recursive: true, force: true }));

test('resolveInside: files inside the folder, by their real path; a folder gives its index.html', () => {
  assert.equal(resolveInside(ROOT, '/app.js'), path.join(ROOT, 'app.js'));
  assert.equal(resolveInside(ROOT, 'app.js'), path.join(ROOT, 'app.js'));
  assert.equal(resolveInside(ROOT, '//sub//page.html'), path.join(ROOT, 'sub', 'page.html'));
  assert.equal(resolveInside(ROOT, '/sub/p%61ge.html'), path.join(ROOT, 'sub', 'page.html'));
  assert.equal(resolveInside(ROOT, '/sub%2fpage.html'), path.join(ROOT, 'sub', 'page.html'));
  assert.equal(resolveInside(ROOT, '/'), path.join(ROOT, 'index.html'));
  assert.equal(resolveInside(ROOT, ''), path.join(ROOT, 'index.html'));
  assert.equal(resolveInside(ROOT, '/sub/'), path.join(ROOT, 'sub', 'index.html'));
  assert.equal(resolveInside(ROOT, '/sub'), path.join(ROOT, 'sub', 'index.html'));
  assert.equal(resolveInside(ROOT, '/UPPER.JS'), path.join(ROOT, 'UPPER.JS'));
  // A symlink that stays inside is served under its target's name (and type).
  assert.equal(resolveInside(ROOT, '/alias.mjs'), path.join(ROOT, 'app.js'));
  // The root given through a symlink is resolved first.
  const linkedRoot = path.join(TMP, 'root-link');
  symlinkSync(ROOT, linkedRoot);
  assert.equal(resolveInside(linkedRoot, '/app.js'), path.join(ROOT, 'app.js'));
});

test('resolveInside: nothing outside, hidden or unknown', () => {
  for (const rel of [
    '/../outside/secret.json', '/%2e%2e/outside/secret.json', '/%2E%2E%2foutside%2fsecret.json', '/sub/../app.js',
    '/..%5coutside%5csecret.json', '/sub\\..\\app.js', '/app.js%00', '/app.js\0.html', '/%00', '/%E0%A4%A', '/%',
    '/.git/config.json', '/.env.json', '/%2egit/config.json', '/node_modules/x.js', '/sub/./page.html',
    '/leak.json', '/outlink/secret.json', '/noindex', '/noindex/', '/odd', '/data.bin', '/noext', '/missing.js',
    '/app.js/x.js', '/back\\slash.js', '/back%5cslash.js', '/back%5Cslash.js',
  ]) {
    assert.equal(resolveInside(ROOT, rel), null, rel);
  }
  assert.equal(resolveInside(path.join(TMP, 'no-such-root'), '/app.js'), null);
});

test('acceptedEncodings: br and gzip as the client accepts them (q=0 refuses one, * stands for the rest)', () => {
  assert.deepEqual(acceptedEncodings(undefined), []);
  assert.deepEqual(acceptedEncodings(''), []);
  assert.deepEqual(acceptedEncodings('identity'), []);
  assert.deepEqual(acceptedEncodings('gzip'), ['gzip']);
  assert.deepEqual(acceptedEncodings('gzip, deflate, br'), ['br', 'gzip']);
  assert.deepEqual(acceptedEncodings('GZIP;Q=0.5 ,BR'), ['br', 'gzip']);
  assert.deepEqual(acceptedEncodings('br;q=0, gzip'), ['gzip']);
  assert.deepEqual(acceptedEncodings('br; q=0 , gzip;q=0.001'), ['gzip']);
  assert.deepEqual(acceptedEncodings('br;q=0.0, gzip;q=0'), []);
  assert.deepEqual(acceptedEncodings('*'), ['br', 'gzip']);
  assert.deepEqual(acceptedEncodings('*;q=0'), []);
  assert.deepEqual(acceptedEncodings('gzip;q=0, *'), ['br']);
  assert.deepEqual(acceptedEncodings('*;q=0, br'), ['br']);
  assert.deepEqual(acceptedEncodings('br;level=1'), ['br']);
  assert.deepEqual(acceptedEncodings('br;q=x'), ['br']);
  assert.deepEqual(acceptedEncodings(',,br'), ['br']);
  // Only a parameter that is exactly q=<number> weighs.
  assert.deepEqual(acceptedEncodings('gzip;xq=0'), ['gzip']);
  assert.deepEqual(acceptedEncodings('gzip;q=0junk'), ['gzip']);
  assert.deepEqual(acceptedEncodings('gzip;q=0 ;level=1'), []);
});

test('StaticFiles.find: the first folder whose prefix matches; a prefix alone is no file', () => {
  const files = new StaticFiles([
    { prefix: '/pkg', dir: path.join(ROOT, 'sub') },
    { prefix: '/none', dir: null },
    { prefix: '/gone', dir: path.join(TMP, 'gone') },
    { prefix: '', dir: ROOT },
  ]);
  assert.deepEqual(files.roots.map((r) => r.prefix), ['/pkg', '']);
  assert.equal(files.find('/pkg/page.html'), path.join(ROOT, 'sub', 'page.html'));
  assert.equal(files.find('/pkg'), null);
  assert.equal(files.find('/pkg/'), null);
  assert.equal(files.find('/pkg/app.js'), null);
  assert.equal(files.find('/pkg/../app.js'), null);
  assert.equal(files.find('/pkgapp.js'), null);
  assert.equal(files.find('/app.js'), path.join(ROOT, 'app.js'));
  assert.equal(files.find('/'), path.join(ROOT, 'index.html'));
  assert.equal(files.find('/none/x.js'), null);
  // A prefix alone does not fall through to the next folder, even where that one has it.
  const shadow = new StaticFiles([{ prefix: '/sub', dir: path.join(ROOT, 'noindex') }, { prefix: '', dir: ROOT }]);
  assert.equal(shadow.find('/sub'), null);
  assert.equal(shadow.find('/sub/a.css'), path.join(ROOT, 'noindex', 'a.css'));
  const only = new StaticFiles([{ prefix: '/pkg', dir: path.join(ROOT, 'sub') }]);
  assert.equal(only.find('/app.js'), null);
  assert.equal(new StaticFiles([]).find('/'), null);
});

/** A response that records what serve() wrote. */
function recorder() {
  const res = {
    status: 0, headers: null, body: undefined, ended: false,
    writeHead(status, headers) { Object.assign(res, { status, headers }); },
    end(body) { Object.assign(res, { body, ended: true }); },
  };
  return res;
}

async function get(files, file, headers = {}, method = 'GET', extra = {}) {
  const res = recorder();
  await files.serve({ method, headers }, res, file, extra);
  assert.equal(res.ended, true);
  return res;
}

const tagOf = (bytes) => createHash('sha256').update(bytes).digest('base64url').slice(0, 22);

test('serve: the file with its type, an ETag, no-cache, nosniff, Vary; extra headers added', async () => {
  const files = new StaticFiles([{ prefix: '', dir: ROOT }]);
  const js = await get(files, path.join(ROOT, 'app.js'), {}, 'GET', { 'x-frame-options': 'DENY', 'cache-control': 'no-store' });
  assert.equal(js.status, 200);
  assert.deepEqual(js.headers, {
    'content-type': 'text/javascript; charset=utf-8',
    'cache-control': 'no-store',
    etag: `"${tagOf(Buffer.from('export const x = 1;\n'))}"`,
    vary: 'Accept-Encoding',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'content-length': '20',
  });
  assert.equal(js.body.toString(), 'export const x = 1;\n');
  const upper = await get(files, path.join(ROOT, 'UPPER.JS'));
  assert.equal(upper.headers['content-type'], 'text/javascript; charset=utf-8');
  assert.equal(upper.headers['cache-control'], 'no-cache');
  const types = {
    'a.html': 'text/html; charset=utf-8', 'a.mjs': 'text/javascript; charset=utf-8', 'a.cjs': 'text/javascript; charset=utf-8',
    'a.css': 'text/css; charset=utf-8', 'a.json': 'application/json; charset=utf-8', 'a.map': 'application/json; charset=utf-8',
    'a.wasm': 'application/wasm', 'a.ts': 'text/plain; charset=utf-8', 'a.md': 'text/plain; charset=utf-8',
    'a.txt': 'text/plain; charset=utf-8', 'a.svg': 'image/svg+xml', 'a.png': 'image/png', 'a.ico': 'image/x-icon',
    'a.webmanifest': 'application/manifest+json',
  };
  const dir = path.join(TMP, 'types');
  mkdirSync(dir);
  for (const [name, type] of Object.entries(types)) {
    writeFileSync(path.join(dir, name), 'x');
    assert.equal(resolveInside(dir, name), path.join(dir, name));
    assert.equal((await get(files, path.join(dir, name))).headers['content-type'], type, name);
  }
});

test('serve: brotli or gzip as accepted, each with its own ETag; small or incompressible files as they are', async () => {
  const files = new StaticFiles([{ prefix: '', dir: ROOT }]);
  const file = path.join(ROOT, 'index.html');
  const raw = Buffer.from(PAGE);
  const tag = tagOf(raw);
  const br = await get(files, file, { 'accept-encoding': 'gzip, deflate, br' });
  assert.equal(br.headers['content-encoding'], 'br');
  assert.equal(br.headers.etag, `"${tag}-br"`);
  assert.equal(br.headers['content-length'], String(br.body.length));
  assert.ok(br.body.length < raw.length);
  assert.equal(zlib.brotliDecompressSync(br.body).toString(), PAGE);
  const gz = await get(files, file, { 'accept-encoding': 'gzip' });
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.equal(gz.headers.etag, `"${tag}-gz"`);
  assert.equal(zlib.gunzipSync(gz.body).toString(), PAGE);
  const plain = await get(files, file, { 'accept-encoding': 'br;q=0, gzip;q=0' });
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(plain.headers.etag, `"${tag}"`);
  assert.equal(plain.body.toString(), PAGE);
  assert.equal((await get(files, file)).headers['content-encoding'], undefined);
  // 256 bytes or fewer: never compressed.
  const small = path.join(ROOT, 'small.txt');
  writeFileSync(small, 'a'.repeat(256));
  const s = await get(files, small, { 'accept-encoding': 'br, gzip' });
  assert.equal(s.headers['content-encoding'], undefined);
  assert.equal(s.body.length, 256);
  const justOver = path.join(ROOT, 'over.txt');
  writeFileSync(justOver, 'a'.repeat(257));
  assert.equal((await get(files, justOver, { 'accept-encoding': 'gzip' })).headers['content-encoding'], 'gzip');
  // Random bytes do not shrink: sent as they are.
  const noise = path.join(ROOT, 'noise.js');
  writeFileSync(noise, randomBytes(4096));
  const n = await get(files, noise, { 'accept-encoding': 'br, gzip' });
  assert.equal(n.headers['content-encoding'], undefined);
  assert.equal(n.body.length, 4096);
  // Already compressed formats are never compressed again.
  const png = path.join(ROOT, 'img.png');
  writeFileSync(png, Buffer.alloc(4096));
  assert.equal((await get(files, png, { 'accept-encoding': 'br, gzip' })).headers['content-encoding'], undefined);
  const svg = path.join(ROOT, 'img.svg');
  writeFileSync(svg, Buffer.alloc(4096));
  assert.equal((await get(files, svg, { 'accept-encoding': 'br' })).headers['content-encoding'], 'br');
});

test('serve: If-None-Match with the ETag (weak, or in a list) gives 304 without a body; HEAD no body', async () => {
  const files = new StaticFiles([{ prefix: '', dir: ROOT }]);
  const file = path.join(ROOT, 'index.html');
  const first = await get(files, file, { 'accept-encoding': 'br' });
  const { etag } = first.headers;
  for (const match of [etag, `W/${etag}`, `"other", ${etag}`, ` "x" ,W/${etag} `]) {
    const r = await get(files, file, { 'accept-encoding': 'br', 'if-none-match': match });
    assert.equal(r.status, 304, match);
    assert.equal(r.body, undefined);
    assert.equal(r.headers.etag, etag);
    assert.equal(r.headers['content-encoding'], 'br');
    assert.equal(r.headers['content-length'], undefined);
  }
  for (const match of ['"other"', '*', etag.slice(0, -1), `"${etag}"`, `"W/${etag.slice(1)}`]) {
    assert.equal((await get(files, file, { 'accept-encoding': 'br', 'if-none-match': match })).status, 200, match);
  }
  // The gzip copy has its own tag: the brotli one does not match it.
  assert.equal((await get(files, file, { 'accept-encoding': 'gzip', 'if-none-match': etag })).status, 200);
  const head = await get(files, file, { 'accept-encoding': 'br' }, 'HEAD');
  assert.equal(head.status, 200);
  assert.equal(head.body, undefined);
  assert.equal(head.headers['content-length'], first.headers['content-length']);
});

test('serve: a changed file is read again; a missing or oversized one is 404', async () => {
  const files = new StaticFiles([{ prefix: '', dir: ROOT }]);
  const file = path.join(ROOT, 'changing.json');
  // Both versions carry the same time: the size alone tells them apart.
  const fixed = new Date('2024-01-02T03:04:05Z');
  writeFileSync(file, '{"v":1}');
  utimesSync(file, fixed, fixed);
  const one = await get(files, file);
  assert.equal(one.body.toString(), '{"v":1}');
  assert.equal((await get(files, file)).body, one.body, 'the same version comes from memory');
  writeFileSync(file, '{"v":22}');
  utimesSync(file, fixed, fixed);
  const two = await get(files, file);
  assert.equal(two.body.toString(), '{"v":22}');
  assert.notEqual(two.headers.etag, one.headers.etag);
  writeFileSync(file, '{"v":33}');
  const later = new Date(Date.now() + 5000);
  utimesSync(file, later, later);
  assert.equal((await get(files, file)).body.toString(), '{"v":33}', 'same size, new time');
  rmSync(file);
  const gone = await get(files, file);
  assert.equal(gone.status, 404);
  assert.deepEqual(gone.headers, { 'content-type': 'text/plain; charset=utf-8' });
  assert.equal(gone.body, 'not found\n');
  const big = path.join(ROOT, 'big.png'); // .png: not compressed, so quick to load
  writeFileSync(big, '');
  truncateSync(big, 8 * 1048576);
  const atLimit = await get(files, big, {}, 'HEAD');
  assert.equal(atLimit.status, 200);
  assert.equal(atLimit.headers['content-length'], String(8 * 1048576));
  truncateSync(big, 8 * 1048576 + 1);
  assert.equal((await get(files, big, {}, 'HEAD')).status, 404);
  // A file that cannot be read (a folder under a file's name) is 404 too.
  const dirAsFile = path.join(ROOT, 'folder.js');
  mkdirSync(dirAsFile);
  assert.equal((await get(files, dirAsFile)).status, 404);
});
