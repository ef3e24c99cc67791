// Types of `dms-webhook/fastify`: a Fastify plugin that receives DMS notifications on one route.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import type { DmsWebhookError as DmsWebhookErrorClass, VerifiedWebhook } from "./index.d.ts";
import type { ReceiverOptions } from "./node-handler.js";

export type { VerifyRequestOptions } from "./fetch.js";
export type { DeliveryStore, ReplayProtectedOptions } from "./receiver.js";
export type { ReceiverOptions } from "./node-handler.js";
/** A bounded in-memory DeliveryStore; the freshness window's default (one hour). */
export { MemoryDeliveryStore, DEFAULT_MAX_AGE_MS } from "./receiver.js";
/** A byte allowance shared by the bodies being read at once. */
export { BodyBudget } from "./node-handler.js";
/** The package's error class (the same one every entry exports). */
export declare const DmsWebhookError: typeof DmsWebhookErrorClass;

declare module "fastify" {
  interface FastifyRequest {
    /** The verified delivery, on the plugin's route (null elsewhere in its context). */
    dmsWebhook: VerifiedWebhook | null;
  }
}

export interface DmsWebhookPluginOptions extends ReceiverOptions {
  /** The route's path within the plugin (after any `prefix`); default "/". */
  path?: string;
  /**
   * Runs for a verified, new delivery. Return nothing for DMS's success answer, or answer
   * yourself: return a payload (as a Fastify handler does), or `reply` after `reply.send()`.
   * What it throws reaches Fastify's error handler, and the delivery is not recorded, so that
   * DMS's retry goes through.
   */
  onVerified?: (result: VerifiedWebhook, request: FastifyRequest, reply: FastifyReply) => unknown;
}

/**
 * The plugin: `app.register(dmsWebhook, { path: "/dms-hook", url, secret, onVerified })`.
 * Within its own context (it is encapsulated) Fastify's body parsers are replaced by one that
 * leaves the body unread, so the route reads the raw bytes itself (at most `maxBodyBytes`, 1 MiB
 * by default, within `bodyTimeoutMs`, 10 s); the app's JSON parsing elsewhere is untouched.
 * POST only. It checks the `DMS-Event: Message Hook` header (unless `requireHeader: false`), the
 * signature and the freshness of eventTime (one hour by default), de-duplicates by deliveryKey,
 * and answers refusals in DMS's format (4xx; `Connection: close` when the body was left unread).
 * Errors that are not refusals go to Fastify's error handler. The verified delivery is also on
 * `request.dmsWebhook`. Bad options make `register` (and so `ready()`/`listen()`) fail with
 * INVALID_OPTIONS.
 */
export declare const dmsWebhook: FastifyPluginAsync<DmsWebhookPluginOptions>;
export default dmsWebhook;
