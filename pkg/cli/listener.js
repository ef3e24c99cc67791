// The HTTP server behind `dms-webhook listen`: an open webhook endpoint (POST, any path) and a
// private dashboard (the page, the package files it loads, and the deliveries stream), with every
// resource bounded. Built without touching the process (no signals, no printing of its own), so
// that it can be started and attacked in a test.
import { createServer } from 'node:http';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deliveryKey, DmsWebhookError } from 'dms-webhook';
import { verifyNodeRequest } from 'dms-webhook/node-handler';
import { BodyBudget } from '../receiver/body-budget.js';
import { bodyPending, sendDmsResponse } from '../receiver/reply.js';
import { ReplayGuard, inProgress } from '../receiver/replay-guard.js';
import { limitServer } from '../receiver/server-limits.js';
import { closeGracefully } from '../receiver/shutdown.js';
import { DashboardAccess } from './dashboard-access.js';
import { DeliveryHistory, displayBody } from './delivery-history.js';
import { Diagnostics } from './diagnostics.js';
import { EventStream } from './event-stream.js';
import { makeScrubber, redactTarget, redactUrl } from './credentials.js';
import { StaticFiles } from './static-files.js';
import { eventSummary, oneLine } from './terminal.js';

/** For faults the listener has logged itself (scrubbed): not printed a second time, raw. */
const ignoreReported = () => {};

const PKG_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

/** 64 MiB of request bodies held at once (or one whole body, when the cap is larger). */
export function defaultBodyBudget(maxBodyBytes) {
  return Math.max(64 * 1048576, maxBodyBytes);
}

/**
 * The local address of a listener on `host`: an unspecified address (all interfaces) is reached
 * through 127.0.0.1, an IPv6 address goes in brackets.
 */
export function localUrl(host, port) {
  let urlHost = host;
  if (urlHost === '0.0.0.0' || urlHost === '::' || urlHost === '') urlHost = '127.0.0.1';
  if (urlHost.includes(':')) urlHost = `[${urlHost}]`;
  return `http://${urlHost}:${port}/`;
}

function wwwDir() {
  for (const dir of [path.join(PKG_DIR, 'www'), path.join(PKG_DIR, '..', 'www')]) {
    if (existsSync(path.join(dir, 'index.html'))) return dir;
  }
  return null;
}

const PRIVATE_HEADERS = {
  'referrer-policy': 'no-referrer',
  'content-security-policy': "frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'cross-origin-resource-policy': 'same-origin',
};

function plain(res, status, text, headers = {}) {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': String(Buffer.byteLength(text)),
    ...PRIVATE_HEADERS,
    ...headers,
  });
  res.end(text);
}

/**
 * @param {object} config
 * @param {string[]} config.secrets
 * @param {string} [config.url] the configured URL; default http://<host>:<port>/ once listening
 * @param {boolean} config.requireSignature
 * @param {number} config.maxBodyBytes
 * @param {number | null} config.windowMs freshness window (null: off)
 * @param {string} config.token dashboard token
 * @param {string[]} [config.allowedHosts]
 * @param {(line: string) => void} [config.log] receives one line per delivery
 * @param {object} [config.limits] overrides for tests: history, stream, bodyBudgetBytes, bodyTimeoutMs
 */
