// What every entry exports besides its own init().
import * as glue from './dms_webhook.js';

export { sign, signBody, parse, canonicalize, explain, deliveryKey } from './dms_webhook.js';
export { DmsWebhookError } from './error.js';
export { verifyRequest, dmsResponse } from './fetch.js';

const utf8 = new TextDecoder();
const FORMS = ['canonical', 'raw'];
const copy = Uint8Array.prototype.slice;

/**
 * What verify() returns. `event` is read from the caller's own body the first time it is used,
 * so a receiver that only needs the verdict never pays for it; JSON.stringify includes it.
 */
class VerifiedWebhook {
  #body;
  #packed;
  #event;

  constructor(body, packed, options) {
    // Keep what was verified: the caller may reuse a Uint8Array (a pooled buffer) once verify()
    // returns. Copying the bytes is a memcpy; decoding and parsing still wait for `event`.
    // (Uint8Array's slice copies; a Node Buffer's own slice would only be a view.)
    this.#body = typeof body === 'string' ? body
      : packed[6] === 1 ? copy.call(body) : copy.call(body, packed[4], packed[5]);
    this.#packed = packed;
    this.signatureMethod = packed[0] === 1 ? 'HMAC_SHA1' : 'None';
    this.matched = packed[1] < 0 ? null : {
      url: typeof options.url === 'string' ? options.url : options.url[packed[2]],
      secretIndex: packed[3],
      form: FORMS[packed[1]],
    };
  }

  get event() {
    if (this.#event === undefined) {
      const body = this.#body, [, , , , start, end, wide] = this.#packed;
      this.#event = wide === 1
        ? glue.parse(body).event // integers beyond 2^53 come back as BigInt
        : JSON.parse(typeof body === 'string' ? body.slice(start, end) : utf8.decode(body));
      this.#body = undefined;
    }
    return this.#event;
  }

  set event(value) {
    this.#event = value;
    this.#body = undefined;
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
  return new VerifiedWebhook(body, glue.verify(body, options), options);
}
