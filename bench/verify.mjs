// Benchmark: `node bench/verify.mjs [--rounds N] [--cold N]` (after `bash scripts/build.sh`).
//
// verify() of the built package on the spec's example body (525 bytes), a 16 KB and a 256 KB body,
// alone (the verdict; the event is decoded only when `.event` is read) and with `.event` read,
// interleaved in one run with two baselines:
//   - createHmac: node:crypto HMAC-SHA1 over the already canonical text alone (no parsing at all);
//   - by hand: what most receivers write (JSON.parse, JSON.stringify dropping nulls, createHmac,
//     timingSafeEqual). It is NOT exact (it breaks on big numbers, duplicate keys, U+2028...) but it
//     accepts these bodies, which makes it a fair speed baseline.
// Both string and Uint8Array bodies. Then the cold start of a fresh Node process (import plus the
// first verification) and the size of the .wasm.
import { execFileSync } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import * as api from '../pkg/node.mjs';

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const ROUNDS = arg('rounds', 15);
const COLD_RUNS = arg('cold', 9);
const BATCH_MS = 10;

const URL_ = 'http://my.host:8000/';
const SECRET = 'secret';
const OPTIONS = { url: URL_, secret: SECRET };

// The spec's example, as DMS sends it (525 bytes).
const EXAMPLE = '{"messageEvent":{"submitterName":"xxx","submitterUid":"167382665015xxxx","category":"工單","event":"執行成功","eventTime":1625630049930,"message":"【DMS數據管理】Webhook test, code: 144619 ","module":"數據變更","receivers":[{"name":"xxx1","uid":"167382665015xxxx"},{"name":"xxx2","uid":"167382665016xxxx"}],"targetUsers":[{"name":"xxx1","uid":"167382665015xxxx"},{"name":"xxx2","uid":"167382665016xxxx"}],"taskName":"Webhook test"},"signatureMethod":"HMAC_SHA1","signatureText":"/xQPai4qeye/52aNQcdr2X456OQ="}';

/** A realistic DMS event of about `size` bytes: a long Chinese message and many receivers. */
function eventOfSize(size) {
  const people = (n, from) => Array.from({ length: n }, (_, i) => ({
    name: `${['张', '王', '李', '赵', '刘'][i % 5]}工程师${from + i}`,
    uid: String(1673826650150000n + BigInt(from + i)),
  }));
  const line = '【DMS数据管理】工单 #144619 数据变更执行成功：UPDATE orders SET status = 2 WHERE id IN (...)，影响行数 1024。审批人已确认，请相关负责人检查结果。\n';
  const count = Math.max(2, Math.floor(size / 400));
  const event = {
    submitterName: '数据库管理员',
    submitterUid: '167382665015xxxx',
    category: '工单',
    module: '数据变更',
    event: '执行成功',
    taskId: '144619',
    taskName: '订单状态批量修复',
    eventTime: 1625630049930,
    message: '',
    receivers: people(count, 0),
    targetUsers: people(count, count),
  };
  const base = Buffer.byteLength(api.signBody(event, OPTIONS));
  const lineBytes = Buffer.byteLength(line);
  event.message = line.repeat(Math.max(0, Math.floor((size - base) / lineBytes)));
  return event;
}

const bodies = [
  ['525 B (spec example)', EXAMPLE],
  ['16 KB', api.signBody(eventOfSize(16 * 1024), OPTIONS)],
  ['256 KB', api.signBody(eventOfSize(256 * 1024), OPTIONS)],
];

const decoder = new TextDecoder();
const dropNulls = (key, value) => (value === null ? undefined : value);
function byHand(body) {
  const parsed = JSON.parse(typeof body === 'string' ? body : decoder.decode(body));
  const canonical = JSON.stringify(parsed.messageEvent, dropNulls);
  const expected = createHmac('sha1', SECRET).update(URL_ + SECRET + canonical).digest();
  const given = Buffer.from(String(parsed.signatureText), 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const cases = [];
for (const [label, text] of bodies) {
  const bytes = new TextEncoder().encode(text);
  const canonical = api.canonicalize(text);
  const signature = api.parse(text).signatureText;
  const hmacOnly = () => createHmac('sha1', SECRET).update(URL_ + SECRET + canonical).digest('base64') === signature;
  // Every contender must accept the body, or the comparison means nothing.
  if (!hmacOnly() || !byHand(text) || !byHand(bytes) || api.verify(bytes, OPTIONS).matched === null) {
    throw new Error(`a contender refuses the ${label} body`);
  }
  for (const [form, body] of [['string', text], ['Uint8Array', bytes]]) {
    cases.push({ label, form, size: bytes.length, name: 'dms-webhook verify', fn: () => api.verify(body, OPTIONS) });
    cases.push({ label, form, size: bytes.length, name: 'dms-webhook verify + .event', fn: () => api.verify(body, OPTIONS).event });
    cases.push({ label, form, size: bytes.length, name: 'by hand (JSON + createHmac)', fn: () => byHand(body) });
  }
  cases.push({ label, form: 'string', size: bytes.length, name: 'createHmac alone', fn: hmacOnly });
}

/** Operations per batch so that a batch takes about BATCH_MS. */
function calibrate(fn) {
  let n = 1;
  for (;;) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i += 1) fn();
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (ms >= BATCH_MS / 4) return Math.max(1, Math.round((n * BATCH_MS) / ms));
    n *= 4;
  }
}

