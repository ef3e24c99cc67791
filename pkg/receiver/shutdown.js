// Graceful shutdown of a node:http server: stop accepting, let every request in flight get its
// answer, then close. Node's own server.close() also closes idle keep-alive connections at once,
// which resets a request that was already on its way on one of them; and without a deadline a
// client that keeps a connection busy keeps the process alive.
import net from 'node:net';

const closing = Symbol('dms-webhook closing');

/**
 * Stops accepting connections and resolves once every connection has closed: requests in flight
 * are answered (with `Connection: close`), idle connections are closed after `settleMs`, and
 * whatever is still open after `graceMs` is cut off. Calling it again returns the same promise.
 * @param {import('node:http').Server} server
 * @param {{ graceMs?: number, settleMs?: number }} [options]
 * @returns {Promise<{ ms: number, forced: boolean }>}
 */
export function closeGracefully(server, { graceMs = 5000, settleMs = 500 } = {}) {
  if (server[closing]) return server[closing];
  const started = Date.now();
  server[closing] = new Promise((resolve) => {
    // Every answer from now on ends its connection.
    server.prependListener('request', (_req, res) => {
      res.shouldKeepAlive = false;
    });
    let forced = false;
    const sweep = setInterval(() => {
      if (Date.now() - started >= settleMs) server.closeIdleConnections?.();
    }, 50);
    const deadline = setTimeout(() => {
      forced = true;
      server.closeAllConnections?.();
    }, graceMs);
    const finish = () => {
      clearInterval(sweep);
      clearTimeout(deadline);
      resolve({ ms: Date.now() - started, forced });
    };
    // net.Server's close: stop listening, keep the open connections (http.Server's would also
    // close the idle ones at once), and call back once the last one has closed. Also for a server
    // that no longer listens (its own close() was called first): its requests in flight are still
    // waited for; with nothing open, it calls back at once.
    net.Server.prototype.close.call(server, () => finish());
  });
  return server[closing];
}
