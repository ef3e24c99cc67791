// verifyNodeRequest(), for servers that answer themselves: the DMS-Event header check can be
// waived, and a body that was read but refused comes back on the error as `body` (the exact
// bytes, for logging or inspection), kept out of the error's enumerable fields so that a
// serialised or logged error does not carry the whole body.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DmsWebhookError, verifyNodeRequest } from '../../pkg/node-handler.js';
import { DMS_HEADERS, OPTIONS, delivery, serve } from './receiver-fixtures.mjs';

/** A server that runs verifyNodeRequest(req, options) and hands back what it settled with. */
async function verifying(t, options) {
  const settled = [];
  const srv = await serve((req, res) => {
    verifyNodeRequest(req, options).then(
      ({ result, body }) => settled.push({ result, body }),
      (err) => settled.push({ err }),
    ).finally(() => res.end());
  });
  t.after(() => srv.close());
  return async (body, headers = DMS_HEADERS) => {
    await fetch(`${srv.base}/hook`, { method: 'POST', headers, body });
    return settled.at(-1);
  };
}

test('requireHeader: false verifies a request without the DMS-Event header', async (t) => {
  const body = delivery();
  const waived = await verifying(t, { ...OPTIONS, requireHeader: false });
  const { result, body: bytes } = await waived(body, { 'content-type': 'application/json' });
  assert.equal(result.event.message, 'ok');
  assert.equal(Buffer.from(bytes).toString('utf8'), body);
  const required = await verifying(t, OPTIONS);
  const { err } = await required(delivery(), { 'content-type': 'application/json' });
  assert.ok(err instanceof DmsWebhookError);
  assert.equal(err.code, 'MISSING_EVENT_HEADER');
});

test('a refused body is on the error as `body`: the exact bytes, not enumerable, deletable', async (t) => {
  const tampered = delivery().replace('"执行成功"', '"执行失败"');
  const send = await verifying(t, OPTIONS);
  const { err } = await send(tampered);
  assert.ok(err instanceof DmsWebhookError);
  assert.equal(err.code, 'SIGNATURE_MISMATCH');
  const { value, ...flags } = Object.getOwnPropertyDescriptor(err, 'body');
  assert.equal(Buffer.from(value).toString('utf8'), tampered);
  assert.deepEqual(flags, { writable: false, enumerable: false, configurable: true });
  assert.equal(Object.keys(err).includes('body'), false);
  assert.ok(delete err.body);
  assert.equal(err.body, undefined);
});
