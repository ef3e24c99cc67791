// StrykerJS over the package's receivers, CLI and JS glue: `bash scripts/mutants.sh js`
// (docs/testing.md), run from the repository root. Not part of the test command (too long).
//
// Stryker copies the repository into a sandbox and instruments the files to mutate with every
// mutant at once. The Node entries are bundles (scripts/bundle-node.mjs) of those files, so the
// sandbox rebuilds them from the instrumented sources (buildCommand) after copying the built
// WebAssembly in (pkg/*.wasm are build output, not in git). Each test file runs in a process of
// its own (the tap runner: node:test prints TAP), only for the mutants it reaches.
const files = (process.env.MUTATE ?? '').split(',').filter(Boolean);

export default {
  testRunner: 'tap',
  plugins: ['@stryker-mutator/tap-runner'],
  mutate: files.length ? files : [
    'pkg/receiver/*.js',
    'pkg/node-handler.js',
    'pkg/fetch.js',
    'pkg/verify.js',
    'pkg/options.js',
    'pkg/abi.js',
    'pkg/cli/*.js',
  ],
  tap: {
    testFiles: (process.env.MUTANT_TESTS ?? [
      'tests/js/receivers.test.mjs',
      'tests/js/receivers-replay.test.mjs',
      'tests/js/error-reporting.test.mjs',
      'tests/js/node-handler-express-raw.test.mjs',
      'tests/js/hono-early-refusal.test.mjs',
      'tests/js/hono-replay.test.mjs',
      'tests/js/hono-body-cache.test.mjs',
      'tests/js/hono-before-init.test.mjs',
      'tests/js/verify-request-cancel.test.mjs',
      'tests/js/verify-request-answers.test.mjs',
      'tests/js/receiver-options.test.mjs',
      'tests/js/replay-guard-claims.test.mjs',
      'tests/js/reply-signature-mask.test.mjs',
      'tests/js/receiver-client-abort.test.mjs',
      'tests/js/node-handler-parsed-body.test.mjs',
      'tests/js/read-body-budget.test.mjs',
      'tests/js/verify-node-request.test.mjs',
      'tests/js/listen-keep-alive.test.mjs',
      'tests/js/hono-read-body.test.mjs',
      'tests/js/web-init.test.mjs',
      'tests/js/package.test.mjs',
      'tests/js/package-vectors.test.mjs',
      'tests/js/package-robustness.test.mjs',
      'tests/js/create-verifier.test.mjs',
      'tests/js/module-trap.test.mjs',
      'tests/js/memory-growth.test.mjs',
      'tests/js/memory-bound.test.mjs',
      'tests/js/explain-options.test.mjs',
      'tests/js/cli-listen-options.test.mjs',
      'tests/js/cli-send-timeout.test.mjs',
      'tests/js/receivers-cli.test.mjs',
      'tests/js/receivers-attacks.test.mjs',
      'tests/js/hardening.test.mjs',
      'tests/js/hardening-memory.test.mjs',
      'tests/js/node-handler-keep-alive.test.mjs',
      'tests/js/node-handler-dedupe.test.mjs',
      'tests/js/body-budget.test.mjs',
      'tests/js/memory-delivery-store.test.mjs',
      'tests/js/close-gracefully.test.mjs',
      'tests/js/adapters/hono-node.test.mjs',
      'tests/js/adapters/fastify.test.mjs',
      'tests/js/cli-usage.test.mjs',
      'tests/js/cli-terminal.test.mjs',
      'tests/js/cli-credentials.test.mjs',
      'tests/js/cli-delivery-history.test.mjs',
      'tests/js/cli-dashboard-access.test.mjs',
      'tests/js/cli-static-files.test.mjs',
      'tests/js/cli-event-stream.test.mjs',
      'tests/js/cli-input.test.mjs',
      'tests/js/cli-diagnostics.test.mjs',
      'tests/js/cli-listener.test.mjs',
      'tests/js/cli-send.test.mjs',
      'tests/js/cli-verify.test.mjs',
      'tests/js/cli-listen.test.mjs',
      'tests/js/cli-help.test.mjs',
    ].join(',')).split(','),
    forceBail: true,
  },
  // Per test file: a mutant runs only the files that reached it in the first, unmutated run.
  // Code that runs only in a child process (the CLI started by a test) reports no coverage to
  // the runner: MUTANT_COVERAGE=all runs every file for every mutant instead (see docs/testing.md).
  coverageAnalysis: process.env.MUTANT_COVERAGE ?? 'perTest',
  buildCommand: 'bash tests/mutants/sandbox-build.sh',
  ignorePatterns: [
    '/target', '/fuzz', '/test-output', '/tests/consumers', '/tests/vectors/README.md', '/examples',
    '/bench', '/benches', '/mutants.out*', '/tests/mutants/node_modules', '/tests/mutants/reports',
  ],
  concurrency: Number(process.env.MUTANT_JOBS ?? 1),
  timeoutMS: 20000,
  timeoutFactor: 2,
  reporters: ['clear-text', 'progress-append-only', 'json'],
  jsonReporter: { fileName: 'tests/mutants/reports/mutation.json' },
  tempDirName: 'test-output/stryker-tmp',
  cleanTempDir: true,
  // A later run tries again only the mutants whose code or tests changed (and the survivors'
  // new tests): `bash scripts/mutants.sh js --incremental`.
  incrementalFile: 'tests/mutants/reports/stryker-incremental.json',
};
