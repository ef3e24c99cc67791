// Replay protection for receivers: a freshness window on eventTime (checked by verify() through
// maxAgeMs) and de-duplication by deliveryKey within that window.
//
// Why both: a signed body stays valid forever (DMS signs no nonce), so a captured one can be
// sent again. The window makes old captures worthless; the keys remembered for as long as the
// window accepts an event make a repeat inside it harmless. A key is recorded only after the
// delivery was handled, so that DMS's retry after a failure still goes through.
import { DmsWebhookError } from '../error.js';
import { MemoryDeliveryStore } from './seen-deliveries.js';

/**
 * One hour. DMS stamps eventTime (epoch ms) when the event happens and delivers at once; the
 * console's Test button stamps the moment it is pressed. An hour leaves room for DMS's retries of
 * a failed delivery and for a receiver clock that is minutes off, while a captured body is
 * worthless an hour later. Raise it if your receiver may be down longer than that and you want
 * DMS's later retries accepted; the keys kept for de-duplication grow with it.
 */
export const DEFAULT_MAX_AGE_MS = 3600000;

/** How long keys are kept when the freshness window is switched off: a week. */
export const KEY_TTL_WITHOUT_WINDOW_MS = 7 * 24 * 3600000;

/**
 * The freshness window a receiver uses: `undefined` gives the default; `null`, `false` or
 * `Infinity` switch it off (null is returned); otherwise a number of milliseconds >= 0.
 * @returns {number | null}
 */
export function freshnessWindow(maxAgeMs) {
  if (maxAgeMs === undefined) return DEFAULT_MAX_AGE_MS;
  if (maxAgeMs === null || maxAgeMs === false || maxAgeMs === Infinity) return null;
  if (typeof maxAgeMs !== 'number' || !Number.isFinite(maxAgeMs) || maxAgeMs < 0) {
    throw new DmsWebhookError('INVALID_OPTIONS',
      'maxAgeMs must be a number of milliseconds >= 0, or null to switch the freshness window off');
  }
  return maxAgeMs;
}

/** The epoch ms of an eventTime as DMS sends it (a number, or a numeric string), else null. */
function eventMillis(eventTime) {
  const n = typeof eventTime === 'bigint' ? Number(eventTime)
    : typeof eventTime === 'string' && /^-?\d+$/.test(eventTime.trim()) ? Number(eventTime)
      : eventTime;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
}

/**
 * Until when a handled delivery's key must be remembered: as long as the window would still
 * accept its eventTime (never more than two windows from now, whatever the event says).
 */
export function keyExpiry(eventTime, windowMs, now = Date.now()) {
  if (windowMs === null) return now + KEY_TTL_WITHOUT_WINDOW_MS;
  const at = eventMillis(eventTime);
  const latest = now + 2 * windowMs;
  return at === null ? latest : Math.min(Math.max(at + windowMs, now), latest) + 1000;
}

/** The error for a copy that arrives while the first one is still being handled (answered 409). */
export function inProgress() {
  return new DmsWebhookError('DELIVERY_IN_PROGRESS',
    'this notification is being handled right now; retry later');
}

/**
 * De-duplication of verified deliveries: `claim(key)` before handling one, then `done()` once it
 * was handled or `release()` when handling failed.
 */
export class ReplayGuard {
  #store;
  #windowMs;
  #handling = new Set(); // keys being handled in this process

  /**
   * @param {{ windowMs: number | null, store?: object | false }} options `store`: an object with
   *   `has(key)` and `add(key, expiresAt)` (sync or async); undefined for a bounded in-memory one;
   *   false to switch de-duplication off
   */
  constructor({ windowMs, store }) {
    this.#windowMs = windowMs;
    if (store === false) {
      this.#store = null;
    } else if (store === undefined || store === true) {
      this.#store = new MemoryDeliveryStore();
    } else if (store && typeof store.has === 'function' && typeof store.add === 'function') {
      this.#store = store;
    } else {
      throw new DmsWebhookError('INVALID_OPTIONS',
        'deduplicate must be false, or a store with has(key) and add(key, expiresAt)');
    }
  }

  get enabled() {
    return this.#store !== null;
  }

  /**
   * 'new' (the caller handles it and then calls done() or release()), 'duplicate' (handled
   * before: answer success without acting again, so DMS stops retrying) or 'in-progress' (a copy
   * is being handled now: answer 409 so DMS retries after it has finished).
   */
  async claim(key) {
    if (!this.#store) return 'new';
    if (this.#handling.has(key)) return 'in-progress';
    this.#handling.add(key);
    let seen;
    try {
      seen = await this.#store.has(key);
    } catch (err) {
      this.#handling.delete(key);
      throw err;
    }
    if (seen) {
      this.#handling.delete(key);
      return 'duplicate';
    }
    return 'new';
  }

  /**
   * Records a handled delivery, kept for as long as `windowMs` (by default the guard's own
   * window) would accept its eventTime again.
   */
  async done(key, eventTime, windowMs = this.#windowMs) {
    if (!this.#store) return;
    try {
      await this.#store.add(key, keyExpiry(eventTime, windowMs));
    } finally {
      this.#handling.delete(key);
    }
  }

  /** Forgets a claim whose handling failed, so that a retry is handled again. */
  release(key) {
    this.#handling.delete(key);
  }
}
