// Types of the Fetch API helpers (verifyRequest, dmsResponse), exported by every entry.
import type { VerifiedWebhook, VerifyOptions } from "./index.d.ts";

export type { RequestErrorCode } from "./index.d.ts";

/** How dmsResponse() and dmsReply() report a failure they answer 500. */
export interface DmsResponseOptions {
  /**
   * Called with a failure answered 500: an error that is not a DmsWebhookError (a fault of the
   * receiver: the answer says only `INTERNAL_ERROR`), or a DmsWebhookError for a receiver fault
   * (INVALID_OPTIONS, BODY_ALREADY_CONSUMED). Default: `console.error` with the error, so that its
   * stack and `cause` are seen. Each error object is reported once, however often it is answered.
   * Give your own to send it to your error tracker.
   */
  onError?: (error: unknown) => void;
}

export interface VerifyRequestOptions extends VerifyOptions {
  /** Default true: refuse a request without the `DMS-Event: Message Hook` header. */
  requireHeader?: boolean;
}

/**
 * Verifies a DMS notification carried by a Fetch API `Request` (Workers, Deno, Bun, Node 18+):
 * POST only; the `DMS-Event: Message Hook` header unless `requireHeader: false`; at most
 * `maxBodyBytes` (1 MiB by default), checked against Content-Length and while reading (the
 * stream is cancelled as soon as it passes the limit); then `verify()` on the raw bytes.
 * Rejects with `DmsWebhookError` (codes: the core's, plus METHOD_NOT_ALLOWED,
 * MISSING_EVENT_HEADER, BODY_ALREADY_CONSUMED).
 */
export function verifyRequest(request: Request, options: VerifyRequestOptions): Promise<VerifiedWebhook>;

/**
 * The `Response` DMS expects. For a verified webhook: 200 and `{"root":"","success":true}`.
 * For a `DmsWebhookError`: `{"root":"<code>: <message>","success":false}` with 400 (malformed
 * body, missing DMS-Event header), 401 (signature mismatch, unsigned, unsupported signature
 * method, event too old or in the future), 405 (not POST, with `Allow: POST`), 408 (body too
 * slow), 409 (delivery being handled), 413 (too large), 422 (JSON outside what DMS sends),
 * 503 (busy) or 500 (receiver misconfigured). Anything else (another error, or any value that is
 * not a verify result): 500 `INTERNAL_ERROR` with a generic message, and the error is reported
 * (`console.error` with its stack and cause, or `options.onError`). Never reveals a secret or an
 * expected signature. Content-Type: application/json.
 */
export function dmsResponse(resultOrError: VerifiedWebhook | Error | unknown, options?: DmsResponseOptions): Response;

/** The HTTP status dmsResponse() gives an error code (500 for a code it does not know). */
export function statusForCode(code: string): number;

/**
 * The parts of dmsResponse()'s answer, for servers that do not speak the Fetch API. Reports a
 * failure answered 500 as dmsResponse() does.
 */
export function dmsReply(resultOrError: VerifiedWebhook | Error | unknown, options?: DmsResponseOptions): {
  status: number;
  headers: Record<string, string>;
  body: string;
  success: boolean;
};

/**
 * Reads a byte stream up to `limit` bytes; cancels it and rejects with BODY_TOO_LARGE as soon as
 * it passes the limit, keeping nothing more.
 */
export function readLimited(stream: ReadableStream<Uint8Array> | null, limit: number): Promise<Uint8Array>;

/** 1048576: the default `maxBodyBytes`. */
export const DEFAULT_MAX_BODY_BYTES: number;
