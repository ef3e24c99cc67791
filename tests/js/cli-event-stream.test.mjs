// The deliveries stream of `listen` (pkg/cli/event-stream.js), in process: the SSE headers and
// framing, the cap on clients, the per-client send buffer past which a client is dropped, the
// heartbeat, and the forgetting of clients that close.
import test from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { EventStream, STREAM_LIMITS } from '../../pkg/cli/event-stream.js';

/** A response that records what is written; `writableLength` is what it has not sent yet. */
function client({ queued = 0 } = {}) {
  const res = new EventEmitter();
  Object.assign(res, {
    status: 0, headers: null, chunks: [], destroyed: false, writableEnded: false, writableLength: queued,
    writeHead(status, headers) { Object.assign(res, { status, headers }); },
    write(chunk) { res.chunks.push(chunk.toString()); res.writableLength += chunk.length; return true; },
    end() { res.writableEnded = true; },
    destroy() { res.destroyed = true; },
  });
  return { req: new EventEmitter(), res };
}

const frame = (text) => Buffer.from(text);

test('STREAM_LIMITS: 16 clients, 8 MiB queued each, a ping every 20 s', () => {
  assert.deepEqual({ ...STREAM_LIMITS }, { maxClients: 16, maxBufferedBytes: 8 * 1048576, heartbeatMs: 20000 });
  assert.ok(Object.isFrozen(STREAM_LIMITS));
});

test('open: SSE headers, a retry hint, then the backlog; broadcast reaches every client', (t) => {
  const stream = new EventStream();
  t.after(() => stream.closeAll());
  const a = client();
  assert.equal(stream.open(a.req, a.res, [frame('id: 1\ndata: {}\n\n'), frame('id: 2\ndata: {}\n\n')]), true);
  assert.equal(a.res.status, 200);
  assert.deepEqual(a.res.headers, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store, no-transform',
    'x-accel-buffering': 'no',
    'x-content-type-options': 'nosniff',
  });
  assert.deepEqual(a.res.chunks, ['retry: 2000\n\n', 'id: 1\ndata: {}\n\n', 'id: 2\ndata: {}\n\n']);
  const b = client();
  assert.equal(stream.open(b.req, b.res, []), true);
  assert.deepEqual(b.res.chunks, ['retry: 2000\n\n']);
  assert.equal(stream.size, 2);
  stream.broadcast(frame('id: 3\ndata: {"x":1}\n\n'));
  assert.equal(a.res.chunks.at(-1), 'id: 3\ndata: {"x":1}\n\n');
  assert.equal(b.res.chunks.at(-1), 'id: 3\ndata: {"x":1}\n\n');
});

test('open: past maxClients it refuses and writes nothing', (t) => {
  const stream = new EventStream({ maxClients: 2 });
  t.after(() => stream.closeAll());
  const [a, b, c] = [client(), client(), client()];
  assert.equal(stream.open(a.req, a.res, []), true);
  assert.equal(stream.open(b.req, b.res, []), true);
  assert.equal(stream.open(c.req, c.res, [frame('x')]), false);
  assert.equal(c.res.status, 0);
  assert.deepEqual(c.res.chunks, []);
  assert.equal(stream.size, 2);
  // A client that goes away makes room (by its response closing, or its request).
  a.res.emit('close');
  assert.equal(stream.size, 1);
  assert.equal(stream.open(c.req, c.res, []), true);
  c.req.emit('close');
  assert.equal(stream.size, 1);
  stream.broadcast(frame('after'));
  assert.equal(a.res.chunks.at(-1), 'retry: 2000\n\n', 'a closed client gets nothing more');
  assert.equal(c.res.chunks.at(-1), 'retry: 2000\n\n');
  assert.equal(b.res.chunks.at(-1), 'after');
  assert.equal(new EventStream().size, 0);
});

test('a client that does not read is dropped once its queue would pass maxBufferedBytes', (t) => {
  const stream = new EventStream({ maxBufferedBytes: 100 });
  t.after(() => stream.closeAll());
  const slow = client({ queued: 50 });
  const fast = client();
  stream.open(slow.req, slow.res, []);
  stream.open(fast.req, fast.res, []);
  assert.equal(slow.res.writableLength, 50 + 13);
  stream.broadcast(frame('y'.repeat(37))); // 63 + 37 = 100: exactly full, still sent
  assert.equal(slow.res.chunks.length, 2);
  assert.equal(slow.res.destroyed, false);
  fast.res.writableLength = 0;
  stream.broadcast(frame('z')); // 101: over
  assert.equal(slow.res.destroyed, true);
  assert.equal(slow.res.chunks.length, 2, 'nothing written to a dropped client');
  assert.equal(fast.res.chunks.at(-1), 'z');
  assert.equal(stream.dropped, 1);
  assert.equal(stream.size, 1);
  stream.broadcast(frame('w'));
  assert.equal(stream.dropped, 1, 'counted once');
});

test('a backlog larger than the buffer drops the client part-way; the rest is not written', (t) => {
  const stream = new EventStream({ maxBufferedBytes: 40 });
  t.after(() => stream.closeAll());
  const c = client();
  assert.equal(stream.open(c.req, c.res, [frame('a'.repeat(20)), frame('b'.repeat(20)), frame('c')]), true);
  assert.deepEqual(c.res.chunks, ['retry: 2000\n\n', 'a'.repeat(20)]);
  assert.equal(c.res.destroyed, true);
  assert.equal(stream.dropped, 1);
  assert.equal(stream.size, 0);
});

test('ended or destroyed responses are skipped', (t) => {
  const stream = new EventStream();
  t.after(() => stream.closeAll());
  const ended = client();
  const destroyed = client();
  stream.open(ended.req, ended.res, []);
  stream.open(destroyed.req, destroyed.res, []);
  ended.res.writableEnded = true;
  destroyed.res.destroyed = true;
  stream.broadcast(frame('x'));
  assert.deepEqual(ended.res.chunks, ['retry: 2000\n\n']);
  assert.deepEqual(destroyed.res.chunks, ['retry: 2000\n\n']);
  assert.equal(stream.dropped, 0);
  const late = client();
  late.res.writableEnded = true;
  assert.equal(stream.open(late.req, late.res, [frame('x')]), true);
  assert.deepEqual(late.res.chunks, []);
});

test('a ping comment every heartbeatMs; closeAll ends every stream and the pings', async () => {
  const stream = new EventStream({ heartbeatMs: 5 });
  const c = client();
  stream.open(c.req, c.res, []);
  const deadline = Date.now() + 5000;
  while (!c.res.chunks.includes(': ping\n\n') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  assert.equal(c.res.chunks[1], ': ping\n\n');
  stream.closeAll();
  assert.equal(c.res.writableEnded, true);
  assert.equal(stream.size, 0);
  const other = client();
  stream.open(other.req, other.res, []);
  const before = other.res.chunks.length;
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(other.res.chunks.length, before, 'no pings after closeAll');
  stream.closeAll();
});
