// Pure helpers of the page: no DOM, no package. Also imported by the page tests in Node.

/** The human sentence for each error code of the package. */
const ERROR_SENTENCES = {
  MALFORMED_JSON: 'The body is not valid JSON.',
  UNSUPPORTED_JSON:
    'The body uses JSON that DMS never sends (a $ref or @type key, or similar), so it is refused rather than guessed at.',
  NESTING_TOO_DEEP: 'The body is nested more than 512 levels deep; DMS never sends that.',
  NUMBER_OUT_OF_RANGE: 'A number in the body has an exponent or scale that Java cannot represent.',
  INVALID_UTF8: 'The body is not valid UTF-8 text.',
  BODY_TOO_LARGE: 'The body is larger than the size limit (1 MiB).',
  MISSING_MESSAGE_EVENT: 'The body has no "messageEvent" object. Is this a DMS notification?',
  INVALID_MESSAGE_EVENT: '"messageEvent" is not a JSON object.',
  UNSIGNED:
    'The body is not signed (signatureMethod is None), and a signature is required. Set a signing password for the webhook in the DMS console.',
  UNSUPPORTED_SIGNATURE_METHOD: 'The body names a signature method other than HMAC_SHA1.',
  SIGNATURE_MISMATCH:
    'The signature does not match: the body was changed, or the URL or secret differ from what DMS has.',
  EVENT_TOO_OLD: 'The event time is older than the allowed age.',
  EVENT_IN_FUTURE: 'The event time is further in the future than the allowed age.',
  INVALID_OPTIONS: 'The URL or secret cannot be used (the secret must not be empty).',
};

/** A sentence a person understands for an error { code, message, offset? }. */
export function describeError(error) {
  if (!error) return '';
  let sentence = ERROR_SENTENCES[error.code] ?? error.message ?? String(error.code);
  if (typeof error.offset === 'number' && /JSON|UTF8|RANGE/.test(error.code)) {
    sentence = sentence.replace(/\.$/, ` (at byte ${error.offset}).`);
  }
  return sentence;
}

/** Index of the first UTF-16 code unit where a and b differ, or -1 when they are equal. */
export function firstDifference(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) return i;
  return a.length === b.length ? -1 : n;
}

