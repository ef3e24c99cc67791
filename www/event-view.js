// "The event": the messageEvent as a person reads it. Long values are shown by their start (a
// 900 KB message would otherwise make the page hundreds of thousands of pixels tall), each with a
// button that shows all of it.

import { ticking } from './clock.js';
import { clipped, fill, h } from './dom.js';
import { displayValue, eventTimeMs, toJson } from './format.js';

/** Characters of the message shown before "Show all". */
const MESSAGE_LIMIT = 800;
/** Characters of any other value shown before "Show all". */
const VALUE_LIMIT = 300;
/** People in a list, and fields DMS does not define, shown before "Show all". */
const LIST_LIMIT = 20;

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

const text = (value, limit = VALUE_LIMIT) => clipped(displayValue(value), limit);

/**
 * The first `LIST_LIMIT` items rendered, then a button (in `holder`) that puts the rest in its
 * place and moves the focus to the first of them.
 */
function capped(items, render, what, holder) {
  if (items.length <= LIST_LIMIT * 1.25) return items.map(render);
  const place = holder(
    h(
      'button',
      {
        type: 'button',
        class: 'small secondary clip-more',
        onclick: () => {
          const rest = items.slice(LIST_LIMIT).map(render);
          place.replaceWith(...rest);
          // A row of a definition list has no box of its own (display: contents): focus its term.
          const target = rest[0].querySelector('dt') ?? rest[0];
          target.tabIndex = -1;
          target.focus();
        },
      },
      `Show all ${items.length.toLocaleString('en')} ${what}`,
    ),
  );
  return [...items.slice(0, LIST_LIMIT).map(render), place];
}

function person(name, uid) {
  if (!name && !uid) return null;
  return [name ? h('span', null, text(name)) : null, uid ? h('span', { class: 'uid' }, ' ', text(uid)) : null];
}

function people(list) {
  if (!Array.isArray(list) || list.length === 0) return null;
  const item = (p) => h('li', null, p && typeof p === 'object' ? person(p.name, p.uid) ?? text(toJson(p, 0)) : text(p));
  return h('ul', { class: 'people' }, capped(list, item, 'people', (button) => h('li', null, button)));
}

/** Renders the event of an explanation into `view`; false when there is no event. */
export function renderEvent(view, x) {
  const ev = x.event;
  if (!ev) return false;
  const rows = [];
  const row = (label, value) => {
    if (value === null || value === undefined || value === '' || (Array.isArray(value) && !value.length)) return null;
    const el = h('div', { class: 'dl-row' }, h('dt', null, label), h('dd', null, value));
    rows.push(el);
    return el;
  };
  for (const [key, label] of FIELD_LABELS) if (ev[key] !== undefined && ev[key] !== '') row(label, text(ev[key]));
  const task = [];
  if (ev.taskName !== undefined) task.push(h('span', null, text(ev.taskName)));
  if (ev.taskId !== undefined) task.push(h('span', { class: 'uid' }, ' #', text(ev.taskId)));
  row('Task', task.length ? task : null);
  row('Submitter', person(ev.submitterName, ev.submitterUid));
  row('Receivers', people(ev.receivers));
  row('Target users', people(ev.targetUsers));
  if (ev.eventTime !== undefined) {
    const ms = eventTimeMs(ev.eventTime);
    if (ms !== null && Math.abs(ms) < 8.64e15) {
      const date = new Date(ms);
      row('Event time', [
        h('time', { datetime: date.toISOString() }, date.toLocaleString(undefined, { dateStyle: 'full', timeStyle: 'long' })),
        h('br'),
        ticking(h('span', { class: 'ago' }), ms),
        h('span', { class: 'uid' }, ` · ${displayValue(ev.eventTime)}`),
      ]);
    } else {
      row('Event time', text(ev.eventTime));
    }
  }
  const others = Object.keys(ev).filter((k) => !KNOWN_FIELDS.has(k));
  const otherRow = (key) => h('div', { class: 'dl-row' }, h('dt', null, text(key, 60)), h('dd', null, h('code', null, text(ev[key]))));
  rows.push(...capped(others, otherRow, 'other fields', (button) => h('div', { class: 'dl-row' }, h('dt', null, '…'), h('dd', null, button))));

  const message = ev.message !== undefined ? displayValue(ev.message) : '';
  fill(
    view,
    message ? h('blockquote', { class: 'message' }, clipped(message, MESSAGE_LIMIT, { label: 'The whole message' })) : h('p', { class: 'help' }, 'This event has no message.'),
    h('dl', { class: 'dl' }, rows),
    h(
      'p',
      { class: 'help' },
      'Signature method in the body: ',
      h('code', null, text(x.signatureMethod ?? '(none)', 60)),
      others.length ? ` · ${others.length.toLocaleString('en')} other field${others.length > 1 ? 's' : ''}, kept and signed.` : '',
    ),
  );
  return true;
}
