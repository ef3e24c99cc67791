// Helpers of the runtime smoke tests (not a test file itself).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const BIN = (name) => fileURLToPath(new URL(`../../../node_modules/.bin/${name}`, import.meta.url));
export const HERE = (name) => fileURLToPath(new URL(name, import.meta.url));

/** Runs a command; resolves with its stdout, rejects with its stderr. */
export function run(file, args, env = {}) {
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd: ROOT, env: { ...process.env, ...env }, timeout: 120_000, maxBuffer: 1 << 20 },
      (err, stdout, stderr) => (err ? reject(new Error(`${file} ${args.join(' ')}: ${err.message}\n${stderr}`)) : resolve(stdout)));
  });
}

/** Asserts that every check of the smoke test passed. */
export function assertSmoke(results) {
  assert.ok(Object.keys(results).length >= 8, 'all checks ran');
  for (const [name, outcome] of Object.entries(results)) assert.equal(outcome, true, name);
}

/** The smoke results printed as the last line of a runtime's output. */
export function lastJson(stdout) {
  return JSON.parse(stdout.trim().split('\n').pop());
}
