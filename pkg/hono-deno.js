/* @ts-self-types="./hono.d.ts" */
// `dms-webhook/hono` in Deno (and Netlify's edge functions): the middleware bound to the deno
// entry's WebAssembly instance.
import * as root from './deno.js';
import { honoMiddleware } from './receiver/hono-middleware.js';

export const dmsWebhook = honoMiddleware(root);
export { DmsWebhookError } from './deno.js';
export { MemoryDeliveryStore } from './receiver/seen-deliveries.js';
export { DEFAULT_MAX_AGE_MS } from './receiver/replay-guard.js';
