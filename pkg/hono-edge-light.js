/* @ts-self-types="./hono.d.ts" */
// `dms-webhook/hono` in Vercel's edge runtime (Next.js edge routes and middleware): the
// middleware bound to the edge-light entry's WebAssembly instance.
import * as root from './edge-light.js';
import { honoMiddleware } from './receiver/hono-middleware.js';

export const dmsWebhook = honoMiddleware(root);
export { DmsWebhookError } from './edge-light.js';
export { MemoryDeliveryStore } from './receiver/seen-deliveries.js';
export { DEFAULT_MAX_AGE_MS } from './receiver/replay-guard.js';
