// Where `send --event` and `verify` read bytes from (pkg/cli/input.js), in process: a file, or
// standard input for "-" or for no FILE when stdin is piped; a terminal on stdin is refused.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { readInput } from '../../pkg/cli/input.js';
import { UsageError } from '../../pkg/cli/usage.js';

const TMP = mkdtempSync(path.join(tmpdir(), 'dms-webhook-input-'));
test.after(() => rmSync(TMP, { recursive: true, force: true }));

/** Replaces process.stdin for one test with a stream fed `chunks` (or left open). */
function fakeStdin(t, { chunks = [], isTTY = false, error } = {}) {
  const stdin = new PassThrough();
  stdin.isTTY = isTTY;
  const original = Object.getOwnPropertyDescriptor(process, 'stdin');
  Object.defineProperty(process, 'stdin', { value: stdin, configurable: true, enumerable: true });
  t.after(() => Object.defineProperty(process, 'stdin', original));
  setImmediate(() => {
    if (error) {
      stdin.destroy(error);
      return;
    }
    for (const c of chunks) stdin.write(c);
    stdin.end();
  });
  return stdin;
}

test('a file: its bytes, as they are', async () => {
  const file = path.join(TMP, 'body.json');
  const bytes = Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d, 0x0a, 0xff]);
  writeFileSync(file, bytes);
  const got = await readInput(file);
  assert.ok(Buffer.isBuffer(got));
  assert.deepEqual(got, bytes);
});

test('a file that cannot be read: a usage error naming it', async () => {
  const missing = path.join(TMP, 'missing.json');
  await assert.rejects(readInput(missing), (err) => err instanceof UsageError
    && err.message === `cannot read ${missing}: no such file`);
  await assert.rejects(readInput(TMP), (err) => err instanceof UsageError
    && err.message === `cannot read ${TMP}: EISDIR: illegal operation on a directory, read`);
});

test('"-": standard input, every chunk, even from a terminal', async (t) => {
  fakeStdin(t, { chunks: ['{"a":', Buffer.from('1}\n')], isTTY: true });
  assert.equal((await readInput('-')).toString(), '{"a":1}\n');
});

test('no FILE: standard input when it is piped', async (t) => {
  fakeStdin(t, { chunks: ['piped'] });
  assert.equal((await readInput()).toString(), 'piped');
});

test('no FILE: an empty pipe gives no bytes', async (t) => {
  fakeStdin(t, {});
  assert.equal((await readInput(undefined)).length, 0);
});

test('no FILE and a terminal on stdin: refused with a usage error, nothing read', async (t) => {
  const stdin = fakeStdin(t, { isTTY: true });
  await assert.rejects(readInput(), (err) => err instanceof UsageError
    && err.message === 'give a FILE, or pipe the body on standard input');
  assert.equal(stdin.listenerCount('data'), 0);
});

test('an error on standard input rejects', async (t) => {
  fakeStdin(t, { error: new Error('stdin broke') });
  await assert.rejects(readInput('-'), { message: 'stdin broke' });
});
