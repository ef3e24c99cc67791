// Reading the body of a Fetch API Request within the same bounds as a Node request: the size cap
// (from Content-Length, then while reading), a time limit, and a failing stream (the client went
// away) reported as REQUEST_ABORTED rather than as a fault of the receiver. Runtime-agnostic:
// used by the Hono middleware in Workers, Deno, Bun and Node alike.
import { checkContentLength, readLimited } from '../fetch.js';
import { DmsWebhookError } from '../error.js';
import { bodyTimedOut, requestAborted } from './read-body.js';

/**
 * The same stream, failing with REQUEST_TIMEOUT when it has not ended within `timeoutMs` (0: no
 * limit), and with REQUEST_ABORTED when the source fails. Cancelling it cancels the source.
 * @param {ReadableStream<Uint8Array>} stream
 * @param {number} timeoutMs
 */
function bounded(stream, timeoutMs) {
  const reader = stream.getReader();
  let timer = null;
  const expired = timeoutMs > 0 && Number.isFinite(timeoutMs)
    ? new Promise((resolve, reject) => { timer = setTimeout(() => reject(bodyTimedOut(timeoutMs)), timeoutMs); })
    : null;
  expired?.catch(() => {});
  const stop = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  };
  return new ReadableStream({
    async pull(controller) {
      let step;
      try {
        step = await (expired ? Promise.race([reader.read(), expired]) : reader.read());
      } catch (err) {
        stop();
        reader.cancel().catch(() => {});
        controller.error(err instanceof DmsWebhookError ? err : requestAborted());
        return;
      }
      if (step.done) {
        stop();
        controller.close();
      } else {
        controller.enqueue(step.value);
      }
    },
    cancel(reason) {
      stop();
      return reader.cancel(reason);
    },
  }, { highWaterMark: 0 });
}

/**
 * Reads a Request's body: at most `limit` bytes, within `timeoutMs`. Rejects with
 * DmsWebhookError BODY_TOO_LARGE, REQUEST_TIMEOUT or REQUEST_ABORTED.
 * @param {Request} request
 * @param {number} limit
 * @param {number} timeoutMs
 * @returns {Promise<Uint8Array>}
 */
export async function readRequestBody(request, limit, timeoutMs) {
  checkContentLength(request.headers.get('content-length'), limit);
  if (request.body == null) return new Uint8Array(0);
  return readLimited(bounded(request.body, timeoutMs), limit);
}

/** Cancels a request body nobody is going to read (after a refusal), ignoring any failure. */
export function discardBody(request) {
  try {
    if (request.body && !request.bodyUsed && !request.body.locked) request.body.cancel().catch(() => {});
  } catch {
    // nothing to release
  }
}
