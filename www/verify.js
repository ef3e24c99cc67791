// Verify mode: explains a pasted or dropped delivery with the package's explain().

import { exactBody } from './body-input.js';
import { ticking } from './clock.js';
import { clipped, fill, h, marked } from './dom.js';
import { renderEvent } from './event-view.js';
import { describeError, eventTimeMs, formatDuration, normalizeNewlines, timeAgo } from './format.js';
import { diagnose, renderHints } from './hints.js';
import { checkRequest, requestUrl, splitRequest } from './request.js';
import { renderSignatures, renderSigned } from './signed-view.js';

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

/** Codes whose message from the package adds something to the page's own sentence. */
const DETAILED_CODES = new Set(['UNSUPPORTED_SIGNATURE_METHOD', 'INVALID_OPTIONS']);

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
  const exact = exactBody(bodyEl);
  const cards = [hintsCard, eventCard, signedCard, sigCard];

  let timer = 0;

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(update, bodyEl.value.length > 200000 ? 200 : 40);
  }

  bodyEl.addEventListener('input', () => {
    // An edit that changed what the text area shows: the file's own text or bytes no longer count.
    if (!exact.note()?.file) fileNote.hidden = true;
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
      exact.set(new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes), { note: { file: file.name } });
      fill(fileNote, `Loaded “${file.name}” (${bytes.length.toLocaleString('en')} bytes).`);
    } catch {
      exact.set(bytes, { shown: new TextDecoder('utf-8').decode(bytes), note: { file: file.name } });
      fill(
        fileNote,
        `“${file.name}” is not valid UTF-8 text: its exact bytes are checked. Editing the text above checks the text instead.`,
      );
    }
    fileNote.hidden = false;
    update();
    shared.revealVerdict();
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
    exact.clear();
    fileNote.hidden = true;
    update();
    bodyEl.focus();
  });

  $('example-body').addEventListener('click', () => {
    const { url, secret } = shared.ensureSettings();
    exact.set(api.signBody(shared.exampleEvent(), { url, secret }));
    fileNote.hidden = true;
    update();
  });

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
        warnings.length ? h('ul', { class: 'verdict-warnings' }, warnings.map((w) => h('li', null, w))) : null,
      ),
    );
  }

  /** What `dms-webhook listen` said of a live delivery, while its body is the one checked. */
  function listenerSays() {
    const said = exact.note()?.listener;
    if (!said) return null;
    const what = said.ok ? `accepted it (${said.message ?? 'signature verified'})` : `refused it: ${said.code}${said.message ? ` (${said.message})` : ''}`;
    return `On arrival, dms-webhook listen ${what}.`;
  }

  /** EVENT_TOO_OLD and EVENT_IN_FUTURE in a person's units rather than milliseconds. */
  function ageVerdict(code, error, x, maxAgeMs) {
    const ms = eventTimeMs(x.event?.eventTime);
    if (ms === null || maxAgeMs === null) {
      return { sentence: describeError(error), details: error?.message ? [`Details: ${error.message}.`] : [] };
    }
    const now = Date.now();
    const limit = formatDuration(maxAgeMs);
    const at = new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
    const details = [`Event time: ${at}. The limit is the maximum age under Receiver options (empty for none).`];
    if (code === 'EVENT_TOO_OLD') {
      return { sentence: `The event was sent ${formatDuration(now - ms)} ago, and this receiver accepts events at most ${limit} old.`, details };
    }
    return {
      sentence: `The event is dated ${formatDuration(ms - now)} ahead of this computer’s clock, more than the ${limit} allowed: is one of the clocks wrong?`,
      details,
    };
  }

  function update() {
    clearTimeout(timer);
    const raw = exact.value();
    const empty = typeof raw === 'string' ? raw.trim() === '' : raw.length === 0;
    if (empty) {
      requestInfo.hidden = true;
      for (const card of cards) card.hidden = true;
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
      for (const card of cards) card.hidden = true;
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
    const listener = listenerSays();
    let hinted = { shown: false, fixable: false };
    if (x.parsed && !(error && PARSE_CODES.has(error.code))) {
      let diagnosis = null;
      const packageFix = x.hints.some((hint) => (hint.code.startsWith('URL_') && hint.url) || hint.code === 'SECRET_WHITESPACE');
      if (complete && error?.code === 'SIGNATURE_MISMATCH' && !packageFix) {
        diagnosis = diagnose(api, { body: request.body, url, secret, x, otherUrls: otherUrls(request, url) });
      }
      hinted = renderHints({ x, complete, url, secret, diagnosis, actions: shared });
    }
    hintsCard.hidden = !hinted.shown;

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
      const missing = [url.trim() === '' ? 'the webhook URL' : null, secret === '' ? 'the secret' : null].filter(Boolean);
      setVerdict('incomplete', {
        title: `Enter ${missing.join(' and ')}`,
        sentence: `The body reads fine. Fill in ${missing.join(' and ')} as configured in DMS to check its signature here.`,
        details: listener ? [listener] : [],
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
      if (ms !== null && Math.abs(ms) < 8.64e15) details.push(h('span', null, 'Sent ', ticking(h('span'), ms, timeAgo), '.'));
      setVerdict('valid', { title: x.matched ? 'Authentic' : 'Accepted (unsigned)', sentence, details, warnings });
    } else {
      const code = error?.code ?? 'SIGNATURE_MISMATCH';
      const titles = {
        UNSIGNED: 'Not signed',
        EVENT_TOO_OLD: 'Outside the time window',
        EVENT_IN_FUTURE: 'Outside the time window',
        INVALID_OPTIONS: 'Cannot check',
      };
      let sentence = describeError(error ?? { code });
      let details = [];
      if (code === 'EVENT_TOO_OLD' || code === 'EVENT_IN_FUTURE') {
        ({ sentence, details } = ageVerdict(code, error, x, maxAgeMs));
      } else if (code === 'SIGNATURE_MISMATCH') {
        details.push(
          hinted.fixable
            ? 'A suggestion below makes it match.'
            : 'None of the usual mistakes the page tried explains it: see below what was tried, and what is left to check.',
        );
      } else if (code === 'UNSIGNED' && hinted.shown) {
        details.push('See below how to have DMS sign its deliveries.');
      } else if (hinted.fixable) {
        details.push('A suggestion below makes it match.');
      }
      if (DETAILED_CODES.has(code) && error?.message) details.push(`Details: ${error.message}`);
      if (listener) details.push(listener);
      setVerdict('invalid', { code, title: titles[code] ?? 'Not authentic', sentence, details, warnings });
    }

    eventCard.hidden = !renderEvent($('event-view'), x);
    signedCard.hidden = !renderSigned(x, url, secret);
    sigCard.hidden = !renderSignatures(x, complete);
  }

  /** URLs the page knows besides the one entered: where a pasted request was sent, the listener's. */
  function otherUrls(request, url) {
    const out = [];
    const sentTo = request.isRequest ? requestUrl(request) : null;
    if (sentTo && sentTo !== url) out.push({ url: sentTo, label: 'the URL the request was sent to' });
    const listening = shared.listenerUrl();
    if (listening && listening !== url && listening !== sentTo) out.push({ url: listening, label: 'the URL dms-webhook listen was started with' });
    return out;
  }

  /**
   * Where a byte offset of the body falls: an excerpt with the character marked, and a button
   * that selects it in the text area (when the text area shows that body).
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
    // The text area shows the body with LF line breaks only: find the same place there.
    const value = bodyEl.value;
    const shown = normalizeNewlines(body);
    const at = normalizeNewlines(body.slice(0, i)).length;
    const start = !exact.isBytes() && value.endsWith(shown) ? value.length - shown.length + at : -1;
    const button =
      start >= 0
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
        h('code', null, clipped(`${request.method} ${request.target}`, 200)),
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
          h('code', null, clipped(arrived, 200)),
          '. ',
          h('button', { type: 'button', class: 'small', onclick: () => shared.setUrl(arrived) }, 'Use as the webhook URL'),
        ),
      );
    }
    fill(requestInfo, children);
    requestInfo.hidden = false;
  }

  return {
    update,
    /** Checks `text` (a live delivery, a generated body); `listener` is what the listener said of it. */
    setBody(text, { listener } = {}) {
      exact.set(text, { note: listener ? { listener } : undefined });
      fileNote.hidden = true;
      update();
    },
  };
}
