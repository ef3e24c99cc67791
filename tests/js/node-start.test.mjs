// What Node loads when the package is imported: the entry reaches node:fs without making Node build
// node:fs's ES module namespace, which loads Node's stream modules (several ms of a fresh
// process's start), and it still works where process.getBuiltinModule is missing (Node before
// 20.16 and 22.3), through an import of node:fs. Each case runs in a fresh process, since a
// module Node has loaded once stays loaded.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BODY, PKG, SECRET, URL_ } from './package-fixtures.mjs';

const entry = (name) => new URL(name, PKG).href;

/**
 * Imports (or requires) an entry in a fresh Node, verifies the fixture body, and reports the
 * built-in modules Node loaded from just before the import to after the verification.
 */
function start(how, { withoutGetBuiltinModule = false } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'dms-node-start-'));
  try {
    const script = join(dir, how === 'require' ? 'start.cjs' : 'start.mjs');
    const load = how === 'require'
      ? `require(${JSON.stringify(new URL('node.cjs', PKG).pathname)})`
      : `await import(${JSON.stringify(entry('node.mjs'))})`;
    writeFileSync(script, `${withoutGetBuiltinModule ? 'delete process.getBuiltinModule;\n' : ''}
const before = new Set(process.moduleLoadList);
const api = ${load};
const verified = api.verify(${JSON.stringify(BODY)}, { url: ${JSON.stringify(URL_)}, secret: ${JSON.stringify(SECRET)} });
const loaded = process.moduleLoadList.filter((m) => !before.has(m));
console.log(JSON.stringify({ matched: verified.matched, loaded }));
${how === 'require' ? '' : 'export {};'}`);
    return JSON.parse(execFileSync(process.execPath, [script], { encoding: 'utf8' }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const streams = (loaded) => loaded.filter((m) => /\bNativeModule (stream|internal\/streams\/|internal\/fs\/streams)/.test(m));

test('import loads no stream module, and verifies from the .wasm file', () => {
  const { matched, loaded } = start('import');
  assert.equal(matched.url, URL_);
  assert.deepEqual(streams(loaded), []);
  assert.ok(!loaded.some((m) => /NativeModule (crypto|internal\/crypto\/)/.test(m)), 'node:crypto waits for a large body');
});

test('require loads no stream module either', () => {
  const { matched, loaded } = start('require');
  assert.equal(matched.url, URL_);
  assert.deepEqual(streams(loaded), []);
});

test('without process.getBuiltinModule, import still reads the .wasm file (through import of node:fs)', () => {
  const { matched, loaded } = start('import', { withoutGetBuiltinModule: true });
  assert.equal(matched.url, URL_);
  // The import of node:fs is what loads the streams: this shows that path ran.
  assert.notDeepEqual(streams(loaded), []);
});
