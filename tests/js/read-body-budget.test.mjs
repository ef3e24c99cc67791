// A body sent without Content-Length (chunked) has nothing to reserve up front: readRawBody
// charges the shared body budget as its bytes arrive, refuses it 503 SERVER_BUSY the moment the
// budget would be passed, and gives back exactly what it took once the read ends either way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import { BodyBudget, readRawBody } from '../../pkg/node-handler.js';
import { serve } from './receiver-fixtures.mjs';

/** Resolves when `check()` holds, or rejects after `ms`. */
async function until(check, what, ms = 5000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`still waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * A server reading each body with `budget`; `send(sizes)` writes a chunked body one chunk at a
 * time, each after the server has seen the one before, and resolves to what the budget held
 * after each chunk and how the read ended.
 */
async function chunkedReader(t, budget) {
  const outcomes = [];
  const srv = await serve((req, res) => {
    readRawBody(req, 1 << 20, { budget }).then(
      (bytes) => `read ${bytes.length}`,
      (err) => `${err.code}: ${err.message}`,
    ).then((outcome) => {
      outcomes.push(outcome);
      res.destroy();
    });
  });
  t.after(() => srv.close());
  return async (sizes) => {
    const socket = net.connect(srv.port, '127.0.0.1');
    socket.on('error', () => {});
    await once(socket, 'connect');
    socket.write('POST /hook HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n');
    const held = [];
    const before = outcomes.length;
    let sent = 0;
    for (const size of sizes) {
      socket.write(`${size.toString(16)}\r\n${'x'.repeat(size)}\r\n`);
      sent += size;
      const expected = budget.used + size;
      await until(() => budget.used === expected || outcomes.length > before, `${sent} bytes charged`);
      held.push(budget.used);
      if (outcomes.length > before) break;
    }
    if (outcomes.length === before) socket.write('0\r\n\r\n');
    await until(() => outcomes.length > before, 'the read to end');
    socket.destroy();
    return { held, outcome: outcomes.at(-1) };
  };
}

test('a chunked body is charged as it arrives and all of it given back once read', async (t) => {
  const budget = new BodyBudget(1000);
  const send = await chunkedReader(t, budget);
  assert.deepEqual(await send([300, 300, 300]), { held: [300, 600, 900], outcome: 'read 900' });
  assert.equal(budget.used, 0);
});

test('a chunked body that would pass the budget is refused SERVER_BUSY at that chunk, its share given back', async (t) => {
  const budget = new BodyBudget(1000);
  const send = await chunkedReader(t, budget);
  const { held, outcome } = await send([600, 600, 600]);
  assert.equal(outcome, 'SERVER_BUSY: the receiver is reading too many request bodies at once; try again shortly');
  assert.equal(held[0], 600);
  assert.equal(held.length, 2, 'refused at the second chunk');
  assert.equal(budget.used, 0);
  // The budget is whole again: the next body fits.
  assert.deepEqual(await send([1000]), { held: [1000], outcome: 'read 1000' });
  assert.equal(budget.used, 0);
});
