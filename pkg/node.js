/* @ts-self-types="./index.d.ts" */
// Node and Bun: ready on import. The modules are embedded, so that the package still works
// once a bundler (esbuild, webpack, ncc...) has moved this file away from its .wasm files;
// each is compiled on its first use. The build bundles this file into node.cjs, which both
// `require` and `import` (through node.mjs) load: one instance for the process.
import { provide } from './abi.js';
import verifyWasm from './verify.wasm.js';
import fullWasm from './full.wasm.js';

import { nodeHmac } from './node-hmac.js';

const compile = (base64) => () => new WebAssembly.Module(Buffer.from(base64, 'base64'));

provide({ verify: compile(verifyWasm), full: compile(fullWasm), hmac: nodeHmac });

export * from './api.js';
/** Resolves at once: the package is ready on import. */
export const init = async () => {};
