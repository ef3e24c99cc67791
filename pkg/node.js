/* @ts-self-types="./index.d.ts" */
// Bun, and bundlers building for Node (esbuild, webpack, Rollup, Next.js, bun build): ready on
// import. The modules are embedded, so that the package still works once a bundle has been
// moved away from the .wasm files; each is compiled on its first use. Node itself loads
// node.mjs or node.cjs (built from node-files.js), which read the .wasm files instead.
import { provide } from './abi.js';
import verifyWasm from './verify.wasm.js';
import fullWasm from './full.wasm.js';

import { nodeHmac } from './node-hmac.js';

const compile = (base64) => () => new WebAssembly.Module(Buffer.from(base64, 'base64'));

provide({ verify: compile(verifyWasm), full: compile(fullWasm), hmac: nodeHmac });

export * from './api.js';
/** Resolves at once: the package is ready on import. */
export const init = async () => {};
