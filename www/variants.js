// The usual ways a secret typed or copied by a person differs from the password set in DMS, as
// candidate secrets. An HMAC cannot say how a secret is wrong, but the page can try the likely
// mistakes one by one against the received signature. No DOM; the package is passed in.

import { describeChar } from './format.js';

/** Printable ASCII: what a password is typed with, and what a typo turns a character into. */
const TYPED = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i));

const swapCase = (ch) => (ch === ch.toLowerCase() ? ch.toUpperCase() : ch.toLowerCase());

/**
 * The secret in another case: all lower, all upper, every letter inverted (Caps Lock), the first
 * letter changed (a phone capitalises it). [{ secret, how }], each different from the secret.
 */
export function caseVariants(secret) {
  const chars = Array.from(secret);
  const out = [];
  const seen = new Set([secret]);
  const add = (candidate, how) => {
    if (candidate === '' || seen.has(candidate)) return;
    seen.add(candidate);
    out.push({ kind: 'case', secret: candidate, how });
  };
  add(secret.toLowerCase(), 'in lower case');
  add(secret.toUpperCase(), 'in upper case');
  add(chars.map(swapCase).join(''), 'with the case of every letter inverted (as with Caps Lock on)');
  const first = chars.findIndex((ch) => swapCase(ch) !== ch);
  if (first >= 0) {
    const changed = [...chars];
    changed[first] = swapCase(chars[first]);
    add(changed.join(''), `with character ${first + 1} in the other case (${describeChar(changed[first])})`);
  }
  return out;
}

/**
 * Every secret one typing mistake away: one character replaced by another printable ASCII one,
 * one character left out, one added, or two neighbours swapped. [{ secret, how }] without
 * duplicates, each different from the secret; `how` is made only when asked (there are thousands).
 */
export function typoVariants(secret) {
  const chars = Array.from(secret);
  const n = chars.length;
  const out = [];
  const seen = new Set([secret]);
  const add = (candidate, describe) => {
    if (candidate === '' || seen.has(candidate)) return;
    seen.add(candidate);
    out.push({
      kind: 'typo',
      secret: candidate,
      get how() {
        return describe();
      },
    });
  };
  const join = (a, b, c = []) => a.concat(b, c).join('');
  for (let i = 0; i < n; i++) {
    for (const ch of TYPED) {
      if (ch === chars[i]) continue;
      add(join(chars.slice(0, i), [ch], chars.slice(i + 1)), () => `with character ${i + 1} ${describeChar(ch)} instead of ${describeChar(chars[i])}`);
    }
  }
  for (let i = 0; i < n; i++) {
    add(join(chars.slice(0, i), chars.slice(i + 1)), () => `without character ${i + 1} (${describeChar(chars[i])})`);
  }
  for (let i = 0; i <= n; i++) {
    const where = i === 0 ? 'at the start' : i === n ? 'at the end' : `after character ${i}`;
    for (const ch of TYPED) {
      add(join(chars.slice(0, i), [ch], chars.slice(i)), () => `with ${describeChar(ch)} added ${where}`);
    }
  }
  for (let i = 0; i + 1 < n; i++) {
    if (chars[i] === chars[i + 1]) continue;
    add(join(chars.slice(0, i), [chars[i + 1], chars[i]], chars.slice(i + 2)), () => `with characters ${i + 1} and ${i + 2} swapped`);
  }
  return out;
}

/**
 * The first candidate whose signature matches, found with one verify() call: the package signs
 * the body once per candidate secret in a single pass. Returns the candidate or null.
 */
export function firstMatch(api, body, url, candidates) {
  if (!candidates.length) return null;
  try {
    const result = api.verify(body, { url, secret: candidates.map((c) => c.secret), requireSignature: true });
    return result.matched ? candidates[result.matched.secretIndex] : null;
  } catch {
    return null;
  }
}
