/* @ts-self-types="./hono.d.ts" */
// `dms-webhook/hono` in any other runtime (service workers, browsers, runtimes without a
// condition of their own): the middleware bound to the default entry, whose `init()` it awaits
// before the first verification.
import * as root from './web.js';
import { honoMiddleware } from './receiver/hono-middleware.js';

export const dmsWebhook = honoMiddleware(root);
export { DmsWebhookError } from './web.js';
export { MemoryDeliveryStore } from './receiver/seen-deliveries.js';
export { DEFAULT_MAX_AGE_MS } from './receiver/replay-guard.js';
