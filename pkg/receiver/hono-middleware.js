// The Hono middleware, written once for every runtime: `dms-webhook/hono` binds it to the
// package's root as the runtime resolves it by name, so that the middleware uses the
// WebAssembly instance that runtime's entry set up (and awaits its init() where one is needed).
//
// What it does: reads the raw body itself (within the size cap and the time limit), verifies it
// (method, DMS-Event header, signature, freshness), de-duplicates by deliveryKey and answers
// refusals in DMS's format; the route's handler runs only for a verified, new delivery, and
// finds it in `c.get('dmsWebhook')`. Errors that are not refusals (a bug in the handler, a failing
// de-duplication store, options that throw) are thrown on to Hono's error handling (app.onError).
import { DmsWebhookError } from '../error.js';
import { EVENT_HEADER, checkEventHeader, checkMethod, dmsResponse } from '../fetch.js';
import { discardBody, readRequestBody } from './read-request.js';
import { receiverOptions } from './receiver-options.js';
import { ReplayGuard, inProgress } from './replay-guard.js';

const CONSUMED_MESSAGE = 'the request body was already read before the DMS webhook middleware '
  + '(by a validator or a middleware that parsed it), so its exact bytes are gone and the signature cannot be checked: '
  + 'put dmsWebhook() first on the route, e.g. app.post(path, dmsWebhook(options), handler)';

// Errors that stop reading part-way: the rest of the body is still on the connection.
const CUT_OFF = new Set(['BODY_TOO_LARGE', 'REQUEST_TIMEOUT', 'REQUEST_ABORTED']);

/** A view's own ArrayBuffer, copied only when the view is a part of a larger one. */
function ownBuffer(bytes) {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer : bytes.slice().buffer;
}

/**
 * The raw body: from the request stream, or, when a middleware before this one already read it
 * with `c.req.arrayBuffer()` or `c.req.text()` (or `json()`, which reads the text), from Hono's
 * copy of it. Either way, Hono keeps the bytes so that the handler may still call `c.req.json()`.
 */
async function rawBody(c, limit, timeoutMs) {
  const request = c.req.raw;
  const cache = c.req.bodyCache;
  if (request.bodyUsed) {
    let bytes;
    if (cache && cache.arrayBuffer) bytes = new Uint8Array(await cache.arrayBuffer);
    else if (cache && typeof cache.text === 'object' && cache.text !== null) bytes = new TextEncoder().encode(await cache.text);
    else throw new DmsWebhookError('BODY_ALREADY_CONSUMED', CONSUMED_MESSAGE);
    if (bytes.byteLength > limit) {
      throw new DmsWebhookError('BODY_TOO_LARGE', `the body is larger than the limit of ${limit} bytes`);
    }
    return bytes;
  }
  const bytes = await readRequestBody(request, limit, timeoutMs);
  if (cache && typeof cache === 'object') cache.arrayBuffer = Promise.resolve(ownBuffer(bytes));
  return bytes;
}

/** DMS's answer to a refusal; the connection is closed when the body was left unread. */
function refusal(request, err) {
  const unread = CUT_OFF.has(err.code) || (request.body != null && !request.bodyUsed);
  discardBody(request);
  const response = dmsResponse(err);
  if (unread) response.headers.set('connection', 'close');
  return response;
}

/**
 * Binds the middleware factory to a root entry's functions.
 * @param {{ init: () => Promise<void>, verify: Function, createVerifier: Function,
 *   deliveryKey: Function }} root
 */
export function honoMiddleware({
  init, verify, createVerifier, deliveryKey,
}) {
  /**
   * @param {object | ((c: object) => object | Promise<object>)} options receiver options, or a
   *   function of the Context that gives them (for settings in `c.env`, as in Workers)
   */
  return function dmsWebhook(options) {
    // One guard per de-duplication store, so that a store given per request (a KV binding in
    // c.env) still knows which deliveries are being handled in this isolate.
    const guards = new WeakMap();
    let memoryGuard = null;
    const guardFor = ({ windowMs, deduplicate }) => {
      if (deduplicate === false) return null;
      if (deduplicate === undefined || deduplicate === true) {
        memoryGuard ??= new ReplayGuard({ windowMs, store: undefined });
        return memoryGuard;
      }
      let guard = guards.get(deduplicate);
      if (guard === undefined) {
        guard = new ReplayGuard({ windowMs, store: deduplicate }); // refuses a store without has/add
        guards.set(deduplicate, guard);
      }
      return guard;
    };
    const settle = (value) => {
      const settings = receiverOptions(value);
      return { ...settings, guard: guardFor(settings) };
    };
    // Options given as an object are checked now: bad ones throw INVALID_OPTIONS here.
    const fixed = typeof options === 'function' ? null : settle(options);
    // Fixed options are checked whole now (URLs and secrets too), and read once. The default
    // entry cannot check them before `init()` has loaded its module: it does so at the first request.
    let verifier = null;
    const verifierFor = (settings) => {
      verifier ??= createVerifier(settings.verifyOptions);
      return verifier;
    };
    if (fixed !== null) {
      try {
        verifierFor(fixed);
      } catch (err) {
        if (err instanceof DmsWebhookError) throw err;
      }
    }

    return async function dmsWebhookMiddleware(c, next) {
      await init();
      const request = c.req.raw;
      let settings;
      let bytes;
      let result;
      try {
        settings = fixed ?? settle(await options(c));
        checkMethod(request.method);
        if (settings.requireHeader) checkEventHeader(request.headers.get(EVENT_HEADER));
        bytes = await rawBody(c, settings.limit, settings.read.timeoutMs);
        result = fixed !== null ? verifierFor(fixed).verify(bytes) : verify(bytes, settings.verifyOptions);
      } catch (err) {
        if (!(err instanceof DmsWebhookError)) throw err;
        return refusal(request, err);
      }
      c.set('dmsWebhook', result);
      const { guard, windowMs } = settings;
      const key = guard === null ? null : deliveryKey(bytes);
      bytes = undefined;
      if (key !== null) {
        const claim = await guard.claim(key);
        if (claim === 'in-progress') return dmsResponse(inProgress());
        if (claim === 'duplicate') {
          c.set('dmsWebhookDuplicate', true);
          return dmsResponse(result);
        }
      }
      try {
        await next();
      } catch (err) {
        if (key !== null) guard.release(key);
        throw err;
      }
      if (key === null) return undefined;
      // Hono catches what the handler throws, hands it to app.onError and notes it in c.error:
      // a delivery whose handling failed (or that got no answer, or not a 2xx) is not recorded,
      // so that DMS's retry goes through.
      const status = c.finalized ? c.res.status : 0;
      if (c.error || status < 200 || status >= 300) {
        guard.release(key);
        return undefined;
      }
      try {
        await guard.done(key, result.event.eventTime, windowMs);
      } catch (err) {
        // Handled all the same: the handler's answer stands (a failure would make DMS deliver
        // it again), and the store's failure is reported rather than lost.
        console.error('dms-webhook: a delivery was handled but could not be recorded for de-duplication:', err);
      }
      return undefined;
    };
  };
}
