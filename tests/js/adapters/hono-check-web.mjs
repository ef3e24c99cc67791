// dms-webhook/hono's default entry (runtimes without a condition of their own: the middleware
// awaits the package's init() itself). Node reaches it here by its file.
import { dmsResponse } from './node_modules/dms-webhook/web.js';
import { dmsWebhook } from './node_modules/dms-webhook/hono-web.js';
import { runCases } from './hono-cases.mjs';

const outcome = await runCases({ dmsWebhook, dmsResponse });
console.log(JSON.stringify({ entry: 'hono-web.js', ...outcome }));
