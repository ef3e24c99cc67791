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

/** Runs `source` as the file `name` in a fresh Node (with `flags`); its standard output. */
function runFresh(name, source, flags = []) {
  const dir = mkdtempSync(join(tmpdir(), 'dms-node-start-'));
  try {
    const script = join(dir, name);
    writeFileSync(script, source);
    return execFileSync(process.execPath, [...flags, script], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Imports (or requires) an entry in a fresh Node, verifies the fixture body, and reports the
 * built-in modules Node loaded from just before the import to after the verification.
 */
function start(how, { withoutGetBuiltinModule = false } = {}) {
  const load = how === 'require'
    ? `require(${JSON.stringify(new URL('node.cjs', PKG).pathname)})`
    : `await import(${JSON.stringify(entry('node.mjs'))})`;
  return JSON.parse(runFresh(how === 'require' ? 'start.cjs' : 'start.mjs', `${withoutGetBuiltinModule ? 'delete process.getBuiltinModule;\n' : ''}
const before = new Set(process.moduleLoadList);
const api = ${load};
const verified = api.verify(${JSON.stringify(BODY)}, { url: ${JSON.stringify(URL_)}, secret: ${JSON.stringify(SECRET)} });
const loaded = process.moduleLoadList.filter((m) => !before.has(m));
console.log(JSON.stringify({ matched: verified.matched, loaded }));
${how === 'require' ? '' : 'export {};'}`));
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

// V8 runs a wasm function in its baseline code until the function has run enough, then optimises
// it on a background thread. On two cores, a second optimisation starting while the first runs
// took the main thread's core for 2-4 ms (measured, `node bench/verify.mjs`), so the verify path
// is kept to two functions hot enough to be optimised in a fresh process's first hundred calls:
// the reader (the canonical writer, the envelope and the duplicate-key check inlined) and SHA-1's
// compression. Which functions get hot is decided by how much baseline code has run, not by time,
// so the count is the same on every run of a given Node.
test('a fresh process’s first 101 verifications make V8 optimise no more than two functions', () => {
  const out = runFresh('tierup.mjs', `const api = await import(${JSON.stringify(entry('node.mjs'))});
const options = { url: ${JSON.stringify(URL_)}, secret: ${JSON.stringify(SECRET)} };
for (let i = 0; i < 101; i += 1) api.verify(${JSON.stringify(BODY)}, options);
// Let the background compilations the calls started finish and print.
await new Promise((resolve) => setTimeout(resolve, 500));
`, ['--trace-wasm-compilation-times']);
  const baseline = out.match(/^Compiled function .* using Liftoff/gm) ?? [];
  const optimised = out.match(/^Compiled function .* using TurboFan.*$/gm) ?? [];
  assert.ok(baseline.length > 10, `V8 traced its baseline compilations (${baseline.length})`);
  assert.ok(optimised.length <= 2, `optimised ${optimised.length} functions:\n${optimised.join('\n')}`);
});
