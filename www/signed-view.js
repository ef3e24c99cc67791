// "What was signed" and "Signatures": the canonical text after the URL and the masked secret, how
// the body's own text differs from it, and the received and expected signatures.

import { clipped, fill, h, marked } from './dom.js';
import { base64ToHex, describeChar, firstDifference, maskUrl, utf8Length } from './format.js';

const $ = (id) => document.getElementById(id);

/** Characters of the canonical text (and of the body's own text) shown before "Show all". */
const TEXT_LIMIT = 4000;

/**
 * Renders a slice of `text` with the character at `diff` (an index into the whole text) marked;
 * a difference at the very end (one text is longer) is marked after the last character.
 */
const markedFrom = (text, diff) => (slice, offset) => {
  const i = diff === null || diff === undefined ? -1 : diff - offset;
  const atEnd = diff === text.length && offset + slice.length === text.length;
  return (i >= 0 && i < slice.length) || (atEnd && i === slice.length) ? marked(slice, i) : [slice];
};

/** Fills the "What was signed" card; false when there is nothing to show. */
export function renderSigned(x, url, secret) {
  if (x.canonical === null || x.canonical === undefined) return false;
  const diff = x.canonicalEqualsRaw === false ? x.firstDifference : null;
  fill(
    $('signed-prefix'),
    h('span', { class: 'prefix prefix-url', title: 'the webhook URL' }, url ? clipped(maskUrl(url), 300) : 'URL'),
    h(
      'span',
      { class: 'prefix prefix-secret', title: 'the secret (masked)' },
      secret ? '•'.repeat(Math.min(secret.length, 12)) : 'secret',
      h('span', { class: 'visually-hidden' }, ` (the secret, ${secret.length} characters, masked)`),
    ),
  );
  // The text scrolls in its own box: its "Show all" button goes below the box, where it is seen.
  const canonical = [clipped(x.canonical, TEXT_LIMIT, { render: markedFrom(x.canonical, diff), around: diff, label: 'The whole canonical messageEvent' })].flat();
  fill($('canonical'), canonical.filter((node) => !node.classList?.contains('clip-more')));
  fill($('canonical-more'), canonical.filter((node) => node.classList?.contains('clip-more')));
  $('signed-size').textContent = `${utf8Length(x.canonical).toLocaleString('en')} bytes of canonical messageEvent`;

  const compare = $('raw-compare');
  if (x.canonicalEqualsRaw) {
    fill(compare, h('p', { class: 'same' }, h('span', { 'aria-hidden': 'true' }, '= '), 'The messageEvent in the body is exactly this canonical text.'));
  } else if (x.raw !== null && x.raw !== undefined) {
    const i = x.firstDifference ?? firstDifference(x.canonical, x.raw);
    const from = Math.max(0, i - 24);
    const excerpt = (text) => [from > 0 ? '…' : '', marked(text.slice(from, i + 24), i - from), i + 24 < text.length ? '…' : ''];
    fill(
      compare,
      h(
        'p',
        { class: 'differs' },
        `The messageEvent in the body is not in canonical form: they first differ at character ${i + 1} (index ${i}), where the canonical text has ${describeChar(x.canonical[i])} and the body has ${describeChar(x.raw[i])}. `,
        'DMS signs the canonical form, so this alone does not break the signature.',
      ),
      h(
        'div',
        { class: 'excerpts' },
        h('p', { class: 'excerpt-label' }, 'Canonical'),
        h('pre', { class: 'excerpt' }, excerpt(x.canonical)),
        h('p', { class: 'excerpt-label' }, 'In the body'),
        h('pre', { class: 'excerpt' }, excerpt(x.raw)),
      ),
      h(
        'details',
        null,
        h('summary', null, 'The messageEvent as it stands in the body'),
        h('pre', { class: 'code-block', tabindex: '0', 'aria-label': 'The messageEvent as it stands in the body' }, clipped(x.raw, TEXT_LIMIT, { render: markedFrom(x.raw, i), around: i, label: 'The messageEvent as it stands in the body' })),
      ),
    );
  } else {
    fill(compare);
  }
  return true;
}

function sigRows(label, note, base64) {
  const hex = base64 === null ? null : base64ToHex(base64);
  return h(
    'div',
    { class: 'sig' },
    h('p', { class: 'sig-label' }, label, note ? h('span', { class: 'label-aside' }, ` ${note}`) : null),
    h(
      'dl',
      { class: 'sig-values' },
      h('div', null, h('dt', null, 'Base64'), h('dd', null, base64 === null ? h('em', null, 'none') : h('code', null, clipped(base64, 100)))),
      h(
        'div',
        null,
        h('dt', null, 'Hex'),
        h('dd', null, hex === null ? h('em', null, base64 === null ? 'none' : 'not valid Base64') : h('code', null, clipped(hex, 100))),
      ),
    ),
  );
}

/**
 * Fills the "Signatures" card; false when the body was not read. Two HMACs are compared only as
 * equal or not: where they differ says nothing about why, so nothing is marked.
 */
export function renderSignatures(x, complete) {
  if (!x.parsed) return false;
  const received = x.signatureText ?? null;
  const expected = complete && Array.isArray(x.expected) ? x.expected : [];
  const parts = [sigRows('Received', '(signatureText in the body)', received)];
  for (const e of expected) {
    const label = expected.length > 1 ? `Expected for ${maskUrl(e.url)}, secret ${e.secretIndex + 1}` : 'Expected';
    parts.push(sigRows(label, '(HMAC-SHA1 of URL + secret + canonical messageEvent)', e.canonical));
    if (e.raw !== e.canonical && x.canonicalEqualsRaw === false) {
      parts.push(sigRows('Over the body’s own text', '(what a receiver that skips the canonical form would compute)', e.raw));
    }
  }
  let summary = '';
  if (!complete) summary = 'Enter the URL and the secret to see the expected signature.';
  else if (received === null) summary = 'The body carries no signatureText.';
  else if (expected.some((e) => e.canonical === received || e.raw === received)) summary = 'The received signature matches.';
  else if (expected.length) {
    summary =
      'They differ. An HMAC changes entirely when any of its inputs changes by a single bit, so which characters differ says nothing about the cause.';
  }
  fill($('signatures'), summary ? h('p', { class: 'sig-summary' }, summary) : null, parts);
  return true;
}
