/* @ts-self-types="./hono.d.ts" */
// `dms-webhook/hono`: the middleware bound to the package's root, imported by its own name, so
// that each runtime gets its own entry (workerd, edge, Deno, Node, browsers) and the middleware
// shares its instance. In Node this is bundled into hono.mjs and hono.cjs (scripts/bundle-node.mjs).
import * as root from 'dms-webhook';
import { honoMiddleware } from './receiver/hono-middleware.js';

export const dmsWebhook = honoMiddleware(root);
export { DmsWebhookError } from 'dms-webhook';
export { MemoryDeliveryStore } from './receiver/seen-deliveries.js';
export { DEFAULT_MAX_AGE_MS } from './receiver/replay-guard.js';
