// Secrets and tokens: where they come from (a file or the environment rather than the command
// line, which every local user can read in `ps`), how they are made, compared, and kept out of
// everything printed or served.
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UsageError } from './usage.js';

/** One value per line (a trailing CR is dropped, nothing else: spaces are part of a secret). */
function lines(text) {
  return text.replace(/^\uFEFF/, '').split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l !== '');
}

/**
 * The values of a credential given by flag (repeatable), by file (one per line) or by an
 * environment variable (one per line); at most one of the three.
 * @returns {{ values: string[], from: 'flag' | 'file' | 'env' | null, warning?: string }}
 */
export function readCredential({ flag = [], file, envName, what, flagName, fileFlag }) {
  const env = process.env[envName];
  const given = [flag.length > 0, file !== undefined, env !== undefined && env !== ''].filter(Boolean).length;
  if (given > 1) {
    throw new UsageError(`give the ${what} one way: ${flagName}, ${fileFlag} or ${envName}`);
  }
  let values = [];
  let from = null;
  let warning;
  if (flag.length > 0) {
    values = flag;
    from = 'flag';
  } else if (file !== undefined) {
    let text;
    try {
      text = readFileSync(file, 'utf8');
      // eslint-disable-next-line no-bitwise
      if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) {
        warning = `${file} can be read by other users: chmod 600 it`;
      }
    } catch (err) {
      throw new UsageError(`cannot read ${fileFlag} ${file}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
    }
    values = lines(text);
    if (values.length === 0) throw new UsageError(`${file} holds no ${what} (one per line)`);
    from = 'file';
  } else if (env !== undefined && env !== '') {
    values = lines(env);
    from = 'env';
  }
  for (const v of values) {
    if (v === '') throw new UsageError(`the ${what} must not be empty`);
  }
  return { values, from, warning };
}

/** A signing password like the ones people type into DMS: 24 letters and digits. */
export function makeSecret() {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  let s = '';
  for (let i = 0; i < 24; i += 1) s += alphabet[randomInt(alphabet.length)];
  return s;
}

/** A dashboard token: 192 random bits, URL-safe. */
export function makeToken() {
  return randomBytes(24).toString('base64url');
}

/**
 * Writes a made-up secret to a new private file (mode 600 in a mode 700 folder), so that it is
 * never printed: the path is.
 */
export function saveGeneratedSecret(secret) {
  const dir = mkdtempSync(path.join(tmpdir(), 'dms-webhook-'));
  const file = path.join(dir, 'secret');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return file;
}

/** Compares two strings in constant time (over their SHA-256 digests). */
export function sameSecret(a, b) {
  if (typeof a !== 'string' || typeof b !== 'string') return false;
  const h = (s) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(h(a), h(b));
}

// A path segment that looks like a key rather than a name: long, with letters and digits.
const KEY_LIKE = /^(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9_\-.~%+=]{20,}$/;

/**
 * A URL safe to show: user:password@ becomes ***@, every query value ***, key-like path
 * segments ***, no fragment. Unparseable text gives a placeholder.
 */
export function redactUrl(text) {
  let url;
  try {
    url = new URL(text);
  } catch {
    return '(not a URL)';
  }
  const auth = url.username || url.password ? '***@' : '';
  const pathname = url.pathname.split('/').map((s) => (KEY_LIKE.test(s) ? '***' : s)).join('/');
  return `${url.protocol}//${auth}${url.host}${pathname}${redactQuery(url.search)}`;
}

/** The path and query of a request target, redacted like redactUrl(). */
export function redactTarget(target) {
  let url;
  try {
    url = new URL(target, 'http://h');
  } catch {
    return '/';
  }
  const pathname = url.pathname.split('/').map((s) => (KEY_LIKE.test(s) ? '***' : s)).join('/');
  return `${pathname}${redactQuery(url.search)}`;
}

function redactQuery(search) {
  if (!search || search === '?') return '';
  const keys = search.slice(1).split('&').filter(Boolean).map((pair) => {
    const eq = pair.indexOf('=');
    return eq < 0 ? pair : `${pair.slice(0, eq)}=***`;
  });
  return `?${keys.join('&')}`;
}

/** Every credential a URL carries: user, password, query values, key-like path segments. */
function urlCredentials(text) {
  const out = [];
  let url;
  try {
    url = new URL(text);
  } catch {
    return out;
  }
  for (const v of [url.username, url.password]) {
    if (v) out.push(v, safeDecode(v));
  }
  for (const [, v] of url.searchParams) out.push(v, encodeURIComponent(v));
  for (const s of url.pathname.split('/')) if (KEY_LIKE.test(s)) out.push(s, safeDecode(s));
  return out;
}

function safeDecode(s) {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * A last line of defence for everything printed or served: replaces every occurrence of the
 * given credentials (secrets, the dashboard token, what the configured URLs carry) with ***.
 * Values shorter than 4 characters are left alone (they would blank out ordinary text).
 */
export function makeScrubber({ secrets = [], tokens = [], urls = [] }) {
  const words = new Set();
  for (const v of [...secrets, ...tokens, ...urls.flatMap(urlCredentials)]) {
    if (typeof v === 'string' && v.length >= 4) words.add(v);
  }
  const list = [...words].sort((a, b) => b.length - a.length);
  return function scrub(text) {
    let out = String(text);
    for (const w of list) if (out.includes(w)) out = out.split(w).join('***');
    return out;
  };
}
