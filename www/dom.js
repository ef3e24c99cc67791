// A few DOM helpers: elements are built with text nodes only (never innerHTML), so nothing pasted
// into the page can become markup.

/**
 * h('p', { class: 'x', 'data-a': 1, onclick: fn }, 'text', child, [more])
 * Attributes with false/null/undefined values are skipped; `true` sets an empty attribute.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [name, value] of Object.entries(attrs)) {
      if (value === false || value === null || value === undefined) continue;
      if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
      else el.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

/** Replaces the children of an element. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** `text` with the character at `index` wrapped in <mark> (the end of the text is marked by an empty mark). */
export function marked(text, index, cls = 'diff') {
  if (index === null || index === undefined || index < 0 || index > text.length) return [text];
  // Keep a surrogate pair together.
  let end = index + 1;
  const code = text.charCodeAt(index);
  if (code >= 0xd800 && code <= 0xdbff && end < text.length) end++;
  const ch = text.slice(index, end);
  const title = `first difference, character ${index + 1}`;
  // At the end of the text the mark is empty; CSS draws it, so the text itself stays exact.
  const mark = ch === '' ? h('mark', { class: `${cls} at-end`, title }) : h('mark', { class: cls, title }, ch);
  return [text.slice(0, index), mark, text.slice(end)];
}

/** Index at most `at` that does not split a surrogate pair. */
function safeCut(text, at) {
  const code = text.charCodeAt(at - 1);
  return code >= 0xd800 && code <= 0xdbff ? at - 1 : at;
}

/**
 * Above this many characters "Show all" puts the text in a read-only text area: a browser lays
 * out one long paragraph of markup in more than linear time (seconds for a few hundred KB of CJK
 * text without a CJK font), and a text area in a fraction of that. The text stays exact to copy.
 */
const AREA_CHARS = 50000;

/**
 * A long text shown by its start only, so that a large body keeps the page a readable length:
 * the first `limit` characters, then a button that shows all of it in a box that scrolls. Texts
 * only a little longer than the limit are shown whole. `render(text)` makes the children (for
 * marks); `around` keeps a second excerpt around that index visible too (a marked difference);
 * `label` names the whole text for a screen reader.
 */
export function clipped(text, limit, { render = (t) => [t], around = null, what = 'characters', label = 'The whole text' } = {}) {
  if (text.length <= limit * 1.25) return h('span', { class: 'clip' }, render(text, 0));
  const head = safeCut(text, limit);
  const parts = [render(text.slice(0, head), 0)];
  if (around !== null && around >= head) {
    const from = safeCut(text, Math.max(head, around - 200));
    const to = safeCut(text, Math.min(text.length, around + 200));
    parts.push(h('span', { class: 'clip-gap' }, ` … ${(from - head).toLocaleString('en')} ${what} … `), render(text.slice(from, to), from));
    if (to < text.length) parts.push(h('span', { class: 'clip-gap' }, ' …'));
  } else {
    parts.push(h('span', { class: 'clip-gap' }, '…'));
  }
  const box = h('span', { class: 'clip' }, parts);
  const button = h(
    'button',
    {
      type: 'button',
      class: 'small secondary clip-more',
      onclick: () => {
        let all;
        if (text.length > AREA_CHARS) {
          all = h('textarea', { class: 'clip-all clip-area', readonly: true, rows: '14', spellcheck: 'false', 'aria-label': label });
          all.value = text;
        } else {
          all = h('span', { class: 'clip clip-all', tabindex: '0', role: 'region', 'aria-label': label }, render(text, 0));
        }
        box.replaceWith(all);
        button.remove();
        all.focus();
      },
    },
    `Show all ${text.length.toLocaleString('en')} ${what}`,
  );
  return [box, ' ', button];
}

/** Copies text to the clipboard; falls back to selecting the element's text. */
export async function copyText(text, button, selectEl) {
  const label = button.textContent;
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = 'Copied';
  } catch {
    if (selectEl) {
      const range = document.createRange();
      range.selectNodeContents(selectEl);
      const sel = getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
    }
    button.textContent = 'Selected: press Ctrl+C';
  }
  setTimeout(() => {
    button.textContent = label;
  }, 1600);
}
