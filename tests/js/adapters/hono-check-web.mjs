// dms-webhook/hono bound to the default entry (what browsers and runtimes without a condition of
// their own get, where init() must be awaited): the middleware awaits the package's init()
// itself. Node reaches that entry here by its file.
import * as root from './node_modules/dms-webhook/web.js';
import { honoMiddleware } from './node_modules/dms-webhook/receiver/hono-middleware.js';
import { runCases } from './hono-cases.mjs';

const outcome = await runCases({ dmsWebhook: honoMiddleware(root), dmsResponse: root.dmsResponse });
console.log(JSON.stringify({ entry: 'web.js', ...outcome }));
