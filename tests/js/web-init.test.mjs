// init() of the browser entry (pkg/web.js) with each kind of source a page or a bundler hands it:
// `{ verify, full }`, each a URL (string or URL object), a Request, a Response (or a promise of
// one, as fetch() gives), bytes or a compiled WebAssembly.Module; a source that fails is
// reported with its HTTP status and leaves init() free to be called again; anything else is a
// TypeError. Each case runs in a fresh Node process, so that it starts from an entry with no
// module loaded.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { MESSAGE_EVENT, PKG, SECRET, SIGNATURE, URL_ } from './package-fixtures.mjs';

const WEB = new URL('web.js', PKG).href;
const hits = [];
let server;
let base;

before(async () => {
  server = createServer((req, res) => {
    hits.push(req.url);
    const name = /^\/(verify|full)\.wasm$/.exec(req.url)?.[1];
    if (!name) {
      res.writeHead(404).end('not here');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/wasm' }).end(readFileSync(new URL(`${name}.wasm`, PKG)));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${server.address().port}`;
});
after(() => server.close());

/**
 * Runs `setup` (JS text that defines `input` from `base`, `bytes(name)` and `web`) in a fresh
 * process, then init(input), then a verify and a sign; resolves to what happened.
 */
function initWith(setup) {
  const script = `
    import { readFileSync } from 'node:fs';
    const web = await import(${JSON.stringify(WEB)});
    const base = ${JSON.stringify(base)};
    const bytes = (name) => readFileSync(new URL(name + '.wasm', ${JSON.stringify(PKG.href)}));
    const out = {};
    try {
      ${setup}
      await web.init(input);
      out.sign = web.sign(${JSON.stringify(MESSAGE_EVENT)}, { url: ${JSON.stringify(URL_)}, secret: ${JSON.stringify(SECRET)} });
      out.verified = web.verify(web.signBody(${JSON.stringify(MESSAGE_EVENT)}, { url: 'u', secret: 's' }), { url: 'u', secret: 's' }).matched.form;
      // Over 4 KiB, where Node's entry hands the HMAC to the host: this entry has none to hand it to.
      out.large = web.verify(web.signBody({ message: 'x'.repeat(8192) }, { url: 'u', secret: 's' }), { url: 'u', secret: 's' }).matched.form;
    } catch (err) {
      out.error = err.constructor.name + ': ' + err.message;
      if (typeof retryArgs !== 'undefined') {
        await web.init(...retryArgs);
        out.afterRetry = web.sign(${JSON.stringify(MESSAGE_EVENT)}, { url: ${JSON.stringify(URL_)}, secret: ${JSON.stringify(SECRET)} });
      }
    }
    console.log(JSON.stringify(out));`;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '-e', script], { timeout: 60000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${err.message}\n${stderr}`));
      else resolve(JSON.parse(stdout.trim().split('\n').pop()));
    });
  });
}

const WORKS = { sign: SIGNATURE, verified: 'canonical', large: 'canonical' };

for (const [what, setup, fetched] of [
  ['URL strings', 'const input = { verify: base + "/verify.wasm", full: base + "/full.wasm" };', true],
  ['URL objects', 'const input = { verify: new URL("/verify.wasm", base), full: new URL("/full.wasm", base) };', true],
  ['Requests', 'const input = { verify: new Request(base + "/verify.wasm"), full: new Request(base + "/full.wasm") };', true],
  ['Responses', 'const input = { verify: new Response(bytes("verify")), full: new Response(bytes("full")) };', false],
  ['promises of Responses (fetch)', 'const input = { verify: fetch(base + "/verify.wasm"), full: fetch(base + "/full.wasm") };', true],
  ['bytes', 'const input = { verify: bytes("verify"), full: new Uint8Array(bytes("full")).buffer };', false],
  ['WebAssembly.Modules', 'const input = { verify: await WebAssembly.compile(bytes("verify")), full: await WebAssembly.compile(bytes("full")) };', false],
  ['no argument (the embedded modules)', 'const input = undefined;', false],
]) {
  test(`init() with ${what}`, async () => {
    hits.length = 0;
    assert.deepEqual(await initWith(setup), WORKS);
    assert.deepEqual(hits.sort(), fetched ? ['/full.wasm', '/verify.wasm'] : []);
  });
}

for (const [what, retry] of [['the same sources fixed', '[{ verify: base + "/verify.wasm", full: base + "/full.wasm" }]'], ['no argument', '[]']]) {
  test(`a source that answers 404 fails with its status; init() can then be called again, with ${what}`, async () => {
    const out = await initWith(`
      const input = { verify: base + "/missing.wasm", full: base + "/full.wasm" };
      var retryArgs = ${retry};`);
    assert.match(out.error, /^Error: dms-webhook: cannot load http:\/\/127\.0\.0\.1:\d+\/missing\.wasm: HTTP 404$/);
    assert.equal(out.afterRetry, SIGNATURE);
  });
}

for (const [what, setup] of [
  ['only one of the two modules', 'const input = { verify: bytes("verify") };'],
  ['a bare URL', 'const input = base + "/verify.wasm";'],
  ['null', 'const input = null;'],
]) {
  test(`init() with ${what} is a TypeError that names the two sources`, async () => {
    const out = await initWith(setup);
    assert.match(out.error, /^TypeError: dms-webhook: init\(\) takes no argument, or \{ verify, full \}/);
  });
}
