// Which deliveries were already handled, for de-duplication by deliveryKey: a bounded in-memory
// store (the default of the Node handler and of `dms-webhook listen`). Only verified deliveries
// are recorded, and only once they were handled, so forged bodies cannot fill it and a delivery
// whose handling failed is processed again when DMS retries it.

/** 100,000 keys: about 15 MB, far more than DMS sends within a freshness window. */
export const DEFAULT_MAX_KEYS = 100000;

/**
 * A store of handled delivery keys with an expiry each. When full, the key recorded first is
 * dropped first. Any object with the same two methods (sync or async) can replace it, e.g. one
 * backed by a database or a file, to remember deliveries across restarts and processes.
 */
export class MemoryDeliveryStore {
  #keys = new Map(); // key -> expiry (epoch ms), in the order recorded
  #max;

  /** @param {{ maxKeys?: number }} [options] */
  constructor({ maxKeys = DEFAULT_MAX_KEYS } = {}) {
    if (!Number.isInteger(maxKeys) || maxKeys < 1) throw new TypeError('maxKeys must be a whole number, at least 1');
    this.#max = maxKeys;
  }

  /** Whether `key` was recorded and has not expired. */
  has(key, now = Date.now()) {
    const expiry = this.#keys.get(key);
    if (expiry === undefined) return false;
    if (expiry > now) return true;
    this.#keys.delete(key);
    return false;
  }

  /** Records `key` until `expiresAt` (epoch ms). */
  add(key, expiresAt, now = Date.now()) {
    this.#keys.delete(key);
    this.#keys.set(key, expiresAt);
    // Expired keys at the front go; past the cap, the oldest go too. Each call removes at most
    // a few, so the cost stays constant.
    let visits = 0;
    for (const [k, e] of this.#keys) {
      const over = this.#keys.size > this.#max;
      if (!over && (e > now || visits >= 8)) break;
      this.#keys.delete(k);
      visits += 1;
    }
  }

  /** How many keys are held. */
  get size() {
    return this.#keys.size;
  }
}
