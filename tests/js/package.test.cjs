// The built package through `require`: its CommonJS build.
const test = require('node:test');
const assert = require('node:assert/strict');

const api = require('../../pkg/node.cjs');

const URL_ = 'http://my.host:8000/';
const SECRET = 'secret';

test('require() gives the whole API, ready at once', () => {
  for (const name of ['verify', 'createVerifier', 'sign', 'signBody', 'parse', 'canonicalize', 'explain', 'deliveryKey',
    'init', 'verifyRequest', 'dmsResponse']) {
    assert.equal(typeof api[name], 'function', name);
  }
  const body = api.signBody({ taskName: 'from require', eventTime: 1 }, { url: URL_, secret: SECRET });
  const verified = api.verify(body, { url: URL_, secret: SECRET });
  assert.equal(verified.event.taskName, 'from require');
  assert.equal(verified.matched.secretIndex, 0);
});

test('require() and import() agree, and recognise each other\'s errors', async () => {
  const viaImport = await import('../../pkg/node.mjs');
  const event = '{"taskName":"both"}';
  assert.equal(viaImport.sign(event, { url: URL_, secret: SECRET }), api.sign(event, { url: URL_, secret: SECRET }));
  assert.ok(new viaImport.DmsWebhookError('X', 'y') instanceof api.DmsWebhookError);
  assert.ok(new api.DmsWebhookError('X', 'y') instanceof viaImport.DmsWebhookError);
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
