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
