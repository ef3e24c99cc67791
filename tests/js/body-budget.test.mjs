// The shared body budget (BodyBudget, the `bodyBudget` option of the Node handler, the Fastify
// plugin and `dms-webhook listen`): what it accepts as a limit, that a body fitting exactly is
// taken, and that giving back never frees more than was taken.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BodyBudget, DmsWebhookError } from '../../pkg/node-handler.js';

test('the limit is a whole number of bytes, at least 1; anything else is INVALID_OPTIONS', () => {
  assert.equal(new BodyBudget(1).limit, 1);
  assert.equal(new BodyBudget(64 << 20).limit, 64 << 20);
  for (const bad of [0, -1, 1.5, NaN, Infinity, '1024', undefined, null]) {
    assert.throws(() => new BodyBudget(bad), (err) => err instanceof DmsWebhookError
      && err.code === 'INVALID_OPTIONS'
      && err.message === 'the body budget must be a whole number of bytes, at least 1', String(bad));
  }
});

test('take: what fits exactly is taken; one byte more is refused and nothing taken', () => {
  const budget = new BodyBudget(100);
  assert.equal(budget.take(60), true);
  assert.equal(budget.take(41), false);
  assert.equal(budget.used, 60, 'a refusal takes nothing');
  assert.equal(budget.take(40), true);
  assert.equal(budget.used, 100);
  assert.equal(budget.take(1), false);
});

test('give: returns exactly what was given back, never below nothing', () => {
  const budget = new BodyBudget(100);
  budget.take(60);
  budget.take(30);
  budget.give(30);
  assert.equal(budget.used, 60);
  assert.equal(budget.take(41), false, 'the 60 still held count');
  budget.give(1000);
  assert.equal(budget.used, 0, 'giving back too much frees what was held, no more');
  assert.equal(budget.take(101), false);
  assert.equal(budget.take(100), true);
});
