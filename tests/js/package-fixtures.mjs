// Shared inputs of the package tests (not a test file itself).
import { readFileSync } from 'node:fs';

export { URL_, SECRET, SIGNATURE, MESSAGE_EVENT, BODY } from './runtimes/smoke.mjs';

/** The 14 codes of DmsWebhookError, in the README's order. */
export const ERROR_CODES = [
  'MALFORMED_JSON', 'UNSUPPORTED_JSON', 'NESTING_TOO_DEEP', 'NUMBER_OUT_OF_RANGE', 'INVALID_UTF8',
  'BODY_TOO_LARGE', 'MISSING_MESSAGE_EVENT', 'INVALID_MESSAGE_EVENT', 'UNSIGNED',
  'UNSUPPORTED_SIGNATURE_METHOD', 'SIGNATURE_MISMATCH', 'EVENT_TOO_OLD', 'EVENT_IN_FUTURE', 'INVALID_OPTIONS',
];

export const PKG = new URL('../../pkg/', import.meta.url);
export const VECTORS = new URL('../vectors/fastjson-1.2.83.jsonl', import.meta.url);

/** Every vector, with `bytes` (the raw body as a Uint8Array) and `text` (the body when it is UTF-8). */
export function loadVectors() {
  return readFileSync(VECTORS, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const v = JSON.parse(line);
      const bytes = v.body_b64 != null
        ? new Uint8Array(Buffer.from(v.body_b64, 'base64'))
        : new TextEncoder().encode(v.body);
      return { ...v, bytes, text: v.body_b64 != null ? null : v.body };
    });
}

/** UTF-8 the way Java encodes a String: an unpaired surrogate becomes "?". */
export function javaUtf8(text) {
  return new TextEncoder().encode(text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '?'));
}

/** The code of what fn() throws, or "no error". Anything but a DmsWebhookError is rethrown. */
export function codeOf(api, fn) {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof api.DmsWebhookError)) throw err;
    return err.code;
  }
  return 'no error';
}

/** A deterministic pseudo-random generator (xorshift32), so failures can be replayed. */
export function rng(seed) {
  let x = seed >>> 0 || 1;
  const next = () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
  next.int = (n) => Math.floor(next() * n);
  next.pick = (items) => items[next.int(items.length)];
  return next;
}
