// Runs the consumer matrix: packs pkg/ once, then builds and runs every consumer (matrix.mjs)
// from that tarball, and prints a table consumer -> result with the time each took. Exits
// non-zero when a consumer fails. A tool that is not installed skips its consumer loudly, and
// fails it under CI=true (where scripts/setup.sh must have installed everything).
//
//   node tests/consumers/run.mjs            every consumer
//   node tests/consumers/run.mjs vite node  only those whose name contains one of the words
import { performance } from 'node:perf_hooks';
import { closeBrowser } from './lib/browser.mjs';
import { MissingTool } from './lib/tools.mjs';
import { pack, prepare } from './lib/workspace.mjs';
import { MATRIX } from './matrix.mjs';

const ci = process.env.CI === 'true';
const filters = process.argv.slice(2).map((f) => f.toLowerCase());
const rows = MATRIX.filter((row) => filters.length === 0 || filters.some((f) => row.name.toLowerCase().includes(f)));
if (rows.length === 0) {
  console.error(`no consumer matches ${filters.join(', ')}`);
  process.exit(2);
}

const seconds = (t0) => ((performance.now() - t0) / 1000).toFixed(1);
const results = [];
const record = (name, status, detail, time) => {
  results.push({ name, status, detail, time });
  const first = String(detail).split('\n')[0];
  console.log(`${status.padEnd(4)}  ${name}  (${time} s)  ${first}`);
};

const t0 = performance.now();
const packed = await pack();
console.log(`packed ${packed.tarball.split('/').pop()}: ${packed.size} bytes, ${packed.files.length} files (${seconds(t0)} s)\n`);

// A project is laid out once per run, with the files of every project its rows borrow
// (`sources`); the first row that needs it pays for it.
const borrowed = new Map();
for (const row of rows.filter((r) => r.project)) borrowed.set(row.project, new Set([...(borrowed.get(row.project) ?? []), ...(row.sources ?? [])]));
const prepared = new Map();
for (const row of rows) {
  const started = performance.now();
  try {
    if (row.project && !prepared.has(row.project)) prepared.set(row.project, prepare(row.project, packed.tarball, [...borrowed.get(row.project)]));
    const outcome = await row.run({ dir: row.project && await prepared.get(row.project), ...packed });
    if (outcome && Array.isArray(outcome.rows)) {
      for (const [name, result, took] of outcome.rows) {
        const time = took === undefined ? seconds(started) : took.toFixed(1);
        if (result instanceof Error) record(name, 'FAIL', result.message, time);
        else record(name, 'PASS', result, time);
      }
    } else {
      record(row.name, 'PASS', outcome, seconds(started));
    }
  } catch (err) {
    if (err instanceof MissingTool && !ci) record(row.name, 'SKIP', `not installed: ${err.message}`, seconds(started));
    else record(row.name, 'FAIL', err instanceof MissingTool ? `not installed (CI=true): ${err.message}` : (err?.message ?? String(err)), seconds(started));
  }
}
await closeBrowser();

const count = (s) => results.filter((r) => r.status === s).length;
const width = Math.max(...results.map((r) => r.name.length));
console.log(`\n==================== consumers of the packed package ====================`);
for (const r of results) {
  console.log(`${r.status.padEnd(4)}  ${r.name.padEnd(width)}  ${String(r.time).padStart(6)} s  ${String(r.detail).split('\n')[0].slice(0, 140)}`);
}
const failed = results.filter((r) => r.status === 'FAIL');
for (const r of failed) console.log(`\n--- ${r.name} ---\n${r.detail}`);
console.log(`\nconsumers: ${count('PASS')} passed, ${count('FAIL')} failed, ${count('SKIP')} skipped (${seconds(t0)} s)`);
process.exitCode = failed.length ? 1 : 0;
