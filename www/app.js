// The page: loads the package's browser build, then wires the two modes to the shared settings.
// The package is imported from one place, ./dms-webhook/web.js beside the page: the build puts
// the files there (pkg/www/dms-webhook/), and `dms-webhook listen` serves them at that path.

import { setupGenerate } from './generate.js';
import { setupLive } from './live.js';
import { setupPeek } from './peek.js';
import { setupVerify } from './verify.js';

const $ = (id) => document.getElementById(id);
const EXAMPLE_URL = 'https://example.com/dms/webhook';
const EXAMPLE_SECRET = 'example-secret';

function fail(error) {
  const banner = $('load-error');
  banner.hidden = false;
  $('load-error-detail').textContent = String(error?.message ?? error);
  const verdict = $('verdict');
  verdict.dataset.state = 'error';
  verdict.querySelector('.verdict-icon').textContent = '!';
  verdict.querySelector('.verdict-title').textContent = 'The checker could not start';
  const why = document.createElement('p');
  why.className = 'verdict-sentence';
  why.textContent = 'See the message above the form: nothing can be checked on this page until it loads.';
  verdict.querySelector('.verdict-text').append(why);
  document.body.dataset.ready = 'error';
}

let api;
try {
  api = await import('./dms-webhook/web.js');
  await api.init();
} catch (error) {
  fail(error);
}

if (api) start(api);

function start(api) {
  const urlEl = $('url');
  const secretEl = $('secret');
  const requireEl = $('require-signature');
  const maxAgeEl = $('max-age');
  const listeners = [];
  const peek = setupPeek();
  let live = null;

  const shared = {
    settings() {
      const minutes = maxAgeEl.value.trim() === '' ? null : Number(maxAgeEl.value);
      return {
        url: urlEl.value,
        secret: secretEl.value,
        requireSignature: requireEl.checked,
        maxAgeMs: minutes !== null && Number.isFinite(minutes) && minutes >= 0 ? minutes * 60000 : null,
      };
    },
    onChange(fn) {
      listeners.push(fn);
    },
    setUrl(url, { focus = true } = {}) {
      urlEl.value = url;
      changed();
      if (focus) urlEl.focus();
    },
    setSecret(secret) {
      secretEl.value = secret;
      changed();
      secretEl.focus();
    },
    /** Fills in example settings where none are given (for the example body). */
    ensureSettings() {
      if (urlEl.value.trim() === '') urlEl.value = EXAMPLE_URL;
      if (secretEl.value === '') secretEl.value = EXAMPLE_SECRET;
      changed();
      return { url: urlEl.value, secret: secretEl.value };
    },
    exampleEvent() {
      return generate.exampleEvent();
    },
    /** The webhook URL `dms-webhook listen` verifies with, when the page is served by it. */
    listenerUrl() {
      return live?.listenerUrl() ?? null;
    },
    revealVerdict() {
      peek.reveal();
    },
  };
  const changed = () => listeners.forEach((fn) => fn());
  for (const el of [urlEl, secretEl, requireEl, maxAgeEl]) el.addEventListener('input', changed);

  // Nothing is ever submitted (the CSP says form-action 'none'); Enter just stays put.
  $('settings').addEventListener('submit', (e) => e.preventDefault());

  const toggle = $('secret-toggle');
  toggle.addEventListener('click', () => {
    const show = secretEl.type === 'password';
    secretEl.type = show ? 'text' : 'password';
    toggle.textContent = show ? 'Hide' : 'Show';
    toggle.setAttribute('aria-label', show ? 'Hide the secret' : 'Show the secret');
  });

  const verify = setupVerify(api, shared);
  const generate = setupGenerate(api, shared, {
    toVerify(body) {
      selectMode('verify', true);
      verify.setBody(body);
      $('body').focus();
      peek.reveal();
    },
  });

  // Modes: a tab list (arrow keys move between the tabs, as usual for tabs).
  const tabs = [$('mode-verify'), $('mode-generate')];
  function selectMode(mode, focus = false) {
    for (const tab of tabs) {
      const selected = tab.dataset.mode === mode;
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
      for (const id of tab.getAttribute('aria-controls').split(' ')) $(id).hidden = !selected;
      if (selected && focus) tab.focus();
    }
    document.body.dataset.mode = mode;
    if (mode === 'generate') generate.update();
    else verify.update();
    if (history.replaceState) history.replaceState(null, '', mode === 'generate' ? '#generate' : location.pathname + location.search);
  }
  tabs.forEach((tab, i) => {
    tab.addEventListener('click', () => selectMode(tab.dataset.mode));
    tab.addEventListener('keydown', (e) => {
      const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[e.key];
      if (next === undefined) return;
      e.preventDefault();
      selectMode(tabs[(next + tabs.length) % tabs.length].dataset.mode, true);
    });
  });

  selectMode(location.hash === '#generate' ? 'generate' : 'verify');
  document.body.dataset.ready = 'true';

  live = setupLive({
    async onInspect(delivery) {
      selectMode('verify');
      // The listener knows the webhook URL it verifies with; it never tells the secret.
      if (urlEl.value.trim() === '') {
        const url = await live.urlFor(delivery);
        if (url && urlEl.value.trim() === '') shared.setUrl(url, { focus: false });
      }
      verify.setBody(delivery.body, { listener: delivery.verdict });
      peek.reveal();
    },
  });
}
