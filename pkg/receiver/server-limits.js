// Time limits for a node:http server that faces the internet. Node's defaults wait a minute for
// headers and five for a whole request, checked every 30 s: a few hundred slow clients then hold
// connections (and the memory of their partial bodies) for minutes.

/** The limits applied by limitServer(), in milliseconds. */
export const SERVER_LIMITS = Object.freeze({
  /** Headers must be complete within 10 s of the connection's first byte (else 408). */
  headersTimeoutMs: 10000,
  /** The whole request within 30 s (the body reader's own limit, 10 s, usually answers first). */
  requestTimeoutMs: 30000,
  /** An idle keep-alive connection is closed after 5 s. */
  keepAliveTimeoutMs: 5000,
  /** How often Node checks the two timeouts above. */
  checkIntervalMs: 1000,
});

/**
 * Applies SERVER_LIMITS (or the given ones) to an http.Server before it listens.
 * @param {import('node:http').Server} server
 * @param {Partial<typeof SERVER_LIMITS>} [limits]
 * @returns {import('node:http').Server} the same server
 */
export function limitServer(server, limits = {}) {
  const l = { ...SERVER_LIMITS, ...limits };
  server.headersTimeout = l.headersTimeoutMs;
  server.requestTimeout = l.requestTimeoutMs;
  server.keepAliveTimeout = l.keepAliveTimeoutMs;
  // Read when the server starts listening.
  server.connectionsCheckingInterval = l.checkIntervalMs;
  return server;
}
