// The built package through `require` (Node >= 20.19 loads the ES module synchronously).
const test = require('node:test');
const assert = require('node:assert/strict');

const api = require('../../pkg/node.js');

const URL_ = 'http://my.host:8000/';
const SECRET = 'secret';

test('require() gives the whole API, ready at once', () => {
  for (const name of ['verify', 'sign', 'signBody', 'parse', 'canonicalize', 'explain', 'deliveryKey',
    'init', 'verifyRequest', 'dmsResponse']) {
    assert.equal(typeof api[name], 'function', name);
  }
  const body = api.signBody({ taskName: 'from require', eventTime: 1 }, { url: URL_, secret: SECRET });
  const verified = api.verify(body, { url: URL_, secret: SECRET });
  assert.equal(verified.event.taskName, 'from require');
  assert.equal(verified.matched.secretIndex, 0);
});

test('require() and import() share one instance', async () => {
  const viaImport = await import('../../pkg/node.js');
  assert.equal(viaImport.verify, api.verify);
  assert.equal(viaImport.DmsWebhookError, api.DmsWebhookError);
  const fromFetch = await import('../../pkg/fetch.js');
  assert.ok(fromFetch, 'fetch helpers load beside it');
});

test('errors from require() are DmsWebhookError with a code', () => {
  let thrown;
  try {
    api.verify('{"messageEvent":', { url: URL_, secret: SECRET });
  } catch (err) {
    thrown = err;
  }
  assert.ok(thrown instanceof api.DmsWebhookError);
  assert.ok(thrown instanceof Error);
  assert.equal(thrown.code, 'MALFORMED_JSON');
});
