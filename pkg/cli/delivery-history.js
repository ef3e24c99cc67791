// The deliveries `listen` keeps to show a page that opens (or reconnects) later, as ready-made
// Server-Sent Events frames. Bounded by bytes as well as by count: refused bodies are cut to a
// display size before they are kept, and the oldest frames go first once the budget is spent.

/** A refused body is kept (and shown) up to 64 KiB: every real DMS body fits, whole. */
export const DISPLAY_BODY_BYTES = 65536;

function bigintAsText(_key, value) {
  return typeof value === 'bigint' ? value.toString() : value;
}

/**
 * The body as text for display: whole, or its first `max` bytes (cut at a character boundary)
 * with `truncated` set when it was longer.
 */
export function displayBody(bytes, max = DISPLAY_BODY_BYTES) {
  if (!bytes || bytes.length === 0) return { text: '', bytes: 0, truncated: false };
  if (bytes.length <= max) return { text: bytes.toString('utf8'), bytes: bytes.length, truncated: false };
  let end = max;
  // eslint-disable-next-line no-bitwise
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end -= 1; // do not split a UTF-8 sequence
  return { text: bytes.subarray(0, end).toString('utf8'), bytes: bytes.length, truncated: true };
}

export class DeliveryHistory {
  #frames = []; // { id, frame: Buffer }
  #bytes = 0;
  #lastId = 0;

  /** @param {{ maxBytes?: number, maxEntries?: number }} [limits] */
  constructor({ maxBytes = 8 * 1048576, maxEntries = 500 } = {}) {
    this.maxBytes = maxBytes;
    this.maxEntries = maxEntries;
  }

  /**
   * Adds a delivery; returns its frame (a Buffer, shared by every client it is sent to). `scrub`
   * runs over the serialised delivery before it is kept.
   */
  add(delivery, scrub = (s) => s) {
    this.#lastId += 1;
    const id = this.#lastId;
    const frame = Buffer.from(`id: ${id}\ndata: ${scrub(JSON.stringify(delivery, bigintAsText))}\n\n`, 'utf8');
    this.#frames.push({ id, frame });
    this.#bytes += frame.length;
    while (this.#frames.length > this.maxEntries || (this.#bytes > this.maxBytes && this.#frames.length > 1)) {
      this.#bytes -= this.#frames.shift().frame.length;
    }
    return frame;
  }

  /** The frames after `lastId` (every kept frame for 0), oldest first. */
  since(lastId = 0) {
    return this.#frames.filter((f) => f.id > lastId).map((f) => f.frame);
  }

  /** Bytes held. */
  get bytes() {
    return this.#bytes;
  }

  get size() {
    return this.#frames.length;
  }
}