/** Bytes of a standard base64 string (padding optional), or null when it is not base64. */
export function base64ToBytes(text) {
  if (typeof text !== 'string') return null;
  const t = text.trim();
  if (t === '' || t.length % 4 === 1 || !/^[A-Za-z0-9+/]*={0,2}$/.test(t)) return null;
  try {
    const bin = atob(t);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

/** Lower-case hex of a base64 string, or null when it is not base64. */
export function base64ToHex(text) {
  const bytes = base64ToBytes(text);
  if (!bytes) return null;
  let hex = '';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return hex;
}

/** Length of a string in UTF-8 bytes (lone surrogates count as the 3 bytes of U+FFFD). */
export function utf8Length(text) {
  return new TextEncoder().encode(text).length;
}

/**
 * Splits a URL string into { prefix, user, password, rest } when its authority carries
 * `user[:password]@`; returns null otherwise. The URL is not normalised: what DMS signs is the
 * text exactly as configured.
 */
export function splitUserinfo(url) {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/?#]*)(.*)$/s.exec(url.trim());
  if (!m) return null;
  const [, scheme, authority, rest] = m;
  const at = authority.lastIndexOf('@');
  if (at < 0) return null;
  const userinfo = authority.slice(0, at);
  const host = authority.slice(at + 1);
  const colon = userinfo.indexOf(':');
  const user = colon < 0 ? userinfo : userinfo.slice(0, colon);
  const password = colon < 0 ? null : userinfo.slice(colon + 1);
  return { scheme, user, password, host, rest, withoutUserinfo: scheme + host + rest };
}

/** The URL with the password of its userinfo (if any) replaced by bullets. */
export function maskUrl(url) {
  const parts = splitUserinfo(url);
  if (!parts || parts.password === null) return url;
  return `${parts.scheme}${parts.user}:${'•'.repeat(Math.min(Math.max(parts.password.length, 3), 8))}@${parts.host}${parts.rest}`;
}

function percentDecode(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A word quoted for a POSIX shell: single quotes, with each ' written as '\''. */
export function shellQuote(word) {
  const s = String(word);
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * A curl command that POSTs `body` to `url` the way DMS does. A `user:pass@` in the URL becomes
 * `-u user:pass` (curl then sends HTTP basic auth) and is left out of the URL curl is given.
 */
export function curlCommand(url, body) {
  const parts = splitUserinfo(url);
  const target = parts ? parts.withoutUserinfo : url.trim();
  const lines = [`curl -sS ${shellQuote(target)}`];
  if (parts) {
    const user = percentDecode(parts.user);
    const password = parts.password === null ? '' : percentDecode(parts.password);
    lines.push(`-u ${shellQuote(`${user}:${password}`)}`);
  }
  lines.push(`-H ${shellQuote('DMS-Event: Message Hook')}`);
  lines.push(`-H ${shellQuote('Content-Type: application/json')}`);
  lines.push(`--data-binary ${shellQuote(body)}`);
  return lines.join(' \\\n  ');
}

/** A random 6-digit code as in DMS's test notification (100000-999999). */
export function randomCode() {
  const buf = new Uint32Array(1);
  crypto.getRandomValues(buf);
  return String(100000 + (buf[0] % 900000));
}

/** The message of DMS's test notification. */
export function testMessage(code = randomCode()) {
  return `【DMS数据管理】Webhook test, code: ${code}`;
}

/** eventTime of a messageEvent as epoch milliseconds, or null when it is not a time. */
export function eventTimeMs(value) {
  if (typeof value === 'bigint') value = Number(value);
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const t = value.trim();
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  const parsed = Date.parse(t);
  return Number.isNaN(parsed) ? null : parsed;
}

const UNITS = [
  ['year', 365 * 24 * 3600e3],
  ['month', 30 * 24 * 3600e3],
  ['week', 7 * 24 * 3600e3],
  ['day', 24 * 3600e3],
  ['hour', 3600e3],
  ['minute', 60e3],
  ['second', 1e3],
];

/** "3 minutes ago", "in 2 hours", "now" (locale of the browser unless given). */
export function timeAgo(ms, now = Date.now(), locale = undefined) {
  const diff = ms - now;
  const abs = Math.abs(diff);
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  if (abs < 10e3) return rtf.format(0, 'second');
  for (const [unit, size] of UNITS) {
    if (abs >= size || unit === 'second') return rtf.format(Math.trunc(diff / size), unit);
  }
  return '';
}

const DURATION_UNITS = [
  ['year', 365.25 * 24 * 3600e3],
  ['day', 24 * 3600e3],
  ['hour', 3600e3],
  ['minute', 60e3],
  ['second', 1e3],
];

/** "1 minute", "5 years and 149 days", "850 ms": a length of time a person reads at a glance. */
export function formatDuration(ms) {
  const abs = Math.abs(ms);
  if (!Number.isFinite(abs)) return String(ms);
  if (abs < 1000) return `${Math.round(abs)} ms`;
  const plural = (n, unit) => `${n.toLocaleString('en')} ${unit}${n === 1 ? '' : 's'}`;
  for (let i = 0; i < DURATION_UNITS.length; i++) {
    const [unit, size] = DURATION_UNITS[i];
    const n = Math.floor(abs / size);
    if (n < 1) continue;
    const next = DURATION_UNITS[i + 1];
    const m = next ? Math.floor((abs - n * size) / next[1]) : 0;
    return m > 0 ? `${plural(n, unit)} and ${plural(m, next[0])}` : plural(n, unit);
  }
  return plural(Math.floor(abs / 1000), 'second');
}

/** A count with its noun: "1 variant", "5,415 variants". */
export function count(n, noun, nouns = `${noun}s`) {
  return `${n.toLocaleString('en')} ${n === 1 ? noun : nouns}`;
}

/** What a text area makes of a text: every CRLF and lone CR becomes LF (the HTML standard's rule). */
export function normalizeNewlines(text) {
  return text.replace(/\r\n?/g, '\n');
}

/** A character shown so that whitespace and invisible characters can be seen. */
export function describeChar(ch) {
  if (ch === undefined || ch === '') return 'the end of the text';
  const cp = ch.codePointAt(0);
  const hex = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  const names = {
    0x20: 'a space',
    0x09: 'a tab',
    0x0a: 'a line feed',
    0x0d: 'a carriage return',
    0x22: 'a double quote',
    0x27: 'a single quote',
    0x2c: 'a comma',
    0x3a: 'a colon',
    0x7b: 'an opening brace',
    0x7d: 'a closing brace',
    0x5b: 'an opening bracket',
    0x5d: 'a closing bracket',
    0x5c: 'a backslash',
  };
  if (names[cp]) return `${names[cp]} (${hex})`;
  if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp === 0xfeff || (cp >= 0x2028 && cp <= 0x2029)) {
    return `an invisible character (${hex})`;
  }
  if (cp >= 0xd800 && cp <= 0xdfff) return `half of a surrogate pair (${hex})`;
  return `“${ch}” (${hex})`;
}

/** JSON text of any value, bigint included (written as its digits). */
export function toJson(value, indent = 2) {
  return JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? Number.isSafeInteger(Number(v)) ? Number(v) : v.toString() : v), indent);
}

/** Text of a field value for display. */
export function displayValue(value) {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return toJson(value, 0);
}
