// Who may see the deliveries. The webhook endpoint is open to anyone (DMS must reach it); the
// page, the stream and the package files behind them need the dashboard token and a Host this
// listener expects. The Host check stops DNS rebinding (a page on another name that resolves to
// this machine); the token stops everyone else, including other local users.
import net from 'node:net';
import { sameSecret } from './credentials.js';

/** The hostname of a Host header value, lower case, without brackets; null when unreadable. */
function hostnameOf(host) {
  if (typeof host !== 'string' || host === '') return null;
  try {
    return new URL(`http://${host}`).hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  } catch {
    return null;
  }
}

export class DashboardAccess {
  #token;
  #hosts;

  /**
   * @param {{ token: string, port: number, hosts: string[] }} options `hosts`: names (besides IP
   *   addresses and localhost) the dashboard may be reached by
   */
  constructor({ token, port, hosts }) {
    this.#token = token;
    this.#hosts = new Set(['localhost', ...hosts.map((h) => hostnameOf(h)).filter(Boolean)]);
    // Ports share cookies: one name per port keeps two listeners on one machine apart.
    this.cookieName = `dms_webhook_${port}`;
  }

  /**
   * A request for a name this listener does not serve is refused. An IP address in Host is
   * never a rebinding (the browser asked for that address); names must be known.
   */
  hostAllowed(req) {
    const name = hostnameOf(req.headers.host);
    if (name === null) return false;
    return net.isIP(name) !== 0 || this.#hosts.has(name) || name.endsWith('.localhost');
  }

  /** Whether `token` is the dashboard token (constant time). */
  tokenMatches(token) {
    return sameSecret(token, this.#token);
  }

  /** The token a request carries: `Authorization: Bearer`, else the cookie. */
  carried(req) {
    const auth = req.headers.authorization;
    if (typeof auth === 'string') {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
      if (m) return m[1];
    }
    for (const part of String(req.headers.cookie ?? '').split(';')) {
      const eq = part.indexOf('=');
      if (eq > 0 && part.slice(0, eq).trim() === this.cookieName) return part.slice(eq + 1).trim();
    }
    return null;
  }

  /** Whether the request carries the token. */
  allowed(req) {
    const token = this.carried(req);
    return token !== null && this.tokenMatches(token);
  }

  /** The Set-Cookie value that keeps the token after a first load with ?token=. */
  cookie() {
    return `${this.cookieName}=${this.#token}; HttpOnly; SameSite=Strict; Path=/`;
  }
}
