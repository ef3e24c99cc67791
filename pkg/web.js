/* @ts-self-types="./index.d.ts" */
// Browsers and bundlers: `await init()` once, then every call is synchronous.
import load, * as glue from './dms_webhook.js';
import * as fetchApi from './fetch.js';
import { verify as verifyLoaded } from './api.js';

export * from './api.js';

let ready = false;
/** Loads the .wasm (by default from next to this file); resolves once it is ready. */
export async function init(input) {
  await load(input === undefined || input?.module_or_path !== undefined ? input : { module_or_path: input });
  ready = true;
}

// The names below shadow api.js's: each refuses clearly until init() has resolved.
function assertReady(name) {
  if (!ready) throw new Error(`dms-webhook: ${name}() was called before the WebAssembly module was loaded: \`await init()\` first`);
}
const guarded = (name, fn) => (...args) => (assertReady(name), fn(...args));
export const verify = guarded('verify', verifyLoaded);
export const sign = guarded('sign', glue.sign);
export const signBody = guarded('signBody', glue.signBody);
export const parse = guarded('parse', glue.parse);
export const canonicalize = guarded('canonicalize', glue.canonicalize);
export const explain = guarded('explain', glue.explain);
export const deliveryKey = guarded('deliveryKey', glue.deliveryKey);
export const verifyRequest = async (...args) => (assertReady('verifyRequest'), fetchApi.verifyRequest(...args));
