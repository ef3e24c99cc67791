// Live deliveries: when the page is served by `dms-webhook listen`, its origin streams each
// delivery it receives as Server-Sent Events (at /events). Elsewhere the section stays hidden.
//
// What the page expects from the listener (all same-origin, so the dashboard's cookie goes along):
// - the page's own URL answers HEAD with `Link: </events>; rel="alternate"; type="text/event-stream"`;
// - each event's data is a JSON delivery {time, body, verdict: {ok, code, message}, url?}, where
//   `url` is the webhook URL the listener verifies with;
// - when a delivery carries no `url`, `config` beside the stream (GET /config) may answer
//   {"url": "..."}; it is asked once, only when a delivery is opened with the URL field empty.

import { ticking } from './clock.js';
import { fill, h } from './dom.js';
import { describeError, eventTimeMs, timeAgo } from './format.js';

const $ = (id) => document.getElementById(id);
const MAX_ITEMS = 50;

/**
 * The URL of the delivery stream when the page's own server advertises one, else null. A HEAD
 * request for the page itself reads the `Link` header without fetching the page a second time; a
 * plain static server answers it without one, and the page asks for nothing that may not exist.
 */
async function advertisedStream() {
  try {
    const res = await fetch(location.href.split('#')[0], { method: 'HEAD', cache: 'no-store' });
    const link = res.headers.get('Link') ?? '';
    await res.text(); // read to its (empty) end: an unread response counts as an aborted request
    for (const part of link.split(',')) {
      const m = /^\s*<([^>]*)>(.*)$/.exec(part);
      if (m && /;\s*type="?text\/event-stream"?/i.test(m[2])) {
        const url = new URL(m[1], location.href);
        if (url.origin === location.origin) return url.href;
      }
    }
  } catch {
    /* offline or no server: no stream */
  }
  return null;
}

/** The start of a long message (the list shows three lines of it at most). */
function short(text, limit = 300) {
  if (text.length <= limit) return text;
  const code = text.charCodeAt(limit - 1);
  return `${text.slice(0, code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit)}…`;
}

/** A webhook URL from a JSON answer, or null. */
function urlOf(value) {
  return value && typeof value.url === 'string' && value.url.trim() !== '' ? value.url : null;
}

/**
 * Starts the live list when the page is served by the listener. Returns { listenerUrl(),
 * urlFor(delivery) }: the listener's webhook URL once known, and a promise of it for a delivery.
 */
export function setupLive({ onInspect }) {
  let known = null;
  let asked = null;
  let eventsUrl = null;

  const live = {
    /** The webhook URL the listener verifies with, once a delivery or /config has said it. */
    listenerUrl: () => known,
    /** The webhook URL for a delivery: its own `url`, else the listener's /config, else null. */
    async urlFor(delivery) {
      const own = urlOf(delivery);
      if (own) return (known = own);
      if (known || !eventsUrl) return known;
      asked ??= fetch(new URL('config', eventsUrl), { headers: { accept: 'application/json' }, cache: 'no-store' })
        .then((res) => (res.ok && /json/i.test(res.headers.get('content-type') ?? '') ? res.json() : null))
        .then((config) => (known = urlOf(config)))
        .catch(() => null);
      return asked;
    },
  };

  start();
  return live;

  async function start() {
    const card = $('live-card');
    const list = $('live-list');
    const state = $('live-state');
    if (!card || !('EventSource' in window) || location.protocol === 'file:') return;
    eventsUrl = await advertisedStream();
    if (!eventsUrl) return;

    card.hidden = false;
    let count = 0;
    const source = new EventSource(eventsUrl);
    source.addEventListener('open', () => {
      state.textContent = 'Connected: new deliveries to this receiver appear here.';
      state.dataset.state = 'open';
    });
    // EventSource reconnects by itself; only say so.
    source.addEventListener('error', () => {
      state.textContent = 'Connection lost; reconnecting…';
      state.dataset.state = 'closed';
    });
    source.addEventListener('message', (e) => {
      let delivery;
      try {
        delivery = JSON.parse(e.data);
      } catch {
        return;
      }
      if (!delivery || typeof delivery.body !== 'string') return;
      if (urlOf(delivery)) known = delivery.url;
      count++;
      const ok = delivery.verdict?.ok === true;
      const code = delivery.verdict?.code;
      const received = eventTimeMs(delivery.time) ?? Date.now();
      let message = '';
      try {
        message = String(JSON.parse(delivery.body)?.messageEvent?.message ?? '');
      } catch {
        message = '';
      }
      const item = h(
        'li',
        { class: `live-item ${ok ? 'is-valid' : 'is-invalid'}` },
        h(
          'button',
          {
            type: 'button',
            class: 'live-button',
            onclick: (e) => {
              for (const b of list.querySelectorAll('[aria-current]')) b.removeAttribute('aria-current');
              e.currentTarget.setAttribute('aria-current', 'true');
              onInspect(delivery);
            },
          },
          h('span', { class: 'live-verdict' }, ok ? '✓ Authentic' : `✕ ${code ?? 'Rejected'}`),
          h('span', { class: 'live-time' }, new Date(received).toLocaleTimeString(), ' · ', ticking(h('span'), received, timeAgo)),
          message ? h('span', { class: 'live-message' }, short(message)) : null,
          !ok && code ? h('span', { class: 'visually-hidden' }, describeError({ code })) : null,
        ),
      );
      list.prepend(item);
      while (list.children.length > MAX_ITEMS) list.lastElementChild.remove();
      fill($('live-count'), `${count} received`);
    });
  }
}
