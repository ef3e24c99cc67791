// Everything but verify(): parse, canonicalize, sign, signBody, deliveryKey, explain. They run
// in the full module, which is loaded the first time one of them is called.
import { WIDE, encodeLists, guarded, invalidOptions } from './abi.js';
import { DmsWebhookError } from './error.js';
import { DEFAULT_MAX_BODY_BYTES, policyOf, strings } from './options.js';

const NO_LIMIT = 2 ** 32;

/** A text result of the full module, or its error. */
function call(body, max, run, lists) {
  return guarded('full', (w) => {
    const len = w.input(body, max, lists);
    const status = run(w, len);
    if (status !== 0) throw w.error(status);
    return w.text();
  });
}

/** A JSON result of the full module, or its error. */
function callJson(body, max, run) {
  return guarded('full', (w) => {
    const len = w.input(body, max);
    const status = run(w, len);
    if (status !== 0) throw w.error(status);
    return withBigInts(w.text(), w.result[WIDE] === 1);
  });
}

/** An error as explain() reports it: `{ code, message, offset? }`. */
function plain(err) {
  const out = { code: err.code, message: err.message };
  if (err.offset !== undefined) out.offset = err.offset;
  return out;
}

/** JSON text from the full module, with the integers beyond 2^53 it lists made `BigInt`s. */
function withBigInts(text, wide) {
  const value = JSON.parse(text);
  if (wide && Array.isArray(value.wide)) {
    for (const path of value.wide) {
      let holder = value;
      let key = 'event';
      for (const step of path) {
        holder = holder[key];
        key = step;
      }
      holder[key] = BigInt(holder[key]);
    }
  }
  delete value.wide;
  return value;
}

/** Reads a body without verifying it. */
export function parse(body) {
  return callJson(body, NO_LIMIT, (w, len) => w.exports.dms_parse(len));
}

/** The event of a verified `messageEvent` text, integers beyond 2^53 as `BigInt`. */
export function parseEvent(messageEvent) {
  return parse(`{"messageEvent":${messageEvent}}`).event;
}

/** The canonical `messageEvent` text that is signed (after the URL and the password). */
export function canonicalize(body) {
  return call(body, NO_LIMIT, (w, len) => w.exports.dms_canonicalize(len));
}

/** The hex SHA-256 of the canonical `messageEvent`: a stable idempotency key. */
export function deliveryKey(body) {
  return call(body, NO_LIMIT, (w, len) => w.exports.dms_delivery_key(len));
}

/** The JSON text of a messageEvent given as text or as an object. */
function eventText(messageEvent) {
  if (typeof messageEvent === 'string') return messageEvent;
  if (messageEvent !== null && typeof messageEvent === 'object') {
    let text;
    try {
      text = JSON.stringify(messageEvent);
    } catch {
      text = undefined;
    }
    if (typeof text === 'string') return text;
    throw new DmsWebhookError('INVALID_MESSAGE_EVENT',
      'the messageEvent object cannot be written as JSON (a BigInt or a cycle?)');
  }
  throw new DmsWebhookError('INVALID_MESSAGE_EVENT', 'messageEvent must be JSON text or an object');
}

function signing(messageEvent, options, whole) {
  const text = eventText(messageEvent);
  if (options === null || typeof options !== 'object') {
    throw invalidOptions('options must be an object with url and secret');
  }
  for (const key of ['url', 'secret']) {
    if (typeof options[key] !== 'string') throw invalidOptions(`options.${key} must be a string`);
  }
  const lists = encodeLists([options.url], [options.secret]);
  return call(text, NO_LIMIT, (w, len) => w.exports.dms_sign(len, lists.length, whole), lists);
}

/** The signatureText DMS would send for a messageEvent. */
export function sign(messageEvent, options) {
  return signing(messageEvent, options, 0);
}

/** The whole body DMS would POST for a messageEvent, signed with HMAC_SHA1. */
export function signBody(messageEvent, options) {
  return signing(messageEvent, options, 1);
}

/** The options explain() verifies with, or the error that says why they cannot work. */
function explainOptions(options) {
  try {
    if (options === null || typeof options !== 'object') {
      throw invalidOptions('options must be an object with url and secret (see VerifyOptions)');
    }
    return {
      urls: strings(options.url, 'url'),
      secrets: strings(options.secret, 'secret'),
      policy: policyOf(options),
    };
  } catch (err) {
    return { error: err };
  }
}

/** A structured report of why a body verifies or not. Never throws on a bad body. */
export function explain(body, options) {
  const o = explainOptions(options);
  const reveal = options !== null && typeof options === 'object' && options.revealExpected === true ? 1 : 0;
  const max = o.policy ? o.policy[1] : DEFAULT_MAX_BODY_BYTES;
  return guarded('full', (w) => {
    let len;
    let refused = null;
    const lists = o.policy ? encodeLists(o.urls, o.secrets) : undefined;
    try {
      len = w.input(body, max, lists);
    } catch (err) {
      if (!(err instanceof DmsWebhookError)) throw err;
      refused = err;
      len = w.input('', max, lists);
    }
    const [require, , maxAge, now] = o.policy ?? [1, max, -1, undefined];
    w.exports.dms_explain(len, lists?.length ?? 0, o.policy ? 1 : 0, reveal, require, max, now ?? Date.now(), maxAge);
    const x = withBigInts(w.text(), w.result[WIDE] === 1);
    if (o.error) x.error = plain(o.error);
    if (refused) {
      x.error = plain(refused);
      x.parseError = plain(refused);
      x.ok = false;
    }
    return x;
  });
}
