// `dms-webhook listen` options that change what it accepts and where: --max-body-bytes (the cap,
// answered 413 past it), --host (the address it binds, and no other), --allow-unsigned
// (signatureMethod None accepted, a wrong signature still refused).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { signBody } from '../../pkg/node.mjs';
import {
  run, start, startListen, stop, stopAll,
} from './cli-process.mjs';

after(stopAll);

const SECRET = 'cli-options-Secret-5t';
const DMS = { 'DMS-Event': 'Message Hook', 'content-type': 'application/json' };
const event = (fields = {}) => ({ category: '工单', event: '执行成功', eventTime: Date.now(), message: 'hello', ...fields });

async function post(base, body) {
  const r = await fetch(base, { method: 'POST', headers: DMS, body });
  return { status: r.status, json: await r.json() };
}

test('--max-body-bytes: a body over it is 413 BODY_TOO_LARGE, one of its size is accepted', async () => {
  const probe = signBody(event({ taskName: 'probe' }), { url: 'http://127.0.0.1:1/', secret: SECRET });
  const cap = Buffer.byteLength(probe) + 40;
  const listen = await startListen(['--secret', SECRET, '--max-body-bytes', String(cap)]);
  const body = (padding) => signBody(event({ taskName: 'x'.repeat(padding) }), { url: listen.base, secret: SECRET });
  const padding = cap - Buffer.byteLength(body(0));
  const fits = body(padding);
  assert.equal(Buffer.byteLength(fits), cap);
  assert.equal((await post(listen.base, fits)).status, 200);
  const over = await post(listen.base, body(padding + 1));
  assert.equal(over.status, 413);
  assert.match(over.json.root, new RegExp(`^BODY_TOO_LARGE: .*${cap}`));
  assert.equal(await stop(listen.child), 0);
  for (const bad of ['0', 'lots', '-5']) {
    const r = await run(['listen', '--port', '0', '--secret', SECRET, '--max-body-bytes', bad]);
    assert.equal(r.code, 2, `${bad}: ${r.stderr}`);
    assert.match(r.stderr, /--max-body-bytes/);
  }
});

test('--host: it listens on that address only, and says so', async () => {
  // Linux routes all of 127.0.0.0/8 to the loopback interface: 127.0.0.2 needs no setup.
  const listen = start(['listen', '--port', '0', '--host', '127.0.0.2', '--secret', SECRET]);
  const [, base] = await listen.waitFor(/listening on (http:\/\/127\.0\.0\.2:\d+\/)/);
  await listen.waitFor(/Deliveries \(Ctrl-C to stop\):\n/);
  const { port } = new URL(base);
  const ok = await post(base, signBody(event(), { url: base, secret: SECRET }));
  assert.equal(ok.status, 200);
  const elsewhere = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', headers: DMS, body: '{}' })
    .then((r) => `answered ${r.status}`, (err) => err.cause?.code ?? err.message);
  assert.equal(elsewhere, 'ECONNREFUSED');
  assert.equal(await stop(listen.child), 0);
});

test('--allow-unsigned: signatureMethod None is accepted; a wrong signature is still refused', async () => {
  const unsignedBody = () => JSON.stringify({ messageEvent: event({ taskName: 'unsigned' }), signatureMethod: 'None' });
  const strict = await startListen(['--secret', SECRET]);
  assert.match(strict.stdout, /Signatures\s+required/);
  const refused = await post(strict.base, unsignedBody());
  assert.equal(refused.status, 401);
  assert.match(refused.json.root, /^UNSIGNED: /);
  await stop(strict.child);

  const lenient = await startListen(['--secret', SECRET, '--allow-unsigned']);
  assert.match(lenient.stdout, /Signatures\s+checked when present; unsigned notifications accepted/);
  assert.equal((await post(lenient.base, unsignedBody())).status, 200);
  const wrong = await post(lenient.base, signBody(event(), { url: lenient.base, secret: 'not-the-secret' }));
  assert.equal(wrong.status, 401);
  assert.match(wrong.json.root, /^SIGNATURE_MISMATCH: /);
  assert.equal((await post(lenient.base, signBody(event({ taskName: 'signed' }), { url: lenient.base, secret: SECRET }))).status, 200);
  assert.equal(await stop(lenient.child), 0);
});
