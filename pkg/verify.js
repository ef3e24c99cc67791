// verify() and createVerifier(): the hot path. The options are read into a few numbers and the
// URLs and secrets are handed to the verify module only when they change (the module keeps
// their HMAC keys scheduled); the body goes straight into linear memory; the verdict comes back
// as integers; the event is decoded only when it is read.
import {
  EVENT_END, EVENT_START, FORM, METHOD, NEEDS_FULL, SECRET_INDEX, URL_INDEX, WIDE, dropOnTrap, guarded,
  hmacOfHost, invalidOptions, wasm,
} from './abi.js';
import { DEFAULT_MAX_BODY_BYTES, checkObject, maxBodyBytesOf, strings } from './options.js';
import { parseEvent } from './tools.js';

const FORMS = ['canonical', 'raw'];
/**
 * From this many bytes the host's HMAC-SHA1, where there is one, beats the module's own: it
 * costs a few µs to start, then runs several times faster (measured by bench/verify.mjs).
 */
const HOST_HMAC_FROM = 4096;
const decoder = new TextDecoder();
// A copy, even of a Node Buffer (whose own slice() is a view).
const copyOf = Uint8Array.prototype.slice;

/** The keys (URLs and secrets) each module was last configured with. */
const configured = {
  verify: { instance: null, urls: null, secrets: null },
  full: { instance: null, urls: null, secrets: null },
};

function sameList(a, b) {
  if (a === b) return true;
  if (a === null || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}

/** Makes sure a module (`verify` or `full`) holds the keys of `urls` and `secrets`. */
function configure(kind, w, urls, secrets) {
  const c = configured[kind];
  if (c.instance === w && sameList(c.urls, urls) && sameList(c.secrets, secrets)) return;
  c.instance = null;
  const status = w.configure(urls, secrets);
  if (status !== 0) throw w.error(status);
  w.keys = { urls, secrets };
  c.instance = w;
  c.urls = urls;
  c.secrets = secrets;
}

/**
 * What verify() returns. `event` is decoded the first time it is read, from the caller's own
 * string, or from a copy of the verified bytes (the caller may reuse its buffer), so a receiver
 * that only needs the verdict never pays for it; JSON.stringify includes it.
 */
export class VerifiedWebhook {
  #text;
  #bytes;
  #wide;
  #event;

  constructor(w, body, urls) {
    const r = w.result;
    // A string body's span is in string indices (the module counts them), a byte body's in bytes.
    if (typeof body === 'string') this.#text = body.slice(r[EVENT_START], r[EVENT_END]);
    else this.#bytes = copyOf.call(body, r[EVENT_START], r[EVENT_END]);
    this.#wide = r[WIDE] === 1;
    this.signatureMethod = r[METHOD] === 1 ? 'HMAC_SHA1' : 'None';
    const form = r[FORM];
    this.matched = form > 1 ? null : { url: urls[r[URL_INDEX]], secretIndex: r[SECRET_INDEX], form: FORMS[form] };
  }

  get event() {
    if (this.#event === undefined) {
      const text = this.#text ?? decoder.decode(this.#bytes);
      // Integers beyond 2^53 come back as BigInt (through the full module).
      this.#event = this.#wide ? parseEvent(text) : JSON.parse(text);
      this.#text = undefined;
      this.#bytes = undefined;
    }
    return this.#event;
  }

  set event(value) {
    this.#event = value;
    this.#text = undefined;
    this.#bytes = undefined;
  }

  toJSON() {
    return { event: this.event, signatureMethod: this.signatureMethod, matched: this.matched };
  }

  // console.log in Node, Deno and Bun shows the event too.
  [Symbol.for('nodejs.util.inspect.custom')](depth, options, inspect) {
    return `VerifiedWebhook ${inspect(this.toJSON(), options)}`;
  }
}

/**
 * Runs the verification and shapes the outcome. The verify module hands the rare bodies it
 * cannot read alone (a duplicate key, a number fastjson rewrites) to the full module.
 */
function run(body, urls, secrets, require, max, maxAge, now) {
  return attempt('verify', body, urls, secrets, require, max, maxAge, now)
    ?? attempt('full', body, urls, secrets, require, max, maxAge, now);
}

/** One module's verdict: a VerifiedWebhook, a thrown DmsWebhookError, or null to ask the full module. */
function attempt(kind, body, urls, secrets, require, max, maxAge, now) {
  const w = wasm(kind);
  try {
    configure(kind, w, urls, secrets);
    const len = w.input(body, max);
    const host = len >= HOST_HMAC_FROM && hmacOfHost() !== null;
    if (host) w.useHostHmac();
    const status = w.exports.dms_verify(len, require, max, now, maxAge,
      typeof body === 'string' ? body.length : -1, host ? 1 : 0);
    if (status === NEEDS_FULL) return null;
    if (status !== 0) throw w.error(status);
    w.refresh(); // the call may have grown memory
    return new VerifiedWebhook(w, body, urls);
  } catch (err) {
    throw dropOnTrap(kind, err);
  }
}

/** The last options' `url` and `secret` values and their lists, reused while they are the same. */
let lastUrl = null;
let lastUrls = null;
let lastSecret = null;
let lastSecrets = null;

function urlsOf(value) {
  if (value !== lastUrl || typeof value !== 'string') {
    lastUrls = strings(value, 'url');
    lastUrl = value;
  }
  return lastUrls;
}

function secretsOf(value) {
  if (value !== lastSecret || typeof value !== 'string') {
    lastSecrets = strings(value, 'secret');
    lastSecret = value;
  }
  return lastSecrets;
}

function number(value, name, min) {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw invalidOptions(`options.${name} must be a finite number`);
  }
  if (value < min) throw invalidOptions(`options.${name} must not be negative`);
  return value;
}

