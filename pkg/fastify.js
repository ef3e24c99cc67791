/* @ts-self-types="./fastify.d.ts" */
// A Fastify plugin that receives DMS notifications on one route. It reads the raw body itself
// (DMS signs a re-serialisation of the JSON it sends, so the verifier needs the exact bytes):
// inside the plugin, and only there, Fastify's body parsers are replaced by one that leaves the
// request stream alone, so the app's JSON parsing elsewhere is untouched. Refusals are answered
// in DMS's format; a verified, new delivery goes to `onVerified`; what that throws, and any other
// error that is not a refusal, goes on to Fastify's error handling.
import { deliveryKey, DmsWebhookError } from 'dms-webhook';
import { dmsReply } from './fetch.js';
import { verifyNodeMessage, withVerifier } from './receiver/node-request.js';
import { receiverOptions } from './receiver/receiver-options.js';
import { bodyPending } from './receiver/reply.js';
import { ReplayGuard, inProgress } from './receiver/replay-guard.js';

export { MemoryDeliveryStore } from './receiver/seen-deliveries.js';
export { BodyBudget } from './receiver/body-budget.js';
export { DEFAULT_MAX_AGE_MS } from './receiver/replay-guard.js';
export { DmsWebhookError };

/** DMS's answer on a Fastify reply; with `close`, the connection is closed after it. */
function answer(reply, resultOrError, close = false) {
  const { status, headers, body } = dmsReply(resultOrError);
  if (close) headers.connection = 'close';
  return reply.code(status).headers(headers).send(body);
}

/** Leaves the body unread, for the route to read the raw bytes from the request stream. */
function leaveRaw(request, payload, done) {
  done(null, undefined);
}

/**
 * The plugin: `app.register(dmsWebhook, { path, url, secret, onVerified, ... })`.
 * @param {import('fastify').FastifyInstance} fastify
 * @param {object} pluginOptions receiver options, `path` (default "/") and `onVerified`
 */
export async function dmsWebhook(fastify, pluginOptions) {
  // Fastify's own register options (prefix, logLevel, logSerializers) are not the receiver's.
  const {
    path = '/', onVerified, prefix, logLevel, logSerializers, ...options
  } = pluginOptions ?? {};
  const settings = withVerifier(receiverOptions(options));
  if (onVerified != null && typeof onVerified !== 'function') {
    throw new DmsWebhookError('INVALID_OPTIONS', 'onVerified must be a function');
  }
  if (typeof path !== 'string' || !path.startsWith('/')) {
    throw new DmsWebhookError('INVALID_OPTIONS', 'path must be a route path starting with "/"');
  }
  const guard = new ReplayGuard({ windowMs: settings.windowMs, store: settings.deduplicate });

  // This plugin's own context (it is not wrapped with fastify-plugin): the parsers and the
  // decoration below apply to its route only.
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', leaveRaw);
  fastify.decorateRequest('dmsWebhook', null);

  fastify.post(path, async function dmsWebhookRoute(request, reply) {
    let result;
    let body;
    try {
      ({ result, body } = await verifyNodeMessage(request.raw, settings));
    } catch (err) {
      if (!(err instanceof DmsWebhookError)) throw err; // a fault: Fastify's error handler
      if (err.code === 'REQUEST_ABORTED') {
        // The client went away: nobody to answer.
        reply.hijack();
        request.raw.destroy();
        return reply;
      }
      return answer(reply, err, bodyPending(request.raw));
    }
    request.dmsWebhook = result;
    const key = guard.enabled ? deliveryKey(body) : null;
    body = undefined;
    if (key !== null) {
      const claim = await guard.claim(key); // a failing store throws: Fastify's error handler
      if (claim === 'in-progress') return answer(reply, inProgress());
      if (claim === 'duplicate') return answer(reply, result);
    }
    let payload;
    try {
      if (onVerified != null) payload = await onVerified(result, request, reply);
    } catch (err) {
      if (key !== null) guard.release(key);
      throw err;
    }
    if (key !== null) {
      // Recorded only when handled: onVerified returned, and did not answer a failure itself.
      if (reply.statusCode < 200 || reply.statusCode >= 300) {
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
    // onVerified may answer itself: return a payload, or `reply` after reply.send().
    if (payload === reply || reply.sent) return reply;
    if (payload !== undefined) return payload;
    return answer(reply, result);
  });
}

// Fastify names the plugin after this in its logs and errors.
dmsWebhook[Symbol.for('fastify.display-name')] = 'dms-webhook';

export default dmsWebhook;
