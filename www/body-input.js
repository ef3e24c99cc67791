// The body exactly as it was given. A text area keeps only LF line breaks (the HTML standard turns
// CRLF and CR into LF), and a file that is not UTF-8 is not text at all: so the exact text of a
// paste, a file or a live delivery, or the exact bytes of a file, are kept beside the text area
// and checked for as long as the text area still shows them. Any edit that changes what it shows
// makes the text area's own text the body again.

import { normalizeNewlines } from './format.js';

/** Pastes larger than this skip the browser's editing machinery (and its undo) for speed. */
const LARGE_PASTE = 200000;

export function exactBody(textarea) {
  /** { input: string | Uint8Array, shown: string, note?: object } or null. */
  let exact = null;

  const holds = () => exact !== null && textarea.value === exact.shown;

  /** Fires `input` like typing does, so everything that listens for edits sees the change. */
  function insert(text) {
    const { selectionStart: start, selectionEnd: end } = textarea;
    textarea.focus();
    if (text.length > LARGE_PASTE || !document.execCommand('insertText', false, text)) {
      textarea.setRangeText(text, start, end, 'end');
      textarea.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
    }
  }

  // A paste with CR in it: the text area gets the text with LF, the check gets it as pasted.
  textarea.addEventListener('paste', (e) => {
    const text = e.clipboardData?.getData('text/plain');
    if (!text || !text.includes('\r')) return;
    e.preventDefault();
    const { selectionStart: start, selectionEnd: end, value } = textarea;
    const shown = normalizeNewlines(text);
    const before = value.slice(0, start);
    const after = value.slice(end);
    exact = { input: before + text + after, shown: before + shown + after };
    insert(shown);
  });

  return {
    /** What to check: the exact text or bytes while the text area shows them, else its text. */
    value() {
      return holds() ? exact.input : textarea.value;
    },
    /** Whatever was attached to the current exact input (e.g. the listener's verdict), or null. */
    note() {
      return holds() ? exact.note ?? null : null;
    },
    /** Bytes (not UTF-8) are being checked rather than the text shown. */
    isBytes() {
      return holds() && exact.input instanceof Uint8Array;
    },
    /** Shows `input` (text, or bytes with the text they are shown as) and checks it exactly. */
    set(input, { shown, note } = {}) {
      textarea.value = typeof input === 'string' ? input : shown;
      exact = { input, shown: textarea.value, note };
    },
    clear() {
      textarea.value = '';
      exact = null;
    },
  };
}
