// What to do about a body that does not verify. The package's hints (a URL variant or a trimmed
// secret that matches, a re-serialised body, an unsigned body), the page's own tries (the secret
// in another case or with one typing mistake, the URL the request was sent to), and for a
// signature mismatch an honest account: what an HMAC mismatch can and cannot tell, the likely
// causes in order, and what each try found.

import { fill, h } from './dom.js';
import { count, utf8Length } from './format.js';
import { caseVariants, firstMatch, typoVariants } from './variants.js';

const $ = (id) => document.getElementById(id);

/**
 * Bytes hashed at most for the typing-mistake tries: about 60 ms of HMAC-SHA1 in the page, enough
 * for a 4 KB event and a 28-character secret (some 5,400 tries); larger bodies skip them.
 */
const TYPO_BUDGET_BYTES = 24e6;

const URL_HOW = {
  URL_TRAILING_SLASH: (v) => (v.endsWith('/') ? 'with a trailing slash' : 'without the trailing slash'),
  URL_SCHEME: (v) => `with ${v.split('://')[0]}://`,
  URL_USERINFO: (v) => (/^[^/]*\/\/[^/?#]*@/.test(v) ? 'with the user:pass@ part' : 'without the user:pass@ part'),
  URL_DEFAULT_PORT: (v) => (/^[^/]*\/\/[^/?#]*:\d+(?:[/?#]|$)/.test(v) ? 'with the port number' : 'without the default port number'),
  URL_WHITESPACE: () => 'without the spaces around it',
};

/**
 * Tries what the package does not: the secret in another case, the secret one typing mistake
 * away, and other URLs the page knows ([{ url, label }]). Only for a SIGNATURE_MISMATCH the
 * package found no fix for. Returns { found, tried } where `found` is a candidate or null.
 */
export function diagnose(api, { body, url, secret, x, otherUrls }) {
  const tried = { case: 0, typo: 0, typoSkipped: false, urls: [] };
  const cases = caseVariants(secret);
  tried.case = cases.length;
  let found = firstMatch(api, body, url, cases);
  if (found) return { found, tried };

  const typos = typoVariants(secret);
  const forms = x.canonicalEqualsRaw === false ? 2 : 1;
  const perTry = utf8Length(x.canonical ?? '') + utf8Length(url) + utf8Length(secret) + 128;
  if (typos.length * perTry * forms <= TYPO_BUDGET_BYTES) {
    tried.typo = typos.length;
    found = firstMatch(api, body, url, typos);
    if (found) return { found, tried };
  } else {
    tried.typoSkipped = true;
  }

  for (const other of otherUrls) {
    tried.urls.push(other);
    if (firstMatch(api, body, other.url, [{ secret }])) return { found: { kind: 'url', url: other.url, label: other.label }, tried };
  }
  return { found: null, tried };
}

function hintItem(code, message, fix, help) {
  return h('li', { class: 'hint', 'data-hint': code }, h('p', { class: 'hint-message' }, message), fix ? h('p', { class: 'hint-fix' }, fix) : null, help ? h('p', { class: 'help' }, help) : null);
}

const button = (label, onclick) => h('button', { type: 'button', class: 'small', onclick }, label);

/** The package's hints, in the page's words (one secret, no indexes). */
function packageHint(hint, { url, secret, x }, actions) {
  if (hint.code.startsWith('URL_') && typeof hint.url === 'string') {
    const how = URL_HOW[hint.code]?.(hint.url) ?? 'written differently';
    return hintItem(
      hint.code,
      ['It matches with the URL ', h('code', null, hint.url), ` (${how}).`],
      hint.url !== url ? button('Use this URL', () => actions.setUrl(hint.url)) : null,
      'DMS signs the webhook URL exactly as it is written in its console: use it so, here and in your receiver.',
    );
  }
  switch (hint.code) {
    case 'SECRET_WHITESPACE':
      return hintItem(
        hint.code,
        'It matches with the secret without the space or line break at its start or end.',
        secret.trim() !== secret ? button('Use the secret without the whitespace', () => actions.setSecret(secret.trim())) : null,
        'Check where the secret is stored or copied from: whitespace at either end is part of it.',
      );
    case 'SIGNATURE_METHOD_NONE':
      return hintItem(
        hint.code,
        'DMS sends signatureMethod None when no signing password is set for the webhook.',
        null,
        'Set a signing password for the webhook in the DMS console, so that its deliveries are signed.',
      );
    case 'SIGNATURE_FORMAT':
      return hintItem(
        hint.code,
        `${hint.message[0].toUpperCase()}${hint.message.slice(1)}.`,
        null,
        'Was the body copied whole? A signatureText is 28 characters of Base64 ending in “=”.',
      );
    case 'BODY_RESERIALIZED':
      return hintItem(hint.code, reserialized(x), null, null);
    default:
      return hintItem(hint.code, hint.message, null, null);
  }
}

function reserialized(x) {
  return `The messageEvent is not written the way DMS writes it (they first differ at character ${(x.firstDifference ?? 0) + 1}): the body was probably re-serialised on its way, by a JSON body parser, a proxy or a logging tool. That alone keeps the signature, as DMS signs a canonical form, but a value changed on the way breaks it (a number like 1.50 written 1.5, a large integer rounded). Verify the raw bytes as they arrived.`;
}

/** The page's own find, as a hint with its fix. */
function ownHint(found, actions) {
  if (found.kind === 'url') {
    return hintItem('URL_OTHER', ['It matches with ', found.label, ': ', h('code', null, found.url), '.'], button('Use this URL', () => actions.setUrl(found.url)), 'DMS signs the webhook URL exactly as it is written in its console.');
  }
  const code = found.kind === 'case' ? 'SECRET_CASE' : 'SECRET_TYPO';
  const help =
    found.kind === 'case'
      ? 'Passwords are case-sensitive: check Caps Lock, and a first letter a phone made a capital.'
      : 'One character differs from the password set in DMS: a typing mistake, or characters that look alike (O and 0, l and 1).';
  return hintItem(code, `It matches with the secret ${found.how}.`, button('Use this secret', () => actions.setSecret(found.secret)), help);
}

function check(id, what, result, state, hint = null) {
  return h(
    'li',
    { class: `mm-check mm-${state}`, 'data-check': id, 'data-hint': hint },
    h('span', { class: 'mm-icon', 'aria-hidden': 'true' }, { found: '!', clear: '✓', skipped: '–' }[state]),
    h('span', { class: 'visually-hidden' }, { found: 'Found: ', clear: 'Ruled out: ', skipped: 'Not tried: ' }[state]),
    h('span', { class: 'mm-what' }, what),
    ' ',
    h('span', { class: 'mm-result' }, result),
  );
}

/** The account of a signature mismatch: what it tells, what was tried in order, what is left. */
function mismatchAccount({ x, url, secret, diagnosis }) {
  const urlHint = x.hints.find((hint) => hint.code.startsWith('URL_') && hint.url);
  const spaceHint = x.hints.find((hint) => hint.code === 'SECRET_WHITESPACE');
  const { found, tried } = diagnosis ?? { found: null, tried: null };
  const earlier = 'not needed: a fix above makes it match.';
  const rows = [];

  if (secret.trim() === secret) rows.push(check('secret-space', 'Secret: a space or line break at either end —', 'there is none in the secret entered.', 'clear'));
  else if (spaceHint) rows.push(check('secret-space', 'Secret: a space or line break at either end —', 'without it the signature matches.', 'found'));
  else rows.push(check('secret-space', 'Secret: a space or line break at either end —', 'tried without it: no match.', 'clear'));

  const caseRow = (result, state) => check('secret-case', 'Secret: another case (Caps Lock, a capitalised first letter) —', result, state);
  const typoRow = (result, state) => check('secret-typo', 'Secret: one character wrong, missing or extra, or two swapped —', result, state);
  if (!tried) {
    rows.push(caseRow(earlier, 'skipped'), typoRow(earlier, 'skipped'));
  } else {
    if (found?.kind === 'case') rows.push(caseRow(`it matches ${found.how}.`, 'found'));
    else if (tried.case === 0) rows.push(caseRow('the secret has no letters.', 'clear'));
    else rows.push(caseRow(`tried ${count(tried.case, 'variant')}: none matches.`, 'clear'));
    if (found?.kind === 'case') rows.push(typoRow(earlier, 'skipped'));
    else if (found?.kind === 'typo') rows.push(typoRow(`it matches ${found.how}.`, 'found'));
    else if (tried.typoSkipped) rows.push(typoRow('not tried: on a body this large the thousands of tries would take too long.', 'skipped'));
    else rows.push(typoRow(`tried ${count(tried.typo, 'variant')}: none matches.`, 'clear'));
  }

  const urlWhat = 'URL: a trailing slash, http or https, a default port, user:pass@, spaces —';
  if (urlHint) rows.push(check('url-variants', urlWhat, ['it matches with ', h('code', null, urlHint.url), '.'], 'found'));
  else if (found) rows.push(check('url-variants', urlWhat, 'tried: no match.', 'clear'));
  else rows.push(check('url-variants', urlWhat, 'tried: none matches.', 'clear'));
  for (const other of tried?.urls ?? []) {
    const hit = found?.kind === 'url' && found.url === other.url;
    rows.push(check('url-other', [`URL: ${other.label}, `, h('code', null, other.url), ' —'], hit ? 'it matches.' : 'tried: no match.', hit ? 'found' : 'clear'));
  }

  const bodyWhat = 'Body: re-serialised on its way (a JSON body parser, a proxy, a logging tool) —';
  if (x.canonicalEqualsRaw === false) rows.push(check('body', bodyWhat, reserialized(x), 'found', x.hints.some((hint) => hint.code === 'BODY_RESERIALIZED') ? 'BODY_RESERIALIZED' : null));
  else rows.push(check('body', bodyWhat, 'no sign of it: the messageEvent is exactly as DMS writes it.', 'clear'));

  const fixed = Boolean(urlHint || spaceHint || found);
  return [
    h(
      'p',
      { class: 'mm-intro' },
      'The signature is an HMAC-SHA1 of the webhook URL, the secret and the event. A mismatch proves only that at least one of the three differs from what DMS used. It cannot tell which one, or where: one changed character anywhere gives an unrelated signature. So the page tries the usual mistakes, most likely first:',
    ),
    h('ol', { class: 'mm-checks' }, rows),
    fixed
      ? null
      : h(
          'p',
          { class: 'mm-left' },
          h('strong', null, 'What no try can find: '),
          'a secret that differs in more than one character (or another webhook’s password), a URL that differs in another way, or an event changed after DMS signed it. Compare the secret with the signing password of this webhook in the DMS console (or set a new one in both places), compare the URL with the console’s character by character, and check the request’s raw bytes as they arrived.',
        ),
  ];
}

/**
 * Fills the suggestions card. `diagnosis` is what diagnose() found, or null when it did not run.
 * Returns { shown, fixable }: whether the card has anything, and whether a fix makes it match.
 */
export function renderHints({ x, complete, url, secret, diagnosis, actions }) {
  const list = $('hints');
  const account = $('mismatch');
  const mismatch = complete && x.error?.code === 'SIGNATURE_MISMATCH';
  if (!complete || (!x.hints?.length && !mismatch)) return { shown: false, fixable: false };
  const context = { url, secret, x };
  const items = x.hints.filter((hint) => !(mismatch && hint.code === 'BODY_RESERIALIZED')).map((hint) => packageHint(hint, context, actions));
  if (diagnosis?.found) items.push(ownHint(diagnosis.found, actions));
  const fixable = items.some((item) => item.querySelector('.hint-fix button'));
  fill(list, items);
  list.hidden = items.length === 0;
  if (mismatch) fill(account, mismatchAccount({ x, url, secret, diagnosis }));
  account.hidden = !mismatch;
  $('hints-title').textContent = fixable ? 'How to make it match' : mismatch ? 'Why the signature does not match' : 'What to do';
  return { shown: true, fixable };
}
