// Live deliveries: when the page is served by `dms-webhook listen`, its origin streams each
// delivery it receives as Server-Sent Events (at /events). Elsewhere the section stays hidden.

import { fill, h } from './dom.js';
import { describeError, eventTimeMs, timeAgo } from './format.js';

const $ = (id) => document.getElementById(id);
const MAX_ITEMS = 50;

/**
 * The URL of the delivery stream when the page's own server advertises one, else null.
 * The server says so on the page itself with `Link: </events>; rel="alternate";
 * type="text/event-stream"`; the page asks for nothing that may not exist, so a server without
 * a stream sees no request for it and the console stays clean.
 */
async function advertisedStream() {
  try {
    const res = await fetch(location.href.split('#')[0], { cache: 'no-cache' });
    const link = res.headers.get('Link') ?? '';
    await res.text(); // read to the end: a cancelled request would show up as a failed one
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

export async function setupLive({ onInspect }) {
  const card = $('live-card');
  const list = $('live-list');
  const state = $('live-state');
  if (!card || !('EventSource' in window) || location.protocol === 'file:') return;
  const eventsUrl = await advertisedStream();
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
            onInspect(delivery.body);
          },
        },
        h('span', { class: 'live-verdict' }, ok ? '✓ Authentic' : `✕ ${code ?? 'Rejected'}`),
        h('span', { class: 'live-time' }, new Date(received).toLocaleTimeString(), ' · ', timeAgo(received)),
        message ? h('span', { class: 'live-message' }, message) : null,
        !ok && code ? h('span', { class: 'visually-hidden' }, describeError({ code })) : null,
      ),
    );
    list.prepend(item);
    while (list.children.length > MAX_ITEMS) list.lastElementChild.remove();
    fill($('live-count'), `${count} received`);
  });
}
