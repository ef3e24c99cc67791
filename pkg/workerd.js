/* @ts-self-types="./index.d.ts" */
// Cloudflare Workers (workerd): the modules are imported as compiled modules (Workers refuse to
// compile WebAssembly from bytes); ready on import, each instantiated on first use.
import verifyModule from './verify.wasm';
import fullModule from './full.wasm';
import { provide } from './abi.js';

provide({ verify: () => verifyModule, full: () => fullModule });

export * from './api.js';
/** Resolves at once: the package is ready on import. */
export const init = async () => {};
