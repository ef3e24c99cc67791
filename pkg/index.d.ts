// Types of the dms-webhook package (the same for the Node, Workers and browser entries).

/** The codes of a body or of options that verify(), parse(), explain()... refuse. */
export type VerifyErrorCode =
  | "MALFORMED_JSON"
  | "UNSUPPORTED_JSON"
  | "NESTING_TOO_DEEP"
  | "NUMBER_OUT_OF_RANGE"
  | "INVALID_UTF8"
  | "BODY_TOO_LARGE"
  | "MISSING_MESSAGE_EVENT"
  | "INVALID_MESSAGE_EVENT"
  | "UNSIGNED"
  | "UNSUPPORTED_SIGNATURE_METHOD"
  | "SIGNATURE_MISMATCH"
  | "EVENT_TOO_OLD"
  | "EVENT_IN_FUTURE"
  | "INVALID_OPTIONS";

/**
 * The codes of verifyRequest() and the receivers (dms-webhook/node-handler, ...): the codes of
 * VerifyErrorCode, and the HTTP method is not POST, the `DMS-Event: Message Hook` header is
 * missing or different, the body had already been read (by a body parser, or by the caller)
 * before the verifier could see its raw bytes, the body did not arrive in time, the server's
 * allowance for bodies being read is used up, the same delivery is being handled right now, or
 * the client went away before the body was complete.
 */
export type RequestErrorCode =
  | VerifyErrorCode
  | "METHOD_NOT_ALLOWED"
  | "MISSING_EVENT_HEADER"
  | "BODY_ALREADY_CONSUMED"
  | "REQUEST_TIMEOUT"
  | "SERVER_BUSY"
  | "DELIVERY_IN_PROGRESS"
  | "REQUEST_ABORTED";

/** The stable code of every error the package throws: `DmsWebhookError.code`. */
export type ErrorCode = RequestErrorCode;

/** What `explain()` found that usually goes wrong. */
export type HintCode =
  | "URL_TRAILING_SLASH"
  | "URL_SCHEME"
  | "URL_USERINFO"
  | "URL_DEFAULT_PORT"
  | "URL_WHITESPACE"
  | "SECRET_WHITESPACE"
  | "BODY_RESERIALIZED"
  | "SIGNATURE_METHOD_NONE"
  | "SIGNATURE_FORMAT";

export interface VerifyOptions {
  /** Webhook URL(s) exactly as configured in DMS (not the URL the request arrived at). */
  url: string | readonly string[];
  /** Signing password(s); several while rotating. */
  secret: string | readonly string[];
  /** Default true: refuse a body whose signatureMethod is "None". */
  requireSignature?: boolean;
  /** Refuse an eventTime further than this from `now`, in either direction. */
  maxAgeMs?: number;
  /** Epoch milliseconds; default Date.now(). */
  now?: number;
  /** Default 1 MiB (1048576). */
  maxBodyBytes?: number;
}

export interface VerifiedWebhook {
  event: MessageEvent;
  signatureMethod: "HMAC_SHA1" | "None";
  /** Which configured URL and secret matched; null when the body is unsigned and that is allowed. */
  matched: { url: string; secretIndex: number; form: "canonical" | "raw" } | null;
}

/** The messageEvent of a DMS notification. */
export interface MessageEvent {
  submitterUid?: string;
  submitterName?: string;
  category?: string;
  module?: string;
  event?: string;
  taskId?: string;
  taskName?: string;
  eventTime?: number | string;
  message?: string;
  targetUsers?: { uid: string; name: string }[];
  receivers?: { uid: string; name: string }[];
  /** Every other field, kept; integers beyond 2^53 as bigint. */
  [field: string]: unknown;
}

export interface ExplainOptions extends VerifyOptions {
  /** Include the expected signatures in the report (default false). */
  revealExpected?: boolean;
}

