// Writing DMS's answer on a Node ServerResponse, and closing the connection after a refusal that
// left the body unread, so that nothing more of it is read (Node would otherwise read and discard
// the rest to keep the connection alive: a gigabyte, if that is what the client sends).
import { dmsReply } from '../fetch.js';

/** True when the request carries a body that has not been read to its end. */
export function bodyPending(req) {
  if (req.complete) return false;
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = req.headers['content-length'];
  return length !== undefined && String(length).trim() !== '0';
}

/**
 * Writes the DMS-format answer for a verify result or an error. With `close`, the connection is
 * closed after the answer (Connection: close) instead of reading what is left of the body. A
 * failure answered 500 is reported as dmsReply() reports it (`onError`, console.error by default).
 * @param {import('node:http').ServerResponse} res
 * @param {unknown} resultOrError
 * @param {{ close?: boolean, onError?: (error: unknown) => void }} [options]
 */
export function sendDmsResponse(res, resultOrError, { close = false, onError } = {}) {
  const { status, headers, body } = dmsReply(resultOrError, { onError });
  // Reported even when nothing can be sent any more: the failure is not lost with the answer.
  if (res.headersSent || res.writableEnded || res.destroyed) return;
  if (close) headers.connection = 'close';
  headers['content-length'] = String(Buffer.byteLength(body));
  res.writeHead(status, headers);
  res.end(body);
}
