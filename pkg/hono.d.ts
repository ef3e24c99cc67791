// Types of `dms-webhook/hono`: a Hono middleware that verifies DMS notifications (every runtime
// Hono runs in: Workers, Deno, Bun, Node, Vercel's edge runtime).
import type { Context, Env, MiddlewareHandler } from "hono";
import type { DmsWebhookError as DmsWebhookErrorClass, VerifiedWebhook } from "./index.d.ts";
import type { ReplayProtectedOptions } from "./receiver.js";

export type { VerifyRequestOptions } from "./fetch.js";
export type { DeliveryStore, ReplayProtectedOptions } from "./receiver.js";
/** A bounded in-memory DeliveryStore; the freshness window's default (one hour). */
export { MemoryDeliveryStore, DEFAULT_MAX_AGE_MS } from "./receiver.js";
/** The package's error class (the same one every entry exports). */
export declare const DmsWebhookError: typeof DmsWebhookErrorClass;

/** What the middleware puts on the Context for the handlers after it. */
export interface DmsWebhookVariables {
  /** The verified delivery: `c.get("dmsWebhook").event`. */
  dmsWebhook: VerifiedWebhook;
  /** True when the delivery was handled before: answered success, the handlers not run. */
  dmsWebhookDuplicate?: boolean;
}

/** The options, or a function of the Context that gives them (settings in `c.env`). */
export type DmsWebhookOptions<E extends Env = Env> =
  | ReplayProtectedOptions
  | ((c: Context<E>) => ReplayProtectedOptions | Promise<ReplayProtectedOptions>);

/**
 * A middleware for the route DMS posts to: `app.post(path, dmsWebhook(options), handler)`.
 * It reads the raw body itself (at most `maxBodyBytes`, 1 MiB by default, within
 * `bodyTimeoutMs`, 10 s by default), checks the method (POST), the `DMS-Event: Message Hook`
 * header (unless `requireHeader: false`), the signature and the freshness of eventTime (one hour
 * by default), then runs the handlers after it with the delivery in `c.get("dmsWebhook")`;
 * they answer (`return dmsResponse(c.get("dmsWebhook"))` for DMS's success).
 *
 * - A refusal is answered in DMS's format (`{"root":"<code>: <message>","success":false}`, 4xx)
 *   without running the handlers; when the body was left unread, with `Connection: close`.
 * - A delivery already handled (same deliveryKey) is answered success without running the
 *   handlers again; a copy arriving while the first is being handled gets 409. A delivery is
 *   recorded only when the handlers answered 2xx without throwing, so DMS's retry after a failure
 *   goes through.
 * - What the handlers throw, and any other error that is not a refusal (a failing store, options
 *   that throw), reaches Hono's error handling (`app.onError`).
 * - Options given as an object are checked now (INVALID_OPTIONS is thrown here); a function is
 *   called for each request (an INVALID_OPTIONS then is answered 500 in DMS's format and
 *   reported with console.error).
 */
export function dmsWebhook<E extends Env = Env>(
  options: DmsWebhookOptions<E>,
): MiddlewareHandler<E & { Variables: DmsWebhookVariables }>;
