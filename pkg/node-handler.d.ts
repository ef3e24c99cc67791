// Types of `dms-webhook/node-handler`: a receiver for Node's http.createServer and Express.
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { DmsWebhookError as DmsWebhookErrorClass, VerifiedWebhook } from "./index.d.ts";
import type { ReplayProtectedOptions } from "./receiver.js";

export type { VerifyRequestOptions } from "./fetch.js";
export type { DeliveryStore, ReplayProtectedOptions } from "./receiver.js";
/** A bounded in-memory DeliveryStore; the freshness window's default (one hour). */
export { MemoryDeliveryStore, DEFAULT_MAX_AGE_MS } from "./receiver.js";
/** The package's error class (the same one every entry exports). */
export declare const DmsWebhookError: typeof DmsWebhookErrorClass;

/** The handler's request: Express may have put a body (a Buffer from express.raw) on it. */
export type DmsIncomingMessage = IncomingMessage & {
  body?: unknown;
  dmsWebhook?: VerifiedWebhook;
  /** True when the delivery was handled before and was answered success without onVerified. */
  dmsWebhookDuplicate?: boolean;
};

/** The receiver's options: replay protection, time limits and a shared body allowance. */
export interface ReceiverOptions extends ReplayProtectedOptions {
  /** A byte allowance shared by the bodies being read at once (beyond it: 503). */
  bodyBudget?: BodyBudget;
}

/** 10 s: the default time limit for a request body. */
export declare const DEFAULT_BODY_TIMEOUT_MS: number;

/** Request-body bytes held at once, shared by every request of a server. */
export declare class BodyBudget {
  constructor(limitBytes: number);
  readonly limit: number;
  readonly used: number;
  take(bytes: number): boolean;
  give(bytes: number): void;
}

/** The time limits limitServer() applies (ms). */
export declare const SERVER_LIMITS: Readonly<{
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  checkIntervalMs: number;
}>;

/**
 * Sets short header, request and keep-alive timeouts on an http.Server (before it listens):
 * 10 s for headers, 30 s for a request, 5 s idle, checked every second.
 */
export function limitServer<S extends Server>(server: S, limits?: Partial<typeof SERVER_LIMITS>): S;

/**
 * Stops accepting, lets requests in flight get their answers (with Connection: close), closes
 * idle connections, and cuts off whatever is still open after `graceMs` (default 5000).
 */
export function closeGracefully(server: Server, options?: { graceMs?: number; settleMs?: number }): Promise<{ ms: number; forced: boolean }>;


/**
 * Makes a handler for `http.createServer(handler)` or Express (`app.post(path, handler)`).
 * It reads the raw body itself (at most `maxBodyBytes`, 1 MiB by default, within
 * `bodyTimeoutMs`), checks the method (POST), the `DMS-Event: Message Hook` header (unless
 * `requireHeader: false`), the signature and the freshness of eventTime (one hour by default),
 * and answers in DMS's format: 200 `{"root":"","success":true}`, or
 * `{"root":"<code>: <message>","success":false}` with a fitting 4xx. A refusal that left the body
 * unread closes the connection instead of reading the rest.
 *
 * - A delivery already handled (same deliveryKey) is answered success without running
 *   onVerified again; a copy arriving while the first is being handled gets 409
 *   DELIVERY_IN_PROGRESS (DMS retries). A delivery is recorded only once onVerified returned
 *   without throwing (and without answering a failure itself).
 *
 * - `onVerified(result, req, res)` runs once the request is verified; it may answer itself,
 *   else the handler answers success. When it throws (or anything else fails that is not a
 *   refusal: a failing DeliveryStore, a fault while verifying), Express's `next(err)` gets the
 *   error when there is a `next`; otherwise the answer is a 500 in DMS's format and the error is
 *   reported with console.error (its stack and cause).
 * - The verified webhook is also put on `req.dmsWebhook`. `next()` is only ever called with an
 *   error: the handler answers every request itself, so it can end a route.
 * - When a body parser (express.json(), ...) has already read the body, the handler answers 500
 *   with BODY_ALREADY_CONSUMED and says how to fix it: mount it before express.json(), or use
 *   express.raw({ type: "*\/*" }) on its route (a Buffer in req.body is used as the raw body).
 */
export function createHandler(
  options: ReceiverOptions,
  onVerified?: (result: VerifiedWebhook, req: DmsIncomingMessage, res: ServerResponse) => unknown,
): (req: DmsIncomingMessage, res: ServerResponse, next?: (err?: unknown) => void) => Promise<void>;

/**
 * Reads the raw body of a request, at most `limit` bytes (default 1 MiB): refused at once from
 * Content-Length, else as soon as the stream passes the limit. Uses a Buffer in `req.body`
 * (express.raw) when there is one. Rejects with DmsWebhookError BODY_TOO_LARGE or
 * BODY_ALREADY_CONSUMED.
 */
export function readRawBody(
  req: DmsIncomingMessage,
  limit?: number,
  bounds?: { timeoutMs?: number; budget?: BodyBudget },
): Promise<Buffer>;

/**
 * Verifies a Node request (method, header, size cap, time limit, signature, freshness: one hour
 * unless `maxAgeMs` says otherwise). Resolves to the result and the raw body; rejects with
 * DmsWebhookError (carrying a non-enumerable `body` when it was read). No de-duplication.
 */
export function verifyNodeRequest(
  req: DmsIncomingMessage,
  options: Omit<ReceiverOptions, "deduplicate">,
): Promise<{ result: VerifiedWebhook; body: Buffer }>;

/** Writes the DMS-format answer for a verify result or an error on a ServerResponse. */
export function sendDmsResponse(res: ServerResponse, resultOrError: unknown, options?: { close?: boolean }): void;
