// Bun (from the npm package `bun`): the smoke test through the Node entry.
import test from 'node:test';
import { BIN, HERE, assertSmoke, lastJson, run } from './run.mjs';

test('Bun: verify, sign, parse, an error code', async (t) => {
  t.diagnostic(`bun ${(await run(BIN('bun'), ['--version'])).trim()}`);
  assertSmoke(lastJson(await run(BIN('bun'), ['run', HERE('entry-node.mjs')], { BUN_DISABLE_TELEMETRY: '1' })));
});
