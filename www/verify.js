// Verify mode: explains a pasted or dropped delivery with the package's explain().

import { h, fill, marked } from './dom.js';
import {
  base64ToHex,
  describeChar,
  describeError,
  displayValue,
  eventTimeMs,
  firstDifference,
  maskUrl,
  timeAgo,
  toJson,
  utf8Length,
} from './format.js';
import { checkRequest, requestUrl, splitRequest } from './request.js';

const $ = (id) => document.getElementById(id);

const PARSE_CODES = new Set([
  'MALFORMED_JSON',
  'UNSUPPORTED_JSON',
  'NESTING_TOO_DEEP',
  'NUMBER_OUT_OF_RANGE',
  'INVALID_UTF8',
  'BODY_TOO_LARGE',
  'MISSING_MESSAGE_EVENT',
  'INVALID_MESSAGE_EVENT',
]);

/** What to do about a hint, where the package's own sentence does not already say it. */
const HINT_ACTIONS = {
  SECRET_WHITESPACE: 'Check where the secret is stored or copied from: a space or line break at either end is part of it.',
  SIGNATURE_FORMAT: 'Was the body copied whole? A signatureText is 28 characters of Base64 ending in “=”.',
};

const FIELD_LABELS = [
  ['category', 'Category'],
  ['module', 'Module'],
  ['event', 'Event'],
];
const KNOWN_FIELDS = new Set([
  'submitterUid',
  'submitterName',
  'category',
  'module',
  'event',
  'taskId',
  'taskName',
  'eventTime',
  'message',
  'targetUsers',
  'receivers',
]);

