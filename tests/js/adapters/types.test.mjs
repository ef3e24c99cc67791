// The adapters' types as a TypeScript user meets them: types-check.ts (typical use of
// dms-webhook/hono and dms-webhook/fastify, with @ts-expect-error where a mistake must be caught)
// type-checked by `deno check` against the packed package and the frameworks' own types.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { BIN, consumer } from './consumer.mjs';

const project = consumer('types', ['types-check.ts']);
after(() => project.remove());

test('deno check: the adapters\' types', { timeout: 120000 }, () => {
  const r = spawnSync(BIN('deno'), ['check', '--quiet', 'types-check.ts'], {
    cwd: project.dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1', DENO_DIR: project.file('.deno') },
    timeout: 110000,
  });
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
});
