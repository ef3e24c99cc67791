// What the adapter tests send: signed, fresh DMS deliveries, and requests that stall or break.
import http from 'node:http';
import { signBody } from '../../../pkg/node.mjs';

export const URL_ = 'https://hooks.example.com/dms?tenant=7';
export const SECRET = 'adapter-Secret-4k9Q';
export const OPTIONS = { url: URL_, secret: SECRET };
export const DMS_HEADERS = { 'DMS-Event': 'Message Hook', 'Content-Type': 'application/json' };

let serial = 0;

/** A signed body DMS could send now, with `message` (and a serial, so each one is new). */
export function delivery(message = 'ok', extra = {}) {
  serial += 1;
  return signBody({
    category: '工单', module: '数据变更', event: '执行成功', eventTime: Date.now(), taskName: `task ${serial}`, message, ...extra,
  }, OPTIONS);
}

/** The same, tampered after signing. */
export const tampered = (body) => body.replace('"执行成功"', '"执行失败"');

/** POSTs `body` with DMS's headers; resolves to { status, headers, text, json }. */
export async function post(base, path, body, headers = DMS_HEADERS) {
  const response = await fetch(base + path, { method: 'POST', headers, body });
  const text = await response.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: response.status, headers: response.headers, text, json };
}

/** Asserts a refusal in DMS's format: the status and a root starting with the code. */
export function refusedWith(assert, reply, status, code) {
  assert.equal(reply.status, status, reply.text);
  assert.match(reply.headers.get('content-type') ?? '', /^application\/json/);
  assert.deepEqual(Object.keys(reply.json ?? {}), ['root', 'success'], reply.text);
  assert.equal(reply.json.success, false);
  assert.ok(reply.json.root.startsWith(`${code}: `), reply.json.root);
  assert.ok(!reply.text.includes(SECRET));
}

/** DMS's success answer. */
export function succeeded(assert, reply) {
  assert.equal(reply.status, 200, reply.text);
  assert.deepEqual(reply.json, { root: '', success: true });
}

/**
 * A POST over node:http that sends `sent` bytes of a body declared `declared` bytes long, then
 * waits: resolves to { status, headers, text } when answered, or { closed: true } when the server
 * closes the connection first. `abortAfterMs` destroys the socket instead.
 */
export function partialPost(base, path, { declared, sent, abortAfterMs, headers = DMS_HEADERS }) {
  const url = new URL(path, base);
  return new Promise((resolve) => {
    const req = http.request(url, {
      method: 'POST', headers: { ...headers, 'Content-Length': String(declared) }, agent: false,
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text }));
      res.on('error', () => resolve({ closed: true }));
    });
    req.on('error', () => resolve({ closed: true }));
    req.write(Buffer.alloc(sent, 0x20));
    if (abortAfterMs !== undefined) setTimeout(() => { req.destroy(); resolve({ aborted: true }); }, abortAfterMs);
  });
}

/** Collects console.error calls while `fn` runs (they still print). */
export async function capturingConsoleErrors(fn) {
  const calls = [];
  const original = console.error;
  console.error = (...args) => { calls.push(args); };
  try {
    await fn(calls);
  } finally {
    console.error = original;
  }
  return calls;
}
