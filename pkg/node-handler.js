/* @ts-self-types="./node-handler.d.ts" */
// A receiver for Node's `http.createServer` and for Express: reads the raw body itself (DMS signs a
// re-serialisation of the JSON it sends, so the verifier needs the exact bytes), verifies it,
// refuses replays (a freshness window on eventTime and de-duplication by deliveryKey, both on by
// default) and answers in the format DMS expects.
import { deliveryKey, DmsWebhookError } from 'dms-webhook';
import { verifyNodeMessage, withVerifier } from './receiver/node-request.js';
import { receiverOptions } from './receiver/receiver-options.js';
import { bodyPending, sendDmsResponse } from './receiver/reply.js';
import { ReplayGuard, inProgress } from './receiver/replay-guard.js';

export { readRawBody, DEFAULT_BODY_TIMEOUT_MS } from './receiver/read-body.js';
export { sendDmsResponse } from './receiver/reply.js';
export { MemoryDeliveryStore } from './receiver/seen-deliveries.js';
export { DEFAULT_MAX_AGE_MS } from './receiver/replay-guard.js';
export { BodyBudget } from './receiver/body-budget.js';
export { limitServer, SERVER_LIMITS } from './receiver/server-limits.js';
export { closeGracefully } from './receiver/shutdown.js';
export { DmsWebhookError };

/**
 * Verifies the request (method, DMS-Event header, size cap, time limit, signature, freshness) and
 * resolves to `{ result, body }`, or rejects with DmsWebhookError (with `body` attached when it
 * was read). It does not de-duplicate: createHandler() does, or use deliveryKey(body) yourself.
 * The freshness window applies as in createHandler() (one hour unless `maxAgeMs` says otherwise).
 */
export async function verifyNodeRequest(req, options) {
  return verifyNodeMessage(req, receiverOptions(options));
}

let warnedConsumed = false;

/**
 * A handler for `http.createServer(handler)` and Express (`app.post(path, handler)`).
 * Verifies each request and answers in DMS's format: `{"root":"","success":true}` once verified,
 * or `{"root":"<code>: <message>","success":false}` with a fitting status.
 *
 * - `onVerified(result, req, res)` (optional, may be async) runs after a successful verification;
 *   it may answer itself, else the handler answers success. If it throws (or anything else fails
 *   that is not a refusal), the error goes to Express's `next(err)` when there is one, else the
 *   answer is a 500 in DMS's format and the error is reported (console.error, with its cause).
 * - Replays: eventTime must be within `maxAgeMs` of now (one hour by default; null switches it
 *   off), and a delivery already handled is answered success without running onVerified again
 *   (`deduplicate`: a bounded in-memory store by default, your own store, or false).
 * - The verified webhook is also put on `req.dmsWebhook` (and `req.dmsWebhookDuplicate` is true
 *   for a repeat).
 * - Every request gets its answer here: `next()` is never called without an error, so the
 *   handler can end a route (`app.post(path, createHandler(options))`).
 * - A refusal before the body was read to its end closes the connection rather than read the rest.
 * @param {object} options VerifyOptions plus receiver options (see node-handler.d.ts)
 * @param {(result: object, req: object, res: object) => unknown} [onVerified]
 */
export function createHandler(options, onVerified) {
  // Refuse bad options when the handler is made, not on the first delivery.
  const settings = withVerifier(receiverOptions(options));
  if (onVerified != null && typeof onVerified !== 'function') {
    throw new TypeError('onVerified must be a function');
  }
  const guard = new ReplayGuard({ windowMs: settings.windowMs, store: settings.deduplicate });
  return async function dmsWebhookHandler(req, res, next) {
    let result;
    let body;
    try {
      ({ result, body } = await verifyNodeMessage(req, settings));
    } catch (err) {
      const code = err && err.code;
      if (code === 'REQUEST_ABORTED') {
        res.destroy();
        return;
      }
      if (code === 'BODY_ALREADY_CONSUMED' && !warnedConsumed) {
        warnedConsumed = true;
        process.emitWarning(err.message, { code: 'DMS_WEBHOOK_BODY_CONSUMED' });
      }
      const known = err instanceof DmsWebhookError;
      if (!known && typeof next === 'function') {
        // A fault of the receiver, not a refusal: Express's error handling gets it.
        if (!res.headersSent) res.setHeader('connection', 'close');
        next(err);
        return;
      }
      // Without Express, a fault is answered 500 and reported (console.error, with its cause).
      sendDmsResponse(res, err, { close: bodyPending(req) || !known });
      return;
    }
    req.dmsWebhook = result;
    const key = guard.enabled ? deliveryKey(body) : null;
    body = undefined;
    if (key !== null) {
      const claim = await guard.claim(key).catch((err) => err);
      if (claim instanceof Error) {
        fail(claim, req, res, next);
        return;
      }
      if (claim === 'in-progress') {
        sendDmsResponse(res, inProgress());
        return;
      }
      if (claim === 'duplicate') {
        req.dmsWebhookDuplicate = true;
        sendDmsResponse(res, result);
        return;
      }
    }
    try {
      if (onVerified != null) await onVerified(result, req, res);
    } catch (err) {
      if (key !== null) guard.release(key);
      fail(err, req, res, next);
      return;
    }
    // Handled: remember it, unless onVerified answered with a failure of its own.
    const answeredFailure = res.headersSent && (res.statusCode < 200 || res.statusCode >= 300);
    if (key !== null) {
      if (answeredFailure) {
        guard.release(key);
      } else {
        try {
          await guard.done(key, result.event.eventTime);
        } catch (err) {
          // Handled all the same: answer success (a failure would make DMS deliver it again).
          process.emitWarning(`the delivery was handled but could not be recorded for de-duplication: ${err && err.message}`,
            { code: 'DMS_WEBHOOK_STORE_FAILED' });
        }
      }
    }
    sendDmsResponse(res, result);
  };
}

/** An error that is not a refusal: to Express's error handling, else answered 500 and reported. */
function fail(err, req, res, next) {
  if (typeof next === 'function') {
    next(err);
  } else {
    sendDmsResponse(res, err);
  }
}