for (const c of cases) {
  c.batch = calibrate(c.fn);
  c.samples = [];
}
// Interleaved: every round runs one batch of every case, in a rotating order.
for (let round = 0; round < ROUNDS; round += 1) {
  for (let k = 0; k < cases.length; k += 1) {
    const c = cases[(k + round) % cases.length];
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < c.batch; i += 1) c.fn();
    c.samples.push(Number(process.hrtime.bigint() - t0) / 1e3 / c.batch);
  }
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
for (const c of cases) c.us = median(c.samples);

const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);
console.log(`node ${process.version}, ${ROUNDS} interleaved rounds of ~${BATCH_MS} ms per case; median µs/op\n`);
console.log(`${pad('body', 22)}${pad('form', 12)}${pad('contender', 30)}${lpad('µs/op', 10)}${lpad('MB/s', 9)}  ratio`);
for (const [label] of bodies) {
  const hmac = cases.find((c) => c.label === label && c.name === 'createHmac alone');
  for (const form of ['string', 'Uint8Array']) {
    const ours = cases.find((c) => c.label === label && c.form === form && c.name === 'dms-webhook verify');
    const full = cases.find((c) => c.label === label && c.form === form && c.name === 'dms-webhook verify + .event');
    const hand = cases.find((c) => c.label === label && c.form === form && c.name.startsWith('by hand'));
    for (const c of [ours, full, hand]) {
      const ratio = c === hand
        ? `verify ${(hand.us / ours.us).toFixed(2)}x faster, verify + .event ${(hand.us / full.us).toFixed(2)}x faster`
        : `${(c.us / hmac.us).toFixed(2)}x createHmac's time`;
      console.log(`${pad(label, 22)}${pad(form, 12)}${pad(c.name, 30)}${lpad(c.us.toFixed(2), 10)}${lpad((c.size / c.us).toFixed(1), 9)}  ${ratio}`);
    }
  }
  console.log(`${pad(label, 22)}${pad('(canonical)', 12)}${pad(hmac.name, 30)}${lpad(hmac.us.toFixed(2), 10)}${lpad((hmac.size / hmac.us).toFixed(1), 9)}`);
}

// Cold start: a fresh process, import + first verification, timed inside the process.
const entry = new URL('../pkg/node.mjs', import.meta.url).href;
const script = `const t0 = performance.now();
const { verify } = await import(${JSON.stringify(entry)});
const t1 = performance.now();
verify(${JSON.stringify(EXAMPLE)}, ${JSON.stringify(OPTIONS)});
const t2 = performance.now();
console.log(JSON.stringify({ importMs: t1 - t0, firstVerifyMs: t2 - t1, totalMs: t2 - t0 }));`;
const runs = [];
for (let i = 0; i < COLD_RUNS; i += 1) {
  runs.push(JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })));
}
const coldMedian = (key) => median(runs.map((r) => r[key])).toFixed(2);
console.log(`\ncold start (fresh node process, median of ${COLD_RUNS}): import + first verify ${coldMedian('totalMs')} ms `
  + `(import ${coldMedian('importMs')} ms, first verify ${coldMedian('firstVerifyMs')} ms)`);

const wasm = readFileSync(new URL('../pkg/verify.wasm', import.meta.url));
const gz = gzipSync(wasm, { level: 9 }).length;
console.log(`pkg/dms_webhook_bg.wasm: ${wasm.length} bytes (${(wasm.length / 1024).toFixed(1)} KiB) raw, `
  + `${gz} bytes (${(gz / 1024).toFixed(1)} KiB) gzip -9`);
