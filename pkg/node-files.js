/* @ts-self-types="./index.d.ts" */
// Node's own entry, unbundled: node.mjs and node.cjs are built from this file. The modules are
// read from the .wasm files beside it when first needed, which is the cheapest start (no
// base64 to parse at import). Bundlers building for Node get node.js instead (the "module"
// condition), which embeds the modules, since a bundle is moved away from the .wasm files.
import { provide } from './abi.js';
import { readFileSync } from './node-fs.js';
import { nodeHmac } from './node-hmac.js';

// The folder as a path (Node 20.11+), which costs less at the first call than building a URL;
// older versions resolve the URL.
const dir = import.meta.dirname;
const where = (name) => (dir === undefined ? new URL(`./${name}.wasm`, import.meta.url) : `${dir}/${name}.wasm`);
const file = (name) => () => new WebAssembly.Module(readFileSync(where(name)));
provide({ verify: file('verify'), full: file('full'), hmac: nodeHmac });

export * from './api.js';
/** Resolves at once: the package is ready on import. */
export const init = async () => {};
