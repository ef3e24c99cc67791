/* @ts-self-types="./index.d.ts" */
// Node (import and require share this one instance), Deno and Bun: ready on import.
import { readFileSync } from 'node:fs';
import { initSync } from './dms_webhook.js';

initSync({ module: readFileSync(new URL('./dms_webhook_bg.wasm', import.meta.url)) });

export * from './api.js';
/** Resolves at once: the module is ready on import. */
export const init = async () => {};