/** Verifies a DMS delivery (see index.d.ts); throws DmsWebhookError. */
export function verify(body, options) {
  checkObject(options);
  const urls = urlsOf(options.url);
  const secrets = secretsOf(options.secret);
  const required = options.requireSignature;
  if (required !== undefined && required !== null && typeof required !== 'boolean') {
    throw invalidOptions('options.requireSignature must be a boolean');
  }
  const maxAge = options.maxAgeMs;
  const now = options.now;
  let max = options.maxBodyBytes;
  if (max === undefined || max === null) {
    max = DEFAULT_MAX_BODY_BYTES;
  } else if (!Number.isInteger(number(max, 'maxBodyBytes', 0))) {
    throw invalidOptions('options.maxBodyBytes must be a whole number of bytes');
  }
  const age = maxAge === undefined || maxAge === null ? -1 : number(maxAge, 'maxAgeMs', 0);
  // The clock is only read for an age limit.
  const at = now === undefined || now === null ? (age < 0 ? 0 : Date.now()) : number(now, 'now', -Infinity);
  return run(body, urls, secrets, required === false ? 0 : 1, max, age, at);
}

/**
 * A verifier for many deliveries: the options are read and checked once, here (a later change
 * to the object is not seen); `now` may still be given per call.
 */
export function createVerifier(options) {
  checkObject(options);
  const urls = strings(options.url, 'url');
  const secrets = strings(options.secret, 'secret');
  // Checked the way verify() checks them, once.
  const probe = { ...options, url: urls, secret: secrets };
  const required = probe.requireSignature === false ? 0 : 1;
  if (probe.requireSignature != null && typeof probe.requireSignature !== 'boolean') {
    throw invalidOptions('options.requireSignature must be a boolean');
  }
  const max = maxBodyBytesOf(probe);
  const maxAge = probe.maxAgeMs == null ? -1 : number(probe.maxAgeMs, 'maxAgeMs', 0);
  const fixedNow = probe.now == null ? undefined : number(probe.now, 'now', -Infinity);
  // Refuse bad URLs or secrets now rather than at the first delivery.
  guarded('verify', (w) => configure('verify', w, urls, secrets));
  return Object.freeze({
    verify(body, now) {
      const at = now === undefined ? fixedNow ?? (maxAge < 0 ? 0 : Date.now()) : number(now, 'now', -Infinity);
      return run(body, urls, secrets, required, max, maxAge, at);
    },
  });
}
