// Reads the raw body of a Node request within three bounds: its own size cap, a time limit, and
// (optionally) a byte allowance shared with the other requests being read at the same time.
// Whatever ends the read early, reading stops there: the caller answers and closes the
// connection instead of draining the rest.
import { DmsWebhookError } from '../error.js';
import { checkContentLength, tooLarge } from '../fetch.js';
import { serverBusy } from './body-budget.js';
import { DEFAULT_BODY_TIMEOUT_MS } from './receiver-options.js';

export { DEFAULT_BODY_TIMEOUT_MS };

const CONSUMED_MESSAGE = 'the request body was already read by a body parser before the DMS webhook handler, '
  + 'so its exact bytes are gone and the signature cannot be checked. '
  + 'With Express, mount the handler before express.json() (app.post(path, createHandler(options)) above app.use(express.json())), '
  + 'or give this route the raw bytes: app.post(path, express.raw({ type: "*/*" }), createHandler(options))';

function isBytes(value) {
  return value instanceof Uint8Array;
}

function isEmptyPlainObject(value) {
  if (value == null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return (proto === Object.prototype || proto === null) && Object.keys(value).length === 0;
}

/**
 * Whether something has already read the request stream (a body parser), so that the raw bytes
 * are gone. A Buffer in req.body (express.raw) is not a problem: it holds the raw bytes.
 */
function bodyConsumed(req) {
  if (isBytes(req.body)) return false;
  if (req._body === true || req.readableEnded === true) return true;
  if (req.readableFlowing === true) return true;
  // Express 4's body parsers leave an empty {} when they skip a request; anything else was parsed.
  return req.body !== undefined && !isEmptyPlainObject(req.body);
}

/** The error for a body that did not arrive in time (answered 408). */
export function bodyTimedOut(ms) {
  return new DmsWebhookError('REQUEST_TIMEOUT', `the request body did not arrive within ${ms} ms`);
}

/** The error for a client that went away mid-body: nobody is left to answer. */
export function requestAborted() {
  return new DmsWebhookError('REQUEST_ABORTED', 'the client closed the connection before the body was complete');
}

/**
 * Reads the raw body of a Node `IncomingMessage`.
 * @param {import('node:http').IncomingMessage} req
 * @param {number} [limit] bytes, 1 MiB by default: refused from Content-Length at once, else as
 *   soon as the stream passes it
 * @param {{ timeoutMs?: number, budget?: import('./body-budget.js').BodyBudget }} [bounds]
 * @returns {Promise<Buffer>} rejects with DmsWebhookError BODY_TOO_LARGE, BODY_ALREADY_CONSUMED,
 *   REQUEST_TIMEOUT, SERVER_BUSY or REQUEST_ABORTED
 */
export function readRawBody(req, limit = 1048576, { timeoutMs = DEFAULT_BODY_TIMEOUT_MS, budget } = {}) {
  return new Promise((resolve, reject) => {
    if (isBytes(req.body)) {
      if (req.body.byteLength > limit) reject(tooLarge(limit));
      else resolve(Buffer.from(req.body.buffer, req.body.byteOffset, req.body.byteLength));
      return;
    }
    if (bodyConsumed(req)) {
      reject(new DmsWebhookError('BODY_ALREADY_CONSUMED', CONSUMED_MESSAGE));
      return;
    }
    const declared = req.headers['content-length'];
    try {
      checkContentLength(declared, limit);
    } catch (err) {
      reject(err);
      return;
    }
    // Reserve a declared length at once (refused without reading a byte when it does not fit);
    // a body without one is charged as it arrives.
    let held = 0;
    if (budget && /^\d+$/.test(String(declared ?? '').trim())) {
      const n = Number(String(declared).trim());
      if (!budget.take(n)) {
        reject(serverBusy());
        return;
      }
      held = n;
    }
    const chunks = [];
    let total = 0;
    let settled = false;
    const timer = timeoutMs > 0 && Number.isFinite(timeoutMs)
      ? setTimeout(() => fail(bodyTimedOut(timeoutMs)), timeoutMs) : null;
    const cleanup = () => {
      if (timer) clearTimeout(timer);
      req.removeListener('data', onData);
      req.removeListener('end', onEnd);
      req.removeListener('error', onError);
      req.removeListener('close', onClose);
      if (budget) budget.give(held);
      held = 0;
    };
    function fail(err) {
      if (settled) return;
      settled = true;
      req.pause();
      cleanup();
      chunks.length = 0;
      reject(err);
    }
    const onData = (chunk) => {
      total += chunk.length;
      if (total > limit) {
        fail(tooLarge(limit));
        return;
      }
      if (budget && total > held) {
        if (!budget.take(total - held)) {
          fail(serverBusy());
          return;
        }
        held = total;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      if (settled) return;
      settled = true;
      cleanup();
      resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total));
    };
    const onError = () => fail(requestAborted());
    const onClose = () => {
      if (!req.complete) fail(requestAborted());
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}
