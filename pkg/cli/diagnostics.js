// What `listen` adds to the line of a refused delivery: the event's fields and the first hint of
// explain(). Both read the whole body again, so they run only for bodies of a realistic size and
// within a rate budget: a flood of forged bodies costs what verify() costs, no more. The page
// explains any delivery in full, in the browser, when it is opened.
import { explain, parse } from 'dms-webhook';

export const DIAGNOSTICS = Object.freeze({
  /** Bodies larger than this are not diagnosed (DMS bodies are a few KB). */
  maxBodyBytes: 65536,
  /** Diagnoses per second, on average. */
  perSecond: 5,
  /** Diagnoses in a burst. */
  burst: 20,
});

export class Diagnostics {
  #tokens;
  #last = Date.now();
  #limits;

  constructor(limits = {}) {
    this.#limits = { ...DIAGNOSTICS, ...limits };
    this.#tokens = this.#limits.burst;
  }

  #allow() {
    const now = Date.now();
    this.#tokens = Math.min(this.#limits.burst, this.#tokens + ((now - this.#last) / 1000) * this.#limits.perSecond);
    this.#last = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  /**
   * The unverified event and the first hint for a refused body, or nulls when it is too large or
   * the budget is spent.
   */
  refused(body, options) {
    if (!body || body.length > this.#limits.maxBodyBytes || !this.#allow()) return { event: null, hint: null };
    let event = null;
    let hint = null;
    try {
      event = parse(body).event;
    } catch { /* not a DMS body */ }
    try {
      hint = explain(body, options).hints[0]?.message ?? null;
    } catch { /* explain needs valid options */ }
    return { event, hint };
  }
}
