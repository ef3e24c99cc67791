// Types of `dms-webhook/node-handler`: a receiver for Node's http.createServer and Express.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { DmsWebhookError as DmsWebhookErrorClass, VerifiedWebhook } from "./index.d.ts";
import type { VerifyRequestOptions } from "./fetch.js";

export type { VerifyRequestOptions } from "./fetch.js";
/** The package's error class (the same one every entry exports). */
export declare const DmsWebhookError: typeof DmsWebhookErrorClass;

/** The handler's request: Express may have put a body (a Buffer from express.raw) on it. */
export type DmsIncomingMessage = IncomingMessage & { body?: unknown; dmsWebhook?: VerifiedWebhook };

/**
 * Makes a handler for `http.createServer(handler)` or Express (`app.post(path, handler)`).
 * It reads the raw body itself (at most `maxBodyBytes`, 1 MiB by default), checks the method
 * (POST), the `DMS-Event: Message Hook` header (unless `requireHeader: false`) and the signature,
 * and answers in DMS's format: 200 `{"root":"","success":true}`, or
 * `{"root":"<code>: <message>","success":false}` with a fitting 4xx.
 *
 * - `onVerified(result, req, res)` runs once the request is verified; it may answer itself,
 *   else the handler answers success. When it throws, Express's `next(err)` gets the error when
 *   there is a `next`; otherwise the answer is a 500 in DMS's format.
 * - The verified webhook is also put on `req.dmsWebhook`. `next()` is only ever called with an
 *   error: the handler answers every request itself, so it can end a route.
 * - When a body parser (express.json(), ...) has already read the body, the handler answers 500
 *   with BODY_ALREADY_CONSUMED and says how to fix it: mount it before express.json(), or use
 *   express.raw({ type: "*\/*" }) on its route (a Buffer in req.body is used as the raw body).
 */
export function createHandler(
  options: VerifyRequestOptions,
  onVerified?: (result: VerifiedWebhook, req: DmsIncomingMessage, res: ServerResponse) => unknown,
): (req: DmsIncomingMessage, res: ServerResponse, next?: (err?: unknown) => void) => Promise<void>;

/**
 * Reads the raw body of a request, at most `limit` bytes (default 1 MiB): refused at once from
 * Content-Length, else as soon as the stream passes the limit. Uses a Buffer in `req.body`
 * (express.raw) when there is one. Rejects with DmsWebhookError BODY_TOO_LARGE or
 * BODY_ALREADY_CONSUMED.
 */
export function readRawBody(req: DmsIncomingMessage, limit?: number): Promise<Buffer>;

/**
 * Verifies a Node request (method, header, size cap, signature). Resolves to the result and the
 * raw body; rejects with DmsWebhookError (carrying a non-enumerable `body` when it was read).
 */
export function verifyNodeRequest(
  req: DmsIncomingMessage,
  options: VerifyRequestOptions,
): Promise<{ result: VerifiedWebhook; body: Buffer }>;

/** Writes the DMS-format answer for a verify result or an error on a ServerResponse. */
export function sendDmsResponse(res: ServerResponse, resultOrError: unknown, options?: { close?: boolean }): void;
