/* @ts-self-types="./index.d.ts" */
// Cloudflare Workers (workerd): the .wasm is imported as a compiled module; ready on import.
import wasm from './dms_webhook_bg.wasm';
import { initSync } from './dms_webhook.js';

initSync({ module: wasm });

export * from './api.js';
/** Resolves at once: the module is ready on import. */
export const init = async () => {};
