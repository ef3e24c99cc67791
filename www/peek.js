// The verdict, always in sight: when it is scrolled out of view (on a phone it sits below the
// form; on any screen below long results), a bar at the bottom of the window repeats its title
// and code, and brings it into view when pressed. The verdict itself stays the one live region,
// so a screen reader hears each result once.

const $ = (id) => document.getElementById(id);
const SHOWN = new Set(['valid', 'invalid', 'incomplete', 'error']);

export function setupPeek() {
  const verdict = $('verdict');
  const out = $('verify-out');
  const bar = $('verdict-peek');
  const button = $('verdict-peek-button');
  let inView = true;

  function update() {
    const state = verdict.dataset.state;
    const show = !inView && !out.hidden && SHOWN.has(state);
    if (show) {
      button.querySelector('.peek-icon').textContent = verdict.querySelector('.verdict-icon')?.textContent ?? '';
      const title = verdict.querySelector('.verdict-title');
      button.querySelector('.peek-title').textContent = title?.firstChild?.textContent ?? '';
      button.querySelector('.peek-code').textContent = verdict.dataset.code ?? '';
      bar.dataset.state = state;
    }
    if (bar.hidden === show) bar.hidden = !show;
    document.body.classList.toggle('has-peek', show);
  }

  // "In view" once half of it is above the bar's own height from the bottom.
  new IntersectionObserver(
    ([entry]) => {
      inView = entry.isIntersecting && entry.intersectionRatio >= 0.5;
      update();
    },
    { threshold: [0, 0.5, 1], rootMargin: '0px 0px -64px 0px' },
  ).observe(verdict);
  new MutationObserver(update).observe(verdict, { attributes: true, childList: true, subtree: true, characterData: true });
  new MutationObserver(update).observe(out, { attributes: true, attributeFilter: ['hidden'] });

  button.addEventListener('click', () => {
    verdict.scrollIntoView({ block: 'start', behavior: matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth' });
    verdict.focus({ preventScroll: true });
  });

  return {
    /** Brings the verdict into view (after a live delivery or a file was opened). */
    reveal() {
      const box = verdict.getBoundingClientRect();
      if (box.top < 0 || box.top > innerHeight - 120) verdict.scrollIntoView({ block: 'start' });
    },
  };
}
