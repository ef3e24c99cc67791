// closeGracefully (dms-webhook/node-handler, and `dms-webhook listen` on SIGTERM), in process:
// a second call shares the first one's outcome; a request that comes on a kept-alive connection
// after closing began is answered and its connection closed; idle connections are left alone for
// `settleMs` (a request may be on its way on them) and closed after it; what is still busy at
// `graceMs` is cut off and reported as forced; a server that already stopped listening still has
// its requests in flight waited for; a server without node:http's connection methods (an HTTP/2
// server) is closed too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import { once } from 'node:events';
import { closeGracefully } from '../../pkg/node-handler.js';

/** A node:http server answering `ok` (or never, for /hold) on a free loopback port. */
async function serve(t) {
  const server = createServer((req, res) => {
    if (req.url === '/hold') server.held.push(res);
    else res.end('ok');
  });
  server.held = [];
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => {
    server.closeAllConnections();
    if (server.listening) server.close();
  });
  return server;
}

/** A raw keep-alive connection: send() writes a GET and resolves to the answer's text. */
async function connection(port) {
  const socket = net.connect(port, '127.0.0.1');
  await once(socket, 'connect');
  socket.setEncoding('latin1');
  const state = { text: '', closedByServer: false };
  socket.on('data', (c) => { state.text += c; });
  socket.on('end', () => { state.closedByServer = true; });
  socket.on('error', () => {});
  return {
    socket,
    state,
    async send(path = '/') {
      const before = state.text.length;
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
      while (!/\r\n\r\n[\s\S]*ok$/.test(state.text.slice(before)) && !state.closedByServer) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return state.text.slice(before);
    },
  };
}

/** Waits for the connection to close; true when the server closed it. */
async function closedByServer({ socket, state }) {
  if (!socket.closed) await once(socket, 'close');
  return state.closedByServer;
}

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test('a second call returns the same promise', async (t) => {
  const server = await serve(t);
  const first = closeGracefully(server);
  assert.equal(closeGracefully(server, { graceMs: 1 }), first);
  assert.deepEqual({ ...(await first), ms: 0 }, { ms: 0, forced: false });
});

test('an idle kept-alive connection stays open for settleMs; a request on it is answered, then it closes', async (t) => {
  const server = await serve(t);
  const client = await connection(server.address().port);
  t.after(() => client.socket.destroy());
  assert.match(await client.send(), /^HTTP\/1\.1 200 [\s\S]*Connection: keep-alive\r\n/);
  const closed = closeGracefully(server, { settleMs: 60_000, graceMs: 60_000 });
  // Several sweeps of idle connections go by: this one is left alone, being within settleMs.
  await pause(300);
  assert.equal(client.state.closedByServer, false, 'closed while settling');
  const answer = await client.send();
  assert.match(answer, /^HTTP\/1\.1 200 [\s\S]*Connection: close\r\n[\s\S]*ok$/, answer);
  const { forced } = await closed;
  assert.equal(forced, false);
  assert.equal(await closedByServer(client), true);
});

test('idle connections are closed once settleMs has passed, without forcing', async (t) => {
  const server = await serve(t);
  const client = await connection(server.address().port);
  t.after(() => client.socket.destroy());
  await client.send();
  const { forced } = await closeGracefully(server, { settleMs: 0, graceMs: 5000 });
  assert.equal(forced, false);
  assert.equal(await closedByServer(client), true);
});

test('what is still busy at graceMs is cut off, and the outcome says it was forced', { timeout: 20_000 }, async (t) => {
  const server = await serve(t);
  const client = await connection(server.address().port);
  t.after(() => client.socket.destroy());
  client.socket.write('GET /hold HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
  while (server.held.length === 0) await pause(10);
  const { forced } = await closeGracefully(server, { settleMs: 0, graceMs: 200 });
  assert.equal(forced, true);
  assert.equal(await closedByServer(client), true);
  assert.equal(client.state.text, '', 'never answered');
});

test('an HTTP/2 server (no closeIdleConnections) is closed without a fault once its sessions end', async (t) => {
  const server = http2.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const session = http2.connect(`http://127.0.0.1:${server.address().port}`);
  t.after(() => session.destroy());
  await once(session, 'connect');
  const closed = closeGracefully(server, { settleMs: 0, graceMs: 100 });
  // Sweeps and the deadline go by: nothing on this server can close the session for it.
  await pause(300);
  session.close();
  assert.deepEqual({ ...(await closed), ms: 0 }, { ms: 0, forced: true });
});

test('a server that stopped listening (its own close() called first) still has its request in flight waited for', async (t) => {
  const server = await serve(t);
  const client = await connection(server.address().port);
  t.after(() => client.socket.destroy());
  client.socket.write('GET /hold HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
  while (server.held.length === 0) await pause(10);
  server.close();
  assert.equal(server.listening, false);
  const order = [];
  const closed = closeGracefully(server, { settleMs: 0, graceMs: 5000 }).then((outcome) => {
    order.push('closed');
    return outcome;
  });
  await pause(100);
  const [res] = server.held;
  res.on('finish', () => order.push('answered'));
  res.end('ok');
  assert.equal((await closed).forced, false);
  assert.deepEqual(order, ['answered', 'closed']);
  assert.equal(await closedByServer(client), true);
  assert.match(client.state.text, /^HTTP\/1\.1 200 [\s\S]*ok$/);
});

test('a server that never listened is closed at once', async () => {
  const server = createServer();
  assert.deepEqual({ ...(await closeGracefully(server, { graceMs: 60_000 })), ms: 0 }, { ms: 0, forced: false });
});
