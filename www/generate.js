// Generate mode: the DMS console's "Test" button, offline. Composes a messageEvent, signs it with
// the package's signBody() and gives the exact body and a curl command that posts it.

import { ticking } from './clock.js';
import { copyText, fill } from './dom.js';
import { curlCommand, describeError, randomCode, testMessage, timeAgo } from './format.js';

const $ = (id) => document.getElementById(id);

/** Composer fields in the order DMS writes them in its test notification. */
const FIELDS = [
  ['submitterName', 'gen-submitter-name'],
  ['submitterUid', 'gen-submitter-uid'],
  ['category', 'gen-category'],
  ['event', 'gen-event'],
  ['eventTime', 'gen-event-time'],
  ['message', 'gen-message'],
  ['module', 'gen-module'],
  ['receivers', null],
  ['targetUsers', null],
  ['taskId', 'gen-task-id'],
  ['taskName', 'gen-task-name'],
];

export function setupGenerate(api, shared, { toVerify }) {
  const out = $('generated-body');
  const curl = $('curl');
  const status = $('gen-status');
  const timeEl = $('gen-event-time');
  const timeHuman = $('gen-event-time-human');
  let timer = 0;

  $('gen-message').value = testMessage();
  timeEl.value = String(Date.now());

  /** The messageEvent as JSON text, keys in DMS's order; empty fields are left out. */
  function messageEventText({ eventTime } = {}) {
    const parts = [];
    const value = (id) => $(id).value;
    const receiverName = value('gen-receiver-name').trim();
    const receiverUid = value('gen-receiver-uid').trim();
    const receivers = receiverName || receiverUid ? [{ name: receiverName, uid: receiverUid }] : null;
    for (const [key, id] of FIELDS) {
      if (key === 'receivers' || key === 'targetUsers') {
        if (receivers) parts.push(`${JSON.stringify(key)}:${JSON.stringify(receivers)}`);
        continue;
      }
      const v = key === 'eventTime' && eventTime !== undefined ? String(eventTime) : value(id);
      if (key === 'eventTime') {
        const t = v.trim();
        if (/^-?\d+$/.test(t)) parts.push(`"eventTime":${t.replace(/^(-?)0+(?=\d)/, '$1')}`);
        else if (t) parts.push(`"eventTime":${JSON.stringify(t)}`);
        continue;
      }
      if (key === 'message' ? v !== '' : v.trim() !== '') parts.push(`${JSON.stringify(key)}:${JSON.stringify(v)}`);
    }
    return `{${parts.join(',')}}`;
  }

  function updateTimeHuman() {
    const t = timeEl.value.trim();
    if (/^-?\d+$/.test(t) && Math.abs(Number(t)) < 8.64e15) {
      const ms = Number(t);
      const date = new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
      ticking(timeHuman, ms, (at) => `${date} · ${timeAgo(at)}`);
    } else {
      ticking(timeHuman, 0, () => (t ? 'Not epoch milliseconds: sent as a string.' : 'Left out.'));
    }
  }

  function update() {
    clearTimeout(timer);
    updateTimeHuman();
    const { url, secret } = shared.settings();
    const missing = [];
    if (url.trim() === '') missing.push('the webhook URL');
    if (secret === '') missing.push('the secret');
    if (missing.length) {
      showStatus('pending', `Enter ${missing.join(' and ')} to sign the event.`);
      clear();
      return;
    }
    let body;
    try {
      body = api.signBody(messageEventText(), { url, secret });
    } catch (e) {
      showStatus('error', `Cannot sign: ${describeError({ code: e?.code, message: e?.message })} ${e?.message ?? ''}`);
      clear();
      return;
    }
    out.textContent = body;
    curl.textContent = curlCommand(url, body);
    $('gen-body-card').hidden = false;
    $('curl-card').hidden = false;
    $('gen-signature').textContent = JSON.parse(body).signatureText;
    // The status stays the same while the event is edited, so a screen reader is not flooded.
    showStatus('ready', '✓ Signed with HMAC-SHA1 for this URL and secret.');
  }

  function clear() {
    out.textContent = '';
    curl.textContent = '';
    $('gen-body-card').hidden = true;
    $('curl-card').hidden = true;
  }

  function showStatus(state, text) {
    status.dataset.state = state;
    fill(status, text);
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(update, 40);
  }

  $('generate-in').addEventListener('input', schedule);
  shared.onChange(schedule);

  $('gen-new-code').addEventListener('click', () => {
    $('gen-message').value = testMessage(randomCode());
    update();
  });
  $('gen-now').addEventListener('click', () => {
    timeEl.value = String(Date.now());
    update();
  });
  $('copy-body').addEventListener('click', (e) => copyText(out.textContent, e.currentTarget, out));
  $('copy-curl').addEventListener('click', (e) => copyText(curl.textContent, e.currentTarget, curl));
  $('verify-generated').addEventListener('click', () => toVerify(out.textContent));

  return {
    update,
    /** The composed messageEvent, sent now (the example of verify mode). */
    exampleEvent() {
      return messageEventText({ eventTime: Date.now() });
    },
    messageEventText,
  };
}