export interface Explanation {
  /** verify() would accept. */
  ok: boolean;
  /** What verify() would throw. */
  error: { code: VerifyErrorCode; message: string; offset?: number } | null;
  /** The body is strict JSON with a messageEvent object. */
  parsed: boolean;
  parseError: { code: VerifyErrorCode; message: string; offset?: number } | null;
  event: MessageEvent | null;
  /** As found in the body. */
  signatureMethod: string | null;
  /** As found in the body. */
  signatureText: string | null;
  /** The canonical messageEvent text (what is signed after url + secret). */
  canonical: string | null;
  /** The messageEvent text exactly as it stands in the body. */
  raw: string | null;
  canonicalEqualsRaw: boolean | null;
  /** JS string index into `canonical` and `raw` of their first difference. */
  firstDifference: number | null;
  matched: { url: string; secretIndex: number; form: "canonical" | "raw" } | null;
  /** Only with `revealExpected: true`. */
  expected: { url: string; secretIndex: number; canonical: string; raw: string }[] | null;
  hints: {
    code: HintCode;
    message: string;
    /** A URL_* hint names the URL variant that would have matched. */
    url?: string;
    /** A SECRET_* hint names the secret that would have matched. */
    secretIndex?: number;
    form?: "canonical" | "raw";
  }[];
}

/**
 * A compiled `WebAssembly.Module`. Spelled this way so that the types need no DOM library: a
 * Node project whose `lib` has no "dom" (and @types/node declares no WebAssembly) sees `object`.
 */
export type CompiledWasmModule = typeof globalThis extends { WebAssembly: { Module: abstract new (...args: any[]) => infer M } }
  ? M
  : object;

/** Where a WebAssembly module can come from: a URL, a Request or Response, bytes, or a module. */
export type WasmSource =
  | string
  | URL
  | Request
  | Response
  | ArrayBuffer
  | ArrayBufferView
  | CompiledWasmModule
  | Promise<string | URL | Request | Response | ArrayBuffer | ArrayBufferView | CompiledWasmModule>;

/**
 * Loads the WebAssembly modules (browsers and the default entry); resolves at once in Node, Deno,
 * Bun, Workers and Vercel's edge runtime, where the package is ready on import. Without an
 * argument the modules come from the package itself; `{ verify, full }` loads the package's
 * `verify.wasm` and `full.wasm` from elsewhere.
 */
export function init(input?: { verify: WasmSource; full: WasmSource }): Promise<void>;

/** Verifies a DMS notification body (the raw bytes, or the text). Throws DmsWebhookError. */
export function verify(body: string | Uint8Array, options: VerifyOptions): VerifiedWebhook;

/** A verifier made once for many deliveries: its options are read and checked here. */
export interface Verifier {
  /** Verifies a body; `now` (epoch ms) overrides the clock for this call. Throws DmsWebhookError. */
  verify(body: string | Uint8Array, now?: number): VerifiedWebhook;
}

/** Reads and checks the options once (HMAC keys made now); throws DmsWebhookError INVALID_OPTIONS. */
export function createVerifier(options: VerifyOptions): Verifier;

/**
 * The signatureText DMS would send for a messageEvent: JSON text (canonicalised exactly) or an
 * object (written as JSON the way JavaScript writes it first).
 */
export function sign(messageEvent: string | object, options: { url: string; secret: string }): string;

/** The whole body DMS would POST for a messageEvent, signed with HMAC_SHA1. */
export function signBody(messageEvent: string | object, options: { url: string; secret: string }): string;

/** Parses a body without verifying it. Throws DmsWebhookError. */
export function parse(body: string | Uint8Array): {
  event: MessageEvent;
  signatureMethod: string;
  signatureText: string | null;
};

/** The canonical messageEvent text that is signed (after url + secret). Throws DmsWebhookError. */
export function canonicalize(body: string | Uint8Array): string;

/** A structured report of why a body verifies or not. Never throws on a bad body. */
export function explain(body: string | Uint8Array, options: ExplainOptions): Explanation;

/** A stable idempotency key: hex SHA-256 of the canonical messageEvent. Throws DmsWebhookError. */
export function deliveryKey(body: string | Uint8Array): string;

/** Every error the package throws. */
export class DmsWebhookError extends Error {
  constructor(code: ErrorCode, message: string, offset?: number);
  readonly name: "DmsWebhookError";
  readonly code: ErrorCode;
  /** Byte offset into the body (MALFORMED_JSON, INVALID_UTF8, ...), when known. */
  readonly offset?: number;
}

export { verifyRequest, dmsResponse } from "./fetch.js";
export type { DmsResponseOptions, VerifyRequestOptions } from "./fetch.js";
