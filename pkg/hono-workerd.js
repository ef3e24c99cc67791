/* @ts-self-types="./hono.d.ts" */
// `dms-webhook/hono` in Cloudflare Workers (workerd): the middleware bound to the workerd
// entry's WebAssembly instance.
import * as root from './workerd.js';
import { honoMiddleware } from './receiver/hono-middleware.js';

export const dmsWebhook = honoMiddleware(root);
export { DmsWebhookError } from './workerd.js';
export { MemoryDeliveryStore } from './receiver/seen-deliveries.js';
export { DEFAULT_MAX_AGE_MS } from './receiver/replay-guard.js';
