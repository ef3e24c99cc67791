// dms-webhook/hono as this runtime resolves it by name (Node, Deno and Bun run this file).
import { dmsResponse } from 'dms-webhook';
import { dmsWebhook } from 'dms-webhook/hono';
import { runCases } from './hono-cases.mjs';

const outcome = await runCases({ dmsWebhook, dmsResponse });
console.log(JSON.stringify({ entry: import.meta.resolve('dms-webhook/hono'), ...outcome }));
