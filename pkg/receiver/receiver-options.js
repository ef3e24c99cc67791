// The options every receiver takes (the Node handler, the Hono middleware, the Fastify plugin):
// VerifyOptions for verify(), plus the receiver's own (the DMS-Event header, the size cap, the
// freshness window, de-duplication and the body time limit), read and checked in one place so
// that each receiver refuses the same bad options with the same INVALID_OPTIONS message.
import { DmsWebhookError } from '../error.js';
import { splitOptions } from '../fetch.js';
import { freshnessWindow } from './replay-guard.js';

/** 10 s: DMS bodies are a few KB, sent at once; a body still arriving after this is not DMS. */
export const DEFAULT_BODY_TIMEOUT_MS = 10000;

/**
 * Splits receiver options into what verify() takes and the receiver's own settings.
 * @returns {{ requireHeader: boolean, verifyOptions: object, limit: number, windowMs: number | null,
 *   deduplicate: object | false | undefined, read: { timeoutMs: number, budget?: object } }}
 */
export function receiverOptions(options) {
  if (options == null || typeof options !== 'object') splitOptions(options); // throws INVALID_OPTIONS
  const {
    deduplicate, bodyTimeoutMs = DEFAULT_BODY_TIMEOUT_MS, bodyBudget, maxAgeMs, ...rest
  } = options;
  const { requireHeader, verifyOptions, limit } = splitOptions(rest);
  const windowMs = freshnessWindow(maxAgeMs);
  if (windowMs !== null) verifyOptions.maxAgeMs = windowMs;
  if (typeof bodyTimeoutMs !== 'number' || !(bodyTimeoutMs >= 0)) {
    throw new DmsWebhookError('INVALID_OPTIONS', 'bodyTimeoutMs must be a number of milliseconds >= 0 (0: no limit)');
  }
  return { requireHeader, verifyOptions, limit, windowMs, deduplicate, read: { timeoutMs: bodyTimeoutMs, budget: bodyBudget } };
}
