/* @ts-self-types="./hono.d.ts" */
// `dms-webhook/hono` in Node and Bun: the middleware bound to the Node entry's WebAssembly
// instance. The source of hono.mjs and hono.cjs (scripts/bundle-node.mjs), which import the
// root entry (node.mjs, node.cjs) instead of carrying a second copy of it.
import * as root from './node.js';
import { honoMiddleware } from './receiver/hono-middleware.js';

export const dmsWebhook = honoMiddleware(root);
export { DmsWebhookError } from './node.js';
export { MemoryDeliveryStore } from './receiver/seen-deliveries.js';
export { DEFAULT_MAX_AGE_MS } from './receiver/replay-guard.js';
