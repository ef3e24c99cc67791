// The deliveries stream (GET /events) and its clients. A client that does not read would make
// every frame queue up in memory for it, so each client has a send buffer: past it the client is
// dropped (a browser's EventSource reconnects and resumes from Last-Event-ID). The number of
// clients is capped too.

export const STREAM_LIMITS = Object.freeze({
  /** Open streams at once; more are refused with 503. */
  maxClients: 16,
  /** Bytes queued for one client before it is dropped. */
  maxBufferedBytes: 8 * 1048576,
  /** A comment line this often keeps proxies from closing an idle stream. */
  heartbeatMs: 20000,
});

export class EventStream {
  #clients = new Set();
  #limits;
  #heartbeat;
  dropped = 0;

  constructor(limits = {}) {
    this.#limits = { ...STREAM_LIMITS, ...limits };
    this.#heartbeat = setInterval(() => this.#send(Buffer.from(': ping\n\n')), this.#limits.heartbeatMs);
    this.#heartbeat.unref();
  }

  get size() {
    return this.#clients.size;
  }

  /**
   * Opens a stream on `res` and sends it `backlog` (frames it has not seen). Returns false when
   * the cap is reached (nothing written: the caller answers).
   */
  open(req, res, backlog) {
    if (this.#clients.size >= this.#limits.maxClients) return false;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store, no-transform',
      'x-accel-buffering': 'no',
      'x-content-type-options': 'nosniff',
    });
    this.#clients.add(res);
    const forget = () => this.#clients.delete(res);
    res.on('close', forget);
    req.on('close', forget);
    this.#write(res, Buffer.from('retry: 2000\n\n'));
    for (const frame of backlog) if (!this.#write(res, frame)) break;
    return true;
  }

  /** Sends a frame to every client. */
  broadcast(frame) {
    this.#send(frame);
  }

  /** Ends every stream (at shutdown). */
  closeAll() {
    clearInterval(this.#heartbeat);
    for (const res of this.#clients) res.end();
    this.#clients.clear();
  }

  #send(frame) {
    for (const res of this.#clients) this.#write(res, frame);
  }

  /** Writes unless the client's queue is full; drops the client then. */
  #write(res, frame) {
    if (res.destroyed || res.writableEnded) return false;
    if (res.writableLength + frame.length > this.#limits.maxBufferedBytes) {
      this.dropped += 1;
      this.#clients.delete(res);
      res.destroy();
      return false;
    }
    res.write(frame);
    return true;
  }
}