export function setupVerify(api, shared) {
  const bodyEl = $('body');
  const fileEl = $('body-file');
  const dropEl = $('drop');
  const fileNote = $('file-note');
  const requestInfo = $('request-info');
  const verdict = $('verdict');
  const hintsCard = $('hints-card');
  const eventCard = $('event-card');
  const signedCard = $('signed-card');
  const sigCard = $('sig-card');

  /** Bytes of a dropped file that is not UTF-8 text; null while the textarea is the input. */
  let fileBytes = null;
  let timer = 0;
  const clocks = [];

  function input() {
    return fileBytes ?? bodyEl.value;
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(update, bodyEl.value.length > 200000 ? 200 : 40);
  }

  bodyEl.addEventListener('input', () => {
    if (fileBytes) {
      fileBytes = null;
      fileNote.hidden = true;
    }
    schedule();
  });
  shared.onChange(schedule);

  async function loadFile(file) {
    if (!file) return;
    if (file.size > 8 * 1048576) {
      fill(fileNote, `“${file.name}” is ${Math.round(file.size / 1048576)} MiB: too large to be a DMS delivery.`);
      fileNote.hidden = false;
      return;
    }
    const bytes = new Uint8Array(await file.arrayBuffer());
    try {
      bodyEl.value = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
      fileBytes = null;
      fill(fileNote, `Loaded “${file.name}” (${bytes.length} bytes).`);
    } catch {
      bodyEl.value = new TextDecoder('utf-8').decode(bytes);
      fileBytes = bytes;
      fill(
        fileNote,
        `“${file.name}” is not valid UTF-8 text: its exact bytes are checked. Editing the text above checks the text instead.`,
      );
    }
    fileNote.hidden = false;
    update();
  }

  fileEl.addEventListener('change', () => {
    loadFile(fileEl.files[0]);
    fileEl.value = '';
  });
  for (const type of ['dragenter', 'dragover']) {
    dropEl.addEventListener(type, (e) => {
      if (![...(e.dataTransfer?.types ?? [])].includes('Files')) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
      dropEl.classList.add('dragging');
    });
  }
  dropEl.addEventListener('dragleave', (e) => {
    if (!dropEl.contains(e.relatedTarget)) dropEl.classList.remove('dragging');
  });
  dropEl.addEventListener('drop', (e) => {
    dropEl.classList.remove('dragging');
    const file = e.dataTransfer?.files?.[0];
    if (!file) return;
    e.preventDefault();
    loadFile(file);
  });

  $('clear-body').addEventListener('click', () => {
    bodyEl.value = '';
    fileBytes = null;
    fileNote.hidden = true;
    update();
    bodyEl.focus();
  });

  $('example-body').addEventListener('click', () => {
    const { url, secret } = shared.ensureSettings();
    bodyEl.value = api.signBody(shared.exampleEvent(), { url, secret });
    fileBytes = null;
    fileNote.hidden = true;
    update();
  });

  setInterval(() => {
    for (const { el, ms } of clocks) if (el.isConnected) el.textContent = timeAgo(ms);
  }, 30000);

  function setVerdict(state, { code = null, title, sentence, details = [], warnings = [] }) {
    verdict.dataset.state = state;
    if (state === 'valid') verdict.dataset.valid = 'true';
    else if (state === 'invalid') verdict.dataset.valid = 'false';
    else delete verdict.dataset.valid;
    if (state === 'invalid' && code) verdict.dataset.code = code;
    else delete verdict.dataset.code;
    const icon = { valid: '✓', invalid: '✕', incomplete: '…', empty: '↓' }[state] ?? '';
    fill(
      verdict,
      h('span', { class: 'verdict-icon', 'aria-hidden': 'true' }, icon),
      h(
        'div',
        { class: 'verdict-text' },
        h('p', { class: 'verdict-title' }, title, code ? h('code', { class: 'code-chip' }, code) : null),
        h('p', { class: 'verdict-sentence' }, sentence),
        details.map((d) => h(typeof d === 'string' ? 'p' : 'div', { class: 'verdict-detail' }, d)),
        warnings.length
          ? h('ul', { class: 'verdict-warnings' }, warnings.map((w) => h('li', null, w)))
          : null,
      ),
    );
  }

  function update() {
    clearTimeout(timer);
    const raw = input();
    const empty = typeof raw === 'string' ? raw.trim() === '' : raw.length === 0;
    if (empty) {
      requestInfo.hidden = true;
      for (const card of [hintsCard, eventCard, signedCard, sigCard]) card.hidden = true;
      setVerdict('empty', {
        title: 'Waiting for a delivery',
        sentence: 'Paste a body, or a whole HTTP request, to check it. The result updates as you type.',
      });
      return;
    }

    const request = splitRequest(raw);
    const checks = request.isRequest ? checkRequest(request) : [];
    renderRequest(request, checks);

    const { url, secret, requireSignature, maxAgeMs } = shared.settings();
    // Without both, the body is still read (the placeholders only let explain() run).
    const complete = url.trim() !== '' && secret !== '';
    const options = complete
      ? { url, secret, requireSignature, revealExpected: true }
      : { url: url || 'https://example.invalid/', secret: secret || '-', requireSignature: false, revealExpected: false };
    if (complete && maxAgeMs !== null) options.maxAgeMs = maxAgeMs;

    let x;
    try {
      x = api.explain(request.body, options);
    } catch (e) {
      for (const card of [hintsCard, eventCard, signedCard, sigCard]) card.hidden = true;
      const code = e?.code ?? 'INVALID_OPTIONS';
      setVerdict('invalid', {
        code,
        title: 'Cannot check',
        sentence: describeError({ code, message: e?.message }),
        details: e?.message ? [e.message] : [],
      });
      return;
    }

    const warnings = checks.filter((c) => c.level === 'error').map((c) => c.text);
    const error = x.error ?? x.parseError;
    if (!x.parsed || (error && PARSE_CODES.has(error.code))) {
      const details = error?.message ? [`Details: ${error.message}`] : [];
      const where = typeof error?.offset === 'number' ? locate(request.body, error.offset) : null;
      if (where) details.push(where);
      setVerdict('invalid', {
        code: error?.code ?? 'MALFORMED_JSON',
        title: 'Not a readable DMS body',
        sentence: describeError(error),
        details,
        warnings,
      });
    } else if (!complete) {
      setVerdict('incomplete', {
        title: 'Enter the webhook URL and secret',
        sentence: 'The body reads fine. Fill in the URL and the secret as configured in DMS to check its signature.',
        warnings,
      });
    } else if (x.ok) {
      const details = [];
      let sentence;
      if (x.matched) {
        sentence =
          x.matched.form === 'raw'
            ? 'The signature matches the messageEvent exactly as it stands in the body (HMAC-SHA1 with this URL and secret).'
            : 'Signed by DMS with this URL and secret: the HMAC-SHA1 over the canonical messageEvent matches.';
      } else {
        sentence = 'Accepted without a signature: the body is not signed and a signature is not required here.';
      }
      const ms = eventTimeMs(x.event?.eventTime);
      if (ms !== null) details.push(`Sent ${timeAgo(ms)}.`);
      setVerdict('valid', {
        title: x.matched ? 'Authentic' : 'Accepted (unsigned)',
        sentence,
        details,
        warnings,
      });
    } else {
      const code = error?.code ?? 'SIGNATURE_MISMATCH';
      const titles = {
        UNSIGNED: 'Not signed',
        EVENT_TOO_OLD: 'Outside the time window',
        EVENT_IN_FUTURE: 'Outside the time window',
        INVALID_OPTIONS: 'Cannot check',
      };
      const title = titles[code] ?? 'Not authentic';
      const details = [];
      if (x.hints.length) {
        details.push('See the suggestions below: one of them makes it match.');
      }
      if (error?.message) details.push(`Details: ${error.message}`);
      setVerdict('invalid', { code, title, sentence: describeError(error ?? { code }), details, warnings });
    }

    renderHints(x, complete);
    renderEvent(x);
    renderSigned(x, url, secret);
    renderSignatures(x, complete);
  }

  /**
   * Where a byte offset of the body falls: an excerpt with the character marked, and a button
   * that selects it in the text area (when the text area holds that body).
   */
  function locate(body, offset) {
    if (typeof body !== 'string') return null;
    const bytes = new TextEncoder().encode(body);
    if (offset > bytes.length) return null;
    const i = new TextDecoder().decode(bytes.subarray(0, offset)).length;
    const from = Math.max(0, i - 32);
    const to = Math.min(body.length, i + 32);
    const excerpt = h(
      'pre',
      { class: 'excerpt', 'aria-label': `The body around byte ${offset}` },
      from > 0 ? '…' : '',
      marked(body.slice(from, to), i - from),
      to < body.length ? '…' : '',
    );
    const value = bodyEl.value;
    const start = value.endsWith(body) ? value.length - body.length + i : -1;
    const button =
      start >= 0 && !fileBytes
        ? h(
            'button',
            {
              type: 'button',
              class: 'small secondary',
              onclick: () => {
                bodyEl.focus();
                bodyEl.setSelectionRange(start, Math.min(start + 1, value.length));
              },
            },
            'Show it in the body',
          )
        : null;
    return h('span', { class: 'locate' }, excerpt, button);
  }

  function renderRequest(request, checks) {
    if (!request.isRequest) {
      requestInfo.hidden = true;
      return;
    }
    const arrived = requestUrl(request);
    const rows = checks.map((c) =>
      h(
        'li',
        { class: `check check-${c.level}` },
        h('span', { class: 'check-icon', 'aria-hidden': 'true' }, c.ok ? '✓' : c.level === 'error' ? '✕' : '!'),
        h('span', { class: 'visually-hidden' }, c.ok ? 'Good: ' : c.level === 'error' ? 'Problem: ' : 'Note: '),
        c.text,
      ),
    );
    const children = [
      h(
        'p',
        { class: 'request-line' },
        'Read as a whole HTTP request, ',
        h('code', null, `${request.method} ${request.target}`),
        ': its headers are checked here, and the body after them is verified.',
      ),
      h('ul', { class: 'checks' }, rows),
      request.notes.map((n) => h('p', { class: 'help' }, n)),
    ];
    const { url } = shared.settings();
    if (arrived && url.trim() === '') {
      children.push(
        h(
          'p',
          { class: 'help' },
          'It was sent to ',
          h('code', null, arrived),
          '. ',
          h('button', { type: 'button', class: 'small', onclick: () => shared.setUrl(arrived) }, 'Use as the webhook URL'),
        ),
      );
    }
    fill(requestInfo, children);
    requestInfo.hidden = false;
  }

  function renderHints(x, complete) {
    const list = $('hints');
    if (!complete || !x.hints?.length) {
      hintsCard.hidden = true;
      return;
    }
    const { url, secret } = shared.settings();
    const items = x.hints.map((hint) => {
      const action = HINT_ACTIONS[hint.code];
      const message = hint.message ? hint.message[0].toUpperCase() + hint.message.slice(1) : hint.code;
      let fix = null;
      if (hint.code.startsWith('URL_') && typeof hint.url === 'string') {
        fix = h(
          'p',
          { class: 'hint-fix' },
          'Matches with ',
          h('code', null, hint.url),
          hint.url !== url
            ? h('button', { type: 'button', class: 'small', onclick: () => shared.setUrl(hint.url) }, 'Use this URL')
            : null,
        );
      } else if (hint.code === 'SECRET_WHITESPACE' && secret.trim() !== secret) {
        fix = h(
          'p',
          { class: 'hint-fix' },
          h('button', { type: 'button', class: 'small', onclick: () => shared.setSecret(secret.trim()) }, 'Use the secret without the whitespace'),
        );
      }
      return h(
        'li',
        { class: 'hint', 'data-hint': hint.code },
        h('p', { class: 'hint-message' }, message),
        fix,
        action ? h('p', { class: 'help' }, action) : null,
      );
    });
    fill(list, items);
    hintsCard.hidden = false;
  }

  function person(name, uid) {
    if (!name && !uid) return null;
    return [name ? h('span', null, displayValue(name)) : null, uid ? h('span', { class: 'uid' }, ` ${displayValue(uid)}`) : null];
  }

  function people(list) {
    if (!Array.isArray(list) || list.length === 0) return null;
    return h(
      'ul',
      { class: 'people' },
      list.map((p) =>
        h('li', null, p && typeof p === 'object' ? person(p.name, p.uid) ?? toJson(p, 0) : displayValue(p)),
      ),
    );
  }

  function renderEvent(x) {
    const ev = x.event;
    if (!ev) {
      eventCard.hidden = true;
      return;
    }
    clocks.length = 0;
    const rows = [];
    const row = (label, value) => {
      if (value === null || value === undefined || value === '' || (Array.isArray(value) && !value.length)) return;
      rows.push(h('div', { class: 'dl-row' }, h('dt', null, label), h('dd', null, value)));
    };
    for (const [key, label] of FIELD_LABELS) row(label, displayValue(ev[key]));
    const task = [];
    if (ev.taskName !== undefined) task.push(h('span', null, displayValue(ev.taskName)));
    if (ev.taskId !== undefined) task.push(h('span', { class: 'uid' }, ` #${displayValue(ev.taskId)}`));
    row('Task', task.length ? task : null);
    row('Submitter', person(ev.submitterName, ev.submitterUid));
    row('Receivers', people(ev.receivers));
    row('Target users', people(ev.targetUsers));
    if (ev.eventTime !== undefined) {
      const ms = eventTimeMs(ev.eventTime);
      if (ms !== null && Math.abs(ms) < 8.64e15) {
        const date = new Date(ms);
        const ago = h('span', { class: 'ago' }, timeAgo(ms));
        clocks.push({ el: ago, ms });
        row('Event time', [
          h('time', { datetime: date.toISOString() }, date.toLocaleString(undefined, { dateStyle: 'full', timeStyle: 'long' })),
          h('br'),
          ago,
          h('span', { class: 'uid' }, ` · ${displayValue(ev.eventTime)}`),
        ]);
      } else {
        row('Event time', displayValue(ev.eventTime));
      }
    }
    const others = Object.keys(ev).filter((k) => !KNOWN_FIELDS.has(k));
    for (const key of others) row(key, h('code', null, displayValue(ev[key])));

    const message = ev.message !== undefined ? displayValue(ev.message) : '';
    fill(
      $('event-view'),
      message ? h('blockquote', { class: 'message' }, message) : h('p', { class: 'help' }, 'This event has no message.'),
      h('dl', { class: 'dl' }, rows),
      h(
        'p',
        { class: 'help' },
        'Signature method in the body: ',
        h('code', null, x.signatureMethod ?? '(none)'),
        others.length ? ` · ${others.length} other field${others.length > 1 ? 's' : ''}, kept and signed.` : '',
      ),
    );
    eventCard.hidden = false;
  }

  function renderSigned(x, url, secret) {
    if (x.canonical === null || x.canonical === undefined) {
      signedCard.hidden = true;
      return;
    }
    const diff = x.canonicalEqualsRaw === false ? x.firstDifference : null;
    fill(
      $('signed-prefix'),
      h('span', { class: 'prefix prefix-url', title: 'the webhook URL' }, url ? maskUrl(url) : 'URL'),
      h(
        'span',
        { class: 'prefix prefix-secret', title: 'the secret (masked)' },
        secret ? '•'.repeat(Math.min(secret.length, 12)) : 'secret',
        h('span', { class: 'visually-hidden' }, ` (the secret, ${secret.length} characters, masked)`),
      ),
    );
    fill($('canonical'), marked(x.canonical, diff));
    $('signed-size').textContent = `${utf8Length(x.canonical).toLocaleString()} bytes of canonical messageEvent`;

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
          h('pre', { class: 'code-block' }, marked(x.raw, i)),
        ),
      );
    } else {
      fill(compare);
    }
    signedCard.hidden = false;
  }

  function sigRows(label, note, base64, marks) {
    const hex = base64 === null ? null : base64ToHex(base64);
    return h(
      'div',
      { class: 'sig' },
      h('p', { class: 'sig-label' }, label, note ? h('span', { class: 'label-aside' }, ` ${note}`) : null),
      h(
        'dl',
        { class: 'sig-values' },
        h('div', null, h('dt', null, 'Base64'), h('dd', null, base64 === null ? h('em', null, 'none') : h('code', null, marked(base64, marks?.b64)))),
        h(
          'div',
          null,
          h('dt', null, 'Hex'),
          h('dd', null, hex === null ? h('em', null, base64 === null ? 'none' : 'not valid Base64') : h('code', null, marked(hex, marks?.hex))),
        ),
      ),
    );
  }

  function renderSignatures(x, complete) {
    if (!x.parsed) {
      sigCard.hidden = true;
      return;
    }
    const received = x.signatureText ?? null;
    const expected = complete && Array.isArray(x.expected) ? x.expected : [];
    const parts = [];
    const receivedHex = received === null ? null : base64ToHex(received);
    const markFor = (a, b, ahex, bhex) => {
      if (a === null || b === null) return null;
      const i = firstDifference(a, b);
      if (i < 0) return null;
      const j = ahex !== null && bhex !== null ? firstDifference(ahex, bhex) : -1;
      return { b64: i, hex: j < 0 ? null : j };
    };
    const primary = expected[0];
    const primaryHex = primary ? base64ToHex(primary.canonical) : null;
    const receivedMarks = primary ? markFor(received, primary.canonical, receivedHex, primaryHex) : null;

    parts.push(sigRows('Received', '(signatureText in the body)', received, receivedMarks));
    for (const e of expected) {
      const label = expected.length > 1 ? `Expected for ${maskUrl(e.url)}, secret ${e.secretIndex + 1}` : 'Expected';
      const m = markFor(e.canonical, received, base64ToHex(e.canonical), receivedHex);
      parts.push(sigRows(label, '(HMAC-SHA1 of URL + secret + canonical messageEvent)', e.canonical, m));
      if (e.raw !== e.canonical && x.canonicalEqualsRaw === false) {
        const mr = markFor(e.raw, received, base64ToHex(e.raw), receivedHex);
        parts.push(sigRows('Over the body’s own text', '(what a receiver that skips the canonical form would compute)', e.raw, mr));
      }
    }
    let summary;
    if (!complete) summary = 'Enter the URL and the secret to see the expected signature.';
    else if (received === null) summary = 'The body carries no signatureText.';
    else if (!primary) summary = '';
    else if (expected.some((e) => e.canonical === received || e.raw === received)) summary = 'The received signature matches.';
    else if (receivedMarks) summary = `They first differ at Base64 character ${receivedMarks.b64 + 1}${receivedMarks.hex !== null ? ` (hex digit ${receivedMarks.hex + 1})` : ''}, marked.`;
    fill($('signatures'), summary ? h('p', { class: 'sig-summary' }, summary) : null, parts);
    sigCard.hidden = false;
  }

  return {
    update,
    setBody(text) {
      bodyEl.value = text;
      fileBytes = null;
      fileNote.hidden = true;
      update();
    },
  };
}
