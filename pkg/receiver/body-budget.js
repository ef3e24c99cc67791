// A shared allowance of request-body bytes held in memory at once, across every request a server
// is reading. Each body is capped on its own (maxBodyBytes); this caps their sum, so that many
// connections each sending almost a whole body and then stalling cannot add up to gigabytes.
import { DmsWebhookError } from '../error.js';

/** The error for a request that would take the shared allowance past its limit (answered 503). */
export function serverBusy() {
  return new DmsWebhookError('SERVER_BUSY',
    'the receiver is reading too many request bodies at once; try again shortly');
}

export class BodyBudget {
  /** @param {number} limitBytes how many body bytes may be held at once */
  constructor(limitBytes) {
    if (!Number.isInteger(limitBytes) || limitBytes < 1) {
      throw new DmsWebhookError('INVALID_OPTIONS', 'the body budget must be a whole number of bytes, at least 1');
    }
    this.limit = limitBytes;
    this.used = 0;
  }

  /** Takes `bytes` from the allowance; false (and nothing taken) when they do not fit. */
  take(bytes) {
    if (this.used + bytes > this.limit) return false;
    this.used += bytes;
    return true;
  }

  /** Gives back what take() took. */
  give(bytes) {
    this.used = Math.max(0, this.used - bytes);
  }
}
