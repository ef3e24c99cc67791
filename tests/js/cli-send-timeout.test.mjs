// `dms-webhook send --timeout SECONDS`: how long it waits for the answer. Against a receiver that
// answers after 3 s, `--timeout 1` gives up (exit 1, "no answer within 1 s") and `--timeout 20`
// gets the answer; no clock is read by the test itself.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { run, stopAll } from './cli-process.mjs';

after(stopAll);

const SECRET = 'cli-timeout-Secret-2w';

test('--timeout 1 gives up on a receiver that answers after 3 s; --timeout 20 waits for it', async (t) => {
  const answered = [];
  const server = createServer((req, res) => {
    req.resume();
    const timer = setTimeout(() => {
      answered.push(req.url);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"root":"","success":true}');
    }, 3000);
    res.on('close', () => clearTimeout(timer));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  const base = `http://127.0.0.1:${server.address().port}`;

  const impatient = await run(['send', `${base}/short`, '--secret', SECRET, '--timeout', '1']);
  assert.equal(impatient.code, 1, impatient.stdout + impatient.stderr);
  assert.match(impatient.stdout, /could not deliver: no answer within 1 s/);
  assert.deepEqual(answered, [], 'the receiver had not answered yet');

  const patient = await run(['send', `${base}/long`, '--secret', SECRET, '--timeout', '20']);
  assert.equal(patient.code, 0, patient.stdout + patient.stderr);
  assert.match(patient.stdout, /HTTP 200/);
  assert.deepEqual(answered, ['/long']);
});

test('--timeout must be a whole number of seconds from 1 to 3600', async () => {
  for (const bad of ['0', '3601', '1.5', 'soon']) {
    const r = await run(['send', 'http://127.0.0.1:1/', '--secret', SECRET, '--timeout', bad]);
    assert.equal(r.code, 2, `${bad}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, /--timeout/);
  }
});
