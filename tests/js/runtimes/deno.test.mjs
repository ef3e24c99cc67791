// Deno (from the npm package `deno`): the smoke test, and the package types checked by Deno's TypeScript.
import test from 'node:test';
import { BIN, HERE, assertSmoke, lastJson, run } from './run.mjs';

const env = { DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1', NO_COLOR: '1' };

test('Deno: verify, sign, parse, an error code', async (t) => {
  t.diagnostic((await run(BIN('deno'), ['--version'], env)).split('\n')[0]);
  assertSmoke(lastJson(await run(BIN('deno'), ['run', '--no-config', '--allow-read', HERE('entry-node.mjs')], env)));
});

test('Deno: index.d.ts type-checks against typical use', async () => {
  await run(BIN('deno'), ['check', '--no-config', '--quiet', HERE('types.ts')], env);
});
