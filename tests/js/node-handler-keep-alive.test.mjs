// The Node handler closes a connection only when it must (a refusal that left the body unread):
// a delivery it verified, and a refusal of a body it read whole, keep the connection open for
// the next request, as HTTP/1.1 keep-alive expects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import { createHandler } from '../../pkg/node-handler.js';
import { OPTIONS, delivery, serve } from './receiver-fixtures.mjs';

/** Sends `requests` one after the other on one connection; resolves to each answer's head. */
async function onOneConnection(port, requests) {
  const socket = net.connect(port, '127.0.0.1');
  await once(socket, 'connect');
  socket.setEncoding('latin1');
  let text = '';
  socket.on('data', (c) => { text += c; });
  const heads = [];
  for (const body of requests) {
    const before = text.length;
    socket.write(`POST /hook HTTP/1.1\r\nHost: 127.0.0.1\r\nDMS-Event: Message Hook\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    while (!/\r\n\r\n[\s\S]*\}$/.test(text.slice(before))) {
      if (socket.destroyed) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    heads.push(text.slice(before).split('\r\n\r\n')[0]);
  }
  socket.destroy();
  return heads;
}

test('a verified delivery and a refusal of a body read whole keep the connection', async (t) => {
  const srv = await serve(createHandler(OPTIONS));
  t.after(() => srv.close());
  const tampered = delivery().replace('"执行成功"', '"执行失败"');
  const heads = await onOneConnection(srv.port, [delivery(), tampered, delivery()]);
  assert.equal(heads.length, 3);
  assert.match(heads[0], /^HTTP\/1\.1 200 /);
  assert.match(heads[1], /^HTTP\/1\.1 401 /);
  assert.match(heads[2], /^HTTP\/1\.1 200 /, 'the third request was answered on the same connection');
  for (const head of heads) assert.doesNotMatch(head, /connection: close/i, head);
});
