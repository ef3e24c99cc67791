// How the tests run a worker of this repository in workerd: one place for Miniflare's module
// rules (ES modules, and .wasm imported as a compiled module, as Workers require) and the
// compatibility date, which must not be newer than the pinned workerd supports.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A Miniflare instance running `scriptPath`; `options` adds bindings, KV namespaces, ... */
export function workerd(scriptPath, options = {}) {
  return new Miniflare({
    modules: true,
    scriptPath,
    modulesRoot: ROOT,
    modulesRules: [
      { type: 'ESModule', include: ['**/*.js', '**/*.mjs'] },
      { type: 'CompiledWasm', include: ['**/*.wasm'] },
    ],
    compatibilityDate: '2025-01-01',
    ...options,
  });
}
