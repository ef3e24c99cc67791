// Bundles a Vercel-style edge function the way Vercel's build does for the edge runtime: the
// `edge-light` export condition, and every `import x from './x.wasm?module'` turned into a
// binding the runtime provides as a global holding the compiled module (the function's code is
// never given the bytes). Resolves to the bundle's code and those modules, compiled here.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRequire } from './tools.mjs';

export async function bundleEdgeFunction(entry, globalName) {
  const { build } = repoRequire('esbuild');
  const wasm = new Map();
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    globalName,
    platform: 'browser',
    conditions: ['edge-light', 'worker', 'browser'],
    logLevel: 'silent',
    plugins: [{
      name: 'wasm-module-bindings',
      setup(b) {
        b.onResolve({ filter: /\.wasm\?module$/ }, (args) => ({
          path: path.resolve(args.resolveDir, args.path.replace(/\?module$/, '')),
          namespace: 'wasm-module',
        }));
        b.onLoad({ filter: /.*/, namespace: 'wasm-module' }, (args) => {
          const binding = `wasm_${path.basename(args.path, '.wasm')}`;
          wasm.set(binding, args.path);
          return { contents: `export default globalThis[${JSON.stringify(binding)}];`, loader: 'js' };
        });
      },
    }],
  });
  const modules = Object.fromEntries([...wasm].map(([binding, file]) => [binding, new WebAssembly.Module(readFileSync(file))]));
  return { code: result.outputFiles[0].text, modules, files: [...wasm.values()].map((f) => path.basename(f)) };
}
