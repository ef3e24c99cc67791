// Verifying a Node request (an http.IncomingMessage): the method, the DMS-Event header, the raw
// body within its bounds, then the signature and freshness. Shared by the Node handler and the
// Fastify plugin, which both read the raw bytes from the request stream themselves.
import { createVerifier, verify } from 'dms-webhook';
import { EVENT_HEADER, checkEventHeader, checkMethod } from '../fetch.js';
import { readRawBody } from './read-body.js';

/**
 * The settings with a verifier made from their verify options: bad URLs or secrets are refused
 * now (INVALID_OPTIONS), when a receiver is made, rather than at its first delivery.
 */
export function withVerifier(settings) {
  return { ...settings, verifier: createVerifier(settings.verifyOptions) };
}

/**
 * Resolves to `{ result, body }`, or rejects with DmsWebhookError (with the body attached, not
 * enumerable, when it was read).
 * @param {import('node:http').IncomingMessage} req
 * @param {ReturnType<typeof import('./receiver-options.js').receiverOptions>} settings
 */
export async function verifyNodeMessage(req, {
  requireHeader, verifyOptions, verifier, limit, read,
}) {
  checkMethod(req.method);
  if (requireHeader) checkEventHeader(req.headers[EVENT_HEADER.toLowerCase()] ?? null);
  const body = await readRawBody(req, limit, read);
  try {
    return { result: verifier ? verifier.verify(body) : verify(body, verifyOptions), body };
  } catch (err) {
    if (err && typeof err === 'object') {
      Object.defineProperty(err, 'body', { value: body, enumerable: false, configurable: true });
    }
    throw err;
  }
}
