// What the small receiver tests share: a configuration, signed deliveries, a node:http server
// around a handler, `dms-webhook listen`'s listener in process, and a client that speaks raw HTTP over a socket (to stop mid-body, or to see
// exactly what the server wrote and whether it closed the connection).
import { createServer } from 'node:http';
import net from 'node:net';
import { once } from 'node:events';
import { signBody } from '../../pkg/node.mjs';
import { createListener } from '../../pkg/cli/listener.js';

export const URL_ = 'https://hooks.example.com/dms/receiver';
export const SECRET = 'receiver-Secret-7Hq2';
export const OPTIONS = { url: URL_, secret: SECRET };
export const DMS_HEADERS = { 'DMS-Event': 'Message Hook', 'Content-Type': 'application/json' };

let serial = 0;

/**
 * `dms-webhook listen`'s listener, in process on 127.0.0.1 (a free port) with this
 * configuration, `config` over it; closed when the test ends.
 */
export async function inProcessListener(t, config = {}) {
  const listener = createListener({
    url: URL_,
    secrets: [SECRET],
    requireSignature: true,
    maxBodyBytes: 1 << 20,
    windowMs: 3600000,
    token: 'dashboard-token-0123456789',
    log: () => {},
    ...config,
  });
  const { port } = await listener.listen(0, '127.0.0.1');
  t.after(() => listener.close(500));
  return { listener, port };
}

/** A signed body DMS could send now (each one a new delivery). */
export function delivery(fields = {}) {
  serial += 1;
  return signBody({
    category: '工单', event: '执行成功', eventTime: Date.now(), taskName: `task ${serial}`, message: 'ok', ...fields,
  }, OPTIONS);
}

/** A node:http server around `handler` on a free loopback port. */
export async function serve(handler) {
  const server = createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  return {
    server,
    port,
    base: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * Writes `head` (a request line and headers, CRLF-terminated, without the blank line) and
 * `sent` on a fresh connection, then waits until the server closes it or `ms` passes, when the
 * client goes away. Resolves to the text the server wrote and whether it closed the connection.
 */
export function rawExchange(port, head, sent, { ms = 3000 } = {}) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    let closedByServer = false;
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ answer, closedByServer });
    };
    socket.setEncoding('latin1');
    socket.on('data', (c) => { answer += c; });
    socket.on('error', () => {});
    socket.on('end', () => { closedByServer = true; });
    socket.on('close', finish);
    socket.on('connect', () => socket.write(`${head}\r\n${sent}`));
    const timer = setTimeout(finish, ms);
  });
}

/**
 * A Fetch API Request whose body is a stream we watch: `stats.pulled` bytes handed out so far,
 * `stats.cancelled` once the reader gave up on it. `total` bytes of spaces in all.
 */
export function watchedRequest({
  total, chunk = 65536, contentLength, method = 'POST', headers = DMS_HEADERS, url = 'http://127.0.0.1/hook',
}) {
  const stats = { pulled: 0, cancelled: false };
  const body = new ReadableStream({
    pull(controller) {
      if (stats.pulled >= total) {
        controller.close();
        return;
      }
      const n = Math.min(chunk, total - stats.pulled);
      stats.pulled += n;
      controller.enqueue(new Uint8Array(n).fill(0x20));
    },
    cancel() {
      stats.cancelled = true;
    },
  }, { highWaterMark: 0 });
  const h = new Headers(headers);
  if (contentLength !== undefined) h.set('content-length', String(contentLength));
  return { request: new Request(url, { method, headers: h, body, duplex: 'half' }), stats };
}
