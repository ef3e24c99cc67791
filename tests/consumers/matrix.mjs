// The consumer matrix: one row per tool or runtime a user builds or runs dms-webhook with. Each
// row gets its project's working copy (lib/workspace.mjs: the consumer's files, the shared
// checks, the packed tarball installed), builds it with the tool as a user would (no config
// beyond the tool's defaults), runs the result for real, and returns a short detail or throws
// with the error text. A row that returns `{ rows }` reports several lines (one build, several
// things run, each `[name, detail or Error, seconds?]`).
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { openPage, openUrl } from './lib/browser.mjs';
import { bundleEdgeFunction } from './lib/edge-bundle.mjs';
import { freePort, run, start } from './lib/exec.mjs';
import { EXPECTED, EXPECTED_ANSWERS, expectProgram, expectText } from './lib/expect.mjs';
import { bin, consumersRequire, nativeTool, nodeBinary, nodeTool, repoRequire } from './lib/tools.mjs';
import { deliver, HEADERS } from './shared/deliver.mjs';
import { SECRET, SIGNED, TAMPERED, URL as HOOK_URL } from './shared/fixture.mjs';

const deno = () => nativeTool('repo', 'deno', 'deno');
const bun = () => nativeTool('repo', 'bun', 'bin/bun.exe');
const esbuild = () => bin('repo', 'esbuild');

/**
 * Delivers the fixture's bodies with fetch (or a fetch-like function) and checks the answers;
 * on a failure the receiver's log (`log()`, what it printed) is added to the error.
 */
async function expectAnswers(what, fetchLike, url, log = () => '') {
  try {
    const answers = await deliver(async (body) => {
      const response = await fetchLike(url, { method: 'POST', headers: HEADERS, body });
      return { status: response.status, text: await response.text() };
    });
    return expectText(what, answers, EXPECTED_ANSWERS);
  } catch (err) {
    const printed = log().trim();
    if (printed) err.message += `\nthe receiver's log:\n${printed.split('\n').slice(-20).join('\n')}`;
    throw err;
  }
}

/** A page built into `dir` (or at `url`), opened in Chromium: its #result must be the check line. */
async function expectPage(dir, page, url) {
  const { text, problems } = url ? await openUrl(repoRequire, url) : await openPage(repoRequire, dir, page);
  expectText('page', text, EXPECTED);
  if (problems.length) throw new Error(`the page verified, but:\n${problems.join('\n')}`);
  return `Chromium: ${text}`;
}

/** A build's output on stderr (warnings) fails the row: a user would see it on every build. */
function quietBuild(what, { stderr }, allow = /^$/) {
  const lines = stderr.split('\n').filter((l) => l.trim() && !allow.test(l));
  if (lines.length) throw new Error(`${what} warned:\n${lines.slice(0, 20).join('\n')}`);
}

