/* @ts-self-types="./index.d.ts" */
// Vercel's edge runtime (Next.js edge routes and middleware): the modules are imported as
// compiled modules (`?module`), since compiling WebAssembly from bytes is refused there; ready
// on import, each instantiated on first use.
import verifyModule from './verify.wasm?module';
import fullModule from './full.wasm?module';
import { provide } from './abi.js';

provide({ verify: () => verifyModule, full: () => fullModule });

export * from './api.js';
/** Resolves at once: the package is ready on import. */
export const init = async () => {};
