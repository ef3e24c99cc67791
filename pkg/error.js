// The one error class of the package.

/** Marks every DmsWebhookError, so that `instanceof` holds across two copies of the package. */
const BRAND = Symbol.for('dms-webhook.DmsWebhookError');

/**
 * Every failure dms-webhook reports. `code` is stable (see the README's table); `message` is
 * for people and never contains a secret or an expected signature; `offset` is the byte offset
 * into the body for errors found in it.
 */
export class DmsWebhookError extends Error {
  constructor(code, message, offset) {
    super(message);
    this.name = 'DmsWebhookError';
    this.code = code;
    if (typeof offset === 'number') this.offset = offset;
    Object.defineProperty(this, BRAND, { value: true });
  }

  // A bundle or a mix of `import` and `require` may load the package twice: an error made by
  // either copy is still a DmsWebhookError to the other.
  static [Symbol.hasInstance](value) {
    return value !== null && typeof value === 'object' && value[BRAND] === true;
  }
}
