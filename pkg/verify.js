// verify() and createVerifier(): the hot path. The options are read into a few numbers and the
// URLs and secrets are handed to the verify module only when they change (the module keeps
// their HMAC keys scheduled); the body goes straight into linear memory; the verdict comes
// back as integers; the event is decoded only when it is read.
import {
  EVENT_END, EVENT_START, FORM, METHOD, NEEDS_FULL, SECRET_INDEX, URL_INDEX, WIDE, guarded, invalidOptions,
} from './abi.js';
import { checkObject, policyOf, strings } from './options.js';
import { parseEvent } from './tools.js';

const FORMS = ['canonical', 'raw'];
const decoder = new TextDecoder();

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
  const status = w.exports.dms_configure(w.lists(urls, secrets));
  if (status !== 0) throw w.error(status);
  Object.assign(c, { instance: w, urls, secrets });
}

/**
 * Runs the verification and shapes the outcome. The verify module hands the rare bodies it
 * cannot read alone (a duplicate key, a number fastjson rewrites) to the full module.
 */
function run(body, urls, secrets, policy) {
  const [require, max, maxAge, now] = policy;
  const at = now ?? Date.now();
  const attempt = (kind) => guarded(kind, (w) => {
    configure(kind, w, urls, secrets);
    const len = w.input(body, max);
    const status = w.exports.dms_verify(len, require, max, at, maxAge);
    if (status === NEEDS_FULL) return null;
    if (status !== 0) throw w.error(status);
    return new VerifiedWebhook(w, urls);
  });
  return attempt('verify') ?? attempt('full');
}

/**
 * What verify() returns. `event` is decoded from a copy of the verified bytes the first time it
 * is read, so a receiver that only needs the verdict never pays for it; JSON.stringify
 * includes it.
 */
export class VerifiedWebhook {
  #bytes;
  #wide;
  #event;

  constructor(w, urls) {
    const r = w.result;
    // A copy: the caller may reuse its buffer, and linear memory is reused by the next call.
    this.#bytes = w.slice(r[EVENT_START], r[EVENT_END]);
    this.#wide = r[WIDE] === 1;
    this.signatureMethod = r[METHOD] === 1 ? 'HMAC_SHA1' : 'None';
    const form = r[FORM];
    this.matched = form > 1 ? null : { url: urls[r[URL_INDEX]], secretIndex: r[SECRET_INDEX], form: FORMS[form] };
  }

  get event() {
    if (this.#event === undefined) {
      const text = decoder.decode(this.#bytes);
      // Integers beyond 2^53 come back as BigInt (through the full module).
      this.#event = this.#wide ? parseEvent(text) : JSON.parse(text);
      this.#bytes = undefined;
    }
    return this.#event;
  }

  set event(value) {
    this.#event = value;
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

/** Verifies a DMS delivery (see index.d.ts); throws DmsWebhookError. */
export function verify(body, options) {
  checkObject(options);
  const urls = strings(options.url, 'url');
  const secrets = strings(options.secret, 'secret');
  const policy = policyOf(options);
  return run(body, urls, secrets, policy);
}

/**
 * A verifier for many deliveries: the options are read and checked once, here (a later change
 * to the object is not seen); `now` may still be given per call.
 */
export function createVerifier(options) {
  checkObject(options);
  const urls = strings(options.url, 'url');
  const secrets = strings(options.secret, 'secret');
  const policy = policyOf(options);
  // Refuse bad URLs or secrets now rather than at the first delivery.
  guarded('verify', (w) => configure('verify', w, urls, secrets));
  const fixedNow = policy[3];
  return Object.freeze({
    verify(body, now) {
      if (now !== undefined && (typeof now !== 'number' || !Number.isFinite(now))) {
        throw invalidOptions('now must be a finite number');
      }
      const p = now === undefined && fixedNow === undefined ? policy : [policy[0], policy[1], policy[2], now ?? fixedNow];
      return run(body, urls, secrets, p);
    },
  });
}
