// Text from a request (unverified fields above all) printed on a terminal. Control characters
// could move the cursor or rewrite earlier lines; bidirectional overrides (U+202E) and zero-width
// characters can make a line read differently from what it holds. Every such character is shown
// as a visible <U+XXXX> instead, and line breaks become spaces, so one delivery is one line.

// Line breaks and tabs: a space. Other controls (Cc), format characters (Cf: bidi controls,
// zero-width spaces and joiners, the BOM, soft hyphens...), lone surrogates (Cs), line and
// paragraph separators: a visible code point.
const SPACES = /[\t\n\v\f\r\u0085\u2028\u2029]+/g;
const HIDDEN = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu;

function codePoint(ch) {
  return `<U+${ch.codePointAt(0).toString(16).toUpperCase().padStart(4, '0')}>`;
}

/** One line of at most `max` characters, every hidden or moving character made visible. */
export function oneLine(text, max = 200) {
  const clean = String(text).replace(SPACES, ' ').replace(HIDDEN, codePoint).trim();
  const chars = Array.from(clean);
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : clean;
}

/** category/module/event, task and message of an event, each field made safe to print. */
export function eventSummary(event) {
  if (!event || typeof event !== 'object') return '';
  const part = (v) => (v === undefined || v === null || v === '' ? '-' : oneLine(String(v), 40));
  const parts = [`${part(event.category)}/${part(event.module)}/${part(event.event)}`];
  const task = [event.taskId, event.taskName].filter((v) => v !== undefined && v !== null && v !== '');
  if (task.length) parts.push(`task ${oneLine(task.join(' '), 60)}`);
  if (event.message !== undefined && event.message !== null) parts.push(oneLine(String(event.message)));
  return parts.join('  ');
}
