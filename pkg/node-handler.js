/* @ts-self-types="./node-handler.d.ts" */
// A receiver for Node's `http.createServer` and for Express: reads the raw body itself (DMS signs a
// re-serialisation of the JSON it sends, so the verifier needs the exact bytes), verifies it and
// answers in the format DMS expects.
import { verify, DmsWebhookError } from './node.js';
import {
  EVENT_HEADER, checkContentLength, checkEventHeader, checkMethod, dmsReply, splitOptions, tooLarge,
} from './fetch.js';

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

/**
 * Reads the raw body of a Node `IncomingMessage`, refusing more than `limit` bytes (from
 * Content-Length at once, else as soon as the stream passes the limit: reading stops there and
 * nothing more is kept).
 * @param {import('node:http').IncomingMessage} req
 * @param {number} [limit] bytes, 1 MiB by default
 * @returns {Promise<Buffer>} rejects with DmsWebhookError BODY_TOO_LARGE / BODY_ALREADY_CONSUMED
 */
export function readRawBody(req, limit = 1048576) {
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
    try {
      checkContentLength(req.headers['content-length'], limit);
    } catch (err) {
      reject(err);
      return;
    }
    const chunks = [];
    let total = 0;
    let settled = false;
    const cleanup = () => {
      req.removeListener('data', onData);
      req.removeListener('end', onEnd);
      req.removeListener('error', onError);
      req.removeListener('close', onClose);
    };
    const fail = (err) => {
      if (settled) return;
      settled = true;
      cleanup();
      chunks.length = 0;
      reject(err);
    };
    const onData = (chunk) => {
      total += chunk.length;
      if (total > limit) {
        req.pause();
        fail(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      if (settled) return;
      settled = true;
      cleanup();
      resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total));
    };
    const onError = (err) => fail(err);
    const onClose = () => {
      if (!req.complete) fail(new Error('the client closed the connection before the body was complete'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

/**
 * Writes the DMS-format answer for a verify result or an error on a Node ServerResponse.
 * When the request body was refused before it was read entirely, the connection is closed after
 * the answer instead of reading (and discarding) the rest.
 */
export function sendDmsResponse(res, resultOrError, { close = false } = {}) {
  if (res.headersSent || res.writableEnded) return;
  const { status, headers, body } = dmsReply(resultOrError);
  if (close) headers.connection = 'close';
  headers['content-length'] = String(Buffer.byteLength(body));
  res.writeHead(status, headers);
  res.end(body);
}

/**
 * Verifies the request (method, DMS-Event header, size cap, signature) and resolves to
 * `{ result, body }`, or rejects with DmsWebhookError (with `body` attached when it was read).
 */
export async function verifyNodeRequest(req, options) {
  const { requireHeader, verifyOptions, limit } = splitOptions(options);
  checkMethod(req.method);
  if (requireHeader) checkEventHeader(req.headers[EVENT_HEADER.toLowerCase()] ?? null);
  const body = await readRawBody(req, limit);
  try {
    return { result: verify(body, verifyOptions), body };
  } catch (err) {
    if (err && typeof err === 'object') {
      Object.defineProperty(err, 'body', { value: body, enumerable: false, configurable: true });
    }
    throw err;
  }
}

let warnedConsumed = false;

/**
 * A handler for `http.createServer(handler)` and Express (`app.post(path, handler)`).
 * Verifies each request and answers in DMS's format: `{"root":"","success":true}` once verified,
 * or `{"root":"<code>: <message>","success":false}` with a fitting status.
 *
 * - `onVerified(result, req, res)` (optional, may be async) runs after a successful verification;
 *   it may answer itself, else the handler answers success. If it throws, the error goes to
 *   Express's `next(err)` when there is one, else the answer is a 500 in DMS's format.
 * - The verified webhook is also put on `req.dmsWebhook`.
 * - Every request gets its answer here: `next()` is never called without an error, so the
 *   handler can end a route (`app.post(path, createHandler(options))`).
 * @param {object} options VerifyOptions plus `requireHeader` (default true)
 * @param {(result: object, req: object, res: object) => unknown} [onVerified]
 */
export function createHandler(options, onVerified) {
  splitOptions(options); // refuse bad options when the handler is made, not on the first delivery
  if (onVerified != null && typeof onVerified !== 'function') {
    throw new TypeError('onVerified must be a function');
  }
  return async function dmsWebhookHandler(req, res, next) {
    let result;
    try {
      ({ result } = await verifyNodeRequest(req, options));
    } catch (err) {
      const code = err && err.code;
      if (code === 'BODY_ALREADY_CONSUMED' && !warnedConsumed) {
        warnedConsumed = true;
        process.emitWarning(err.message, { code: 'DMS_WEBHOOK_BODY_CONSUMED' });
      }
      // When the body was not read to its end, close the connection rather than read the rest.
      const close = code === 'BODY_TOO_LARGE' || !(err instanceof DmsWebhookError);
      sendDmsResponse(res, err, { close: close && !req.readableEnded });
      return;
    }
    req.dmsWebhook = result;
    if (onVerified == null) {
      sendDmsResponse(res, result);
      return;
    }
    try {
      await onVerified(result, req, res);
    } catch (err) {
      if (typeof next === 'function') {
        next(err);
      } else {
        console.error(err);
        sendDmsResponse(res, err);
      }
      return;
    }
    sendDmsResponse(res, result);
  };
}

export { DmsWebhookError };
