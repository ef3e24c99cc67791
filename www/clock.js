// Relative times ("2 minutes ago") that stay true while the page is open: one timer refreshes
// every such text still on the page, and forgets those that left it.

import { timeAgo } from './format.js';

const REFRESH_MS = 10000;
const clocks = new Set();
let timer = 0;

function refresh() {
  for (const clock of clocks) {
    if (clock.el.isConnected) clock.el.textContent = clock.render(clock.ms);
    else clocks.delete(clock);
  }
  if (clocks.size === 0) {
    clearInterval(timer);
    timer = 0;
  }
}

/** Shows `render(ms)` ("3 minutes ago" by default) in `el`, kept up to date; returns `el`. */
export function ticking(el, ms, render = timeAgo) {
  el.textContent = render(ms);
  clocks.add({ el, ms, render });
  if (!timer) timer = setInterval(refresh, REFRESH_MS);
  return el;
}