/** Runs a bundle away from the project (no node_modules next to it), as it runs once deployed. */
async function runDeployed(files, command, args) {
  const dir = mkdtempSync(path.join(tmpdir(), 'dms-webhook-deployed-'));
  try {
    for (const file of files) cpSync(file, path.join(dir, path.basename(file)), { recursive: true });
    return await run(command, args, { cwd: dir });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// The lowest version is the floor of `engines.node`: the command (dms-webhook) needs
// util.parseArgs with defaults, which Node 18 has from 18.11.
const NODES = [
  ['18.11.0', () => nodeBinary('node-18')],
  ['20', () => process.execPath],
  ['22.0.0', () => nodeBinary('node-22.0')],
  ['22.11.0', () => nodeBinary('node-22.11')],
  ['22.12.0', () => nodeBinary('node-22.12')],
  ['24.21.0', () => nodeBinary('node-24')],
];

/** Checks that `node` is the version it claims to be (the npm packages of Node are aliased). */
async function nodeOf(version, binary, dir) {
  const node = binary();
  const { stdout } = await run(node, ['--version'], { cwd: dir });
  if (version !== '20' && stdout.trim() !== `v${version}`) throw new Error(`the binary is Node ${stdout.trim()}, not ${version}`);
  return node;
}

const nodeRows = NODES.flatMap(([version, binary]) => [
  ...[['import', 'main.mjs'], ['require', 'main.cjs']].map(([how, file]) => ({
    name: `Node ${version === '20' ? process.versions.node : version} ${how}`,
    project: 'node',
    async run({ dir }) {
      return expectProgram(await run(await nodeOf(version, binary, dir), [file], { cwd: dir }));
    },
  })),
  {
    name: `Node ${version === '20' ? process.versions.node : version} command (dms-webhook verify)`,
    project: 'node',
    async run({ dir }) {
      const node = await nodeOf(version, binary, dir);
      const command = path.join(dir, 'node_modules', '.bin', 'dms-webhook');
      const verdicts = [];
      for (const [name, body] of [['signed.json', SIGNED], ['tampered.json', TAMPERED]]) {
        writeFileSync(path.join(dir, name), body);
        const { code, output } = await run(node, [command, 'verify', '--url', HOOK_URL, '--secret', SECRET, name], { cwd: dir, allowFailure: true });
        // The verdict: "authentic" or "not authentic: <CODE>", then details.
        verdicts.push(`exit ${code} ${/^(not )?authentic(: [A-Z_]+)?/.exec(output.trim())?.[0] ?? output.trim()}`);
      }
      return expectText('dms-webhook verify', verdicts.join('; '), 'exit 0 authentic; exit 1 not authentic: SIGNATURE_MISMATCH');
    },
  },
]);

const TS_MODES = {
  'node16, ES module': { type: 'module', module: 'node16', moduleResolution: 'node16', lib: ['es2023'] },
  'node16, CommonJS': { type: 'commonjs', module: 'node16', moduleResolution: 'node16', lib: ['es2023'] },
  'nodenext, ES module': { type: 'module', module: 'nodenext', moduleResolution: 'nodenext', lib: ['es2023'] },
  'nodenext, CommonJS': { type: 'commonjs', module: 'nodenext', moduleResolution: 'nodenext', lib: ['es2023'] },
  bundler: { type: 'module', module: 'preserve', moduleResolution: 'bundler', lib: ['es2023', 'dom'] },
};

/** Every subpath of the packed package's exports that code imports (not the .wasm files, not package.json). */
function codeSubpaths(dir) {
  const { exports } = JSON.parse(readFileSync(path.join(dir, 'node_modules', 'dms-webhook', 'package.json'), 'utf8'));
  return Object.keys(exports).filter((k) => k !== '.' && k !== './package.json' && !k.endsWith('.wasm'));
}

const typeRows = Object.entries(TS_MODES).map(([mode, { type, lib, ...resolution }]) => ({
  name: `TypeScript ${mode}`,
  project: 'types',
  async run({ dir }) {
    const source = readFileSync(path.join(dir, 'main.ts'), 'utf8');
    const missing = codeSubpaths(dir).filter((sub) => !source.includes(`from "dms-webhook/${sub.slice(2)}"`));
    if (missing.length) throw new Error(`types/main.ts does not import ${missing.join(', ')}: every subpath must be type-checked`);
    const sub = path.join(dir, mode.replace(/\W+/g, '-'));
    mkdirSync(sub, { recursive: true });
    writeFileSync(path.join(sub, 'package.json'), JSON.stringify({ name: 'types-consumer', private: true, type }));
    writeFileSync(path.join(sub, 'main.ts'), source);
    writeFileSync(path.join(sub, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { ...resolution, target: 'es2022', lib, types: ['node'], strict: true, noEmit: true, skipLibCheck: false },
      files: ['main.ts'],
    }, null, 2));
    await run(...nodeTool('consumers', 'typescript', 'tsc', ['-p', sub]), { cwd: sub });
    return `tsc ${resolution.moduleResolution}: no errors (root and ${codeSubpaths(dir).join(', ')})`;
  },
}));

export const MATRIX = [
  ...nodeRows,
  ...[['import', 'main.mjs'], ['require', 'main.cjs']].map(([how, file]) => ({
    name: `Bun runtime ${how}`,
    project: 'node',
    async run({ dir }) {
      return expectProgram(await run(bun(), [file], { cwd: dir }));
    },
  })),
  {
    name: 'Deno (deno check; deno run, no permission flags)',
    project: 'deno',
    async run({ dir }) {
      const env = { DENO_DIR: path.join(dir, '.deno') };
      await run(deno(), ['check', '--quiet', 'main.ts'], { cwd: dir, env });
      return expectProgram(await run(deno(), ['run', 'main.ts'], { cwd: dir, env }));
    },
  },
  ...[
    ['Hono middleware, Node import', () => process.execPath, ['hono.mjs']],
    // The floor of engines.node (Fastify 5 itself needs a newer Node than that).
    ['Hono middleware, Node 18.11.0 import', () => nodeBinary('node-18'), ['hono.mjs']],
    ['Hono middleware, Bun', bun, ['hono.mjs']],
    ['Hono middleware, Deno (no permission flags)', deno, ['run', 'hono.mjs']],
    ['Fastify plugin, Node import', () => process.execPath, ['fastify.mjs']],
    ['Fastify plugin, Node require', () => process.execPath, ['fastify.cjs']],
  ].map(([name, runtime, args]) => ({
    name,
    project: 'frameworks',
    async run({ dir }) {
      const env = { DENO_DIR: path.join(dir, '.deno') };
      return expectProgram(await run(runtime(), args, { cwd: dir, env }), [EXPECTED_ANSWERS]);
    },
  })),
  {
    name: 'Vite build',
    project: 'vite',
    async run({ dir }) {
      const build = await run(...nodeTool('consumers', 'vite', 'vite', ['build', '--base', './', '--outDir', 'dist', '--emptyOutDir', '--logLevel', 'warn']), { cwd: dir });
      quietBuild('vite build', build);
      return expectPage(path.join(dir, 'dist'));
    },
  },
  {
    name: 'Vite dev server',
    project: 'vite',
    async run({ dir }) {
      const port = await freePort();
      const server = await start(...nodeTool('consumers', 'vite', 'vite', ['--port', String(port), '--strictPort', '--host', '127.0.0.1']),
        { cwd: dir, ready: /Local:|ready in/i });
      try {
        return await expectPage(null, null, `http://127.0.0.1:${port}/`);
      } catch (err) {
        err.message += `\nvite:\n${server.output().trim().split('\n').slice(-15).join('\n')}`;
        throw err;
      } finally {
        await server.stop();
      }
    },
  },
  {
    name: 'webpack 5',
    project: 'webpack',
    async run({ dir }) {
      const build = await run(...nodeTool('consumers', 'webpack-cli', 'webpack-cli',
        ['--mode', 'production', '--entry', './page.js', '--output-path', './dist', '--output-filename', 'page.js', '--stats', 'errors-warnings']), { cwd: dir });
      quietBuild('webpack', build);
      // webpack reports its warnings (asset sizes, ...) on stdout.
      if (!/compiled successfully/.test(build.stdout)) throw new Error(`webpack warned:\n${build.stdout.trim()}`);
      return expectPage(dir);
    },
  },
  {
    name: 'esbuild, platform browser',
    project: 'esbuild',
    async run({ dir }) {
      quietBuild('esbuild', await run(esbuild(), ['page.js', '--bundle', '--format=esm', '--platform=browser', '--outdir=dist', '--log-level=warning'], { cwd: dir }));
      return expectPage(dir);
    },
  },
  {
    name: 'esbuild, platform node',
    project: 'esbuild',
    sources: ['node'],
    async run({ dir }) {
      quietBuild('esbuild', await run(esbuild(), ['main.mjs', '--bundle', '--format=esm', '--platform=node', '--outfile=dist-node/server.mjs', '--log-level=warning'], { cwd: dir }));
      return expectProgram(await runDeployed([path.join(dir, 'dist-node', 'server.mjs')], process.execPath, ['server.mjs']));
    },
  },
  {
    name: 'Rollup 4 + node-resolve',
    project: 'rollup',
    async run({ dir }) {
      const build = await run(...nodeTool('consumers', 'rollup', 'rollup', ['-p', 'node-resolve', 'page.js', '-f', 'es', '-d', 'dist']), { cwd: dir });
      quietBuild('rollup', build, /^(page\.js → dist|created dist\/? in |\s*$)/);
      return expectPage(dir);
    },
  },
  {
    name: 'bun build --target browser',
    project: 'bun-build',
    async run({ dir }) {
      quietBuild('bun build', await run(bun(), ['build', 'page.js', '--target', 'browser', '--outdir', 'dist'], { cwd: dir }));
      return expectPage(dir);
    },
  },
  {
    name: 'bun build --target bun',
    project: 'bun-build',
    sources: ['node'],
    async run({ dir }) {
      quietBuild('bun build', await run(bun(), ['build', 'main.mjs', '--target', 'bun', '--outdir', 'dist-bun'], { cwd: dir }));
      const out = path.join(dir, 'dist-bun');
      return expectProgram(await runDeployed(readdirSync(out).map((f) => path.join(out, f)), bun(), ['main.js']));
    },
  },
  {
    name: 'Parcel 2',
    project: 'parcel',
    async run({ dir }) {
      const build = await run(...nodeTool('consumers', 'parcel', 'parcel',
        ['build', 'index.html', '--dist-dir', 'dist', '--public-url', './', '--cache-dir', '.parcel-cache', '--no-autoinstall', '--no-source-maps', '--log-level', 'warn']), { cwd: dir });
      quietBuild('parcel build', build);
      return expectPage(path.join(dir, 'dist'));
    },
  },
  {
    name: 'Next.js',
    project: 'next',
    async run({ dir }) {
      const rows = [];
      // Turbopack is `next build`'s default since Next 16; webpack is still one flag away.
      for (const [bundler, flags] of [['turbopack', []], ['webpack', ['--webpack']]]) {
        const label = (route) => `Next.js ${route} route (${bundler}; next build, next start)`;
        const started = performance.now();
        const first = rows.length;
        let build;
        try {
          build = await run(...nodeTool('consumers', 'next', 'next', ['build', ...flags]), { cwd: dir, timeoutMs: 600_000 });
        } catch (err) {
          rows.push([label('node'), err], [label('edge'), err]);
          continue;
        }
        const port = await freePort();
        const server = await start(...nodeTool('consumers', 'next', 'next', ['start', '-p', String(port), '-H', '127.0.0.1']),
          { cwd: dir, ready: /Ready in|started server/i });
        try {
          for (const route of ['node', 'edge']) {
            try {
              rows.push([label(route), await expectAnswers('answers', fetch, `http://127.0.0.1:${port}/${route}`, server.output)]);
            } catch (err) {
              rows.push([label(route), err]);
            }
          }
        } finally {
          await server.stop();
        }
        // Next's own notices about any edge route, and about a first build under CI=true, are
        // not the package's doing.
        const warned = build.output.split('\n').filter((l) => /⚠|warn/i.test(l)
          && !/The Edge Runtime is deprecated|Using edge runtime on a page currently disables static generation|No build cache found/.test(l));
        if (warned.length) rows.push([`Next.js build (${bundler}) warnings`, new Error(warned.join('\n'))]);
        // Each line of this build gets its time: one build and one server for both routes.
        for (const row of rows.slice(first)) row[2] = (performance.now() - started) / 1000;
      }
      return { rows };
    },
  },
  {
    name: 'wrangler 4 deploy --dry-run, run in workerd',
    project: 'wrangler',
    async run({ dir }) {
      const build = await run(...nodeTool('repo', 'wrangler', 'wrangler', ['deploy', '--dry-run', '--outdir', 'dist']), { cwd: dir });
      const { Miniflare } = repoRequire('miniflare');
      let printed = '';
      const mf = new Miniflare({
        handleRuntimeStdio(stdout, stderr) {
          stdout.on('data', (d) => { printed += d; });
          stderr.on('data', (d) => { printed += d; });
        },
        modules: true,
        scriptPath: path.join(dir, 'dist', 'worker.js'),
        modulesRoot: path.join(dir, 'dist'),
        modulesRules: [{ type: 'ESModule', include: ['**/*.js'] }, { type: 'CompiledWasm', include: ['**/*.wasm'] }],
        compatibilityDate: '2025-01-01',
      });
      try {
        const upload = build.output.match(/Total Upload: .*/)?.[0] ?? '';
        return `${await expectAnswers('answers', (url, init) => mf.dispatchFetch(url, init), 'http://localhost/hook', () => printed)}; ${upload}`;
      } finally {
        await mf.dispose();
      }
    },
  },
  {
    name: 'Vercel-style edge (edge-runtime, Wasm from bytes refused)',
    project: 'edge-runtime',
    async run({ dir }) {
      const { EdgeRuntime } = consumersRequire('edge-runtime');
      const { code, modules, files } = await bundleEdgeFunction(path.join(dir, 'handler.js'), '__edgeFunction');
      const printed = [];
      const runtime = new EdgeRuntime({
        codeGeneration: { strings: false, wasm: false },
        extend: (context) => {
          context.console.error = (...args) => printed.push(args.map((a) => (a !== null && typeof a === 'object' && 'stack' in a ? a.stack : String(a))).join(' '));
          return Object.assign(context, modules);
        },
      });
      // The runtime must refuse to compile bytes, or this row proves nothing.
      const refused = await runtime.evaluate('WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])).then(() => "compiled", (e) => String(e))');
      if (!/disallowed by embedder/.test(refused)) throw new Error(`the edge runtime compiled Wasm from bytes (${refused}): it does not stand in for an isolate`);
      runtime.evaluate(code);
      runtime.evaluate('addEventListener("fetch", (event) => event.respondWith(__edgeFunction.default(event.request)))');
      const answers = await expectAnswers('answers', (url, init) => runtime.dispatchFetch(url, init), 'http://localhost/hook', () => printed.join('\n'));
      return `${answers} (modules handed in: ${files.join(', ')})`;
    },
  },
  ...typeRows,
  {
    name: 'attw (@arethetypeswrong/cli) on the tarball',
    project: null,
    async run({ tarball }) {
      // The .wasm subpaths are files to hand to a tool (a Module under workerd, an asset URL
      // with Vite's ?url, an instance under webpack), not modules with one type: declaring one
      // would be wrong for most tools and would override a project's `declare module "*.wasm"`.
      // attw checks every other entry point.
      const { exports } = JSON.parse((await run('tar', ['-xzOf', tarball, 'package/package.json'])).stdout);
      const assets = Object.keys(exports).filter((k) => k.endsWith('.wasm'));
      const { stdout } = await run(...nodeTool('consumers', '@arethetypeswrong/cli', 'attw',
        [tarball, '--format', 'table', '--no-color', ...(assets.length ? ['--exclude-entrypoints', ...assets] : [])]), { cwd: path.dirname(tarball) });
      if (!/No problems found/.test(stdout)) throw new Error(`attw:\n${stdout.trim()}`);
      return 'No problems found';
    },
  },
  {
    name: 'publint on the tarball',
    project: null,
    async run({ tarball }) {
      const dir = path.join(path.dirname(tarball), 'publint');
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir);
      await run('tar', ['-xzf', tarball, '-C', dir], { cwd: dir });
      const pkgDir = path.join(dir, 'package');
      const { publint } = await import(pathToFileURL(consumersRequire.resolve('publint')));
      const { formatMessage } = await import(pathToFileURL(consumersRequire.resolve('publint/utils')));
      // The files as packed, nothing else: `pack: false` reads the unpacked tarball as it is.
      const { messages, pkg } = await publint({ pkgDir, pack: false, level: 'suggestion', strict: true });
      if (messages.length) throw new Error(`publint:\n${messages.map((m) => `${m.type}: ${formatMessage(m, pkg)}`).join('\n')}`);
      return 'no errors, warnings or suggestions';
    },
  },
];
