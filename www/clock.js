// Relative times ("2 minutes ago") that stay true while the page is open: one timer refreshes
// every such text still on the page, and forgets those that left it.

import { timeAgo } from './format.js';

const REFRESH_MS = 10000;
/** Element -> { ms, render }: one clock per element, however often it is set. */
const clocks = new Map();
let timer = 0;

function refresh() {
  for (const [el, clock] of clocks) {
    if (el.isConnected) el.textContent = clock.render(clock.ms);
    else clocks.delete(el);
  }
  if (clocks.size === 0) {
    clearInterval(timer);
    timer = 0;
  }
}

/** Shows `render(ms)` ("3 minutes ago" by default) in `el`, kept up to date; returns `el`. */
export function ticking(el, ms, render = timeAgo) {
  el.textContent = render(ms);
  clocks.set(el, { ms, render });
  if (!timer) timer = setInterval(refresh, REFRESH_MS);
  return el;
}
