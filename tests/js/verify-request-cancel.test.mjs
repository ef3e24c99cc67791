// verifyRequest() refusing a Request before reading its body (wrong method, no DMS-Event header,
// a Content-Length over the cap) cancels the body: in Workers, Deno and Bun an unread body left
// open keeps the upload coming (a runtime may read it to its end to reuse the connection).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DmsWebhookError, verifyRequest } from '../../pkg/node.mjs';
import { OPTIONS, watchedRequest } from './receiver-fixtures.mjs';

const MIB = 1048576;

async function refusal(request, options = OPTIONS) {
  const err = await verifyRequest(request, options).then(() => assert.fail('accepted'), (e) => e);
  assert.ok(err instanceof DmsWebhookError, String(err));
  return err.code;
}

// Give a cancel() that was asked for the time to reach the stream's source.
const settle = () => new Promise((resolve) => setImmediate(resolve));

for (const [what, init, code] of [
  ['a PUT', { method: 'PUT' }, 'METHOD_NOT_ALLOWED'],
  ['no DMS-Event header', { headers: { 'content-type': 'application/json' } }, 'MISSING_EVENT_HEADER'],
  ['a Content-Length over the cap', { contentLength: 2 * MIB }, 'BODY_TOO_LARGE'],
]) {
  test(`${what}: ${code}, and the body is cancelled unread`, async () => {
    const { request, stats } = watchedRequest({ total: 64 * MIB, ...init });
    assert.equal(await refusal(request), code);
    await settle();
    assert.equal(stats.pulled, 0, 'nothing read');
    assert.ok(stats.cancelled, 'the body was cancelled');
  });
}

test('a body that grows past the cap while read is cancelled there', async () => {
  const { request, stats } = watchedRequest({ total: 64 * MIB });
  assert.equal(await refusal(request, { ...OPTIONS, maxBodyBytes: MIB }), 'BODY_TOO_LARGE');
  await settle();
  assert.ok(stats.cancelled, 'the body was cancelled');
  assert.ok(stats.pulled <= MIB + 2 * 65536, `read ${stats.pulled} bytes`);
});

test('a body read to its end is not cancelled', async () => {
  const { request, stats } = watchedRequest({ total: 100 });
  assert.equal(await refusal(request), 'MALFORMED_JSON');
  assert.equal(stats.pulled, 100);
  assert.equal(stats.cancelled, false);
});
