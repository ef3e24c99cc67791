/* @ts-self-types="./index.d.ts" */
// Browsers, bundlers and any other runtime: `await init()` once, then every call is
// synchronous. (Browsers compile WebAssembly of more than 4 KB only asynchronously.)
import { provide } from './abi.js';
import { decodeBase64 } from './base64.js';

export * from './api.js';

/** A compiled module from a URL, a Request or Response, bytes, or a module (or a promise of one). */
async function compile(source) {
  const value = await source;
  if (value instanceof WebAssembly.Module) return value;
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return WebAssembly.compile(value);
  const response = typeof Response !== 'undefined' && value instanceof Response ? value : await fetch(value);
  if (!response.ok) throw new Error(`dms-webhook: cannot load ${response.url || 'the WebAssembly module'}: HTTP ${response.status}`);
  return WebAssembly.compile(await response.arrayBuffer());
}

const embedded = async (load) => WebAssembly.compile(decodeBase64((await load()).default));

let loading = null;

/**
 * Loads the WebAssembly modules; resolves once every function is ready. Without an argument
 * the modules come from the package itself (embedded: no file to serve, no bundler setting).
 * `init({ verify, full })` loads them from elsewhere instead: each a URL, a Request or
 * Response, bytes or a `WebAssembly.Module` (the package's `verify.wasm` and `full.wasm`).
 */
export function init(input) {
  if (loading !== null && input === undefined) return loading;
  if (input !== undefined && (input === null || typeof input !== 'object' || !('verify' in input) || !('full' in input))) {
    return Promise.reject(new TypeError('dms-webhook: init() takes no argument, or { verify, full }: the sources of verify.wasm and full.wasm'));
  }
  loading = Promise.all(input === undefined
    ? [embedded(() => import('./verify.wasm.js')), embedded(() => import('./full.wasm.js'))]
    : [compile(input.verify), compile(input.full)])
    .then(([verify, full]) => provide({ verify: () => verify, full: () => full }))
    .catch((err) => {
      loading = null;
      throw err;
    });
  return loading;
}
