// `bash scripts/run.sh` (npm start), the main job as a user starts it: it installs what is
// missing, builds pkg/, then serves the page and a verifying receiver on the port it is given.
// It rebuilds pkg/, so scripts/test.sh runs this file on its own, after the other JS tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { signBody } from '../../../pkg/node.mjs';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SECRET = 'run-sh-Secret-3Lp';

test('scripts/run.sh --port 0: the page with the dashboard token, a signed delivery accepted, SIGTERM stops it', { timeout: 300000 }, async (t) => {
  const child = spawn('bash', [path.join(ROOT, 'scripts', 'run.sh'), '--port', '0', '--secret', SECRET], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true,
  });
  // Its own process group: whatever run.sh started goes with it, also when the test fails.
  t.after(() => {
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c) => { stdout += c; });
  child.stderr.setEncoding('utf8').on('data', (c) => { stderr += c; });
  const deadline = Date.now() + 280000;
  while (!/Deliveries \(Ctrl-C to stop\):\n/.test(stdout)) {
    assert.equal(child.exitCode, null, `run.sh exited ${child.exitCode}:\n${stdout}\n${stderr}`);
    assert.ok(Date.now() < deadline, `run.sh did not start:\n${stdout}\n${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.match(stdout, /^build: pkg\/verify\.wasm \d+ bytes/m, 'it built the package first');
  const base = /listening on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout)[1];
  const token = /Page\s+\S+\?token=(\S+)/.exec(stdout)[1];

  const anonymous = await fetch(base);
  assert.equal(anonymous.status, 401, 'the page is private');
  const page = await fetch(base, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.equal(html, readFileSync(path.join(ROOT, 'www', 'index.html'), 'utf8'), 'the page of www/');

  const body = signBody({ category: '工单', event: '执行成功', eventTime: Date.now(), message: 'run.sh' }, { url: base, secret: SECRET });
  const answer = await fetch(base, { method: 'POST', headers: { 'DMS-Event': 'Message Hook' }, body });
  assert.equal(answer.status, 200);
  assert.deepEqual(await answer.json(), { root: '', success: true });
  const forged = await fetch(base, { method: 'POST', headers: { 'DMS-Event': 'Message Hook' }, body: body.replace('run.sh', 'forged') });
  assert.equal(forged.status, 401);

  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const [code] = await exited;
  assert.equal(code, 0, stderr);
  assert.match(stdout, /Stopped in \d+ ms\./);
});
