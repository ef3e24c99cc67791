// `dms-webhook listen` refusing a request that is not a POST: with no body left unread (none
// sent, or Content-Length: 0) the answer keeps the connection for the next request; with a
// body still on its way (Content-Length or chunked) it closes the connection rather than read it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import { inProcessListener } from './receiver-fixtures.mjs';

/**
 * Writes each head in turn on one connection, the next once the answer to the one before has
 * come; resolves to the answers' heads and whether the server closed the connection.
 */
async function exchange(port, heads) {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => {});
  await once(socket, 'connect');
  socket.setEncoding('latin1');
  let text = '';
  let closed = false;
  socket.on('data', (c) => { text += c; });
  socket.on('end', () => { closed = true; });
  const answers = [];
  for (const head of heads) {
    const before = text.length;
    socket.write(`${head}\r\n`);
    const deadline = Date.now() + 5000;
    while (!/\}$/.test(text.slice(before)) && !closed && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    if (text.length > before) answers.push(text.slice(before).split('\r\n\r\n')[0]);
    if (closed) break;
  }
  const deadline = Date.now() + 5000;
  if (answers.length === 1) while (!closed && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
  socket.destroy();
  return { answers, closed };
}

test('a 405 to a request without a body keeps the connection for the next request', async (t) => {
  const { port } = await inProcessListener(t);
  const { answers } = await exchange(port, [
    'GET /hook HTTP/1.1\r\nHost: 127.0.0.1\r\n',
    'DELETE /hook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n',
    'GET /hook HTTP/1.1\r\nHost: 127.0.0.1\r\n',
  ]);
  assert.equal(answers.length, 3, 'all three answered on one connection');
  for (const head of answers) {
    assert.match(head, /^HTTP\/1\.1 405 /);
    assert.match(head, /\r\nconnection: keep-alive\r\n/i);
  }
});

test('a 405 to a request whose body is still coming closes the connection', async (t) => {
  const { port } = await inProcessListener(t);
  for (const head of [
    'PUT /hook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5000\r\n',
    'PUT /hook HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n',
  ]) {
    const { answers, closed } = await exchange(port, [head, head]);
    assert.equal(answers.length, 1, head);
    assert.match(answers[0], /^HTTP\/1\.1 405 /, head);
    assert.match(answers[0], /\r\nconnection: close\r\n/i, head);
    assert.equal(closed, true, head);
  }
});
