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
  }
}
