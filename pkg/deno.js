/* @ts-self-types="./index.d.ts" */
// Deno (and Netlify's edge functions): ready on import, with no permission asked. The modules
// are embedded and compiled on first use.
import { provide } from './abi.js';
import { decodeBase64 } from './base64.js';
import verifyWasm from './verify.wasm.js';
import fullWasm from './full.wasm.js';

import { nodeHmac } from './node-hmac.js';

const compile = (base64) => () => new WebAssembly.Module(decodeBase64(base64));
provide({ verify: compile(verifyWasm), full: compile(fullWasm), hmac: nodeHmac });

export * from './api.js';
/** Resolves at once: the package is ready on import. */
export const init = async () => {};