export function createListener(config) {
  const limits = config.limits ?? {};
  const log = config.log ?? ((line) => process.stdout.write(`${line}\n`));
  const history = new DeliveryHistory(limits.history);
  const stream = new EventStream(limits.stream);
  const diagnostics = new Diagnostics(limits.diagnostics);
  const guard = new ReplayGuard({ windowMs: config.windowMs, store: undefined });
  const budget = new BodyBudget(limits.bodyBudgetBytes ?? defaultBodyBudget(config.maxBodyBytes));
  const www = wwwDir();
  const files = new StaticFiles([{ prefix: '/dms-webhook', dir: PKG_DIR }, { prefix: '', dir: www }]);
  const stats = { aborted: 0, internal: 0 };
  let options = null; // verify options, once the URL is known
  let access = null;
  let scrub = (s) => s;

  function record(delivery, line) {
    log(scrub(line));
    stream.broadcast(history.add(delivery, scrub));
  }

  async function receive(req, res) {
    const time = new Date().toISOString();
    const base = { time, method: req.method, path: redactTarget(req.url) };
    let result;
    let body;
    try {
      ({ result, body } = await verifyNodeRequest(req, options));
    } catch (err) {
      if (err && err.code === 'REQUEST_ABORTED') {
        // The client went away: nobody to answer, nothing to show.
        stats.aborted += 1;
        res.destroy();
        return;
      }
      const known = err instanceof DmsWebhookError;
      if (!known) stats.internal += 1;
      // A fault is shown below with its message, through the scrubbed log and the dashboard.
      sendDmsResponse(res, err, { close: bodyPending(req) || !known, onError: ignoreReported });
      const verdict = {
        ok: false,
        code: known ? err.code : 'INTERNAL_ERROR',
        message: known ? err.message : `the receiver failed while handling the notification: ${err && err.message}`,
      };
      const raw = known && err.body ? err.body : null;
      const { event, hint } = diagnostics.refused(raw, options);
      const shown = displayBody(raw);
      const line = [time, verdict.code.padEnd(8), eventSummary(event),
        `(${oneLine(verdict.message, 160)}${hint ? `; ${oneLine(hint, 160)}` : ''})`];
      const delivery = { ...base, body: shown.text, verdict };
      if (shown.truncated) Object.assign(delivery, { truncated: true, bodyBytes: shown.bytes });
      record(delivery, line.filter(Boolean).join('  '));
      return;
    }
    const key = deliveryKey(body);
    const claim = await guard.claim(key);
    if (claim === 'in-progress') {
      sendDmsResponse(res, inProgress());
      return;
    }
    const event = result.event;
    if (claim === 'duplicate') {
      sendDmsResponse(res, result);
      const verdict = {
        ok: false,
        code: 'DUPLICATE',
        message: 'received before within the freshness window: answered success, not handled again',
      };
      record({ ...base, body: body.toString('utf8'), verdict, event },
        [time, 'DUPLICATE', eventSummary(event), `(${verdict.message})`].join('  '));
      return;
    }
    sendDmsResponse(res, result);
    await guard.done(key, event.eventTime);
    const m = result.matched;
    const verdict = {
      ok: true,
      code: null,
      message: m
        ? `signature verified (${redactUrl(m.url)}, secret #${m.secretIndex + 1}, ${m.form} form)`
        : 'accepted without a signature (signatureMethod None)',
    };
    record({ ...base, body: body.toString('utf8'), verdict, event },
      [time, 'OK'.padEnd(8), eventSummary(event)].filter(Boolean).join('  '));
  }

  async function dashboard(req, res, url) {
    if (!access.hostAllowed(req)) {
      plain(res, 403, 'This listener does not answer to that host name (see --allowed-host).\n');
      return;
    }
    const given = url.searchParams.get('token');
    if (given !== null) {
      if (!access.tokenMatches(given)) {
        plain(res, 401, 'Wrong dashboard token.\n');
        return;
      }
      // Keep the token in a cookie and take it out of the address bar (and of the history).
      url.searchParams.delete('token');
      plain(res, 303, 'See Other\n', {
        'set-cookie': access.cookie(),
        location: `${url.pathname}${url.search}`,
      });
      return;
    }
    if (!access.allowed(req)) {
      plain(res, 401, 'This dashboard is private: open it with the Page address that "dms-webhook listen" '
        + 'printed (it carries ?token=...), or send "Authorization: Bearer <token>".\n',
      { 'www-authenticate': 'Bearer realm="dms-webhook dashboard"' });
      return;
    }
    if (url.pathname === '/config') {
      // The page fills in the webhook URL from here; a URL that carries credentials stays
      // private (it is never served), and the page then asks the user for it.
      const configured = options?.url;
      const text = JSON.stringify({ url: configured && redactUrl(configured) === configured ? configured : null });
      res.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'no-store',
        'content-length': String(Buffer.byteLength(text)),
        ...PRIVATE_HEADERS,
      });
      res.end(req.method === 'HEAD' ? undefined : text);
      return;
    }
    if (url.pathname === '/events') {
      if (req.method !== 'GET') {
        plain(res, 405, 'GET only\n', { allow: 'GET' });
        return;
      }
      const since = Number(req.headers['last-event-id'] ?? 0) || 0;
      if (!stream.open(req, res, history.since(since))) {
        plain(res, 503, 'Too many open streams.\n', { 'retry-after': '10' });
      }
      return;
    }
    const file = files.find(url.pathname);
    if (!file) {
      plain(res, 404, 'The page is not in this copy of dms-webhook (no www/ beside cli.js).\n');
      return;
    }
    // The page finds the deliveries stream through this header.
    const link = file.endsWith('.html') ? { link: '</events>; rel="alternate"; type="text/event-stream"' } : {};
    await files.serve(req, res, file, { ...PRIVATE_HEADERS, ...link });
  }

  function route(req, res) {
    let url;
    try {
      url = new URL(req.url, 'http://localhost');
    } catch {
      url = new URL('http://localhost/');
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      const isDashboard = url.pathname === '/events' || url.pathname === '/config' || files.find(url.pathname) !== null
        || ((url.pathname === '/' || url.pathname === '/index.html') && www === null);
      if (isDashboard || !access.hostAllowed(req)) {
        dashboard(req, res, url).catch(() => res.destroy());
        return;
      }
    }
    if (req.method !== 'POST') {
      sendDmsResponse(res, new DmsWebhookError('METHOD_NOT_ALLOWED',
        `${req.method} is not allowed here: DMS delivers notifications with POST`), { close: bodyPending(req) });
      return;
    }
    receive(req, res).catch((err) => {
      stats.internal += 1;
      log(scrub(`${new Date().toISOString()}  INTERNAL_ERROR  (${oneLine(err && err.message, 200)})`));
      sendDmsResponse(res, new Error('internal'), { close: bodyPending(req), onError: ignoreReported });
    });
  }

  const server = limitServer(createServer(route));
  server.on('clientError', (err, socket) => {
    // Malformed requests and header timeouts: Node's plain answer, no stack trace.
    if (socket.writable && err.code !== 'ECONNRESET') {
      const status = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout'
        : err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    }
    socket.destroy();
  });

  return {
    server,
    history,
    stream,
    stats,
    budget,
    /** Listens; resolves to the local URL and the configured one. */
    async listen(port, host) {
      await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.removeListener('error', reject);
          resolve();
        });
      });
      const actual = server.address().port;
      const local = localUrl(host, actual);
      const url = config.url ?? local;
      options = {
        url,
        secret: config.secrets,
        requireSignature: config.requireSignature,
        maxBodyBytes: config.maxBodyBytes,
        maxAgeMs: config.windowMs,
        bodyTimeoutMs: limits.bodyTimeoutMs,
        bodyBudget: budget,
      };
      let urlHostName = null;
      try {
        urlHostName = new URL(url).hostname;
      } catch { /* checked by the caller */ }
      access = new DashboardAccess({
        token: config.token,
        port: actual,
        hosts: [host, urlHostName, ...(config.allowedHosts ?? [])].filter(Boolean),
      });
      scrub = makeScrubber({ secrets: config.secrets, tokens: [config.token], urls: [url] });
      return { port: actual, local, url };
    },
    /** Ends the streams, answers what is in flight and closes (at most graceMs). */
    async close(graceMs = 5000) {
      stream.closeAll();
      return closeGracefully(server, { graceMs });
    },
    scrub: (s) => scrub(s),
  };
}
