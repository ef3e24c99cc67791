// Every answer in DMS's format masks what looks like a signature (27 Base64 characters and "=",
// an HMAC-SHA1) as "[signature]": an error message written by a receiver's own code may quote
// an expected signature, and the answer goes back to whoever sent the request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DmsWebhookError, dmsResponse, sign } from '../../pkg/node.mjs';
import { sendDmsResponse } from '../../pkg/node-handler.js';
import { OPTIONS, serve } from './receiver-fixtures.mjs';

const EXPECTED = sign({ category: '工单', eventTime: 1625630049930 }, OPTIONS);

test('a signature in a refusal\'s message becomes [signature]; the rest of the message stays', async () => {
  assert.match(EXPECTED, /^[A-Za-z0-9+/]{27}=$/);
  const err = new DmsWebhookError('SIGNATURE_MISMATCH', `got AAAA, expected ${EXPECTED} (secret #1)`);
  const response = dmsResponse(err);
  assert.equal(response.status, 401);
  assert.deepEqual(await response.json(), {
    root: 'SIGNATURE_MISMATCH: got AAAA, expected [signature] (secret #1)',
    success: false,
  });
});

test('every signature-like string is masked, wherever it sits; shorter Base64 is left alone', async () => {
  const other = sign({ category: 'other' }, OPTIONS);
  const message = `${EXPECTED}${other} and ${'A'.repeat(26)}= and ab${EXPECTED}`;
  const { root } = await dmsResponse({ code: 'UNSIGNED', message }).json();
  assert.equal(root, `UNSIGNED: [signature][signature] and ${'A'.repeat(26)}= and ab[signature]`);
});

test('the Node handler\'s answers (sendDmsResponse) mask it too', async (t) => {
  const srv = await serve((req, res) => {
    sendDmsResponse(res, new DmsWebhookError('SIGNATURE_MISMATCH', `expected ${EXPECTED}`));
  });
  t.after(() => srv.close());
  const text = await (await fetch(srv.base)).text();
  assert.equal(text, '{"root":"SIGNATURE_MISMATCH: expected [signature]","success":false}');
});
